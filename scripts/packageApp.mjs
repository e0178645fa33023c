// Builds the Teams app package: appPackage/build/appPackage.<env>.zip.
//
//   npm run package                  # env "dev":   env/.env.dev, then the process environment
//   npm run package -- --env local   # env "local": env/.env.local, then the process environment
//
// 1. Reads appPackage/manifest.json and replaces every ${{NAME}} from env/.env.<env>, overridden by
//    the process environment. Secrets (env/.env.<env>.user) are never read: nothing secret belongs
//    in a package anyone in the tenant can download.
// 2. Validates the result offline against the official Teams schema that @microsoft/app-manifest
//    bundles (the version the manifest names), plus the checks Teams makes at upload that the
//    schema does not: a semver version, icon files and their sizes, a white-on-transparent outline.
// 3. Writes the zip (manifest.json, color.png, outline.png at its root, nothing else) and the
//    resolved manifest beside it for inspection.
//
// Exits 1 with every problem listed when anything is wrong; writes nothing in that case.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import JSZip from "jszip";
import { decodeRgba, pngInfo } from "./png.mjs";

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export const iconSizes = { color: 192, outline: 32 };

/** Parses a Teams Toolkit env file: KEY=VALUE lines, # comments, optional quotes. */
export function parseEnvFile(text) {
  const vars = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq < 1) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) value = value.slice(1, -1);
    vars[key] = value;
  }
  return vars;
}

/** The variables for an environment: env/.env.<env>, then the process environment on top. */
export function loadEnv(envName, { rootDir = root, processEnv = process.env } = {}) {
  const file = join(rootDir, "env", `.env.${envName}`);
  const fromFile = existsSync(file) ? parseEnvFile(readFileSync(file, "utf8")) : {};
  const vars = { ...fromFile };
  for (const [k, v] of Object.entries(processEnv)) if (v !== undefined && /^[A-Z][A-Z0-9_]*$/.test(k)) vars[k] = v;
  return { vars, file: existsSync(file) ? file : undefined };
}

const placeholder = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Replaces ${{NAME}} in a template; reports names that are not set at all (empty is a value). */
export function substitute(template, vars) {
  const missing = new Set();
  const text = template.replace(placeholder, (_m, name) => {
    if (vars[name] === undefined) {
      missing.add(name);
      return `\${{${name}}}`;
    }
    // Values land inside JSON strings: escape them as JSON would.
    return JSON.stringify(String(vars[name])).slice(1, -1);
  });
  return { text, missing: [...missing] };
}

/** The bundled schema for a manifest's $schema, never fetched: packaging works offline. */
export function bundledSchemaFor(manifest) {
  const url = typeof manifest.$schema === "string" ? manifest.$schema : "";
  const m = /\/json-schemas\/teams\/(v[\w.]+)\/MicrosoftTeams\.schema\.json$/.exec(url);
  if (!m) throw new Error(`manifest $schema "${url}" is not an official Teams manifest schema URL`);
  const pkgDir = dirname(require.resolve("@microsoft/app-manifest/package.json"));
  const file = join(pkgDir, "build", "json-schemas", "teams", m[1], "MicrosoftTeams.schema.json");
  if (!existsSync(file)) throw new Error(`@microsoft/app-manifest does not bundle the ${m[1]} schema; pick a version it bundles`);
  // The published schemas contain \a and \v escapes that JSON does not allow (as the package itself handles).
  return JSON.parse(readFileSync(file, "utf8").replace(/\\a/g, "\\u0007").replace(/\\v/g, "\\u000b"));
}

/** Schema errors for a manifest object, as @microsoft/app-manifest words them ("/path message. Details: …"). */
export async function schemaErrors(manifest) {
  const { AppManifestUtils } = await import("@microsoft/app-manifest");
  let schema;
  try {
    schema = bundledSchemaFor(manifest);
  } catch (e) {
    return [e.message];
  }
  if (manifest.manifestVersion !== schema.properties?.manifestVersion?.const && schema.properties?.manifestVersion?.const) {
    // The schema will say so too; say it plainly first.
    return [
      `manifestVersion "${manifest.manifestVersion}" does not match the $schema (${schema.properties.manifestVersion.const})`,
      ...(await AppManifestUtils.validateAgainstSchema(manifest, schema)),
    ];
  }
  return AppManifestUtils.validateAgainstSchema(manifest, schema);
}

