import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { storeContract } from "../../../test-support/store/contract.js";
import { StaleVersionError } from "../store.js";
import { editedPlan, makeAudit, makeEct, makePerson, seedWorld, t0 } from "../../../test-support/store/testData.js";
import { appliedMigrations, migrate, migrations, type Migration } from "./migrations.js";
import { openSqliteStore, type SqliteStore } from "./sqliteStore.js";
import { movableClock } from "../../../test-support/movableClock.js";

const tempDir = () => mkdtemp(join(tmpdir(), "ectsp-store-"));

storeContract("sqlite", async (clock) => {
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
});

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
    expect(await store.listAudit({ ectId: w.ectA1.id })).toEqual([entry]);
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
