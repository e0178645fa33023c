/**
 * Issue 12's part of the Store contract (called from auditContract.ts, inside its describe, so it runs
 * against every adapter): the hash-chained audit on every path that appends, reading the whole
 * trail, concurrent appends that never fork a chain, "awaiting signatures (n of m)" beside the
 * summaries, and ITT signers on the roster.
 */
import { createHash } from "node:crypto";
import { expect, it } from "vitest";
import {
  auditChainId,
  chainStart,
  verifyAuditChain,
  verifyAuditTrail,
  type AuditEntry,
  type EvidenceRecord,
  type InductionRecord,
  type Plan,
} from "@ectsp/shared";
import type { Store } from "@ectsp/bot/store/store.js";
import { editedPlan, later, makeAudit, makeEct, makeMessage, makePerson, newId, t0, type World } from "./testData.js";
import type { StoreUnderTest } from "./contractKit.js";

interface Ctx {
  store: Store;
  other: Store;
  w: World;
  sut: StoreUnderTest;
}

const positions = (xs: AuditEntry[]) => xs.map((e) => e.seq);
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** Every entry follows the one before it: positions 1..n, each prevHash the previous hash, and the hashes recompute. */
function expectSealedChain(chain: AuditEntry[]): void {
  expect(positions(chain)).toEqual(oneTo(chain.length));
  chain.forEach((e, i) => expect(e.prevHash, `entry ${i + 1}`).toBe(i === 0 ? chainStart : chain[i - 1]!.hash));
  expect(verifyAuditChain(chain)).toBeUndefined();
}

