/** The embedded store's retention deletion is one unit: a failure part-way leaves every row and file as it was. */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, expect, it } from "vitest";
import { verifyAuditTrail, type EvidenceRecord } from "@ectsp/shared";
import { openSqliteStore, type SqliteStore } from "./sqliteStore.js";
import { movableClock } from "../../../test-support/movableClock.js";
import { makeAudit, makePlan, newId, seedWorld, t0, type World } from "../../../test-support/store/testData.js";

let dir: string;
let file: string;
let store: SqliteStore;
let w: World;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "ectsp-retention-"));
  file = join(dir, "db.sqlite");
  store = openSqliteStore(file, { clock: movableClock(t0) });
  w = await seedWorld(store);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it("a deletion that fails part-way (the plans refuse to go) deletes nothing, files included; the evidence rows still refuse any other DELETE", async () => {
  const plan = makePlan({ ectId: w.ectA1.id, schoolId: w.schoolA.id, abId: w.abA.id, status: "closed" });
  await store.commit({ create: [plan], audit: [] });
  const bytes = new TextEncoder().encode("notes");
  const e: EvidenceRecord = {
    id: newId("evidence"),
    ectId: plan.ectId,
    planId: plan.id,
    targetId: "t",
    fileName: "n.txt",
    kind: "text",
    contentType: "text/plain",
    size: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    uploadedAt: t0,
    uploadedBy: w.tutorA.id,
    uploadedByName: "T",
  };
  await store.addEvidence(e, bytes, [makeAudit({ ectId: plan.ectId, planId: plan.id })]);
  const raw = new Database(file);
  raw.exec("CREATE TRIGGER plans_refuse BEFORE DELETE ON plans BEGIN SELECT RAISE(ABORT, 'refused for the test'); END;");
  const deletion = {
    ectId: plan.ectId,
    items: { planIds: [plan.id], checkInIds: [], recordIds: [], evidenceIds: [e.id] },
    tombstone: makeAudit({ ectId: plan.ectId, action: "retention_deleted" }),
  };
  await expect(store.deleteEctRecords(deletion)).rejects.toThrow(/refused for the test/);
  expect((await store.getPlan(plan.id))?.id).toBe(plan.id);
  expect(await store.getEvidence(e.id)).toEqual(e);
  expect(Buffer.from((await store.readEvidenceContent(e.id))!).toString()).toBe("notes");
  expect((await store.listAudit({ ectId: plan.ectId })).some((x) => x.action === "retention_deleted")).toBe(false);
  // Outside a retention deletion, evidence still cannot be deleted.
  expect(() => raw.prepare("DELETE FROM evidence WHERE id = ?").run(e.id)).toThrow(/evidence records are kept/);
  raw.exec("DROP TRIGGER plans_refuse;");
  raw.close();

  await store.deleteEctRecords(deletion);
  expect(await store.getPlan(plan.id)).toBeUndefined();
  expect(await store.readEvidenceContent(e.id)).toBeUndefined();
  expect(readdirSync(join(dir, "evidence")).filter((f) => f.startsWith(e.id))).toEqual([]);
  expect(existsSync(join(dir, "evidence", e.id))).toBe(false);
  expect(verifyAuditTrail(await store.readAuditTrail()).breaks).toEqual([]);
});
