import { describe, expect, it } from "vitest";
import { formNoun, notMetSentence } from "./PlanOrigin";

describe("the carried-over evidence, in each form's words", () => {
  it("says how the review judged the target and what it saw", () => {
    expect(notMetSentence({ outcome: "not_met", evidence: "Starters still overrun" })).toBe("Not met at review: Starters still overrun");
    expect(notMetSentence({ outcome: "partially_met", evidence: "" })).toBe("Partially met at review");
    expect(notMetSentence({ evidence: "" })).toBe("Carried over unreviewed: the plan was escalated before its review");
  });

  it("objective on the Level forms, target on seeds 000, 001 and 002", () => {
    expect(formNoun({ templateId: "level_2" })).toBe("objective");
    expect(formNoun({ templateId: "level_1" })).toBe("objective");
    expect(formNoun({ templateId: "ect_additional_support" })).toBe("target");
    expect(formNoun({ templateId: "at_risk_action" })).toBe("target");
    expect(formNoun({ templateId: "itt_early_support" })).toBe("target");
  });
});
