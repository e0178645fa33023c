import { describe, expect, it } from "vitest";
import { PlanContent, type Level, type TemplateId } from "./model/plan.js";
import { blockingViolations, validatePlan, type PlanToValidate } from "./rules.js";
import { lengthWording } from "./planLengthRules.js";
import { addDays } from "./timeline.js";
import { createPlan } from "./usecases/createPlan.js";
import { requestSignatures } from "./usecases/requestSignatures.js";
import { ctx, ectCtx, refusal, target, tutor } from "../test-support/world.js";

/**
 * Each length and review rule as strong as its seed's words (the table in planLengthRules.ts),
 * one table per rule, at the boundaries. Plans start on Monday 5 January 2026.
 */
const start = "2026-01-05";
const weeksOn = (n: number) => addDays(start, n * 7);
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ week: i + 1 }));
const objective = (over: Record<string, unknown> = {}) => ({ id: "t1", standards: ["7d"], text: "Apply the behaviour policy consistently", ...over });

function plan(templateId: TemplateId, level: Level | undefined, over: Record<string, unknown>): PlanToValidate {
  const content = PlanContent.parse({ startDate: start, targets: [objective()], statementOfConcern: "Lessons lack structure.", ...over });
  return { ...content, templateId, ...(level !== undefined ? { level } : {}) };
}
const codes = (p: PlanToValidate, code: string) => validatePlan(p, { today: start }).filter((v) => v.code === code);

describe("the seed's words set each rule's strength", () => {
  it("001 advises (a warning); 000 and the ladder say it will be / direct it (an error)", () => {
    expect(lengthWording.at_risk_action).toMatchObject({ words: "We advise 4-week plans", severity: "warning" });
    expect(lengthWording.ect_additional_support).toMatchObject({ words: "it is expected that it will be 4-6 weeks", severity: "error" });
    for (const id of ["level_1", "level_2", "level_3", "level_4"] as const) expect(lengthWording[id]?.severity).toBe("error");
  });
});

describe("001: 'We advise 4-week plans' is a warning, never a block", () => {
  const cases = [
    { weeks: 4, expected: [] },
    { weeks: 3, expected: ["this one runs 3 weeks"] },
    { weeks: 7, expected: ["this one runs 7 weeks"] },
  ];
  for (const c of cases) {
    it(`a plan reviewed ${c.weeks} weeks on: ${c.expected.length ? "warns" : "passes"}`, () => {
      const found = codes(plan("at_risk_action", 4, { reviewDate: weeksOn(c.weeks) }), "plan-length");
      expect(found.map((v) => v.severity)).toEqual(c.expected.map(() => "warning"));
      found.forEach((v, i) => expect(v.message).toContain(c.expected[i]));
      expect(blockingViolations(found, "agree")).toEqual([]);
    });
  }

  it("says what is advised and what to do", () => {
    expect(codes(plan("at_risk_action", 4, { reviewDate: weeksOn(6) }), "plan-length")).toEqual([
      {
        path: "reviewDate",
        code: "plan-length",
        message:
          "4-week plans are advised for the Additional support action plan (at-risk ECT); this one runs 6 weeks. Review it 4 weeks after the start (2026-02-02) unless there is a reason to run longer or shorter.",
        severity: "warning",
      },
    ]);
  });
});

describe("000: 4–6 weeks to the review, an error", () => {
  const cases = [
    { weeks: 3, blocked: true },
    { weeks: 4, blocked: false },
    { weeks: 6, blocked: false },
    { weeks: 7, blocked: true },
  ];
  for (const c of cases) {
    it(`the plan's review date ${c.weeks} weeks on: ${c.blocked ? "an error" : "passes"}`, () => {
      const found = codes(plan("ect_additional_support", 2, { reviewDate: weeksOn(c.weeks) }), "plan-length");
      expect(found.map((v) => v.severity)).toEqual(c.blocked ? ["error"] : []);
    });

    it(`only a target's date for review, ${c.weeks} weeks on: ${c.blocked ? "an error on that target" : "passes"}`, () => {
      const p = plan("ect_additional_support", 2, { targets: [objective({ reviewDate: weeksOn(5) }), objective({ id: "t2", reviewDate: weeksOn(c.weeks) })] });
      const found = codes(p, "target-review-length");
      expect(found.map((v) => [v.path, v.severity])).toEqual(c.blocked ? [["targets.1.reviewDate", "error"]] : []);
      expect(blockingViolations(validatePlan(p, { today: start }), "save").length > 0).toBe(c.blocked);
    });
  }

  it("the message names the target and the dates to choose between", () => {
    const p = plan("ect_additional_support", 2, { targets: [objective({ reviewDate: weeksOn(3) })] });
    expect(codes(p, "target-review-length")[0]?.message).toBe(
      "Target 1: its review is 3 weeks after the plan starts; the ECT additional support plan is reviewed 4–6 weeks on. Set a date for review between 2026-02-02 and 2026-02-16.",
    );
  });

  it("a plan-wide review date is what is measured when there is one", () => {
    const p = plan("ect_additional_support", 2, { reviewDate: weeksOn(5), targets: [objective({ reviewDate: weeksOn(7) })] });
    expect(codes(p, "target-review-length")).toEqual([]);
    expect(codes(p, "plan-length")).toEqual([]);
  });

  it("001's next review dates are its running reviews, not its length: not measured", () => {
    expect(codes(plan("at_risk_action", 4, { targets: [objective({ reviewDate: weeksOn(1) })] }), "target-review-length")).toEqual([]);
  });
});

