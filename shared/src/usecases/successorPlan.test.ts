import { describe, expect, it } from "vitest";
import type { Plan, TargetOutcome } from "../model/plan.js";
import { ctx, ectCtx, runningPlan, tutor } from "../../test-support/world.js";
import { recordReview } from "./recordReview.js";
import { escalatePlan } from "./escalatePlan.js";
import { concludeReview } from "./concludeReview.js";
import { nextObjectiveLines, nextSchoolDay, successorDates, successorStart } from "./successorStart.js";

/** Amy's running Level 2 plan (targets "Behaviour" 7d and "Pace" 4a), reviewed on `date`. */
function reviewed(date: string | undefined, outcomes: TargetOutcome[], nextObjectives = "", weekEvaluations: string[] = []): Plan {
  const running = runningPlan();
  const plan = { ...running, weeks: running.weeks.map((w, i) => ({ ...w, evaluation: weekEvaluations[i] ?? "" })) };
  return recordReview(ctx(tutor), ectCtx(), plan, {
    version: plan.version,
    review: {
      ...(date ? { date } : {}),
      notes: "",
      targetOutcomes: plan.targets.map((t, i) => ({ targetId: t.id, outcome: outcomes[i] ?? "not_met", evidence: `Evidence for ${t.text}` })),
      evaluation: "Behaviour secure; pace not yet",
      nextObjectives,
      onTrack: false,
      finalOutcome: "",
    },
  }).plan;
}

describe("the successor's dates come from the ladder", () => {
  it("starts the day after the review and runs the level's longest length, reviewed at its end", () => {
    // Tuesday 5 January 2027 → Wednesday 6 January; Level 3 runs 4–6 weeks.
    const plan = reviewed("2027-01-05", ["met", "not_met"]);
    expect(successorDates(plan, 3, "2026-11-27")).toEqual({ startDate: "2027-01-06", endDate: "2027-02-17", reviewDate: "2027-02-17", lengthWeeks: 6 });
    // Level 4: a 6 week action plan; Level 1 (a further light-touch plan): 2–4 weeks.
    expect(successorDates(plan, 4, "2026-11-27").endDate).toBe("2027-02-17");
    expect(successorDates(plan, 1, "2026-11-27")).toMatchObject({ endDate: "2027-02-03", lengthWeeks: 4 });
  });

  it("a review on a Friday starts the next plan on the Monday, and it ends on a Monday", () => {
    const plan = reviewed("2027-01-08", ["met", "not_met"]);
    expect(successorDates(plan, 3, "2026-11-27")).toMatchObject({ startDate: "2027-01-11", endDate: "2027-02-22", reviewDate: "2027-02-22" });
    expect(new Date("2027-02-22T00:00:00Z").getUTCDay()).toBe(1);
  });

  it("escalated before any review, it starts on the school day after the escalation", () => {
    // The test clock is Friday 27 November 2026.
    const plan = runningPlan();
    const r = escalatePlan(ctx(tutor), ectCtx(), plan, { version: plan.version, reason: "No progress" });
    expect(r.successor).toMatchObject({ startDate: "2026-11-30", endDate: "2027-01-11", reviewDate: "2027-01-11", term: "Autumn 2026" });
  });

  it("sets no end where the ladder sets no length (Level 5 comprehensive plan, Level 6 HR policy)", () => {
    const plan = reviewed("2027-01-05", ["not_met", "not_met"]);
    expect(successorDates(plan, 5, "2026-11-27")).toEqual({ startDate: "2027-01-06" });
    expect(successorDates(plan, 6, "2026-11-27")).toEqual({ startDate: "2027-01-06" });
  });

  it("skips the weekend only: the calendar models no term dates or holidays", () => {
    expect(nextSchoolDay("2026-12-26")).toBe("2026-12-28");
    expect(nextSchoolDay("2026-12-27")).toBe("2026-12-28");
    expect(nextSchoolDay("2026-12-28")).toBe("2026-12-28");
  });

  it("the term follows the start date, not the day the plan was escalated", () => {
    const plan = reviewed("2027-01-05", ["met", "not_met"]);
    const r = concludeReview(ctx(tutor), ectCtx(), plan, { version: plan.version, decision: "escalate", reason: "Not enough progress" });
    expect(r.successor).toMatchObject({ startDate: "2027-01-06", endDate: "2027-02-17", reviewDate: "2027-02-17", term: "Spring 2027" });
  });
});

