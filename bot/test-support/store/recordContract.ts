/** The RecordStore contract (issue 7): evidence files with their records, and induction records. */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DomainError, type EvidenceRecord, type InductionRecord, type Plan } from "@ectsp/shared";
import type { Store } from "@ectsp/bot/store/store.js";
import { unsealed, useSeededStore, type MakeStore, type StoreUnderTest } from "./contractKit.js";
import { later, makeAudit, makeMessage, makePlan, newId, t0, type World } from "./testData.js";

export function recordContract(name: string, makeStore: MakeStore): void {
  describe(`Record contract: ${name}`, () => {
    let store: Store;
    let other: Store;
    let w: World;
    let sut: StoreUnderTest;
    useSeededStore(makeStore, (ctx) => ({ store, other, w, sut } = ctx));

    // ------------------------------------------------------------------ records (issue 7)

    describe("records (issue 7): evidence and induction records", () => {
      const evidenceFor = (plan: Plan, bytes: Uint8Array, overrides: Partial<EvidenceRecord> = {}): EvidenceRecord => ({
        id: newId("evidence"),
        ectId: plan.ectId,
        planId: plan.id,
        targetId: "target-1",
        fileName: "Observation notes.txt",
        kind: "text",
        contentType: "text/plain; charset=utf-8",
        size: bytes.length,
        sha256: createHash("sha256").update(bytes).digest("hex"),
        uploadedAt: t0,
        uploadedBy: w.tutorA.id,
        uploadedByName: w.tutorA.displayName,
        ...overrides,
      });

      it("keeps a file with its record and audit, reads it back, and hides it on a soft delete", async () => {
        const plan = makePlan({ ectId: w.ectA1.id, schoolId: w.schoolA.id, abId: w.abA.id });
        await store.commit({ create: [plan], audit: [] });
        const small = new TextEncoder().encode("Observed 3 lessons: routines consistent.\n");
        // Over 4 MB: SharePoint sends it through an upload session in fragments.
        const large = new Uint8Array(4 * 1024 * 1024 + 700 * 1024).map((_, i) => 65 + (i % 26));
        const a = evidenceFor(plan, small);
        const b = evidenceFor(plan, large, { uploadedAt: later(t0, 1000), targetId: "target-2" });
        await store.addEvidence(a, small, [makeAudit({ ectId: plan.ectId, planId: plan.id, action: "attachEvidence" })]);
        await store.addEvidence(b, large, [makeAudit({ ectId: plan.ectId, planId: plan.id, action: "attachEvidence" })]);

        expect(await other.getEvidence(a.id)).toEqual(a);
        expect((await other.listEvidence({ planId: plan.id })).map((e) => e.id)).toEqual([a.id, b.id]);
        expect((await other.listEvidence({ planId: plan.id, targetId: "target-2" })).map((e) => e.id)).toEqual([b.id]);
        expect(Buffer.from((await other.readEvidenceContent(a.id))!).equals(Buffer.from(small))).toBe(true);
        expect(Buffer.from((await other.readEvidenceContent(b.id))!).equals(Buffer.from(large))).toBe(true);

        const gone = { ...a, deletedAt: later(t0, 5000), deletedBy: w.tutorA.id };
        await store.markEvidenceDeleted(gone, [makeAudit({ ectId: plan.ectId, planId: plan.id, action: "deleteEvidence" })]);
        expect((await other.listEvidence({ planId: plan.id })).map((e) => e.id)).toEqual([b.id]);
        expect((await other.listEvidence({ planId: plan.id, includeDeleted: true })).map((e) => e.id)).toEqual([a.id, b.id]);
        expect(await other.getEvidence(a.id)).toEqual(gone);
        expect(await other.readEvidenceContent(a.id)).toBeDefined(); // kept for retention
        await expect(store.markEvidenceDeleted(gone, [])).rejects.toBeInstanceOf(DomainError);
        expect((await store.listAudit({ planId: plan.id })).map((e) => e.action)).toEqual(["attachEvidence", "attachEvidence", "deleteEvidence"]);
      });

      it("leaves nothing behind when the record cannot be written", async () => {
        const plan = makePlan({ ectId: w.ectA1.id, schoolId: w.schoolA.id, abId: w.abA.id });
        const taken = makeAudit({ ectId: plan.ectId, planId: plan.id });
        await store.commit({ create: [plan], audit: [taken] });
        const bytes = new TextEncoder().encode("notes");
        const e = evidenceFor(plan, bytes);
        // The backend refuses the writes after the file is stored (or, where it cannot be made to, the
        // audit entry's id is taken and the store refuses the unit): the whole unit fails.
        const restore = sut.refuseWrites?.();
        const entry = restore ? makeAudit({ ectId: plan.ectId, planId: plan.id }) : { ...taken };
        await expect(store.addEvidence(e, bytes, [entry])).rejects.toThrow();
        restore?.();
        expect(await store.getEvidence(e.id)).toBeUndefined();
        expect(await store.readEvidenceContent(e.id)).toBeUndefined();
        expect(await store.listEvidence({ planId: plan.id, includeDeleted: true })).toEqual([]);
        expect(unsealed(await store.listAudit({ planId: plan.id }))).toEqual([taken]);
      });

      it("appends induction records and lists them by ECT and kind", async () => {
        const base = { schoolId: w.schoolA.id, abId: w.abA.id, recordedBy: w.tutorA.id, recordedByName: w.tutorA.displayName };
        const review: InductionRecord = {
          ...base,
          id: newId("record"),
          kind: "progress_review",
          ectId: w.ectA1.id,
          scaleId: "progress_review_2025",
          recordedAt: t0,
          revision: 1,
          review: {
            ectId: w.ectA1.id,
            date: "2026-11-02",
            onTrack: true,
            evidenceSummary: "",
            ratings: { "1": { ratingId: "secure", statement: "" } },
            targets: [{ text: "Keep going", standards: ["1a"] }],
          },
        };
        const concern: InductionRecord = {
          ...base,
          id: newId("record"),
          kind: "concern",
          ectId: w.ectA1.id,
          contact: "induction_tutor",
          about: "induction",
          text: "Private words",
          visibleTo: [w.tutorA.id],
          recordedAt: later(t0, 1000),
        };
        await store.addRecords([review, concern], [makeAudit({ ectId: w.ectA1.id, action: "recordProgressReview" })], [makeMessage({ ectId: w.ectA1.id })]);
        expect(await other.getInductionRecord(review.id)).toEqual(review);
        expect((await other.listRecords({ ectIds: [w.ectA1.id] })).map((r) => r.id)).toEqual([review.id, concern.id]);
        expect((await other.listRecords({ ectIds: [w.ectA1.id], kind: "concern" })).map((r) => r.id)).toEqual([concern.id]);
        expect(await other.listRecords({ ectIds: [w.ectB1.id] })).toEqual([]);
        expect(await other.listRecords({ ectIds: [] })).toEqual([]);
        await expect(store.addRecords([review], [])).rejects.toThrow();
      });

      it("round-trips signatures, returns and revisions (issue 16), and refuses a second writer of the same id", async () => {
        const base = { ectId: w.ectA2.id, schoolId: w.schoolA.id, abId: w.abA.id, recordedBy: w.tutorA.id, recordedByName: w.tutorA.displayName };
        const first: InductionRecord = {
          ...base,
          id: newId("record"),
          kind: "formal_assessment",
          recordedAt: t0,
          revision: 1,
          due: { number: 1, date: "2027-07-16", term: "Summer 2027", label: "Formal assessment 1" },
          assessment: {
            ectId: w.ectA2.id,
            date: "2027-07-01",
            number: 1,
            ratings: {},
            evidenceSummary: "Observations",
            onTrack: true,
            targets: [{ text: "Keep going", standards: [] }],
            ectComments: "",
          },
        };
        const signature: InductionRecord = {
          ...base,
          id: `${first.id}.sig-ect`,
          kind: "record_signature",
          recordId: first.id,
          role: "ect",
          name: "Amy Clarke",
          sealSha256: "a".repeat(64),
          comments: "I agree",
          recordedAt: later(t0, 1000),
        };
        const returned: InductionRecord = {
          ...base,
          id: `${first.id}.return`,
          kind: "record_return",
          recordId: first.id,
          reasons: ["targets_not_specific", "other"],
          comments: "Targets are not specific",
          recordedAt: later(t0, 2000),
        };
        const revision: InductionRecord = { ...first, id: `${first.id}.r2`, revision: 2, revises: first.id, recordedAt: later(t0, 3000) };
        await store.addRecords([first], [makeAudit({ ectId: base.ectId, action: "recordFormalAssessment" })]);
        await store.addRecords([signature], [makeAudit({ ectId: base.ectId, action: "signRecord" })]);
        await store.addRecords([returned], [makeAudit({ ectId: base.ectId, action: "returnRecord" })], [makeMessage({ ectId: base.ectId })]);
        await store.addRecords([revision], [makeAudit({ ectId: base.ectId, action: "reviseRecord" })]);
        expect(await other.listRecords({ ectIds: [base.ectId] })).toEqual([first, signature, returned, revision]);
        expect((await other.listRecords({ ectIds: [base.ectId], kind: "record_signature" })).map((r) => r.id)).toEqual([signature.id]);
        expect((await other.listRecords({ ectIds: [base.ectId], kind: "record_return" })).map((r) => r.id)).toEqual([returned.id]);
        expect(await other.getInductionRecord(revision.id)).toEqual(revision);
        // Two officers returning the same revision write the same id: the second is refused, nothing of it kept.
        const audits = (await store.listAudit({ ectId: base.ectId })).length;
        await expect(
          store.addRecords([{ ...returned, comments: "A second return" }], [makeAudit({ ectId: base.ectId, action: "returnRecord" })]),
        ).rejects.toMatchObject({ kind: "conflict" });
        expect(await other.getInductionRecord(returned.id)).toEqual(returned);
        expect((await store.listAudit({ ectId: base.ectId })).length).toBe(audits);
        // At the same moment, from two instances: both checked before either wrote; one is kept.
        const sign = { ...signature, id: `${revision.id}.sig-head`, recordId: revision.id, role: "head" as const };
        const raced = await Promise.allSettled([
          store.addRecords([sign], [makeAudit({ ectId: base.ectId, action: "signRecord" })]),
          other.addRecords([{ ...sign, name: "Someone else" }], [makeAudit({ ectId: base.ectId, action: "signRecord" })]),
        ]);
        expect(raced.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
        expect((raced.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ kind: "conflict" });
        expect((await other.listRecords({ ectIds: [base.ectId], kind: "record_signature" })).map((r) => r.id)).toEqual([signature.id, sign.id]);
      });
    });
  });
}
