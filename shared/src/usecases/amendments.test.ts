import { describe, expect, it } from "vitest";
import type { Plan } from "../model/plan.js";
import { agreementDigest, agreementOf, editorContent } from "../agreement.js";
import { planStage } from "../planStates.js";
import { sha256Hex } from "../seal.js";
import { editPlan } from "./editPlan.js";
import { requestSignatures } from "./requestSignatures.js";
import { signPlan } from "./signPlan.js";
import { withdrawAmendment } from "./withdrawAmendment.js";
import { recordReview, type RecordReviewInput } from "./recordReview.js";
import { escalatePlan } from "./escalatePlan.js";
import { recordCheckIn } from "./recordCheckIn.js";
import { createPlan } from "./createPlan.js";
import { missingSigners, validSignatures } from "./signers.js";
import { amy, ctx, ectCtx, mentor, refusal, runningPlan, target, tutor } from "../../test-support/world.js";

const c = ectCtx();
const reword = (plan: Plan, text: string) => ({ ...editorContent(plan), targets: editorContent(plan).targets.map((t, i) => (i === 0 ? { ...t, text } : t)) });
const evaluateWeek = (plan: Plan, week: number, evaluation: string) => ({
  ...editorContent(plan),
  weeks: editorContent(plan).weeks.map((w) => (w.week === week ? { ...w, evaluation } : w)),
});
const review = (plan: Plan, outcomes: RecordReviewInput["review"]["targetOutcomes"]): RecordReviewInput => ({
  version: plan.version,
  review: { date: "2027-01-04", notes: "", targetOutcomes: outcomes, evaluation: "Some progress", nextObjectives: "Pace", onTrack: false, finalOutcome: "" },
});