/** Checks Teams makes at upload that the JSON schema does not. */
export function uploadChecks(manifest, files) {
  const problems = [];
  if (typeof manifest.version !== "string" || !/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.test(manifest.version)) {
    problems.push(`/version must be a semver version such as 1.0.0, not ${JSON.stringify(manifest.version)}`);
  }
  for (const [kind, size] of Object.entries(iconSizes)) {
    const name = manifest.icons?.[kind];
    const buf = name ? files[name] : undefined;
    if (!name) continue; // the schema reports a missing icon
    if (!buf) {
      problems.push(`/icons/${kind}: ${name} is not in appPackage/`);
      continue;
    }
    let info;
    try {
      info = pngInfo(buf);
    } catch {
      problems.push(`/icons/${kind}: ${name} is not a PNG file`);
      continue;
    }
    if (info.width !== size || info.height !== size) problems.push(`/icons/${kind}: ${name} must be ${size}×${size} pixels, not ${info.width}×${info.height}`);
    if (kind === "outline") {
      try {
        const { rgba } = decodeRgba(buf);
        let opaque = 0;
        let coloured = 0;
        for (let i = 0; i < rgba.length; i += 4) {
          if (rgba[i + 3] === 0) continue;
          opaque++;
          if (rgba[i] < 0xf0 || rgba[i + 1] < 0xf0 || rgba[i + 2] < 0xf0) coloured++;
        }
        if (opaque === rgba.length / 4) problems.push(`/icons/outline: ${name} must have a transparent background`);
        if (coloured > 0) problems.push(`/icons/outline: ${name} must be white on transparent; ${coloured} pixels are not white`);
        if (opaque === 0) problems.push(`/icons/outline: ${name} is fully transparent`);
      } catch (e) {
        problems.push(`/icons/outline: ${name}: ${e.message}`);
      }
    }
  }
  const leftover = JSON.stringify(manifest).match(placeholder);
  if (leftover) problems.push(`unresolved placeholders: ${[...new Set(leftover)].join(", ")}`);
  return problems;
}

/**
 * Resolves, validates and zips the package. Returns { ok, problems, zip?, manifest?, zipPath? };
 * writes files only when ok and `write` is true.
 */
export async function buildAppPackage({ envName = "dev", vars, appPackageDir = join(root, "appPackage"), outDir, write = true } = {}) {
  const env = vars ? { vars, file: undefined } : loadEnv(envName);
  const template = readFileSync(join(appPackageDir, "manifest.json"), "utf8");
  const { text, missing } = substitute(template, env.vars);
  const problems = missing.map((n) => `${n} is not set (add it to env/.env.${envName} or the environment)`);
  let manifest;
  try {
    manifest = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [...problems, `manifest.json is not valid JSON after substitution: ${e.message}`] };
  }
  const files = {};
  for (const kind of Object.keys(iconSizes)) {
    const name = manifest.icons?.[kind];
    if (typeof name === "string" && !name.includes("..") && existsSync(join(appPackageDir, name))) files[name] = readFileSync(join(appPackageDir, name));
  }
  if (missing.length === 0) problems.push(...(await schemaErrors(manifest)));
  problems.push(...uploadChecks(manifest, files).filter((p) => !(missing.length && p.startsWith("unresolved placeholders"))));
  if (problems.length) {
    // Empty values are the usual cause: name them first (APP_NAME_SUFFIX may rightly be empty).
    const empty = [...new Set([...template.matchAll(placeholder)].map((m) => m[1]))].filter((n) => env.vars[n] === "" && n !== "APP_NAME_SUFFIX");
    if (empty.length)
      problems.unshift(`empty in env/.env.${envName}: ${empty.join(", ")} (provision writes the ids; or set them by hand, see README "Deploy to your tenant")`);
    return { ok: false, problems, manifest };
  }

  const zip = new JSZip();
  const date = new Date("2025-01-01T00:00:00Z"); // fixed, so the same inputs give the same bytes
  const resolvedJson = JSON.stringify(manifest, null, 2) + "\n";
  zip.file("manifest.json", resolvedJson, { date });
  for (const [name, buf] of Object.entries(files)) zip.file(name, buf, { date });
  const bytes = await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE", compressionOptions: { level: 9 }, platform: "UNIX" });
  const out = outDir ?? join(appPackageDir, "build");
  const zipPath = join(out, `appPackage.${envName}.zip`);
  if (write) {
    mkdirSync(out, { recursive: true });
    writeFileSync(zipPath, bytes);
    writeFileSync(join(out, `manifest.${envName}.json`), resolvedJson);
  }
  return { ok: true, problems: [], manifest, zip: bytes, zipPath };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const i = args.indexOf("--env");
  const envName = i >= 0 ? args[i + 1] : (args.find((a) => a.startsWith("--env="))?.slice(6) ?? process.env.TEAMSFX_ENV ?? "dev");
  if (!envName || !/^[\w-]+$/.test(envName)) {
    process.stderr.write("usage: npm run package [-- --env <name>]   (reads env/.env.<name>)\n");
    process.exit(2);
  }
  const result = await buildAppPackage({ envName });
  if (!result.ok) {
    process.stderr.write(`The Teams app package for "${envName}" was not built:\n${result.problems.map((p) => `  - ${p}`).join("\n")}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `Built ${result.zipPath.replace(root + "/", "")} (manifest ${result.manifest.manifestVersion}, app ${result.manifest.id}, version ${result.manifest.version})\n`,
  );
}
