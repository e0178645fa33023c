// Preloaded (NODE_OPTIONS=--require, Node 22's require(esm)) into every process and worker thread of
// `node scripts/node22.mjs`. (--require, not --import: Node runs --import preloads in no
// `new Worker(code, { eval: true })`, and sqliteStore.test.ts starts one.)
//
// The repo's node_modules/better-sqlite3 is compiled for the machine's Node 20. Under Node 22 every
// load of it — vitest's import of the externalised package, a plain require() inside a worker thread
// (bot/src/store/sqlite/sqliteStore.test.ts), a child process — must get the copy built for Node 22
// in .cache/node22 instead. A resolve hook sees them all: whatever resolves into the repo's package
// is pointed at the same file in the Node 22 copy. Nothing else is touched, and the production code
// keeps its plain `import Database from "better-sqlite3"`.
import { registerHooks } from "node:module";
import { pathToFileURL } from "node:url";

const built = process.env.ECTSP_NODE22_SQLITE; // the Node 22 copy's package folder (real path)
const original = process.env.ECTSP_NODE20_SQLITE; // the repo's package folder (real path)
if (!built || !original) throw new Error("node22-preload.mjs: run through `node scripts/node22.mjs`");
if (typeof registerHooks !== "function") throw new Error(`node22-preload.mjs needs module.registerHooks (Node 22.15+), this is ${process.version}`);

const from = pathToFileURL(original).href + "/";
const to = pathToFileURL(built).href + "/";

registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    return resolved.url?.startsWith(from) ? { ...resolved, url: to + resolved.url.slice(from.length) } : resolved;
  },
});