export function chainContract(ctx: () => Ctx): void {
  const evidenceFor = (w: World, plan: Plan, bytes: Uint8Array): EvidenceRecord => ({
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
  });
  const concernFor = (w: World, ectId: string): InductionRecord => ({
    id: newId("record"),
    kind: "concern",
    ectId,
    schoolId: w.schoolA.id,
    abId: w.abA.id,
    contact: "induction_tutor",
    about: "induction",
    text: "Private words",
    visibleTo: [w.tutorA.id],
    recordedAt: t0,
    recordedBy: w.tutorA.id,
    recordedByName: w.tutorA.displayName,
  });

  it("seals every entry it appends, on every path (commits, evidence, records): positions 1..n per chain, and the trail verifies", async () => {
    const { store, other, w } = ctx();
    const plan = w.planFor(w.ectA1);
    const onPlan = (action: string) => makeAudit({ ectId: plan.ectId, planId: plan.id, action, at: later(t0, 1000) });
    const onEct = (action: string) => makeAudit({ ectId: plan.ectId, action });
    // A seal the caller made up is replaced by the store's.
    const forged = { ...onPlan("createPlan"), seq: 7, prevHash: "f".repeat(64), hash: "e".repeat(64) };
    await store.commit({ create: [plan], audit: [forged] });
    await other.commit({ save: [{ plan: editedPlan(plan), expectedVersion: 1 }], audit: [onPlan("savePlan"), onPlan("requestSignatures")] });
    const bytes = new TextEncoder().encode("notes");
    const evidence = evidenceFor(w, plan, bytes);
    await store.addEvidence(evidence, bytes, [onPlan("attachEvidence")]);
    await other.markEvidenceDeleted({ ...evidence, deletedAt: later(t0, 5000), deletedBy: w.tutorA.id }, [onPlan("deleteEvidence")]);
    await store.addRecords([concernFor(w, plan.ectId)], [onEct("raiseConcern"), onPlan("recordReview")]);
    await other.commit({ audit: [onEct("assignMentor")] });

    const chain = await store.listAudit({ planId: plan.id });
    expect(chain.map((e) => e.action)).toEqual(["createPlan", "savePlan", "requestSignatures", "attachEvidence", "deleteEvidence", "recordReview"]);
    expectSealedChain(chain);
    expect(chain[0]).toMatchObject({ id: forged.id, summary: forged.summary, seq: 1 });
    const ectChain = (await other.listAudit({ ectId: plan.ectId })).filter((e) => !e.planId);
    expect(ectChain.map((e) => e.action)).toEqual(["raiseConcern", "assignMentor"]);
    expectSealedChain(ectChain);

    // The whole trail, as `npm run audit:verify` reads it: these two chains in it, whole and in order.
    const trail = await other.readAuditTrail();
    expect(trail.filter((e) => auditChainId(e) === plan.id)).toEqual(chain);
    expect(trail.filter((e) => auditChainId(e) === `ect:${plan.ectId}`)).toEqual(ectChain);
    const mine = trail.filter((e) => [plan.id, `ect:${plan.ectId}`].includes(auditChainId(e)));
    expect(verifyAuditTrail(mine)).toEqual({ chains: 2, entries: 8, breaks: [] });
    expect(verifyAuditTrail(trail).breaks).toEqual([]);
  });

  it("a change whose message was sent already (same dedupe key) still saves the plan and appends its entries, once", async () => {
    const { store, other, w } = ctx();
    const plan = w.planFor(w.ectA1);
    const reminder = makeMessage({ planId: plan.id, dedupeKey: `remind:${plan.id}:2026-11-02` });
    await store.commit({ create: [plan], audit: [makeAudit({ ectId: plan.ectId, planId: plan.id, action: "requestSignatures" })], outbox: [reminder] });
    const again = [makeAudit({ ectId: plan.ectId, planId: plan.id, action: "requestSignatures" }), makeAudit({ ectId: plan.ectId, action: "remindSigners" })];
    await other.commit({ save: [{ plan: editedPlan(plan), expectedVersion: 1 }], audit: again, outbox: [reminder] });
    expect((await store.getPlan(plan.id))?.version).toBe(2);
    expect(await store.listOutbox({ planId: plan.id })).toHaveLength(1);
    const entries = await store.listAudit({ ectId: plan.ectId });
    expect(entries.map((e) => e.id).sort()).toEqual([...again.map((e) => e.id), entries.find((e) => e.seq === 1 && e.planId)!.id].sort());
    expect(verifyAuditTrail(entries)).toEqual({ chains: 2, entries: 3, breaks: [] });
  });

  it("reads the whole trail chain by chain, each in order, however the chains' writes interleaved", async () => {
    const { store, other, w } = ctx();
    const plans = [w.planFor(w.ectA1), w.planFor(w.ectA2), w.planFor(w.ectB1)];
    await store.commit({ create: plans, audit: plans.map((p) => makeAudit({ ectId: p.ectId, planId: p.id, action: "createPlan" })) });
    for (let round = 0; round < 3; round++) {
      for (const [i, p] of plans.entries()) {
        await (i % 2 ? other : store).commit({ audit: [makeAudit({ ectId: p.ectId, planId: p.id, summary: `Round ${round}` })] });
      }
    }
    const trail = await other.readAuditTrail();
    for (const p of plans) {
      const chain = trail.filter((e) => e.planId === p.id);
      expect(chain.map((e) => e.summary)).toEqual(["Changed week 1 evaluation", "Round 0", "Round 1", "Round 2"]);
      expectSealedChain(chain);
      // Contiguous: one chain is read out before the next begins.
      const at = trail.indexOf(chain[0]!);
      expect(trail.slice(at, at + chain.length)).toEqual(chain);
    }
  });

  it("concurrent appends to one plan's chain, from two instances, never fork it", async () => {
    const { store, other, w } = ctx();
    const plan = w.planFor(w.ectA1);
    await store.commit({ create: [plan], audit: [makeAudit({ ectId: plan.ectId, planId: plan.id, action: "createPlan" })] });
    const entry = (i: number, j: number) => makeAudit({ ectId: plan.ectId, planId: plan.id, summary: `Writer ${i} entry ${j}` });
    const writes = [0, 1, 2, 3, 4, 5].map((i) => {
      const instance = i % 2 === 0 ? store : other;
      return i === 5 ? instance.addRecords([concernFor(w, plan.ectId)], [entry(i, 1)]) : instance.commit({ audit: [entry(i, 1), entry(i, 2)] });
    });
    await Promise.all(writes);

    const chain = await other.listAudit({ planId: plan.id });
    expect(chain).toHaveLength(1 + 5 * 2 + 1);
    expectSealedChain(chain);
    // Each writer's entries keep their order within the chain.
    for (const i of [0, 1, 2, 3, 4]) {
      const mine = chain.filter((e) => e.summary.startsWith(`Writer ${i} `)).map((e) => e.summary);
      expect(mine).toEqual([`Writer ${i} entry 1`, `Writer ${i} entry 2`]);
    }
    expect(verifyAuditTrail(await store.readAuditTrail()).breaks).toEqual([]);
  });

  it("keeps 'awaiting signatures (n of m)' beside the summary, for a plan sent for signature and for an amendment", async () => {
    const { store, other, w } = ctx();
    const signature = (personId: string, role: "ect" | "induction_tutor", revision: number) => ({
      role,
      personId,
      name: "Signer",
      signedAt: t0,
      revision,
      method: "tab" as const,
      digest: "a".repeat(64),
    });
    const request = { revision: 1, requestedAt: t0, requestedBy: w.tutorA.id, signBy: "2026-11-09" };
    const awaiting = w.planFor(w.ectA1, { status: "awaiting_signatures", signatureRequest: request, signatures: [signature(w.ectPersonA1.id, "ect", 1)] });
    const amendment = {
      revision: 2,
      baseRevision: 1,
      content: { term: "Autumn 2026" },
      changes: [{ path: "targets", label: "Targets" }],
      proposedBy: w.tutorA.id,
      proposedByName: w.tutorA.displayName,
      proposedAt: t0,
    };
    const running = { status: "active" as const, signatures: [signature(w.ectPersonA2.id, "ect", 1), signature(w.tutorA.id, "induction_tutor", 1)] };
    // Sent to the signers: awaited. Only proposed (not sent yet): nothing is awaited.
    const amended = w.planFor(w.ectA2, { ...running, amendment, signatureRequest: { ...request, revision: 2 } });
    const proposed = w.planFor(w.ectA2, { ...running, amendment });
    const draft = w.planFor(w.ectB1);
    await store.commit({ create: [awaiting, amended, proposed, draft], audit: [] });

    const rows = async (s: Store) =>
      new Map((await s.listPlanSummaries({ ectIds: [w.ectA1.id, w.ectA2.id, w.ectB1.id] })).map((r) => [r.id, r.awaitingSignatures]));
    const listed = await rows(other);
    expect(listed.get(awaiting.id)).toEqual({ signed: 1, of: 2, amendment: false });
    expect(listed.get(amended.id)).toEqual({ signed: 0, of: 2, amendment: true });
    expect(listed.has(proposed.id)).toBe(true);
    expect(listed.get(proposed.id)).toBeUndefined();
    expect(listed.get(draft.id)).toBeUndefined();
    expect((await other.listPlanSummaries({ status: ["awaiting_signatures"], schoolId: w.schoolA.id })).map((r) => r.id)).toEqual([awaiting.id]);

    // The last signature: agreed, and nothing is awaited any more.
    const agreed = editedPlan(awaiting, { status: "agreed", signatures: [...awaiting.signatures, signature(w.tutorA.id, "induction_tutor", 1)] });
    await other.commit({ save: [{ plan: agreed, expectedVersion: 1 }], audit: [] });
    expect((await rows(store)).get(awaiting.id)).toBeUndefined();
    expect(await store.listPlanSummaries({ status: ["awaiting_signatures"], schoolId: w.schoolA.id })).toEqual([]);
  });

  it("keeps ITT provider staff (role itt_staff) and the ITT signers named on a trainee's record", async () => {
    const { store, other, w } = ctx();
    const staff = (displayName: string) => makePerson({ displayName, roles: ["itt_staff"] });
    const [courseTutor, director, mentor] = [staff("Casey Course Tutor"), staff("Dana Director"), staff("Pat Professional Mentor")];
    for (const p of [courseTutor, director, mentor]) await store.upsertPerson(p);
    const trainee = makeEct({
      personId: w.ectPersonA2.id,
      schoolId: w.schoolA.id,
      abId: w.abA.id,
      track: "itt",
      ittSigners: { course_tutor: courseTutor.id, director: director.id, professional_mentor: mentor.id, lead_subject_mentor: w.mentorA.id },
    });
    await store.upsertEct(trainee);
    expect(await other.getPerson(director.id)).toEqual(director);
    expect(await other.getEct(trainee.id)).toEqual(trainee);
    expect((await other.listEcts({ schoolId: w.schoolA.id })).find((e) => e.id === trainee.id)).toEqual(trainee);

    const changed = { ...trainee, ittSigners: { course_tutor: director.id } };
    await other.upsertEct(changed);
    expect(await store.getEct(trainee.id)).toEqual(changed);
  });
}
