import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { schemaDocument } from "@ectsp/bot/store/sharepoint/listSchema.js";

const root = new URL("../", import.meta.url).pathname;
const read = (file: string) => readFileSync(join(root, file), "utf8");
const bicep = read("infra/azure.bicep");

/** Every environment variable name bot/src/config.ts reads (env.NAME). */
function settingsTheServerReads(): string[] {
  const source = read("bot/src/config.ts");
  return [...new Set([...source.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!))].sort();
}

/** The app settings block of the web app in the Bicep: NAME: value lines. */
function appSettingsInBicep(): Map<string, string> {
  const block = /resource webAppSettings 'Microsoft\.Web\/sites\/config@[^']+' = \{[\s\S]*?\n {2}properties: \{\n([\s\S]*?)\n {2}\}\n/.exec(bicep)?.[1];
  if (!block) throw new Error("no appsettings resource in infra/azure.bicep");
  const settings = new Map<string, string>();
  for (const m of block.matchAll(/^\s{4}([A-Z][A-Z0-9_]*):\s*(.+)$/gm)) settings.set(m[1]!, m[2]!.trim());
  return settings;
}

/** Bicep parameter names (param NAME type). */
const bicepParams = () =>
  [...bicep.matchAll(/^param (\w+) (\w+)/gm)].map((m) => ({ name: m[1]!, type: m[2]!, hasDefault: new RegExp(`^param ${m[1]} \\w+ =`, "m").test(bicep) }));

