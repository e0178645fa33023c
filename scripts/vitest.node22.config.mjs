// The vitest config of `node scripts/node22.mjs`: the root config, limited to the server and store
// tests (bot/src), with better-sqlite3 resolved to the copy built for Node 22.
// Only that script sets ECTSP_NODE22_SQLITE, and preloads scripts/node22-preload.mjs, which also
// catches the loads vitest never sees (require() inside a worker thread, child processes).
import { configDefaults, defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import base from "../vitest.config.ts";

const sqlite = process.env.ECTSP_NODE22_SQLITE;
if (!sqlite) throw new Error("scripts/vitest.node22.config.mjs is run by `node scripts/node22.mjs`, which builds better-sqlite3 for Node 22 first");

const baseAlias = base.resolve?.alias;
if (!Array.isArray(baseAlias)) throw new Error("vitest.config.ts: expected resolve.alias to be an array");

export default defineConfig({
  ...base,
  resolve: {
    ...base.resolve,
    alias: [...baseAlias, { find: /^better-sqlite3$/, replacement: join(sqlite, "lib", "index.js") }],
  },
  test: {
    ...base.test,
    include: ["bot/src/**/*.test.ts"],
    // *.e2e.test.ts (bot/src/teams: Microsoft 365 Agents Playground) starts a
    // separate UI tool as a child process: it runs in the Node 20 suite only.
    // The domain (shared/src: pure TypeScript, no I/O) and the card builders (bot/src/cards: pure
    // JSON) run on Node 20 only too; what Node 22 can change is the server's I/O: HTTP, the
    // SQLite addon, crypto, streams, the Graph client and the exports' zlib. (Keeps CI's whole run
    // well inside its 20 minutes on two cores.)
    exclude: [...configDefaults.exclude, "**/*.e2e.test.ts", "bot/src/cards/**"],
    // Fails the run if a worker is not Node 22 or gets the Node 20 build of better-sqlite3.
    setupFiles: [...[base.test?.setupFiles ?? []].flat(), fileURLToPath(new URL("./node22.setup.mjs", import.meta.url))],
  },
});
