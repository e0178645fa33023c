/** The RetentionStore contract (issue 16, item 9): an ECT's induction record deleted, the rest intact, the trail still whole. */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyAuditTrail, type AuditEntry, type EvidenceRecord, type InductionRecord, type Plan, type RetentionItems } from "@ectsp/shared";
import type { Store } from "@ectsp/bot/store/store.js";
import { useSeededStore, type MakeStore } from "./contractKit.js";
import { later, makeAudit, makeCheckIn, makePlan, newId, t0, type World } from "./testData.js";

/** Makes the adapter's deletes fail ("refused": every delete, until restored) or lose their reply once after applying ("lost"). */
export type FailDeletes = (mode: "refused" | "lost") => () => void;

export function retentionContract(name: string, makeStore: MakeStore, failDeletes?: FailDeletes): void {
  describe(`Retention contract: ${name}`, () => {
    let store: Store;
    let other: Store;
    let w: World;
    useSeededStore(makeStore, (ctx) => ({ store, other, w } = ctx));

    const bytes = new TextEncoder().encode("Observed lesson notes.\n");
    const evidenceFor = (plan: Plan): EvidenceRecord => ({
      id: newId("evidence"),
      ectId: plan.ectId,
      planId: plan.id,
      targetId: "target-1",
      fileName: "notes.txt",
      kind: "text",
      contentType: "text/plain; charset=utf-8",
      size: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      uploadedAt: t0,
      uploadedBy: w.tutorA.id,
      uploadedByName: w.tutorA.displayName,
    });
    const concernFor = (ectId: string, at = t0): InductionRecord => ({
      id: newId("record"),
      kind: "concern",
      ectId,
      schoolId: w.schoolA.id,
      abId: w.abA.id,
      contact: "induction_tutor",
      about: "induction",
      text: "Private words",
      visibleTo: [w.tutorA.id],
      recordedAt: at,
      recordedBy: w.tutorA.id,
      recordedByName: w.tutorA.displayName,
    });

    /** One ECT's plan (closed) with a check-in, two evidence files (one soft-deleted) and two records, each audited. */
    async function holdings(ectId: string): Promise<{ plan: Plan; items: RetentionItems; evidence: EvidenceRecord[] }> {
      const plan = makePlan({ ectId, schoolId: w.schoolA.id, abId: w.abA.id, status: "closed" });
      const checkIn = makeCheckIn({ planId: plan.id, ectId });
      await store.commit({ create: [plan], checkIns: [checkIn], audit: [makeAudit({ ectId, planId: plan.id, action: "createPlan" })] });
      const evidence = [evidenceFor(plan), evidenceFor(plan)];
      for (const e of evidence) await store.addEvidence(e, bytes, [makeAudit({ ectId, planId: plan.id, action: "attachEvidence" })]);
      await store.markEvidenceDeleted({ ...evidence[1]!, deletedAt: later(t0, 1000), deletedBy: w.tutorA.id }, [
        makeAudit({ ectId, planId: plan.id, action: "deleteEvidence" }),
      ]);
      const records = [concernFor(ectId), concernFor(ectId, later(t0, 2000))];
      await store.addRecords(records, [makeAudit({ ectId, action: "raiseConcern" })]);
      return {
        plan,
        evidence,
        items: { planIds: [plan.id], checkInIds: [checkIn.id], recordIds: records.map((r) => r.id), evidenceIds: evidence.map((e) => e.id) },
      };
    }

    const tombstoneFor = (ectId: string): AuditEntry =>
      makeAudit({ id: newId("retention"), ectId, actorId: w.headA.id, action: "retention_deleted", summary: "Deleted under the retention schedule: 1 plans" });

    async function expectGone(ectId: string, h: Awaited<ReturnType<typeof holdings>>): Promise<void> {
      expect(await other.getPlan(h.plan.id)).toBeUndefined();
      expect(await other.listPlanSummaries({ ectIds: [ectId] })).toEqual([]);
      expect(await other.listCheckIns({ ectId })).toEqual([]);
      expect(await other.listRecords({ ectIds: [ectId] })).toEqual([]);
      expect(await other.listEvidence({ ectId, includeDeleted: true })).toEqual([]);
      for (const e of h.evidence) {
        expect(await other.getEvidence(e.id)).toBeUndefined();
        expect(await other.readEvidenceContent(e.id)).toBeUndefined();
      }
    }

    async function expectIntact(ectId: string, h: Awaited<ReturnType<typeof holdings>>): Promise<void> {
      expect((await other.getPlan(h.plan.id))?.id).toBe(h.plan.id);
      expect((await other.listCheckIns({ ectId })).map((c) => c.id)).toEqual(h.items.checkInIds);
      expect((await other.listRecords({ ectIds: [ectId] })).map((r) => r.id).sort()).toEqual([...h.items.recordIds].sort());
      expect((await other.listEvidence({ ectId, includeDeleted: true })).map((e) => e.id).sort()).toEqual([...h.items.evidenceIds].sort());
      for (const e of h.evidence) expect(Buffer.from((await other.readEvidenceContent(e.id))!).equals(Buffer.from(bytes))).toBe(true);
    }

    const tombstones = async (ectId: string) => (await other.listAudit({ ectId })).filter((e) => e.action === "retention_deleted");

    it("deletes the ECT's plans, check-ins, records, evidence and files; keeps the others', the ECT, and a trail that verifies", async () => {
      const a1 = await holdings(w.ectA1.id);
      const a2 = await holdings(w.ectA2.id);
      const planAudit = await other.listAudit({ planId: a1.plan.id });
      const stone = tombstoneFor(w.ectA1.id);
      // Another ECT's ids slipped into the list are never touched.
      await store.deleteEctRecords({
        ectId: w.ectA1.id,
        items: { ...a1.items, planIds: [...a1.items.planIds, a2.plan.id], evidenceIds: [...a1.items.evidenceIds, a2.evidence[0]!.id] },
        tombstone: stone,
      });
      await expectGone(w.ectA1.id, a1);
      await expectIntact(w.ectA2.id, a2);
      expect((await other.getEct(w.ectA1.id))?.id).toBe(w.ectA1.id);
      // The plan's own content-free entries stay; the tombstone is at the end of the ECT's chain.
      expect(await other.listAudit({ planId: a1.plan.id })).toEqual(planAudit);
      expect((await tombstones(w.ectA1.id)).map((e) => e.id)).toEqual([stone.id]);
      expect((await tombstones(w.ectA1.id))[0]!.planId).toBeUndefined();
      expect(verifyAuditTrail(await other.readAuditTrail()).breaks).toEqual([]);

      // Run again (a lost reply re-sent): nothing more happens, the tombstone is there once.
      await store.deleteEctRecords({ ectId: w.ectA1.id, items: a1.items, tombstone: stone });
      expect((await tombstones(w.ectA1.id)).map((e) => e.id)).toEqual([stone.id]);
      expect(verifyAuditTrail(await other.readAuditTrail()).breaks).toEqual([]);
    });

    it("a tombstone on an ECT's chain that already has entries follows them", async () => {
      const a1 = await holdings(w.ectA1.id);
      await store.deleteEctRecords({ ectId: w.ectA1.id, items: a1.items, tombstone: tombstoneFor(w.ectA1.id) });
      const chain = (await other.listAudit({ ectId: w.ectA1.id })).filter((e) => !e.planId);
      expect(chain.map((e) => e.action)).toEqual(["raiseConcern", "retention_deleted"]);
      expect(chain[1]!.prevHash).toBe(chain[0]!.hash);
    });

    if (failDeletes) {
      it("a delete refused part-way (503 past the retries) leaves a deletion that running again finishes", async () => {
        const a1 = await holdings(w.ectA1.id);
        const stone = tombstoneFor(w.ectA1.id);
        const restore = failDeletes("refused");
        await expect(store.deleteEctRecords({ ectId: w.ectA1.id, items: a1.items, tombstone: stone })).rejects.toThrow();
        restore();
        // The tombstone (the commit point) was written first: the deletion is decided, not lost.
        expect((await tombstones(w.ectA1.id)).map((e) => e.id)).toEqual([stone.id]);
        await store.deleteEctRecords({ ectId: w.ectA1.id, items: a1.items, tombstone: stone });
        await expectGone(w.ectA1.id, a1);
        expect((await tombstones(w.ectA1.id)).map((e) => e.id)).toEqual([stone.id]);
        expect(verifyAuditTrail(await other.readAuditTrail()).breaks).toEqual([]);
      });

      it("a delete whose reply was lost after it was applied still finishes, once", async () => {
        const a1 = await holdings(w.ectA1.id);
        const stone = tombstoneFor(w.ectA1.id);
        const restore = failDeletes("lost");
        await store.deleteEctRecords({ ectId: w.ectA1.id, items: a1.items, tombstone: stone });
        restore();
        await expectGone(w.ectA1.id, a1);
        expect((await tombstones(w.ectA1.id)).map((e) => e.id)).toEqual([stone.id]);
      });
    }
  });
}
