import { describe, expect, it } from "vitest";
import { PlanContent, type TemplateId, type Level } from "./model/plan.js";
import type { Ect } from "./model/people.js";
import type { Violation } from "./errors.js";
import { blockingViolations, validatePlan, type PlanToValidate } from "./rules.js";
import { targetWord, templateById, templates } from "./templates.js";

const today = "2026-01-05";

const target = (over: Record<string, unknown> = {}) => ({
  id: "t1",
  standards: ["7d"],
  text: "Apply the behaviour policy consistently, using praise and sanctions fairly",
  ...over,
});

const sixWeeks = () => [1, 2, 3, 4, 5, 6].map((week) => ({ week }));

/** A plan that passes every rule for its template; tests break one thing at a time. */
function plan(templateId: TemplateId, over: Record<string, unknown> = {}, level?: Level): PlanToValidate {
  const base: Record<TemplateId, Record<string, unknown>> = {
    ect_additional_support: { startDate: today, reviewDate: "2026-02-09", targets: [target()] },
    at_risk_action: { startDate: today, reviewDate: "2026-02-02", targets: [target()] },
    itt_early_support: { startDate: today, reviewDate: "2026-01-16", statementOfConcern: "Lessons lack structure.", targets: [target()] },
    level_1: { startDate: today, endDate: "2026-01-26", statementOfConcern: "Low-level disruption in Year 8.", targets: [target()] },
    level_2: { startDate: today, endDate: "2026-02-09", targets: [target()], weeks: sixWeeks() },
    level_3: { startDate: today, endDate: "2026-02-16", targets: [target()], weeks: sixWeeks() },
    level_4: {
      startDate: today,
      endDate: "2026-02-16",
      targets: [target()],
      weeks: sixWeeks(),
      meetings: [{ id: "m1", kind: "ab", date: "2026-01-05", attendees: "AB, ECT, mentor, induction tutor" }],
    },
    level_5: {
      startDate: today,
      endDate: "2026-02-16",
      statementOfConcern: "Standards 4 and 7 not met across two plans.",
      targets: [target()],
      weeks: sixWeeks(),
      meetings: [{ id: "m1", kind: "ab", date: "2026-01-05" }],
    },
    level_6: { startDate: today, targets: [target()] },
  };
  const levelOf: Partial<Record<TemplateId, Level>> = {
    ect_additional_support: 2,
    at_risk_action: 4,
    level_1: 1,
    level_2: 2,
    level_3: 3,
    level_4: 4,
    level_5: 5,
    level_6: 6,
  };
  const content = PlanContent.parse({ ...base[templateId], ...over });
  const lvl = level ?? levelOf[templateId];
  return { ...content, templateId, ...(lvl !== undefined ? { level: lvl } : {}) };
}

const ect = (over: Partial<Ect> = {}): Ect => ({
  id: "ect-1",
  personId: "p1",
  schoolId: "s1",
  abId: "ab1",
  inductionStartDate: "2025-09-01",
  fte: 1,
  absences: [],
  extensions: [],
  track: "ect",
  ...over,
});

const check = (p: PlanToValidate, ctx: { today: string; ect?: Ect } = { today }) => validatePlan(p, ctx);
const only = (v: Violation[], code: string) => v.filter((x) => x.code === code);

describe("validatePlan: a well-formed plan of every template passes", () => {
  const ids: TemplateId[] = ["ect_additional_support", "at_risk_action", "itt_early_support", "level_1", "level_2", "level_3", "level_4", "level_5", "level_6"];
  for (const id of ids) {
    it(`template ${id}`, () => {
      expect(check(plan(id))).toEqual([]);
    });
  }
});

