import { describe, expect, it } from "vitest";
import { TemplateId } from "./model/plan.js";
import { signerLabels, templateById, templateForLevel, templates } from "./templates.js";

describe("templates", () => {
  it("has exactly one template per TemplateId", () => {
    expect(templates.map((t) => t.id).sort()).toEqual([...TemplateId.options].sort());
  });

  it("seed 000: ECT additional support plan", () => {
    const t = templateById("ect_additional_support");
    expect(t).toMatchObject({ seed: "000", track: "ect", level: 2, lengthWeeks: { min: 4, max: 6 } });
    expect(t.sections).toEqual(["initial_meeting", "targets", "signatures"]);
    expect(t.signers).toEqual(["ect", "induction_tutor"]);
    expect(t.targetColumns.map((c) => c.field)).toEqual([
      "standards",
      "text",
      "ectActions",
      "schoolActions",
      "reviewDate",
      "successCriteria",
      "outcomeAtReview",
    ]);
    expect(t.targetColumns.find((c) => c.field === "outcomeAtReview")?.label).toContain("(yes/no/partially)");
  });

  it("seed 001: at-risk action plan is signed by the ECT, induction tutor and head", () => {
    const t = templateById("at_risk_action");
    expect(t).toMatchObject({ seed: "001", track: "ect", lengthWeeks: { min: 4, max: 4 } });
    expect(t.signers).toEqual(["ect", "induction_tutor", "head"]);
    expect(t.targetColumns.map((c) => c.label)).toEqual([
      "TS and area of standards causing concern (exact text)",
      "Agreed target/actions to be taken",
      "Supported by",
      "Timeline",
      "Next review date",
      "Actual outcome",
    ]);
  });

  it("seed 002: ITT early support plan has the six seed signers, at most 3 targets, review within 14 days", () => {
    const t = templateById("itt_early_support");
    expect(t).toMatchObject({ seed: "002", track: "itt", maxTargets: 3, reviewWithinDays: 14 });
    expect(t.level).toBeUndefined();
    expect(t.signers).toEqual(["trainee", "course_tutor", "director", "professional_mentor", "mentor", "lead_subject_mentor"]);
    expect(t.signers.map((s) => signerLabels[s])).toEqual(["Trainee", "Course tutor", "Director", "Professional mentor", "Mentor", "Lead subject mentor"]);
    expect(t.sections).toEqual(["itt_header", "targets", "signatures", "itt_review"]);
    expect(t.targetColumns.map((c) => c.label)).toEqual([
      "Teachers' Standards",
      "Target or objective",
      "Specific task(s)",
      "Support required",
      "Time scale",
      "Success criteria",
    ]);
  });

  it("seed 003 Level 1: light touch, with previous objectives, related standards and a reason", () => {
    const t = templateById("level_1");
    expect(t).toMatchObject({ seed: "003", level: 1, lengthWeeks: { min: 2, max: 4 } });
    expect(t.sections).toEqual(["initial_meeting", "previous_objectives", "related_standards", "statement_of_concern", "targets", "review", "signatures"]);
    expect(t.signers).toEqual(["induction_tutor", "ect"]);
    expect(t.targetColumns.map((c) => c.field)).toContain("observationOutcome");
    expect(t.sections).not.toContain("weeks");
  });

  it("seed 003 Levels 2–5 have weekly rows; Levels 4–5 add the AB meeting; Level 5 the risk of failing", () => {
    expect(templateForLevel(2).sections).toEqual(["plan_dates", "targets", "weeks", "review", "signatures"]);
    expect(templateForLevel(3).sections).toEqual(["plan_dates", "targets", "weeks", "review", "signatures"]);
    expect(templateForLevel(4).sections).toEqual(["plan_dates", "targets", "weeks", "ab_meeting", "review", "signatures"]);
    expect(templateForLevel(5).sections).toEqual(["plan_dates", "risk_of_failing", "targets", "weeks", "ab_meeting", "review", "signatures"]);
    for (const level of [2, 3, 4, 5] as const) {
      const t = templateForLevel(level);
      expect(t.sections).toContain("weeks");
      expect(t.signers).toEqual(["induction_tutor", "ect"]);
      expect(t.targetsHeading).toBe("Objectives (linked to Teachers' Standards)");
    }
    expect(templateForLevel(2).sections).not.toContain("ab_meeting");
    expect(templateForLevel(3).sections).not.toContain("ab_meeting");
  });

  it("seed 003 names and lengths: 4–6 weeks at Levels 2–3, 6 at Level 4, none fixed at Level 5", () => {
    expect(templateForLevel(2)).toMatchObject({ name: "Level 2 – Support plan 1", lengthWeeks: { min: 4, max: 6 } });
    expect(templateForLevel(3)).toMatchObject({ name: "Level 3 – Support plan 2", lengthWeeks: { min: 4, max: 6 } });
    expect(templateForLevel(4)).toMatchObject({ name: "Level 4 – Cause for concern", lengthWeeks: { min: 6, max: 6 } });
    expect(templateForLevel(5).name).toBe("Level 5 – Risk of failing");
    expect(templateForLevel(5).lengthWeeks).toBeUndefined();
  });

  it("Level 6 records capability procedures, signed by the head and induction tutor", () => {
    const t = templateForLevel(6);
    expect(t.sections).toEqual(["capability", "targets", "signatures"]);
    expect(t.signers).toEqual(["head", "induction_tutor"]);
    expect(t.guidance).toContain("Induction continues in parallel");
  });

  it("every template signs off and lists targets citing standards first", () => {
    for (const t of templates) {
      expect(t.sections, t.id).toContain("signatures");
      expect(t.sections, t.id).toContain("targets");
      expect(t.targetColumns[0]?.field, t.id).toBe("standards");
    }
  });

  it("rejects an unknown template", () => {
    expect(() => templateById("level_9" as TemplateId)).toThrow("No template level_9");
  });
});