describe("the successor's objectives: the targets not met and the review's next objectives", () => {
  it("carries each target not met with its standards and the evidence it was not met, then the next objectives", () => {
    const plan = reviewed("2027-01-05", ["met", "partially_met"], "- Pace\n- Plenaries that check understanding\n\n2. Questioning", [
      "Calmer starts",
      "",
      "Starters overran",
    ]);
    const start = successorStart(plan, 3, "2026-11-27");
    expect(start.objectives.map((o) => o.target.text)).toEqual(["Pace", "Plenaries that check understanding", "Questioning"]);
    expect(start.objectives[0]).toMatchObject({
      target: { standards: ["4a"], carriedFromTargetId: plan.targets[1]?.id },
      notMet: { outcome: "partially_met", evidence: "Evidence for Pace" },
    });
    // New objectives have no standard yet and no evidence: the tutor links them.
    expect(start.objectives[1]).toEqual({ target: expect.objectContaining({ standards: [], text: "Plenaries that check understanding" }) });
    expect(start.objectives[1]?.target.carriedFromTargetId).toBeUndefined();
    expect(start.weekEvaluations).toEqual([
      { week: 1, evaluation: "Calmer starts" },
      { week: 3, evaluation: "Starters overran" },
    ]);
  });

  it("the built plan holds the same objectives, dates and standards", () => {
    const plan = reviewed("2027-01-05", ["not_met", "met"], "Questioning");
    const r = concludeReview(ctx(tutor), ectCtx(), plan, { version: plan.version, decision: "escalate", reason: "Not enough progress" });
    expect(r.successor?.targets.map((t) => [t.text, t.standards, t.carriedFromTargetId])).toEqual([
      ["Behaviour", ["7d"], plan.targets[0]?.id],
      ["Questioning", [], undefined],
    ]);
    // The Level 3 form prints the standards on each objective, and no statement or related-standards
    // line: nothing is carried into a field it has no place for (issue 16), so nothing sits unseen.
    expect(r.successor?.targets[0]?.standards).toEqual(["7d"]);
    expect(r.successor?.relatedStandards).toEqual([]);
    expect(r.successor?.statementOfConcern).toBe("");
    expect(r.successor?.targets.map((t) => t.successCriteria)).toEqual(["", ""]);
    // The audit counts what was carried, not what is new.
    expect(r.audit[0]?.summary).toContain("1 objective(s) carried over"); // the Level form's word
  });

  it("unreviewed, every target carries over with no outcome and no evidence", () => {
    const plan = runningPlan();
    const start = successorStart(plan, 3, "2026-11-27");
    expect(start.objectives.map((o) => [o.target.text, o.notMet])).toEqual([
      ["Behaviour", { evidence: "" }],
      ["Pace", { evidence: "" }],
    ]);
  });

  it("reads next objectives one a line, without bullets, numbers or repeats", () => {
    expect(nextObjectiveLines("• Pace\r\n1) Pace\n  \n* Questioning\n–  Routines\n10. Marking")).toEqual([
      "Pace",
      "Pace",
      "Questioning",
      "Routines",
      "Marking",
    ]);
    const plan = reviewed("2027-01-05", ["met", "met"], "Questioning\nquestioning ");
    expect(successorStart(plan, 2, "2026-11-27").objectives.map((o) => o.target.text)).toEqual(["Questioning"]);
  });

  it("never starts over the form's limits: 20 objectives, 2000 characters each", () => {
    const many = Array.from({ length: 30 }, (_, i) => `Objective ${i + 1}`).join("\n");
    expect(successorStart(reviewed("2027-01-05", ["met", "met"], many), 2, "2026-11-27").objectives).toHaveLength(20);
    const long = reviewed("2027-01-05", ["met", "met"], "x".repeat(3000));
    expect(successorStart(long, 2, "2026-11-27").objectives[0]?.target.text).toHaveLength(2000);
  });
});