describe("an amendment to an agreed plan", () => {
  it("is proposed by changing the agreement: the plan runs on as signed, the proposal waits beside it", () => {
    const plan = runningPlan();
    const r = editPlan(ctx(tutor), c, plan, { version: plan.version, content: reword(plan, "Behaviour: routines at transitions") });
    expect(r.plan.status).toBe("active");
    expect(r.plan.revision).toBe(plan.revision);
    expect(r.plan.targets[0]?.text).toBe("Behaviour"); // what was signed
    expect(validSignatures(r.plan)).toHaveLength(2);
    expect(r.plan.amendment).toMatchObject({ revision: plan.revision + 1, baseRevision: plan.revision, proposedBy: "tutor" });
    expect(r.plan.amendment?.changes.map((ch) => ch.label)).toEqual(["Objective 1 wording"]);
    expect(editorContent(r.plan).targets[0]?.text).toBe("Behaviour: routines at transitions");
    expect(r.audit.map((a) => a.action)).toEqual(["proposeAmendment"]);
    expect(r.outbox).toEqual([]); // nobody is asked until the lead sends it
    expect(planStage(r.plan)).toBe("Active · amendment proposed, not yet sent for signature");
  });

  it("goes to the same signers, and becomes the agreement when they have all signed; the record kept meanwhile stays", () => {
    const plan = runningPlan();
    let p = editPlan(ctx(tutor), c, plan, { version: plan.version, content: reword(plan, "Behaviour: routines") }).plan;
    expect(refusal(() => signPlan(ctx(amy), c, p, { revision: p.amendment!.revision }, "card")).message).toMatch(/not been sent for signature/);
    const asked = requestSignatures(ctx(tutor), c, p);
    expect(asked.outbox?.map((m) => [m.recipientId, m.data?.amendment])).toEqual([
      ["tutor", true],
      ["amy", true],
    ]);
    p = asked.plan;
    expect(planStage(p)).toBe("Active · amendment awaiting signatures (0 of 2)");

    // The running record goes on while the amendment waits, and touches no signature.
    p = editPlan(ctx(mentor), c, p, { version: p.version, content: evaluateWeek(p, 1, "Calmer starts") }).plan;
    const checkIn = { id: "ci-1", planId: p.id, ectId: "ect-amy", week: 1, dueOn: "2026-11-27", status: "open" as const };
    p = recordCheckIn(ctx(amy), c, p, checkIn, { week: 1, comment: "Trying the new routine" }).plan;
    expect(p.amendment).toBeDefined();
    expect(validSignatures(p)).toHaveLength(2);

    // A signature on the agreed version is not a signature on the amendment.
    expect(refusal(() => signPlan(ctx(amy), c, p, { revision: plan.revision }, "card")).kind).toBe("conflict");
    p = signPlan(ctx(amy), c, p, { revision: p.amendment!.revision }, "card").plan;
    expect(planStage(p)).toBe("Active · amendment awaiting signatures (1 of 2)");
    expect(p.targets[0]?.text).toBe("Behaviour");

    const done = signPlan(ctx(tutor), c, p, { revision: p.amendment!.revision }, "tab");
    const adopted = done.plan;
    expect(adopted.amendment).toBeUndefined();
    expect(adopted.revision).toBe(plan.revision + 1);
    expect(adopted.targets[0]?.text).toBe("Behaviour: routines");
    expect(adopted.weeks[0]).toMatchObject({ evaluation: "Calmer starts", ectComment: "Trying the new routine" });
    expect(validSignatures(adopted).map((s) => [s.role, s.method])).toEqual([
      ["ect", "card"],
      ["induction_tutor", "tab"],
    ]);
    expect(validSignatures(adopted).every((s) => s.digest === agreementDigest(adopted, adopted))).toBe(true);
    // The earlier agreement's seals are kept, bound to what was signed then.
    expect(adopted.signatures.filter((s) => s.revision === plan.revision).every((s) => s.digest === agreementDigest(plan, plan))).toBe(true);
    expect(done.audit.map((a) => a.action)).toEqual(["signPlan", "amendmentAgreed"]);
    expect(planStage(adopted)).toBe("Active");
  });

  it("revised before it is signed, asks again: signatures on the earlier proposal do not carry over", () => {
    const plan = runningPlan();
    let p = editPlan(ctx(tutor), c, plan, { version: plan.version, content: reword(plan, "First idea") }).plan;
    p = requestSignatures(ctx(tutor), c, p).plan;
    p = signPlan(ctx(amy), c, p, { revision: p.amendment!.revision }, "card").plan;
    const revised = editPlan(ctx(tutor), c, p, { version: p.version, content: reword(p, "Second idea") });
    expect(revised.plan.amendment?.revision).toBe(p.amendment!.revision + 1);
    expect(revised.plan.signatureRequest).toBeUndefined();
    expect(missingSigners(revised.plan).map((s) => s.role)).toEqual(["induction_tutor", "ect"]);
    expect(revised.outbox?.map((m) => [m.kind, m.recipientId])).toEqual([["signatures_voided", "amy"]]);
    expect(revised.audit.map((a) => a.action)).toEqual(["reviseAmendment"]);
  });

  it("is withdrawn by the lead, or by bringing the agreement back as signed", () => {
    const plan = runningPlan();
    const p = requestSignatures(ctx(tutor), c, editPlan(ctx(tutor), c, plan, { version: plan.version, content: reword(plan, "Other") }).plan).plan;
    expect(refusal(() => withdrawAmendment(ctx(mentor), c, p, { version: p.version })).kind).toBe("forbidden");
    const w = withdrawAmendment(ctx(tutor), c, p, { version: p.version });
    expect(w.plan.amendment).toBeUndefined();
    expect(w.plan.signatureRequest).toBeUndefined();
    expect(agreementOf(w.plan)).toEqual(agreementOf(plan));
    expect(w.outbox?.map((m) => [m.kind, m.recipientId, m.data?.withdrawn])).toEqual([["signatures_voided", "amy", true]]);
    expect(refusal(() => withdrawAmendment(ctx(tutor), c, w.plan, { version: w.plan.version })).message).toMatch(/no amendment/);

    const back = editPlan(ctx(tutor), c, p, { version: p.version, content: reword(p, "Behaviour") });
    expect(back.plan.amendment).toBeUndefined();
    expect(back.audit.map((a) => a.action)).toEqual(["withdrawAmendment"]);
    expect(back.outbox?.map((m) => [m.kind, m.recipientId, m.data?.withdrawn])).toEqual([["signatures_voided", "amy", true]]);
  });

  it("never drops the running record: removing a target or week that holds one is refused, and nothing changes", () => {
    const plan = runningPlan();
    const recorded = editPlan(ctx(mentor), c, plan, { version: plan.version, content: evaluateWeek(plan, 2, "Better transitions") }).plan;
    const withOutcome = {
      ...recorded,
      targets: recorded.targets.map((t, i) => (i === 1 ? { ...t, outcomeEntries: [{ date: "2026-11-26", text: "Seen once" }] } : t)),
    };
    const noTarget = { ...editorContent(withOutcome), targets: editorContent(withOutcome).targets.slice(0, 1) };
    const e = refusal(() => editPlan(ctx(tutor), c, withOutcome, { version: withOutcome.version, content: noTarget }));
    expect(e.violations.map((v) => [v.code, v.path])).toEqual([["record-would-be-lost", "targets.1"]]);
    const noWeek = { ...editorContent(recorded), weeks: editorContent(recorded).weeks.filter((w) => w.week !== 2) };
    expect(refusal(() => editPlan(ctx(tutor), c, recorded, { version: recorded.version, content: noWeek })).violations[0]?.path).toBe("weeks.1");
    // A target with nothing recorded yet can still be removed by an amendment.
    const dropFirst = { ...editorContent(recorded), targets: editorContent(recorded).targets.slice(1) };
    expect(editPlan(ctx(tutor), c, recorded, { version: recorded.version, content: dropFirst }).plan.amendment?.changes.map((ch) => ch.label)).toContain(
      "Removed objective 1",
    );
  });

  it("is not made on a draft: a draft is edited freely", () => {
    const draft = createPlan(ctx(tutor), c, [], { ectId: "ect-amy", templateId: "level_2", content: { targets: [target(["1a"])] } }).plan;
    const r = editPlan(ctx(tutor), c, draft, { version: draft.version, content: reword(draft, "Reworded") });
    expect(r.plan.amendment).toBeUndefined();
    expect(r.plan.targets[0]?.text).toBe("Reworded");
    expect(r.plan.revision).toBe(draft.revision + 1);
  });

  it("holds up the review until it is signed or withdrawn; the amended plan is then reviewed on its new agreement", () => {
    const plan = runningPlan();
    let p = requestSignatures(ctx(tutor), c, editPlan(ctx(tutor), c, plan, { version: plan.version, content: reword(plan, "Amended") }).plan).plan;
    const outcomes = p.targets.map((t) => ({ targetId: t.id, outcome: "partially_met" as const, evidence: "Two observations" }));
    expect(refusal(() => recordReview(ctx(tutor), c, p, review(p, outcomes))).message).toMatch(/amendment/);
    p = signPlan(ctx(amy), c, p, { revision: p.amendment!.revision }, "card").plan;
    p = signPlan(ctx(tutor), c, p, { revision: p.amendment!.revision }, "tab").plan;
    const reviewed = recordReview(ctx(tutor), c, p, review(p, outcomes)).plan;
    expect(reviewed.status).toBe("in_review");
    expect(reviewed.targets[0]?.text).toBe("Amended");
    expect(refusal(() => editPlan(ctx(tutor), c, reviewed, { version: reviewed.version, content: reword(reviewed, "Too late") })).message).toMatch(
      /under review/,
    );
  });

  it("still waiting when the plan is escalated, is withdrawn by it: the successor starts from what was agreed", () => {
    const plan = runningPlan();
    const p = editPlan(ctx(tutor), c, plan, { version: plan.version, content: reword(plan, "Never signed") }).plan;
    const r = escalatePlan(ctx(tutor), c, p, { version: p.version, reason: "No progress on behaviour" });
    expect(r.plan.amendment).toBeUndefined();
    expect(r.successor.targets.map((t) => t.text)).toContain("Behaviour");
    expect(r.audit[0]?.summary).toMatch(/amendment awaiting signatures \(agreed version 2 once signed\) was withdrawn/);
  });
});