describe("infra/azure.bicep", () => {
  it("sets every app setting the server reads from bot/src/config.ts", () => {
    const read = settingsTheServerReads();
    // Guard the scan itself: these are the settings the brief names.
    expect(read).toEqual(
      expect.arrayContaining([
        "AAD_APP_CLIENT_ID",
        "AAD_APP_TENANT_ID",
        "AAD_APP_OAUTH_AUTHORITY_HOST",
        "AAD_APP_ID_URI",
        "BOT_ID",
        "BOT_PASSWORD",
        "BOT_TYPE",
        "BOT_TENANT_ID",
        "PUBLIC_URL",
        "PORT",
        "DATA_DIR",
      ]),
    );
    const settings = appSettingsInBicep();
    // Set by App Service itself, only for tests and local runs, or overrides whose defaults are right
    // on App Service (HOST: every interface in tenant mode; BOT_DISABLED: the bot is provisioned;
    // WEBHOOK_ALLOWED_HOSTS: Microsoft's Workflows and connector hosts).
    const platformOrLocal = new Set(["WEBSITE_INSTANCE_ID", "INSTANCE_ID", "TAB_DIST", "HOST", "BOT_DISABLED", "WEBHOOK_ALLOWED_HOSTS"]);
    const missing = read.filter((name) => !platformOrLocal.has(name) && !settings.has(name));
    expect(missing).toEqual([]);
  });

  it("keeps the bot secret out of plain app settings (Key Vault reference)", () => {
    const settings = appSettingsInBicep();
    expect(settings.get("BOT_PASSWORD")).toMatch(/^'@Microsoft\.KeyVault\(SecretUri=/);
    expect(settings.get("BOT_TYPE")).toBe("'SingleTenant'");
    expect(bicep).toMatch(/@secure\(\)\n@description\([^)]*\)\nparam botAadAppClientSecret string/);
  });

  it("hosts on Linux App Service with Node 22 LTS, Always On, HTTPS only, a scale-out count, and the bot on Teams", () => {
    expect(bicep).toMatch(/kind: 'linux'[\s\S]*reserved: true/);
    // Node 20 reached end of life in April 2026: production runs Node 22 LTS, and only that.
    expect([...bicep.matchAll(/linuxFxVersion: '([^']*)'/g)].map((m) => m[1])).toEqual(["NODE|22-lts"]);
    expect(bicep).not.toMatch(/Node 20|NODE\|20/);
    expect(bicep).toContain("alwaysOn: true");
    expect(bicep).toContain("httpsOnly: true");
    expect(bicep).toMatch(/capacity: instances/);
    expect(bicep).toMatch(/Microsoft\.BotService\/botServices@/);
    expect(bicep).toMatch(/name: 'MsTeamsChannel'/);
    expect(bicep).toMatch(/endpoint: 'https:\/\/\$\{webApp\.properties\.defaultHostName\}\/api\/messages'/);
  });

  it("names the Node it deploys the same way in teamsapp.yml, the README and package.json engines", () => {
    expect(read("teamsapp.yml")).toContain("web app (Node 22 LTS)");
    const readme = read("README.md");
    expect(readme).toContain("Production runs Node 22 LTS");
    expect(readme).not.toMatch(/Node 20 LTS/);
    // Node 22 LTS first (production); Node 20.19+ still installs for development and CI.
    expect(JSON.parse(read("package.json")).engines.node).toBe("^22.12 || ^20.19");
  });

  it("is balanced (braces, brackets, parentheses) outside strings and comments", () => {
    // Drop comments and string literals (interpolations ${…} inside strings are balanced by construction).
    let code = "";
    for (let i = 0; i < bicep.length; i++) {
      if (bicep.startsWith("//", i)) i = bicep.indexOf("\n", i) - 1;
      else if (bicep[i] === "'") {
        for (i++; i < bicep.length && bicep[i] !== "'"; i++) if (bicep[i] === "\\") i++;
      } else code += bicep[i];
    }
    for (const [open, close] of [
      ["{", "}"],
      ["[", "]"],
      ["(", ")"],
    ] as const) {
      expect(code.split(open).length, `${open}${close}`).toBe(code.split(close).length);
    }
  });

  it("outputs what the app package and aad.manifest.json need", () => {
    for (const name of ["TAB_DOMAIN", "TAB_ENDPOINT", "BOT_DOMAIN", "BOT_AZURE_APP_SERVICE_RESOURCE_ID"])
      expect(bicep).toMatch(new RegExp(`^output ${name} string`, "m"));
  });
});

describe("infra/azure.parameters.json", () => {
  const params = JSON.parse(read("infra/azure.parameters.json"));

  it("parses, and gives a value for every Bicep parameter without a default, and nothing else", () => {
    expect(params.$schema).toContain("deploymentParameters.json");
    const declared = bicepParams();
    const given = Object.keys(params.parameters);
    expect(given.filter((n) => !declared.some((p) => p.name === n))).toEqual([]);
    expect(declared.filter((p) => !p.hasDefault && !given.includes(p.name)).map((p) => p.name)).toEqual([]);
  });

  it("takes every value from the environment file, secrets from SECRET_ variables", () => {
    const env = read("env/.env.dev");
    for (const [name, { value }] of Object.entries<{ value: string }>(params.parameters)) {
      for (const m of String(value).matchAll(/\$\{\{(\w+)\}\}/g)) {
        const v = m[1]!;
        if (v.startsWith("SECRET_")) continue; // in env/.env.dev.user, written by provision
        expect(env, `${name} uses ${v}`).toMatch(new RegExp(`^${v}=`, "m"));
      }
    }
    expect(params.parameters.botAadAppClientSecret.value).toBe("${{SECRET_BOT_PASSWORD}}");
  });
});

describe("teamsapp.yml and teamsapp.local.yml", () => {
  const uses = (doc: any, stage: string) => (doc[stage] ?? []).map((a: any) => a.uses);

  it("provision and deploy run the toolkit lifecycle in an order that works", () => {
    const doc = parseYaml(read("teamsapp.yml"));
    const provision: string[] = uses(doc, "provision");
    expect(provision).toEqual([
      "aadApp/create",
      "botAadApp/create",
      "teamsApp/create",
      "arm/deploy",
      "aadApp/update",
      "teamsApp/validateManifest",
      "teamsApp/zipAppPackage",
      "teamsApp/validateAppPackage",
      "teamsApp/update",
    ]);
    // aadApp/update needs TAB_DOMAIN, an output of arm/deploy.
    expect(provision.indexOf("aadApp/update")).toBeGreaterThan(provision.indexOf("arm/deploy"));
    const arm = doc.provision.find((a: any) => a.uses === "arm/deploy");
    expect(arm.with.templates[0]).toMatchObject({ path: "./infra/azure.bicep", parameters: "./infra/azure.parameters.json" });
    expect(uses(doc, "deploy")).toEqual(["cli/runNpmCommand", "cli/runNpmCommand", "cli/runNpmCommand", "azureAppService/zipDeploy"]);
    expect(doc.deploy.at(-1).with.resourceId).toBe("${{BOT_AZURE_APP_SERVICE_RESOURCE_ID}}");
    expect(doc.provision.find((a: any) => a.uses === "aadApp/update").with.manifestPath).toBe("./aad.manifest.json");
  });

  it("the local variant registers the bot without Azure and writes the server's settings", () => {
    const doc = parseYaml(read("teamsapp.local.yml"));
    expect(uses(doc, "provision")).toEqual(
      expect.arrayContaining([
        "aadApp/create",
        "botAadApp/create",
        "botFramework/create",
        "teamsApp/create",
        "aadApp/update",
        "teamsApp/validateManifest",
        "teamsApp/zipAppPackage",
        "teamsApp/validateAppPackage",
        "teamsApp/update",
      ]),
    );
    expect(uses(doc, "provision")).not.toContain("arm/deploy");
    const envs = doc.deploy.find((a: any) => a.uses === "file/createOrUpdateEnvironmentFile").with.envs;
    for (const name of ["AAD_APP_CLIENT_ID", "AAD_APP_TENANT_ID", "BOT_ID", "BOT_PASSWORD", "PUBLIC_URL", "PORT"]) expect(envs).toHaveProperty(name);
  });

  it("every secret the toolkit writes goes to a SECRET_ variable (so into a gitignored .user file)", () => {
    for (const file of ["teamsapp.yml", "teamsapp.local.yml"]) {
      const doc = parseYaml(read(file));
      const secrets = (doc.provision as { uses: string; writeToEnvironmentFile?: Record<string, string> }[]).flatMap((action) =>
        Object.entries(action.writeToEnvironmentFile ?? {})
          .filter(([key]) => /secret|password/i.test(key))
          .map(([key, variable]) => ({ where: `${file} ${action.uses} ${key}`, variable })),
      );
      expect(secrets.filter((s) => !s.variable.startsWith("SECRET_"))).toEqual([]);
    }
    expect(read(".gitignore")).toMatch(/^\.env\*\.user$/m);
  });
});

describe("aad.manifest.json", () => {
  const aad = JSON.parse(read("aad.manifest.json"));

  it("exposes access_as_user on api://<tab domain>/<client id>, pre-authorises Teams, and has the nested app auth redirect", () => {
    expect(aad.identifierUris).toEqual(["api://${{TAB_DOMAIN}}/${{AAD_APP_CLIENT_ID}}"]);
    expect(aad.api.requestedAccessTokenVersion).toBe(2);
    expect(aad.api.oauth2PermissionScopes.map((s: any) => s.value)).toEqual(["access_as_user"]);
    const preAuthorised = aad.api.preAuthorizedApplications.map((p: any) => p.appId);
    expect(preAuthorised).toEqual(expect.arrayContaining(["1fec8e78-bce4-4aaf-ab1b-5451cc387264", "5e3ce6c0-2b1f-4285-8d4b-75ee78787346"]));
    expect(aad.spa.redirectUris).toContain("brk-multihub://${{TAB_DOMAIN}}");
    expect(aad.spa.redirectUris).toContain("https://${{TAB_DOMAIN}}/");
    expect(aad.signInAudience).toBe("AzureADMyOrg");
  });

  it("asks for exactly the Graph permissions the README explains", () => {
    const graph = aad.requiredResourceAccess.find((r: any) => r.resourceAppId === "Microsoft Graph").resourceAccess;
    expect(graph).toEqual([
      { id: "User.Read", type: "Scope" },
      { id: "Sites.Selected", type: "Role" },
      { id: "TeamsAppInstallation.ReadWriteSelfForUser.All", type: "Role" },
    ]);
    const readme = read("README.md");
    for (const p of graph) expect(readme).toContain(p.id);
  });
});

describe("infra/sharepoint/lists.json", () => {
  interface Column {
    name: string;
    type: string;
    indexed?: boolean;
    unique?: boolean;
    description?: string;
  }
  const doc = JSON.parse(read("infra/sharepoint/lists.json")) as { lists: { list: string; key: string; columns: Column[] }[] };
  const list = (key: string) => doc.lists.find((l) => l.list === key)!;
  const column = (key: string, name: string) => list(key).columns.find((c) => c.name === name);

  it("is the provisioning schema, as generated from listSchema.ts", () => {
    expect(doc).toEqual(JSON.parse(JSON.stringify(schemaDocument())));
  });

  it("holds the audit hash chain: chainId indexed, chainSeq a number, chainPosition unique (so two writers never share a position)", () => {
    expect(column("audit", "chainId")).toMatchObject({ type: "text", indexed: true });
    expect(column("audit", "chainSeq")).toMatchObject({ type: "number" });
    expect(column("audit", "chainPosition")).toMatchObject({ type: "text", indexed: true, unique: true });
    expect(column("audit", "chainHash")).toMatchObject({ type: "text" });
    // SharePoint refuses a unique column that is not indexed, and filters only on indexed ones.
    const uniqueNotIndexed = doc.lists.flatMap((l) => l.columns.filter((c) => c.unique && !c.indexed).map((c) => `${l.list}.${c.name}`));
    expect(uniqueNotIndexed).toEqual([]);
  });

  it("keeps awaiting signatures (n of m) beside each plan's summary, and knows the status", () => {
    expect(column("plans", "signaturesSigned")).toMatchObject({ type: "number" });
    expect(column("plans", "signaturesOf")).toMatchObject({ type: "number" });
    expect(column("plans", "awaitingAmendment")).toMatchObject({ type: "boolean" });
    expect(column("plans", "planStatus")?.description).toContain("awaiting_signatures");
  });

  it("the README's table of lists names the audit chain's columns", () => {
    const row = read("infra/sharepoint/README.md")
      .split("\n")
      .find((l) => l.startsWith("| Audit |"));
    for (const name of ["chainId", "chainSeq", "chainPosition", "chainHash"]) expect(row).toContain(name);
  });
});