describe("targets", () => {
  it("every target cites at least one Teachers' Standard, named in the form's own word", () => {
    const p = plan("level_2", { targets: [target(), target({ id: "t2", standards: [] })] });
    expect(check(p)).toEqual([
      {
        path: "targets.1.standards",
        code: "target-needs-standard",
        message: "Objective 2: link it to at least one Teachers' Standard (for example 7d). Concerns must relate only to the Teachers' Standards.",
        severity: "incomplete",
      },
    ]);
    expect(check(plan("level_2", { targets: [target(), target({ id: "t2", standards: ["P2a-i"] })] }))).toEqual([]);
  });

  it("a target needs text", () => {
    const p = plan("level_3", { targets: [target({ text: "   " })] });
    expect(check(p)).toEqual([{ path: "targets.0.text", code: "target-needs-text", message: "Objective 1: write the objective.", severity: "incomplete" }]);
  });

  it("objective on the Level forms, target on 000–002: Level 6's check says what its button says", () => {
    const untitled = (id: Parameters<typeof plan>[0]) => check(plan(id, { targets: [target({ text: "" })] })).map((v) => v.message);
    expect(untitled("level_6")).toEqual(["Objective 1: write the objective."]);
    expect(templateById("level_6").targetColumns.find((c) => c.field === "text")?.label).toBe("Objective");
    expect(untitled("ect_additional_support")).toEqual(["Target 1: write the target."]);
    expect(untitled("at_risk_action")).toEqual(["Target 1: write the target."]);
    for (const t of templates) expect(targetWord(t.id)).toBe(t.seed === "003" ? "objective" : "target");
  });

  it("a plan needs at least one target", () => {
    expect(check(plan("level_1", { targets: [] }))).toEqual([
      {
        path: "targets",
        code: "plan-needs-target",
        message: 'Add at least one objective under "Objective (linked to Teachers\' Standards)".',
        severity: "incomplete",
      },
    ]);
  });

  it("the ITT early support plan has at most three targets", () => {
    const four = [1, 2, 3, 4].map((n) => target({ id: `t${n}` }));
    expect(check(plan("itt_early_support", { targets: four }))).toEqual([
      {
        path: "targets",
        code: "too-many-targets",
        message: "The ITT early support plan allows at most 3 targets; this one has 4. Remove 1 target.",
        severity: "error",
      },
    ]);
    expect(check(plan("itt_early_support", { targets: four.slice(0, 3) }))).toEqual([]);
    // Other forms have no such limit.
    expect(check(plan("level_2", { targets: four }))).toEqual([]);
  });
});

