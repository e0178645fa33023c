import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  auditContract,
  directoryContract,
  persistenceContract,
  planContract,
  reachContract,
  recordContract,
  type MakeStore,
} from "../../../test-support/store/contract.js";
import { retentionContract } from "../../../test-support/store/retentionContract.js";
import { schoolSettingsContract } from "../../../test-support/store/schoolSettingsContract.js";
import { StaleVersionError } from "../store.js";
import { editedPlan, later, makeAudit, makeEct, makePerson, seedWorld, t0 } from "../../../test-support/store/testData.js";
import { AuditEntry, chainStart, digestOf, verifyAuditTrail } from "@ectsp/shared";
import { appliedMigrations, migrate, migrations, type Migration } from "./migrations.js";
import { openSqliteStore, type SqliteStore } from "./sqliteStore.js";
import { movableClock } from "../../../test-support/movableClock.js";

const tempDir = () => mkdtemp(join(tmpdir(), "ectsp-store-"));

/** A fresh, empty store for each contract case. */
const openSqlite: MakeStore = async (clock) => {
  const dir = await tempDir();
  // A nested path: opening creates the parent directories.
  const file = join(dir, "data", "nested", "ectsp.sqlite");
  const opened: SqliteStore[] = [];
  const open = () => {
    const s = openSqliteStore(file, { clock });
    opened.push(s);
    return s;
  };
  let current = open();
  return {
    store: current,
    reopen: async () => {
      await current.close();
      current = open();
      return current;
    },
    openAnother: async () => open(),
    cleanup: async () => {
      for (const s of opened) await s.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
};

directoryContract("sqlite", openSqlite);
schoolSettingsContract("sqlite", openSqlite);
planContract("sqlite", openSqlite);
auditContract("sqlite", openSqlite);
recordContract("sqlite", openSqlite);
reachContract("sqlite", openSqlite);
persistenceContract("sqlite", openSqlite);
retentionContract("sqlite", openSqlite);

describe("SqliteStore (SQLite specifics)", () => {
  let dir: string;
  let file: string;
  const toClose: { close(): unknown }[] = [];
  const track = <T extends { close(): unknown }>(x: T): T => {
    toClose.push(x);
    return x;
  };
  const raw = () => track(new Database(file));
  const clock = movableClock(t0);

  beforeEach(async () => {
    dir = await tempDir();
    file = join(dir, "sub", "store.sqlite");
  });

  afterEach(async () => {
    for (const x of toClose.splice(0)) await x.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("is a real file on disk, in WAL mode, with parent directories created", async () => {
    const store = track(openSqliteStore(file, { clock }));
    expect(store.kind).toBe("sqlite");
    expect(store.filePath).toBe(file);
    expect(existsSync(file)).toBe(true);
    await seedWorld(store);
    expect(existsSync(`${file}-wal`)).toBe(true);
    expect(raw().pragma("journal_mode", { simple: true })).toBe("wal");
  });

  it("records its migrations and applies none again on reopen", async () => {
    await track(openSqliteStore(file, { clock })).close();
    const first = appliedMigrations(raw());
    expect(first.map(({ version, name }) => ({ version, name }))).toEqual(migrations.map(({ version, name }) => ({ version, name })));

    const reopened = track(openSqliteStore(file, { clock }));
    await seedWorld(reopened);
    expect(appliedMigrations(raw())).toEqual(first);
    expect(migrate(raw(), migrations, clock)).toEqual([]);
  });

  it("applies only new migrations, each in its own transaction, and refuses a newer schema", async () => {
    await track(openSqliteStore(file, { clock })).close();
    const next: Migration = { version: migrations.length + 1, name: "add a table", sql: "CREATE TABLE extra (x INTEGER) STRICT;" };
    const db = raw();
    expect(migrate(db, [...migrations, next], clock)).toEqual([next.version]);
    expect(migrate(db, [...migrations, next], clock)).toEqual([]);

    // This release does not know version N+1: it must not run against that file.
    expect(() => openSqliteStore(file, { clock })).toThrow(/newer/);

    // A migration that fails half way leaves nothing behind.
    const broken: Migration = { version: next.version + 1, name: "broken", sql: "CREATE TABLE half (x INTEGER); SELECT * FROM no_such_table;" };
    expect(() => migrate(db, [...migrations, next, broken], clock)).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    expect(appliedMigrations(db).map((m) => m.version)).toEqual([...migrations.map((m) => m.version), next.version]);

    expect(() => migrate(db, [{ ...next, version: 7 }], clock)).toThrow(/numbered/);
  });

  it("rejects UPDATE and DELETE on the audit trail (triggers)", async () => {
    const store = track(openSqliteStore(file, { clock }));
    const w = await seedWorld(store);
    const entry = makeAudit({ ectId: w.ectA1.id, summary: "Assigned mentor" });
    await store.commit({ audit: [entry] });

    const db = raw();
    expect(() => db.prepare("UPDATE audit SET data = '{}' WHERE id = ?").run(entry.id)).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM audit WHERE id = ?").run(entry.id)).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM audit").run()).toThrow(/append-only/);
    expect(await store.listAudit({ ectId: w.ectA1.id })).toEqual([{ ...entry, seq: 1, prevHash: chainStart, hash: expect.any(String) }]);
    // Nor can a second entry take a position in the chain.
    expect(() =>
      db
        .prepare("INSERT INTO audit (id, at_ms, ect_id, plan_id, chain_id, chain_seq, hash, data) VALUES ('x', 0, ?, NULL, ?, 1, ?, '{}')")
        .run(w.ectA1.id, `ect:${w.ectA1.id}`, "0".repeat(64)),
    ).toThrow(/UNIQUE/);
  });

  describe("audit chain broken by a direct store edit is detected", () => {
    /** A plan with five entries, appended over three commits; then the store is closed, as for an attacker with the file. */
    const fiveEntries = async () => {
      const store = track(openSqliteStore(file, { clock }));
      const w = await seedWorld(store);
      const plan = w.planFor(w.ectA1);
      const entry = (summary: string) => makeAudit({ ectId: plan.ectId, planId: plan.id, summary });
      await store.commit({ create: [plan], audit: [entry("Created"), entry("Changed targets")] });
      await store.commit({ audit: [entry("Signed as ECT"), entry("Signed as induction tutor")] });
      await store.commit({ audit: [entry("Agreed")] });
      const chain = await store.listAudit({ planId: plan.id });
      expect(verifyAuditTrail(await store.readAuditTrail())).toEqual({ chains: 1, entries: 5, breaks: [] });
      await store.close();
      return { plan, chain };
    };
    /** What an attacker with the file can do: open it directly and take the triggers away. */
    const attacker = () => {
      const db = raw();
      db.exec("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;");
      return db;
    };
    const verifyNow = async () => verifyAuditTrail(await track(openSqliteStore(file, { clock })).readAuditTrail());

    it("a changed summary names that entry", async () => {
      const { plan, chain } = await fiveEntries();
      attacker().prepare("UPDATE audit SET data = json_set(data, '$.summary', 'Signed as headteacher') WHERE id = ?").run(chain[2]!.id);
      const result = await verifyNow();
      expect(result.breaks).toEqual([{ chainId: plan.id, entryId: chain[2]!.id, seq: 3, reason: "its content no longer matches its hash" }]);
    });

    it("a changed entry whose hash was made to match names the entry after it", async () => {
      const { plan, chain } = await fiveEntries();
      const forged = AuditEntry.parse({ ...chain[1]!, summary: "Changed nothing" });
      const { hash: _old, ...covered } = forged;
      attacker()
        .prepare("UPDATE audit SET data = ? WHERE id = ?")
        .run(JSON.stringify({ ...forged, hash: digestOf(covered) }), forged.id);
      expect((await verifyNow()).breaks).toEqual([{ chainId: plan.id, entryId: chain[2]!.id, seq: 3, reason: "it does not follow the entry before it" }]);
    });

    it("a deleted entry names the entry that now stands in its place", async () => {
      const { plan, chain } = await fiveEntries();
      attacker().prepare("DELETE FROM audit WHERE id = ?").run(chain[1]!.id);
      expect((await verifyNow()).breaks).toEqual([{ chainId: plan.id, entryId: chain[2]!.id, seq: 2, reason: "entry 2 is missing" }]);
    });
  });

  it("migrating a file from before chains seals its entries in the order they were appended, and keeps the trail append-only", async () => {
    // A file at schema 4 (before issue 12), with entries for two plans and an ECT.
    await mkdir(dirname(file), { recursive: true });
    const old = raw();
    migrate(old, migrations.slice(0, 4), clock);
    const legacy = [
      makeAudit({ ectId: "ect-1", planId: "plan-a", at: later(t0, 5000), summary: "Created" }),
      makeAudit({ ectId: "ect-1", planId: "plan-b", at: t0, summary: "Created" }),
      // Appended after the first, though its clock reads earlier: the order appended stands.
      makeAudit({ ectId: "ect-1", planId: "plan-a", at: t0, summary: "Signed" }),
      makeAudit({ ectId: "ect-1", at: t0, summary: "Assigned mentor" }),
    ];
    const insert = old.prepare("INSERT INTO audit (id, at_ms, ect_id, plan_id, data) VALUES (?, ?, ?, ?, ?)");
    for (const e of legacy) insert.run(e.id, Date.parse(e.at), e.ectId, e.planId ?? null, JSON.stringify(e));
    old.close();

    const store = track(openSqliteStore(file, { clock }));
    const planA = await store.listAudit({ planId: "plan-a" });
    expect(planA.map((e) => [e.summary, e.seq])).toEqual([
      ["Created", 1],
      ["Signed", 2],
    ]);
    expect(verifyAuditTrail(await store.readAuditTrail())).toEqual({ chains: 3, entries: 4, breaks: [] });
    // The triggers are back, and new entries carry on the chain.
    expect(() => raw().prepare("UPDATE audit SET data = '{}'").run()).toThrow(/append-only/);
    expect(() => raw().prepare("DELETE FROM audit").run()).toThrow(/append-only/);
    await store.commit({ audit: [makeAudit({ ectId: "ect-1", planId: "plan-a", summary: "Agreed" })] });
    const after = await store.listAudit({ planId: "plan-a" });
    expect(after.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(after[2]!.prevHash).toBe(planA[1]!.hash);
    expect(verifyAuditTrail(await store.readAuditTrail()).breaks).toEqual([]);
  });

  it("checks references: a plan for an unknown ECT, or an ECT at an unknown school, is refused", async () => {
    const store = track(openSqliteStore(file, { clock }));
    const w = await seedWorld(store);
    const orphan = w.planFor(makeEct({ personId: w.ectPersonA1.id, schoolId: w.schoolA.id, abId: w.abA.id }));
    await expect(store.commit({ create: [orphan], audit: [] })).rejects.toThrow(/FOREIGN KEY/);
    await expect(store.upsertEct(makeEct({ personId: w.ectPersonA1.id, schoolId: "no-such-school", abId: w.abA.id }))).rejects.toThrow(/FOREIGN KEY/);
    await expect(store.upsertPerson(makePerson({ schoolId: "no-such-school" }))).rejects.toThrow(/FOREIGN KEY/);
  });

  it("rolls back when a later part of the change is invalid", async () => {
    const store = track(openSqliteStore(file, { clock }));
    const w = await seedWorld(store);
    const plan = w.planFor(w.ectA1);
    const audit = makeAudit({ ectId: w.ectA1.id, planId: plan.id });
    // Two audit entries with one id: the second insert fails after the plan was written.
    await expect(store.commit({ create: [plan], audit: [audit, audit] })).rejects.toThrow();
    expect(await store.getPlan(plan.id)).toBeUndefined();
    expect(await store.listAudit({ ectId: w.ectA1.id })).toEqual([]);
  });

  it("keeps a stale writer from a second connection out", async () => {
    const a = track(openSqliteStore(file, { clock }));
    const b = track(openSqliteStore(file, { clock }));
    const w = await seedWorld(a);
    const plan = w.planFor(w.ectA1);
    await a.commit({ create: [plan], audit: [] });
    const fromB = (await b.getPlan(plan.id))!;
    await a.commit({ save: [{ plan: editedPlan(plan, { term: "A" }), expectedVersion: 1 }], audit: [] });
    await expect(b.commit({ save: [{ plan: editedPlan(fromB, { term: "B" }), expectedVersion: 1 }], audit: [] })).rejects.toBeInstanceOf(StaleVersionError);
    expect((await b.getPlan(plan.id))?.term).toBe("A");
  });

  it("waits for another process's write lock (busy timeout) instead of failing", async () => {
    const store = track(openSqliteStore(file, { clock }));
    const w = await seedWorld(store);
    // A real second connection on another thread holds the write lock for 300 ms, then sets a
    // shared flag just before it commits.
    const shared = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(
      `const { parentPort, workerData } = require("node:worker_threads");
       const Database = require("better-sqlite3");
       const db = new Database(workerData.file);
       db.exec("BEGIN IMMEDIATE");
       db.prepare("UPDATE jobs SET claimed_by = claimed_by").run();
       parentPort.postMessage("locked");
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
       Atomics.store(workerData.flag, 0, 1);
       db.exec("COMMIT");
       db.close();`,
      { eval: true, workerData: { file, flag: shared } },
    );
    track({ close: () => worker.terminate() });
    await new Promise((resolve, reject) => {
      worker.on("message", (m) => m === "locked" && resolve(m));
      worker.on("error", reject);
    });

    // The commit cannot finish before the other connection lets go: it waited, then succeeded.
    const plan = w.planFor(w.ectA1);
    expect(Atomics.load(shared, 0)).toBe(0);
    await store.commit({ create: [plan], audit: [] });
    expect(Atomics.load(shared, 0)).toBe(1);
    expect(await store.getPlan(plan.id)).toEqual(plan);
  });

  it("records when each migration was applied by the injected clock, not the machine's", async () => {
    clock.set("2031-08-31T23:59:00.000Z");
    await track(openSqliteStore(file, { clock })).close();
    expect(new Set(appliedMigrations(raw()).map((m) => m.applied_at))).toEqual(new Set(["2031-08-31T23:59:00.000Z"]));
  });
  // Speed at 10,000 plans is measured by `npm run bench` (bot/src/bench/apiBench.ts), not by a timed test.
});