describe("002: the review within two weeks", () => {
  const cases = [
    { weeks: 2, flagged: false },
    { weeks: 8, flagged: true },
  ];
  for (const c of cases) {
    it(`a review date ${c.weeks} weeks on: ${c.flagged ? "an error (it will be within two weeks)" : "passes"}`, () => {
      expect(codes(plan("itt_early_support", undefined, { reviewDate: weeksOn(c.weeks) }), "review-too-late").map((v) => v.severity)).toEqual(
        c.flagged ? ["error"] : [],
      );
    });

    it(`a review held ${c.weeks} weeks on: ${c.flagged ? "a warning (it has happened)" : "passes"}`, () => {
      const p = { ...plan("itt_early_support", undefined, { reviewDate: weeksOn(2) }), review: { date: weeksOn(c.weeks) } };
      expect(codes(p, "review-held-late").map((v) => [v.path, v.severity])).toEqual(c.flagged ? [["review.date", "warning"]] : []);
    });
  }

  it("the late review says when it was due and what to record", () => {
    const p = { ...plan("itt_early_support", undefined, { reviewDate: weeksOn(2) }), review: { date: weeksOn(8) } };
    expect(codes(p, "review-held-late")[0]?.message).toBe(
      "The review was held 8 weeks after the start; the ITT early support plan is reviewed within 2 weeks (by 2026-01-19). Say why in the notes from review.",
    );
  });
});

describe("Levels 2–5: a weekly row for every week the plan runs", () => {
  const cases = [
    { level: 2, runs: 6, have: 3, missing: "weeks 4, 5 and 6" },
    { level: 2, runs: 6, have: 6 },
    { level: 2, runs: 4, have: 6 },
    { level: 3, runs: 5, have: 4, missing: "week 5" },
    { level: 4, runs: 6, have: 5, missing: "week 6" },
    { level: 5, runs: 10, have: 6 },
    { level: 5, runs: 10, have: 2, missing: "weeks 3, 4, 5 and 6" },
  ] as const;
  for (const c of cases) {
    it(`Level ${c.level}, ${c.runs} weeks, ${c.have} rows: ${"missing" in c ? `needs ${c.missing}` : "complete"}`, () => {
      const p = plan(`level_${c.level}`, c.level, { endDate: weeksOn(c.runs), weeks: rows(c.have) });
      const found = codes(p, "weeks-missing");
      const missing = "missing" in c ? [{ severity: "incomplete", add: c.missing }] : [];
      expect(found.map((v) => ({ severity: v.severity, add: /Add (.+), or change/.exec(v.message)?.[1] }))).toEqual(missing);
    });
  }

  it("a plan Monday to Friday counts to the nearest week", () => {
    // 5 January to Friday 13 February: 5 weeks and 4 days, so six rows.
    expect(codes(plan("level_4", 4, { endDate: "2026-02-13", weeks: rows(5) }), "weeks-missing")).toHaveLength(1);
    expect(codes(plan("level_4", 4, { endDate: "2026-02-13", weeks: rows(6) }), "weeks-missing")).toEqual([]);
  });

  it("says how many weeks the plan needs; a draft may be saved so, not agreed", () => {
    const p = plan("level_2", 2, { endDate: weeksOn(6), weeks: rows(3) });
    const found = validatePlan(p, { today: start });
    expect(found).toEqual([
      {
        path: "weeks",
        code: "weeks-missing",
        message:
          "A Level 2 plan running 6 weeks needs a weekly row for each of its 6 weeks; this one has 3 of them. Add weeks 4, 5 and 6, or change the end date.",
        severity: "incomplete",
      },
    ]);
    expect(blockingViolations(found, "save")).toEqual([]);
    expect(blockingViolations(found, "agree").map((v) => v.code)).toEqual(["weeks-missing"]);
  });

  it("a week written in after the plan's end is flagged; the form's empty rows are not", () => {
    const weeks = [...rows(4), { week: 5, action: "Observe the KS2 lead" }, { week: 6 }];
    expect(codes(plan("level_2", 2, { endDate: weeksOn(4), weeks }), "weeks-after-end")).toEqual([
      {
        path: "weeks",
        code: "weeks-after-end",
        message: "The plan runs 4 weeks, but week 5 is written in. Move that into an earlier week, or change the end date.",
        severity: "warning",
      },
    ]);
    expect(codes(plan("level_2", 2, { endDate: weeksOn(4), weeks: rows(6) }), "weeks-after-end")).toEqual([]);
  });

  const sendLevel2 = (weeks: number) => {
    const c = ectCtx();
    const content = { startDate: "2026-11-30", endDate: "2027-01-11", targets: [target(["7d"])], weeks: PlanContent.shape.weeks.parse(rows(weeks)) };
    const plan = createPlan(ctx(tutor), c, [], { ectId: "ect-amy", templateId: "level_2", content }).plan;
    return () => requestSignatures(ctx(tutor), c, plan);
  };

  it("a Level 2 plan with 3 of its 6 weeks is refused for signature, saying how many it needs", () => {
    const e = refusal(sendLevel2(3));
    expect(e.kind).toBe("validation");
    expect(e.violations.map((v) => [v.code, v.message])).toEqual([
      [
        "weeks-missing",
        "A Level 2 plan running 6 weeks needs a weekly row for each of its 6 weeks; this one has 3 of them. Add weeks 4, 5 and 6, or change the end date.",
      ],
    ]);
  });

  it("with 6 of its 6 weeks it is sent", () => {
    expect(sendLevel2(6)().plan.status).toBe("awaiting_signatures");
  });
});