describe("reviews are judgements", () => {
  it("are refused until every target has an outcome with its evidence", () => {
    const plan = runningPlan();
    const [first, second] = plan.targets;
    const missing = refusal(() => recordReview(ctx(tutor), c, plan, review(plan, [{ targetId: first!.id, outcome: "met", evidence: "Seen" }])));
    expect(missing.kind).toBe("validation");
    expect(missing.violations.map((v) => [v.code, v.message])).toEqual([
      ["target-outcome-missing", "Say whether objective 2 was met, partially met or not met"],
    ]);
    const noEvidence = refusal(() =>
      recordReview(
        ctx(tutor),
        c,
        plan,
        review(plan, [
          { targetId: first!.id, outcome: "met", evidence: "Seen" },
          { targetId: second!.id, outcome: "not_met", evidence: "  " },
        ]),
      ),
    );
    expect(noEvidence.violations.map((v) => v.code)).toEqual(["target-evidence-missing"]);
    const ok = recordReview(
      ctx(tutor),
      c,
      plan,
      review(plan, [
        { targetId: first!.id, outcome: "met", evidence: "Seen" },
        { targetId: second!.id, outcome: "not_met", evidence: "Not yet" },
      ]),
    );
    expect(ok.plan.status).toBe("in_review");
  });

  it("and escalations need a plan that was agreed", () => {
    const draft = createPlan(ctx(tutor), c, [], { ectId: "ect-amy", templateId: "level_2", content: { targets: [target(["1a"])] } }).plan;
    expect(refusal(() => recordReview(ctx(tutor), c, draft, review(draft, []))).message).toMatch(/once everyone has signed/);
    expect(refusal(() => escalatePlan(ctx(tutor), c, draft, { version: draft.version, reason: "Worse" })).message).toMatch(/once it has been agreed/);
    const level1 = createPlan(ctx(mentor), c, [], { ectId: "ect-amy", templateId: "level_1", content: { targets: [target(["1a"])] } }).plan;
    expect(refusal(() => escalatePlan(ctx(tutor), c, level1, { version: level1.version, reason: "Worse" })).message).toMatch(/once it has been agreed/);
  });

  it("keep the escalation's reason on the plan, and only its fingerprint in the trail", () => {
    const plan = runningPlan();
    const reason = "No progress on behaviour after two observations";
    const r = escalatePlan(ctx(tutor), c, plan, { version: plan.version, reason });
    expect(r.plan.outcomeReason).toBe(reason);
    expect(r.audit[0]?.summary).not.toContain("behaviour");
    expect(r.audit[0]?.summary).toContain(`Reason recorded on the plan (SHA-256 ${sha256Hex(reason)})`);
  });
});
