/**
 * `npm run audit:verify`, the built command (bot/dist, built by `npm test` before the suite), run
 * as a process against a temporary DATA_DIR: exit 0 with the counts when every chain holds; exit 1
 * naming the first broken entry after someone with the file changed or removed an entry; exit 2
 * when there is no store. It prints no plan content.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { movableClock } from "../../test-support/movableClock.js";
import { makeAudit, makeRichPlan, seedWorld, t0 } from "../../test-support/store/testData.js";
import { openSqliteStore } from "../store/sqlite/sqliteStore.js";
import { sqliteFile } from "../store/openStore.js";
import type { AuditEntry } from "@ectsp/shared";

const cli = new URL("../../dist/audit/verifyAuditCli.js", import.meta.url).pathname;

/**
 * The command as an operator runs it: only DATA_DIR set (local mode, the embedded store). Under
 * `npm run test:node22` the runner's preload (NODE_OPTIONS, ECTSP_NODE2x_*) is passed on, so the
 * child loads the better-sqlite3 built for Node 22 as the tests do.
 */
const runner = Object.fromEntries(Object.entries(process.env).filter(([k]) => k === "NODE_OPTIONS" || /^ECTSP_NODE2[02]_/.test(k)));
const run = (dataDir: string) =>
  spawnSync(process.execPath, [cli], { env: { ...runner, PATH: process.env.PATH ?? "", DATA_DIR: dataDir }, encoding: "utf8", timeout: 60_000 });

describe("npm run audit:verify", () => {
  let dir: string;
  let file: string;
  let chain: AuditEntry[];
  let planId: string;
  const secret = "Behaviour management in Year 9 lessons is not yet secure.";

  beforeEach(async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
    dir = await mkdtemp(join(tmpdir(), "ectsp-audit-verify-"));
    file = sqliteFile({ dataDir: dir });
    const store = openSqliteStore(file, { clock: movableClock(t0) });
    const w = await seedWorld(store);
    const plan = makeRichPlan({ ectId: w.ectA1.id, schoolId: w.schoolA.id, abId: w.abA.id, statementOfConcern: secret });
    planId = plan.id;
    const entry = (summary: string) => makeAudit({ ectId: plan.ectId, planId: plan.id, summary });
    await store.commit({ create: [plan], audit: [entry("Created"), entry("Changed targets")] });
    await store.commit({ audit: [entry("Signed as ECT"), entry("Agreed")] });
    await store.commit({ audit: [makeAudit({ ectId: plan.ectId, summary: "Assigned mentor" })] });
    chain = await store.listAudit({ planId });
    await store.close();
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("exits 0 and says how many chains and entries it checked when every chain holds", () => {
    const result = run(dir);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("Audit trail intact: 2 chains, 5 entries checked in the sqlite store.\n");
    expect(result.status).toBe(0);
  });

  it("exits 1 naming the first broken entry after an entry was changed in the file, and prints no content", () => {
    const db = new Database(file);
    db.exec("DROP TRIGGER audit_no_update");
    db.prepare("UPDATE audit SET data = json_set(data, '$.summary', ?) WHERE id = ?").run(`Signed as headteacher. ${secret}`, chain[2]!.id);
    db.close();
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("Audit trail BROKEN in 1 chain (2 chains, 5 entries checked in the sqlite store).");
    expect(result.stdout).toContain(`First broken entry: chain ${planId}, entry ${chain[2]!.id}, position 3: its content no longer matches its hash.`);
    expect(result.stdout + result.stderr).not.toContain("headteacher");
    expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it("exits 1 naming the entry that stands where one was deleted", () => {
    const db = new Database(file);
    db.exec("DROP TRIGGER audit_no_delete");
    db.prepare("DELETE FROM audit WHERE id = ?").run(chain[1]!.id);
    db.close();
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`First broken entry: chain ${planId}, entry ${chain[2]!.id}, position 2: entry 2 is missing.`);
  });

  it("exits 2, creating nothing, when DATA_DIR holds no store", async () => {
    const empty = await mkdtemp(join(tmpdir(), "ectsp-audit-empty-"));
    try {
      const result = run(empty);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain("There is no store to check in the data folder");
      expect(existsSync(sqliteFile({ dataDir: empty }))).toBe(false);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
