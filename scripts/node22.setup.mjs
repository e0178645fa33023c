// Setup file of scripts/vitest.node22.config.mjs, run in every test worker before its tests: the run
// proves nothing unless the worker is Node 22 and better-sqlite3 is the build for Node 22.
import { createRequire } from "node:module";
import Database from "better-sqlite3";

const expectedMajor = process.env.ECTSP_NODE22_MAJOR ?? "22";
const built = process.env.ECTSP_NODE22_SQLITE;
if (process.versions.node.split(".")[0] !== expectedMajor) {
  throw new Error(`node22 run: this test worker is Node ${process.versions.node}, expected Node ${expectedMajor}`);
}
// The native addon loads on the first connection: the Node 20 build throws here
// ("was compiled against a different Node.js version").
new Database(":memory:").close();
const addons = Object.keys(createRequire(import.meta.url).cache).filter((file) => file.endsWith("better_sqlite3.node"));
if (!built || addons.length === 0 || addons.some((file) => !file.startsWith(built + "/"))) {
  throw new Error(`node22 run: better-sqlite3 loaded from ${addons.join(", ") || "nowhere"}, expected ${built}`);
}