describe("dates and plan length", () => {
  it("a Level 2 plan runs 4–6 weeks", () => {
    expect(check(plan("level_2", { endDate: "2026-03-09" }))).toEqual([
      { path: "endDate", code: "plan-length", message: "A Level 2 plan runs 4–6 weeks; this one runs 9 weeks.", severity: "error" },
    ]);
    expect(only(check(plan("level_2", { endDate: "2026-01-26" })), "plan-length")[0]?.message).toBe("A Level 2 plan runs 4–6 weeks; this one runs 3 weeks.");
    expect(check(plan("level_2", { endDate: "2026-02-02" }))).toEqual([]); // 4 weeks
    expect(check(plan("level_2", { endDate: "2026-02-16" }))).toEqual([]); // 6 weeks
  });

  it("allows a few days either way (a plan may run Monday to Friday)", () => {
    // Level 4 is 6 weeks: Monday 5 Jan to Friday 13 Feb is 5 weeks and 4 days.
    expect(check(plan("level_4", { endDate: "2026-02-13" }))).toEqual([]);
    expect(only(check(plan("level_4", { endDate: "2026-02-12" })), "plan-length")).toEqual([
      { path: "endDate", code: "plan-length", message: "A Level 4 plan runs 6 weeks; this one runs 5 weeks and 3 days.", severity: "error" },
    ]);
    expect(only(check(plan("level_4", { endDate: "2026-02-20" })), "plan-length")[0]?.message).toBe(
      "A Level 4 plan runs 6 weeks; this one runs 6 weeks and 4 days.",
    );
  });

  it("a Level 1 plan runs 2–4 weeks", () => {
    expect(only(check(plan("level_1", { endDate: "2026-02-16" })), "plan-length")[0]?.message).toBe("A Level 1 plan runs 2–4 weeks; this one runs 6 weeks.");
  });

  it("forms with no end date are measured to the review date", () => {
    expect(check(plan("ect_additional_support", { reviewDate: "2026-01-19" }))).toEqual([
      {
        path: "reviewDate",
        code: "plan-length",
        message: "The ECT additional support plan runs 4–6 weeks; this one runs 2 weeks.",
        severity: "error",
      },
    ]);
    // Seed 001 only advises its 4 weeks: a warning (planLengthRules.test.ts has the boundaries).
    expect(only(check(plan("at_risk_action", { reviewDate: "2026-02-16" })), "plan-length")).toEqual([
      {
        path: "reviewDate",
        code: "plan-length",
        message:
          "4-week plans are advised for the Additional support action plan (at-risk ECT); this one runs 6 weeks. Review it 4 weeks after the start (2026-02-02) unless there is a reason to run longer or shorter.",
        severity: "warning",
      },
    ]);
  });

  it("Levels 5 and 6 have no fixed length", () => {
    expect(check(plan("level_5", { endDate: "2026-04-27" }))).toEqual([]);
  });

  it("the end date cannot be before the start date", () => {
    expect(check(plan("level_2", { endDate: "2026-01-02" }))).toEqual([
      { path: "endDate", code: "end-before-start", message: "The end date (2026-01-02) is before the start date (2026-01-05).", severity: "error" },
    ]);
  });

  it("Level 1–5 forms need start and end dates before agreement", () => {
    expect(check(plan("level_3", { startDate: undefined, endDate: undefined }))).toEqual([
      { path: "startDate", code: "start-date-required", message: "Set the date the plan starts.", severity: "incomplete" },
      { path: "endDate", code: "end-date-required", message: "Set the end date of the plan.", severity: "incomplete" },
    ]);
    // Seed 000 prints no end date.
    expect(only(check(plan("ect_additional_support")), "end-date-required")).toEqual([]);
  });

  it("the ITT review date is within 14 days of the start", () => {
    expect(check(plan("itt_early_support", { reviewDate: "2026-01-26" }))).toEqual([
      {
        path: "reviewDate",
        code: "review-too-late",
        message: "The review must be within 2 weeks of the start (by 2026-01-19); this one is 3 weeks after it.",
        severity: "error",
      },
    ]);
    expect(check(plan("itt_early_support", { reviewDate: "2026-01-19" }))).toEqual([]);
    expect(check(plan("itt_early_support", { reviewDate: undefined }))).toEqual([
      { path: "reviewDate", code: "review-date-required", message: "Set the review date: within 2 weeks of the start.", severity: "incomplete" },
    ]);
    expect(only(check(plan("itt_early_support", { reviewDate: "2026-01-01" })), "review-before-start")).toHaveLength(1);
  });
});

describe("weekly rows", () => {
  it("week numbers are unique", () => {
    const weeks = [1, 2, 3, 3, 5, 6].map((week) => ({ week }));
    expect(check(plan("level_2", { weeks }))).toEqual([
      { path: "weeks.3.week", code: "week-duplicated", message: "Week 3 appears more than once.", severity: "error" },
      // The duplicate stands where week 4 should be, and the plan runs 5 weeks: week 4 is missing.
      {
        path: "weeks",
        code: "weeks-missing",
        message: "A Level 2 plan running 5 weeks needs a weekly row for each of its 5 weeks; this one has 4 of them. Add week 4, or change the end date.",
        severity: "incomplete",
      },
    ]);
  });

  it("week numbers run 1 to 6", () => {
    const p = plan("level_2");
    const weeks = [...p.weeks, { ...p.weeks[0]!, week: 7 }];
    expect(check({ ...p, weeks })).toEqual([
      { path: "weeks.6.week", code: "week-out-of-range", message: 'Weekly rows run from week 1 to week 6; "7" is not one of them.', severity: "error" },
    ]);
  });
});

