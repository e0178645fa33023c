import { describe, expect, it } from "vitest";
import { agreementChanges } from "@shared/agreement";
import type { PlanContent, Target } from "@shared/model/plan";
import { NOT_AGREED, REMOVED, agreedValueAt, compareChanges } from "./amendmentView";

const target = (id: string, text: string, standards = ["7d"]): Target => ({
  id,
  standards,
  text,
  ectActions: "",
  schoolActions: "",
  supportedBy: "",
  resources: "",
  successCriteria: "",
  timeScale: "",
  observationOutcome: "",
  outcomeEntries: [],
});
const content = (patch: Partial<PlanContent>): PlanContent => ({
  term: "",
  presentAtMeeting: "",
  subject: "",
  staffMembers: "",
  statementOfConcern: "",
  previousObjectives: "",
  previousEvaluation: "",
  relatedStandards: [],
  possibleExtensionReasons: "",
  targets: [],
  weeks: [],
  meetings: [],
  ...patch,
});

describe("an amendment's changes, agreed beside proposed", () => {
  const agreed = content({
    endDate: "2027-01-04",
    targets: [target("a", "Act decisively"), target("b", "Use lesson time", ["4a"])],
    weeks: [{ week: 1, action: "Observe", byWhom: "", resources: "", successCriteria: "", evaluation: "", ectComment: "" }],
  });
  // Target a removed, b reworded (now first), c added; the end date and week 1's action changed.
  const proposed = content({
    endDate: "2027-01-08",
    targets: [target("b", "Use lesson time well", ["4a", "4b"]), target("c", "Plan plenaries", ["4b"])],
    weeks: [{ week: 1, action: "Observe twice", byWhom: "", resources: "", successCriteria: "", evaluation: "Went well", ectComment: "" }],
  });

  it("pairs each change the domain names with the agreed and the proposed value, rows matched by id", () => {
    const rows = compareChanges(agreed, proposed, agreementChanges(agreed, proposed));
    const byLabel = Object.fromEntries(rows.map((r) => [r.label, [r.agreed, r.proposed]]));
    expect(byLabel).toEqual({
      "End date": ["4 Jan 2027", "8 Jan 2027"],
      "Target 1 Teachers' Standards": ["4a", "4a, 4b"],
      "Target 1 wording": ["Use lesson time", "Use lesson time well"],
      "Added target 2": [NOT_AGREED, "Plan plenaries (4b)"],
      "Week 1 action and by whom": ["Observe", "Observe twice"],
      "Removed target 1": ["Act decisively (7d)", REMOVED],
    });
  });

  it("gives a field's agreed value only where the editor's differs, and none for a new row", () => {
    expect(agreedValueAt(agreed, proposed, "targets.0.text")).toBe("Use lesson time");
    expect(agreedValueAt(agreed, proposed, "targets.1.text")).toBeUndefined();
    expect(agreedValueAt(agreed, proposed, "endDate")).toBe("4 Jan 2027");
    expect(agreedValueAt(agreed, agreed, "endDate")).toBeUndefined();
    expect(agreedValueAt(agreed, proposed, "weeks.0.action")).toBe("Observe");
  });
});
