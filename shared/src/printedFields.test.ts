import { describe, expect, it } from "vitest";
import { PlanContent, type TemplateId } from "./model/plan.js";
import { keepPrinted, printedFields, requirePrinted, unprintedValues } from "./printedFields.js";
import { templateById, templates } from "./templates.js";
import { DomainError } from "./errors.js";

const target = (extra: Record<string, unknown> = {}) => ({ id: "t1", standards: ["7d"], text: "Act decisively when behaviour slips", ...extra });
const content = (extra: Record<string, unknown>) => PlanContent.parse(extra);
const paths = (templateId: TemplateId, c: Record<string, unknown>, before?: Record<string, unknown>) =>
  unprintedValues(templateById(templateId), content(c), before && content(before)).map((v) => v.path);

describe("which content each form prints, read off its template", () => {
  it.each([
    ["level_2", "successCriteria", false],
    ["level_5", "successCriteria", false],
    ["level_6", "successCriteria", false],
    ["at_risk_action", "successCriteria", false],
    ["ect_additional_support", "successCriteria", true],
    ["itt_early_support", "successCriteria", true],
    ["level_1", "successCriteria", true],
    ["at_risk_action", "supportedBy", true],
    ["level_1", "observationOutcome", true],
    ["level_2", "observationOutcome", false],
  ] as const)("%s prints a target's %s: %s", (id, field, printed) => {
    expect(printedFields(templateById(id)).target.has(field)).toBe(printed);
    expect(paths(id, { targets: [target({ [field]: "Seen in two observed lessons" })] })).toEqual(printed ? [] : [`targets.0.${field}`]);
  });

  it("follows the template's columns: every column is printed, nothing else on the target is", () => {
    for (const t of templates) {
      const cols = new Set(t.targetColumns.map((c) => c.field));
      expect([...printedFields(t).target].sort()).toEqual([...cols].sort());
    }
  });

  it.each([
    ["level_1", "presentAtMeeting", true],
    ["ect_additional_support", "presentAtMeeting", true],
    ["level_2", "presentAtMeeting", false],
    ["level_6", "statementOfConcern", false],
    ["level_5", "statementOfConcern", true],
    ["level_5", "possibleExtensionReasons", true],
    ["level_4", "possibleExtensionReasons", false],
    ["itt_early_support", "subject", true],
    ["level_1", "subject", false],
    ["level_2", "term", true],
    ["level_1", "previousObjectives", true],
    ["level_3", "previousObjectives", false],
  ] as const)("%s prints %s: %s", (id, field, printed) => {
    expect(paths(id, { [field]: "Written by the tutor" })).toEqual(printed ? [] : [field]);
  });

  it("prints related standards only on Level 1, weeks only on Levels 2–5, the capability record only on Level 6", () => {
    expect(paths("level_2", { relatedStandards: ["3a"] })).toEqual(["relatedStandards"]);
    expect(paths("level_1", { relatedStandards: ["3a"] })).toEqual([]);
    expect(paths("level_1", { weeks: [{ week: 1, action: "Observe the KS2 lead" }] })).toEqual(["weeks.0.action"]);
    expect(paths("level_4", { weeks: [{ week: 1, action: "Observe the KS2 lead" }] })).toEqual([]);
    expect(paths("level_2", { capability: { hrContact: "HR manager" } })).toEqual(["capability"]);
    expect(paths("level_6", { capability: { hrContact: "HR manager" } })).toEqual([]);
  });

  it("prints no initial meeting's outline or outcome on any form, and the AB meeting on Levels 4–5 only", () => {
    const initial = { meetings: [{ id: "m1", kind: "initial", outline: "Went through the concerns", outcome: "Plan agreed" }] };
    for (const t of templates) expect(paths(t.id, initial)).toEqual(["meetings.0.outline", "meetings.0.outcome"]);
    const ab = { meetings: [{ id: "m2", kind: "ab", date: "2026-12-01", outline: "Progress so far" }] };
    expect(paths("level_4", ab)).toEqual([]);
    expect(paths("level_5", ab)).toEqual([]);
    expect(paths("level_2", ab)).toEqual(["meetings.0.date", "meetings.0.outline"]);
    // Nor a review or other meeting: Levels 4–5 print the AB meeting alone.
    for (const kind of ["review", "other"]) {
      const meeting = { meetings: [{ id: "m3", kind, date: "2026-12-02", outline: "Notes nobody would see" }] };
      expect(paths("level_4", meeting)).toEqual(["meetings.0.date", "meetings.0.outline"]);
    }
  });

  it("keeps of built content only what the form prints", () => {
    const built = content({
      term: "Spring 2027",
      statementOfConcern: "From the review",
      targets: [target({ successCriteria: "Carried", outcomeEntries: [{ date: "2026-12-01", text: "Seen" }] })],
      meetings: [{ id: "m1", kind: "initial", outline: "Notes" }],
    });
    const kept = keepPrinted(templateById("level_2"), built);
    expect(unprintedValues(templateById("level_2"), kept)).toEqual([]);
    expect(kept.term).toBe("Spring 2027");
    expect(kept.statementOfConcern).toBeUndefined();
    expect(kept.targets?.[0]).toMatchObject({ id: "t1", text: "Act decisively when behaviour slips", successCriteria: "", outcomeEntries: [] });
    expect(kept.meetings).toEqual([]);
    // A form that prints them keeps them.
    expect(keepPrinted(templateById("level_1"), built).targets?.[0]?.successCriteria).toBe("Carried");
  });

  it("accepts empty values: blank text, empty lists, a blank capability record, meetings with nothing in them", () => {
    const blank = {
      presentAtMeeting: "  ",
      relatedStandards: [],
      capability: { hrContact: "", notes: "" },
      meetings: [{ id: "m1", kind: "initial", outline: "", outcome: "" }],
      targets: [target({ successCriteria: "", ectActions: "", outcomeEntries: [] })],
      weeks: [{ week: 1 }],
    };
    for (const t of templates) expect(paths(t.id, blank)).toEqual([]);
  });

  it("lets through what the plan already holds there, but not a change to it", () => {
    const held = { statementOfConcern: "Next objectives from the Level 3 review", targets: [target({ successCriteria: "Carried from Level 1" })] };
    expect(paths("level_4", held, held)).toEqual([]);
    expect(paths("level_4", { ...held, statementOfConcern: "Retyped" }, held)).toEqual(["statementOfConcern"]);
    // A new target (another id) is typed now, whatever an old one held.
    expect(paths("level_4", { targets: [target({ id: "t2", successCriteria: "Carried from Level 1" })] }, held)).toEqual(["targets.0.successCriteria"]);
  });

  it("names each field and says the form has no place for it, as a 400 problem", () => {
    let error: unknown;
    try {
      requirePrinted("level_2", content({ targets: [target({ successCriteria: "x", resources: "y" })] }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    const e = error as DomainError;
    expect(e.kind).toBe("bad_request");
    expect(e.violations.map((v) => [v.path, v.code])).toEqual([
      ["targets.0.resources", "not-on-form"],
      ["targets.0.successCriteria", "not-on-form"],
    ]);
    expect(e.violations[1]?.message).toBe(
      "The Level 2 – Support plan 1 form has no place for success criteria on objective 1: it would not be shown or printed. Leave it empty.",
    );
  });
});
