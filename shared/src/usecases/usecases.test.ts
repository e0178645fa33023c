import { describe, expect, it } from "vitest";
import { amy, ctx, ectCtx, head, mentor, person, refusal, runningPlan, target, tutor } from "../../test-support/world.js";
import { createPlan } from "./createPlan.js";
import { editPlan } from "./editPlan.js";
import { signPlan } from "./signPlan.js";
import { requestSignatures } from "./requestSignatures.js";
import { recordCheckIn } from "./recordCheckIn.js";
import { recordReview } from "./recordReview.js";
import { escalatePlan } from "./escalatePlan.js";
import { concludeReview } from "./concludeReview.js";
import { addComment } from "./addComment.js";
import { startPlan } from "./startPlan.js";
import { assignSigner } from "./assignSigner.js";

const c0 = () => ectCtx();
describe("createPlan", () => {
  it("starts a draft from the template with six empty weekly rows and signers from the ECT's record", () => {
    const { plan, audit } = createPlan(ctx(tutor), ectCtx(), [], { ectId: "ect-amy", templateId: "level_2" });
    expect(plan.status).toBe("draft");
    expect(plan.level).toBe(2);
    expect(plan.weeks.map((w) => w.week)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(plan.signers).toEqual([
      { role: "induction_tutor", personId: "tutor" },
      { role: "ect", personId: "amy" },
    ]);
    expect(plan.retainUntil >= "2034-08-31").toBe(true);
    expect(audit[0]?.summary).toContain("Level 2");
  });

  it("names the head as a signer on the at-risk action plan", () => {
    const { plan } = createPlan(ctx(tutor), ectCtx(), [], { ectId: "ect-amy", templateId: "at_risk_action" });
    expect(plan.signers.map((s) => [s.role, s.personId])).toEqual([
      ["ect", "amy"],
      ["induction_tutor", "tutor"],
      ["head", "head"],
    ]);
  });

  it("refuses a mentor starting a Level 2 plan but lets them start Level 1", () => {
    expect(refusal(() => createPlan(ctx(mentor), ectCtx(), [], { ectId: "ect-amy", templateId: "level_2" })).kind).toBe("forbidden");
    expect(createPlan(ctx(mentor), ectCtx(), [], { ectId: "ect-amy", templateId: "level_1" }).plan.level).toBe(1);
  });

  it("refuses a second open plan, and the ITT form for an ECT", () => {
    const open = runningPlan();
    expect(refusal(() => createPlan(ctx(tutor), ectCtx(), [open], { ectId: "ect-amy", templateId: "level_3" })).message).toMatch(/already has an open plan/);
    expect(refusal(() => createPlan(ctx(tutor), ectCtx(), [], { ectId: "ect-amy", templateId: "itt_early_support" })).message).toMatch(/trainee/);
  });

  it("refuses a fourth target on an ITT plan, saying the limit", () => {
    const e = refusal(() =>
      createPlan(ctx(tutor), ectCtx({ track: "itt" }), [], {
        ectId: "ect-amy",
        templateId: "itt_early_support",
        content: { targets: [target(["1a"]), target(["2a"]), target(["3a"]), target(["4a"])] },
      }),
    );
    expect(e.kind).toBe("validation");
    expect(e.violations.map((v) => v.message).join()).toMatch(/3/);
  });
});

describe("editPlan and signatures", () => {
  it("on a plan awaiting signatures, a changed agreement voids what was signed and goes back to draft", () => {
    const c = c0();
    const draft = createPlan(ctx(tutor), c, [], {
      ectId: "ect-amy",
      templateId: "level_2",
      content: { startDate: "2026-11-30", endDate: "2027-01-11", targets: [target(["7d"])] },
    }).plan;
    const asked = requestSignatures(ctx(tutor), c, draft).plan;
    const signed = signPlan(ctx(amy), c, asked, { revision: asked.revision }, "card").plan;
    expect(signed.status).toBe("awaiting_signatures");
    const content = { ...signed, targets: signed.targets.map((t) => ({ ...t, text: "Changed" })) };
    const result = editPlan(ctx(tutor), c, signed, { version: signed.version, content });
    expect(result.plan).toMatchObject({ status: "draft", revision: signed.revision + 1 });
    expect(result.plan.signatureRequest).toBeUndefined();
    expect(result.outbox?.map((m) => [m.kind, m.recipientId])).toEqual([["signatures_voided", "amy"]]);
    expect(result.audit.map((a) => a.action)).toEqual(["editPlan", "signaturesVoided"]);
    expect(result.audit[0]?.summary).toBe("Objective 1 wording");
  });

  it("keeps signatures when only the running record changes (a week's evaluation)", () => {
    const plan = runningPlan();
    const weeks = plan.weeks.map((w) => (w.week === 1 ? { ...w, evaluation: "Good start" } : w));
    const result = editPlan(ctx(mentor), ectCtx(), plan, { version: plan.version, content: { ...plan, weeks } });
    expect(result.plan.revision).toBe(plan.revision);
    expect(result.outbox ?? []).toEqual([]);
  });

  it("refuses a stale version", () => {
    const plan = runningPlan();
    const e = refusal(() => editPlan(ctx(tutor), ectCtx(), plan, { version: plan.version - 1, content: plan }));
    expect(e.kind).toBe("conflict");
    expect(e.details).toMatchObject({ currentVersion: plan.version });
  });

  it("lets the mentor evaluate weeks but not rewrite targets", () => {
    const plan = runningPlan();
    const content = { ...plan, targets: plan.targets.map((t) => ({ ...t, text: "Rewritten" })) };
    expect(refusal(() => editPlan(ctx(mentor), ectCtx(), plan, { version: plan.version, content })).message).toMatch(/written by the induction tutor/);
  });

  it("keeps the ECT's comment on progress theirs: the tutor cannot rewrite it", () => {
    const plan = runningPlan();
    const weeks = plan.weeks.map((w) => (w.week === 1 ? { ...w, ectComment: "Words put in Amy's mouth" } : w));
    expect(refusal(() => editPlan(ctx(tutor), ectCtx(), plan, { version: plan.version, content: { ...plan, weeks } })).message).toMatch(
      /written by the ECT only/,
    );
  });

  it("stamps the ECT's comment with the time it was written", () => {
    const plan = runningPlan();
    const weeks = plan.weeks.map((w) => (w.week === 2 ? { ...w, ectComment: "Routines landing" } : w));
    const saved = editPlan(ctx(amy), ectCtx(), plan, { version: plan.version, content: { ...plan, weeks } }).plan;
    expect(saved.weeks[1]?.ectCommentAt).toBe("2026-11-27T10:00:00.000Z");
  });

  it("lets only a required signer sign, once sent for signature, binds the revision, and records a second click once", () => {
    const c = c0();
    const draft = createPlan(ctx(tutor), c, [], {
      ectId: "ect-amy",
      templateId: "level_2",
      content: { startDate: "2026-12-07", endDate: "2027-01-11", targets: [target(["7d"])] },
    }).plan;
    expect(refusal(() => signPlan(ctx(tutor), c, draft, { revision: draft.revision }, "tab")).message).toMatch(/not been sent for signature/);
    const plan = requestSignatures(ctx(tutor), c, draft).plan;
    expect(plan.status).toBe("awaiting_signatures");
    expect(refusal(() => signPlan(ctx(mentor), c, plan, { revision: plan.revision }, "tab")).kind).toBe("forbidden");
    expect(refusal(() => signPlan(ctx(tutor), c, plan, { revision: plan.revision + 1 }, "tab")).kind).toBe("conflict");
    const once = signPlan(ctx(tutor), c, plan, { revision: plan.revision }, "tab");
    const twice = signPlan(ctx(tutor), c, once.plan, { revision: plan.revision }, "tab");
    expect(twice.alreadySigned).toBe(true);
    expect(twice.save).toBeUndefined();
    const both = signPlan(ctx(amy), c, once.plan, { revision: plan.revision }, "card");
    expect(both.plan.status).toBe("agreed"); // start date still to come
    expect(both.plan.signatureRequest).toBeUndefined();
    expect(both.outbox?.map((m) => m.kind)).toContain("plan_agreed");
    expect(startPlan(ctx(tutor), c, both.plan).plan.status).toBe("active");
  });

  it("asks for signatures only when the plan is complete", () => {
    const c = ectCtx();
    const plan = createPlan(ctx(tutor), c, [], {
      ectId: "ect-amy",
      templateId: "level_2",
      content: { startDate: "2026-11-30", endDate: "2027-01-11", targets: [target([])] },
    }).plan;
    const e = refusal(() => requestSignatures(ctx(tutor), c, plan));
    expect(e.violations.map((v) => v.path)).toContain("targets.0.standards");
    const ready = { ...plan, targets: [target(["7d"])] };
    expect(requestSignatures(ctx(tutor), c, ready).outbox?.map((m) => m.recipientId)).toEqual(["tutor", "amy"]);
  });
});

describe("asking for signatures", () => {
  const draft = () =>
    createPlan(ctx(tutor), c0(), [], {
      ectId: "ect-amy",
      templateId: "level_2",
      content: { startDate: "2026-11-30", endDate: "2027-01-11", targets: [target(["7d"])] },
    }).plan;

  it("puts the plan in awaiting signatures with a sign-by date, and asking again only reminds those who have not signed", () => {
    const first = requestSignatures(ctx(tutor), c0(), draft(), { signBy: "2026-12-02" });
    expect(first.reminder).toBe(false);
    expect(first.plan.status).toBe("awaiting_signatures");
    expect(first.plan.signatureRequest).toMatchObject({ revision: 1, requestedBy: "tutor", signBy: "2026-12-02", remindedAt: [] });
    expect(first.audit[0]?.summary).toBe("Asked Induction tutor, ECT to sign agreed version 1 by 2026-12-02");
    const signed = signPlan(ctx(amy), c0(), first.plan, { revision: 1 }, "card").plan;
    // A double click (or a second lead) the same day sends nothing more, and says so.
    const doubleClick = requestSignatures(ctx(tutor, "2026-11-27T10:00:01.000Z"), c0(), signed);
    expect(doubleClick).toMatchObject({ reminder: true, alreadyAskedToday: true, audit: [] });
    expect(doubleClick.save).toBeUndefined();
    expect(doubleClick.outbox).toBeUndefined();
    const nextDay = "2026-11-28T09:00:00.000Z";
    const again = requestSignatures(ctx(tutor, nextDay), c0(), signed);
    expect(again).toMatchObject({ reminder: true, alreadyAskedToday: false });
    expect(again.plan.status).toBe("awaiting_signatures");
    expect(again.plan.signatureRequest?.remindedAt).toEqual([nextDay]);
    expect(again.outbox?.map((m) => [m.recipientId, m.data?.reminder, m.dedupeKey])).toEqual([
      ["tutor", true, `sign:${signed.id}:1:induction_tutor:remind:2026-11-28`],
    ]);
    expect(again.audit[0]?.action).toBe("remindSigners");
    expect(requestSignatures(ctx(tutor, "2026-11-28T15:00:00.000Z"), c0(), again.plan).alreadyAskedToday).toBe(true);
  });

  it("defaults the sign-by date to a week on, and refuses one already past", () => {
    expect(requestSignatures(ctx(tutor), c0(), draft()).plan.signatureRequest?.signBy).toBe("2026-12-04");
    expect(refusal(() => requestSignatures(ctx(tutor), c0(), draft(), { signBy: "2026-11-26" })).message).toMatch(/passed/);
  });

  it("is refused on an agreed plan with nothing to sign", () => {
    expect(refusal(() => requestSignatures(ctx(tutor), c0(), runningPlan())).message).toMatch(/propose an amendment/);
  });
});

describe("check-ins and comments", () => {
  it("lands the ECT's answer on the week's row and records a repeated card once", () => {
    const plan = runningPlan();
    const checkIn = { id: "ci-1", planId: plan.id, ectId: "ect-amy", week: 1, dueOn: "2026-11-27", status: "open" as const };
    const first = recordCheckIn(ctx(amy), ectCtx(), plan, checkIn, { week: 1, comment: "Going well" });
    expect(first.plan.weeks[0]?.ectComment).toBe("Going well");
    expect(first.checkIns?.[0]?.status).toBe("answered");
    const again = recordCheckIn(ctx(amy), ectCtx(), first.plan, first.checkIns?.[0], { week: 1, comment: "Going well" });
    expect(again.duplicate).toBe(true);
    expect(again.save).toBeUndefined();
    expect(refusal(() => recordCheckIn(ctx(tutor), ectCtx(), plan, undefined, { week: 1, comment: "x" })).kind).toBe("forbidden");
  });

  it("sends an ECT's comment to the tutor", () => {
    const plan = runningPlan();
    const r = addComment(ctx(amy), ectCtx(), plan, { text: "Can we move the observation?" });
    expect(r.plan.comments).toHaveLength(1);
    expect(r.outbox?.[0]).toMatchObject({ kind: "comment_added", recipientId: "tutor" });
  });
});

describe("review, escalation and carry-over", () => {
  const reviewed = (onTrack: boolean, outcomes: ("met" | "not_met" | "partially_met")[]) => {
    const plan = runningPlan();
    return recordReview(ctx(tutor), ectCtx(), plan, {
      version: plan.version,
      review: {
        date: "2027-01-04",
        notes: "",
        targetOutcomes: plan.targets.map((t, i) => ({ targetId: t.id, outcome: outcomes[i] ?? "not_met", evidence: "Observed" })),
        evaluation: "",
        nextObjectives: "Pace",
        onTrack,
        finalOutcome: "",
      },
    }).plan;
  };

  it("closes an on-track plan and tells the ECT, the head and the AB", () => {
    const plan = reviewed(true, ["met", "met"]);
    const r = concludeReview(ctx(tutor), ectCtx(), plan, { version: plan.version, decision: "on_track", reason: "" });
    expect(r.plan).toMatchObject({ status: "closed", outcome: "on_track" });
    expect(r.successor).toBeUndefined();
    expect(r.outbox?.map((m) => m.recipientId).sort()).toEqual(["amy", "head", "officer"]);
  });

  it("will not close as on track when the review says not on track", () => {
    const plan = reviewed(false, ["met", "not_met"]);
    expect(refusal(() => concludeReview(ctx(tutor), ectCtx(), plan, { version: plan.version, decision: "on_track", reason: "" })).kind).toBe("invalid_state");
  });

  it("continues at the same level for an ECT1 with some progress, carrying what was not met", () => {
    const plan = reviewed(false, ["met", "partially_met"]);
    const r = concludeReview(ctx(tutor), ectCtx(), plan, { version: plan.version, decision: "continue", reason: "" });
    expect(r.successor?.level).toBe(2);
    expect(r.successor?.targets.map((t) => t.text)).toEqual(["Pace"]);
    expect(r.successor?.targets[0]?.carriedFromTargetId).toBe(plan.targets[1]?.id);
    // Level 2's form has no statement of concern: what was not met is its carried objective, not hidden text.
    expect(r.successor?.statementOfConcern).toBe("");
    expect(r.outbox?.filter((m) => m.kind === "insufficient_progress_alert").map((m) => m.recipientId)).toEqual(["officer"]);
  });

  it("escalates an ECT2 near the end of induction sooner, even on 'continue'", () => {
    const plan = reviewed(false, ["partially_met", "partially_met"]);
    const nearEnd = { ...ectCtx({ inductionStartDate: "2025-09-01" }) };
    const r = concludeReview(ctx(tutor, "2027-06-01T10:00:00.000Z"), nearEnd, plan, { version: plan.version, decision: "continue", reason: "" });
    expect(r.successor?.level).toBe(3);
  });

  it("escalates to the next level with alerts the ladder names (Level 4 tells the head)", () => {
    const plan = runningPlan();
    const r3 = escalatePlan(ctx(tutor), ectCtx(), plan, { version: plan.version, reason: "No progress" });
    expect(r3.successor.level).toBe(3);
    // The reason typed is kept on the closed plan, as written.
    expect(r3.plan).toMatchObject({ status: "closed", outcome: "escalated", successorId: r3.successor.id, outcomeReason: "No progress" });
    expect(r3.outbox?.map((m) => m.recipientId)).toEqual(["officer"]);
    const r4 = escalatePlan(ctx(tutor), ectCtx(), plan, { version: plan.version, toLevel: 4, reason: "Serious concerns" });
    expect(r4.successor.templateId).toBe("level_4");
    expect(r4.outbox?.map((m) => m.recipientId).sort()).toEqual(["head", "officer"]);
    expect(r4.outbox?.every((m) => m.kind === "escalation_alert")).toBe(true);
    expect(refusal(() => escalatePlan(ctx(tutor), ectCtx(), plan, { version: plan.version, toLevel: 2, reason: "x" })).message).toMatch(/above 2/);
    // When the head escalates, the induction tutor hears of it too.
    const byHead = escalatePlan(ctx(head), ectCtx(), plan, { version: plan.version, reason: "Serious concerns" });
    expect(byHead.outbox?.map((m) => m.recipientId).sort()).toEqual(["officer", "tutor"]);
  });

  it("refuses a review outcome for a target that is not on the plan", () => {
    const plan = runningPlan();
    const e = refusal(() =>
      recordReview(ctx(tutor), ectCtx(), plan, {
        version: plan.version,
        review: { notes: "", targetOutcomes: [{ targetId: "nope", outcome: "met", evidence: "" }], evaluation: "", nextObjectives: "", finalOutcome: "" },
      }),
    );
    expect(e.violations[0]?.code).toBe("unknown-target");
  });
});

describe("assignSigner", () => {
  const cohead = person("cohead", ["head"]);
  const twoHeads = () => ectCtx({}, { schoolStaff: [tutor, mentor, head, cohead] });

  it("lets the lead choose between the heads the roster gives, and only them", () => {
    const c = twoHeads();
    const plan = createPlan(ctx(tutor), c, [], { ectId: "ect-amy", templateId: "at_risk_action" }).plan;
    expect(plan.signers.find((s) => s.role === "head")?.personId).toBeUndefined();
    const r = assignSigner(ctx(tutor), c, plan, { version: plan.version, role: "head", personId: "cohead" });
    expect(r.plan.signers.find((s) => s.role === "head")?.personId).toBe("cohead");
    expect(r.plan.revision).toBe(plan.revision);
    expect(r.audit[0]?.summary).toBe("Named cohead to sign as Headteacher/Principal");
    const e = refusal(() => assignSigner(ctx(tutor), c, plan, { version: plan.version, role: "head", personId: "mentor" }));
    expect(e.kind).toBe("validation");
    expect(e.violations[0]).toMatchObject({ code: "signer-not-in-role" });
    expect(e.violations[0]?.message).toMatch(/headteacher of the ECT's school/);
  });

  it("refuses naming yourself, the ECT's own role, a signed role and a non-lead", () => {
    const c = twoHeads();
    const draft = createPlan(ctx(tutor), c, [], { ectId: "ect-amy", templateId: "at_risk_action" }).plan;
    // The attack: a tutor names himself as the head.
    const self = refusal(() => assignSigner(ctx(tutor), c, draft, { version: draft.version, role: "head", personId: "tutor" }));
    expect(self.kind).toBe("forbidden");
    expect(self.message).toMatch(/Nobody names themselves/);
    expect(refusal(() => assignSigner(ctx(tutor), c, draft, { version: draft.version, role: "ect", personId: "head" })).message).toMatch(/own plan/);
    expect(refusal(() => assignSigner(ctx(mentor), c, draft, { version: draft.version, role: "head", personId: "head" })).kind).toBe("forbidden");
    // A role signed on this version keeps its signer.
    const named = assignSigner(ctx(tutor), c, draft, { version: draft.version, role: "head", personId: "cohead" }).plan;
    const ready = { ...named, targets: [{ ...target(["1a"]), reviewDate: "2026-12-21" }], startDate: "2026-11-30", endDate: "2026-12-28" };
    const asked = requestSignatures(ctx(tutor), c, ready).plan;
    const signed = signPlan(ctx(cohead), c, asked, { revision: asked.revision }, "card").plan;
    expect(refusal(() => assignSigner(ctx(tutor), c, signed, { version: signed.version, role: "head", personId: "head" })).message).toMatch(
      /already signed this version/,
    );
  });
});