describe("what Levels 4–5 and other forms need before agreement", () => {
  it("Level 4 records the AB meeting", () => {
    expect(check(plan("level_4", { meetings: [] }))).toEqual([
      {
        path: "meetings",
        code: "ab-meeting-required",
        message:
          "A Level 4 plan is agreed at a meeting with the AB, ECT, mentor and induction tutor: record the date of the meeting before the plan is agreed.",
        severity: "incomplete",
      },
    ]);
    // An initial meeting is not the AB meeting.
    expect(only(check(plan("level_4", { meetings: [{ id: "m0", kind: "initial", date: today }] })), "ab-meeting-required")).toHaveLength(1);
  });

  it("the AB meeting must have taken place", () => {
    const p = plan("level_5", {
      meetings: [
        { id: "m0", kind: "initial", date: today },
        { id: "m1", kind: "ab", date: "2026-01-12" },
      ],
    });
    expect(check(p)).toEqual([
      {
        path: "meetings.1.date",
        code: "ab-meeting-not-held",
        message: "The meeting with the AB is on 2026-01-12; the plan can be agreed once it has taken place.",
        severity: "incomplete",
      },
    ]);
    expect(check(p, { today: "2026-01-12" })).toEqual([]);
  });

  it("Levels 1–3 need no AB meeting", () => {
    expect(only(check(plan("level_3", { meetings: [] })), "ab-meeting-required")).toEqual([]);
  });

  it("Level 5 gives the reasons for the risk of failing", () => {
    expect(check(plan("level_5", { statementOfConcern: "" }))).toEqual([
      {
        path: "statementOfConcern",
        code: "statement-of-concern-required",
        message: "Give the reasons the ECT is at risk of failing, linked to the Teachers' Standards.",
        severity: "incomplete",
      },
    ]);
  });

  it("Level 1 gives the reason for light touch support; ITT the statement of concern", () => {
    expect(only(check(plan("level_1", { statementOfConcern: "" })), "statement-of-concern-required")[0]?.message).toBe(
      "Give the reason for light touch support.",
    );
    expect(only(check(plan("itt_early_support", { statementOfConcern: "" })), "statement-of-concern-required")[0]?.message).toBe(
      "Write the initial statement of concern.",
    );
    expect(only(check(plan("level_2", { statementOfConcern: "" })), "statement-of-concern-required")).toEqual([]);
  });
});

describe("ECT2 near the end of induction", () => {
  const nearEnd = { today: "2027-04-19", ect: ect() };

  it("warns on a Level 1–3 plan that the policy advises escalating sooner", () => {
    const p = plan("level_2", { startDate: "2027-04-19", endDate: "2027-05-31" });
    expect(check(p, nearEnd)).toEqual([
      {
        path: "level",
        code: "ect2-near-end",
        message:
          "This ECT is in the second year of induction with about 0.9 terms left (expected end 2027-08-31). The escalation policy advises escalating sooner: consider a Level 4 cause-for-concern plan rather than Level 2.",
        severity: "warning",
      },
    ]);
  });

  it("says nothing for an ECT1, for Level 4, or without the ECT's record", () => {
    const p = plan("level_2", { startDate: "2026-04-20", endDate: "2026-06-01" });
    expect(check(p, { today: "2026-04-20", ect: ect() })).toEqual([]);
    const l4 = plan("level_4", { startDate: "2027-04-19", endDate: "2027-05-31", meetings: [{ id: "m1", kind: "ab", date: "2027-04-19" }] });
    expect(check(l4, nearEnd)).toEqual([]);
    expect(check(plan("level_2", { startDate: "2027-04-19", endDate: "2027-05-31" }), { today: "2027-04-19" })).toEqual([]);
  });
});

describe("blockingViolations", () => {
  const v: Violation[] = [
    { path: "endDate", code: "plan-length", message: "", severity: "error" },
    { path: "targets.0.standards", code: "target-needs-standard", message: "", severity: "incomplete" },
    { path: "level", code: "ect2-near-end", message: "", severity: "warning" },
  ];

  it("saving is blocked by errors only", () => {
    expect(blockingViolations(v, "save").map((x) => x.code)).toEqual(["plan-length"]);
  });

  it("agreeing is blocked by errors and anything incomplete, never by warnings", () => {
    expect(blockingViolations(v, "agree").map((x) => x.code)).toEqual(["plan-length", "target-needs-standard"]);
  });

  it("a blank new draft can be saved but not agreed", () => {
    const draft: PlanToValidate = { ...PlanContent.parse({ startDate: today }), templateId: "level_2", level: 2 };
    const found = validatePlan(draft, { today });
    expect(blockingViolations(found, "save")).toEqual([]);
    expect(blockingViolations(found, "agree").map((x) => x.code)).toEqual(["end-date-required", "plan-needs-target"]);
  });
});
