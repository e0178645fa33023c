import { describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import JSZip from "jszip";
// @ts-expect-error: plain ESM scripts, no type declarations
import { buildAppPackage, parseEnvFile, schemaErrors, substitute, uploadChecks } from "../scripts/packageApp.mjs";
// @ts-expect-error: plain ESM scripts, no type declarations
import { decodeRgba, encodePng, pngInfo } from "../scripts/png.mjs";

const root = new URL("../", import.meta.url).pathname;
const template = readFileSync(join(root, "appPackage/manifest.json"), "utf8");

/** What provision writes to env/.env.dev, with realistic values. */
const vars = {
  TEAMS_APP_ID: "3f0b8a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
  AAD_APP_CLIENT_ID: "11111111-2222-4333-8444-555555555555",
  BOT_ID: "22222222-3333-4444-8555-666666666666",
  TAB_DOMAIN: "ectsp-riverside.azurewebsites.net",
  TAB_ENDPOINT: "https://ectsp-riverside.azurewebsites.net",
  APP_NAME_SUFFIX: "",
  DEVELOPER_NAME: "Riverside Primary School",
  DEVELOPER_WEBSITE_URL: "https://www.riverside.example.sch.uk",
  PRIVACY_URL: "https://www.riverside.example.sch.uk/privacy",
  TERMS_OF_USE_URL: "https://www.riverside.example.sch.uk/terms",
};

const resolved = () => JSON.parse(substitute(template, vars).text) as Record<string, any>;

describe("the Teams app manifest", () => {
  it("is on the newest schema @microsoft/app-manifest bundles, and validates against it offline", async () => {
    const versions = readdirSync(join(root, "node_modules/@microsoft/app-manifest/build/json-schemas/teams"))
      .map((d) => /^v1\.(\d+)$/.exec(d)?.[1])
      .filter((minor): minor is string => minor !== undefined)
      .map(Number);
    expect(`1.${Math.max(...versions)}`).toBe("1.30");
    const manifest = resolved();
    expect(manifest.manifestVersion).toBe("1.30");
    expect(manifest.$schema).toBe("https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json");
    expect(await schemaErrors(manifest)).toEqual([]);
    expect(
      uploadChecks(manifest, {
        "color.png": readFileSync(join(root, "appPackage/color.png")),
        "outline.png": readFileSync(join(root, "appPackage/outline.png")),
      }),
    ).toEqual([]);
  });

  it("has a personal caseload tab, a channel tab, the bot in personal and team scope, SSO and valid domains", () => {
    const m = resolved();
    expect(m.staticTabs.find((t: any) => t.entityId === "caseload")).toMatchObject({
      scopes: ["personal"],
      contentUrl: expect.stringMatching(/^https:\/\/ectsp-riverside\.azurewebsites\.net\//),
    });
    expect(m.configurableTabs[0]).toMatchObject({ configurationUrl: "https://ectsp-riverside.azurewebsites.net/config", scopes: ["team"] });
    expect(m.bots[0]).toMatchObject({ botId: vars.BOT_ID, scopes: ["personal", "team"] });
    expect(m.webApplicationInfo).toMatchObject({ id: vars.AAD_APP_CLIENT_ID, resource: `api://${vars.TAB_DOMAIN}/${vars.AAD_APP_CLIENT_ID}` });
    expect(m.webApplicationInfo.nestedAppAuthInfo[0].redirectUri).toBe(`brk-multihub://${vars.TAB_DOMAIN}`);
    expect(m.validDomains).toEqual([vars.TAB_DOMAIN]);
  });

  it("reports a missing bot id with the schema's own error", async () => {
    const m = resolved();
    delete m.bots[0].botId;
    const errors: string[] = await schemaErrors(m);
    expect(errors).toContainEqual(expect.stringMatching(/^\/bots\/0 must have required property 'botId'/));
  });

  it("reports a bad manifest version and a bad app version", async () => {
    const wrongSchemaVersion = { ...resolved(), manifestVersion: "1.99" };
    expect(await schemaErrors(wrongSchemaVersion)).toContainEqual(expect.stringMatching(/^\/manifestVersion must be equal to constant/));
    const numeric = { ...resolved(), version: 1 };
    expect(await schemaErrors(numeric)).toContainEqual(expect.stringMatching(/^\/version must be string/));
    // The schema no longer enforces semver; Teams does at upload, so packaging does too.
    expect(uploadChecks({ ...resolved(), version: "1.0" }, {})).toContainEqual(expect.stringMatching(/^\/version must be a semver version/));
  });

  it("reports a schema the package does not bundle instead of fetching it", async () => {
    const m = { ...resolved(), $schema: "https://developer.microsoft.com/json-schemas/teams/v9.9/MicrosoftTeams.schema.json" };
    expect(await schemaErrors(m)).toEqual([expect.stringContaining("does not bundle the v9.9 schema")]);
  });

  it("refuses wrongly sized or coloured icons", () => {
    const red = new Uint8Array(32 * 32 * 4).map((_, i) => (i % 4 === 0 || i % 4 === 3 ? 255 : 0));
    const problems = uploadChecks(resolved(), { "color.png": encodePng(32, 32, red), "outline.png": encodePng(32, 32, red) });
    expect(problems).toContainEqual("/icons/color: color.png must be 192×192 pixels, not 32×32");
    expect(problems).toContainEqual("/icons/outline: outline.png must have a transparent background");
    expect(problems).toContainEqual(expect.stringMatching(/outline\.png must be white on transparent; 1024 pixels are not white/));
  });
});

describe("npm run package", () => {
  it("writes a zip with exactly manifest.json, color.png and outline.png, every placeholder resolved", async () => {
    const out = mkdtempSync(join(tmpdir(), "ectsp-pkg-"));
    try {
      const result = await buildAppPackage({ envName: "test", vars, outDir: out });
      expect(result.problems).toEqual([]);
      expect(result.zipPath).toBe(join(out, "appPackage.test.zip"));
      const zip = await JSZip.loadAsync(readFileSync(result.zipPath));
      expect(Object.keys(zip.files).sort()).toEqual(["color.png", "manifest.json", "outline.png"]);

      const manifestText = await zip.file("manifest.json")!.async("string");
      expect(manifestText).not.toMatch(/\$\{\{/);
      const manifest = JSON.parse(manifestText);
      expect(manifest.id).toBe(vars.TEAMS_APP_ID);
      expect(manifest.bots[0].botId).toBe(vars.BOT_ID);
      expect(await schemaErrors(manifest)).toEqual([]);

      const color = await zip.file("color.png")!.async("nodebuffer");
      const outline = await zip.file("outline.png")!.async("nodebuffer");
      expect(pngInfo(color)).toMatchObject({ width: 192, height: 192 });
      expect(pngInfo(outline)).toMatchObject({ width: 32, height: 32 });
      // The outline is white on transparent: every visible pixel white, some pixels clear.
      const { rgba } = decodeRgba(outline);
      let clear = 0;
      const notWhite: number[][] = [];
      for (let i = 0; i < rgba.length; i += 4) {
        if (rgba[i + 3] === 0) clear++;
        else if (rgba[i] !== 255 || rgba[i + 1] !== 255 || rgba[i + 2] !== 255) notWhite.push([rgba[i]!, rgba[i + 1]!, rgba[i + 2]!]);
      }
      expect(notWhite).toEqual([]);
      expect(clear).toBeGreaterThan(100);
      // The same inputs give the same bytes.
      const again = await buildAppPackage({ envName: "test", vars, outDir: out, write: false });
      expect(Buffer.compare(again.zip, result.zip)).toBe(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("writes nothing and names every variable that is not set", async () => {
    const out = mkdtempSync(join(tmpdir(), "ectsp-pkg-"));
    try {
      const { BOT_ID: _b, TAB_DOMAIN: _t, ...partial } = vars;
      const result = await buildAppPackage({ envName: "test", vars: partial, outDir: out });
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^BOT_ID is not set/), expect.stringMatching(/^TAB_DOMAIN is not set/)]));
      expect(() => readFileSync(join(out, "appPackage.test.zip"))).toThrow();
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("reads env files the way the toolkit writes them", () => {
    expect(parseEnvFile('# comment\nA=1\nB=\nC="quoted value"\n  D = spaced \nnot a line\n')).toEqual({ A: "1", B: "", C: "quoted value", D: "spaced" });
    const local = parseEnvFile(readFileSync(join(root, "env/.env.local"), "utf8"));
    expect(local.APP_NAME_SUFFIX).toBe(" (local)");
    // Committed env files hold no secrets.
    for (const file of ["env/.env.dev", "env/.env.local"]) {
      expect(Object.keys(parseEnvFile(readFileSync(join(root, file), "utf8"))).filter((k) => k.startsWith("SECRET_"))).toEqual([]);
    }
  });
});
