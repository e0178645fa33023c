import { describe, expect, it } from "vitest";
import type { Ect } from "./model/people.js";
import type { InductionRecord, ProgressReviewRecord } from "./model/inductionRecords.js";
import type { Actor } from "./permissions.js";
import { mayExportRecord, mayExportWholeRecord } from "./recordExportAccess.js";
import { wholeRecordParts } from "./recordExport.js";

const ect = {
  id: "ect-amy",
  personId: "p-amy",
  schoolId: "s1",
  abId: "ab1",
  inductionTutorId: "p-tutor",
  mentorId: "p-mentor",
  inductionStartDate: "2026-09-01",
  fte: 1,
  absences: [],
  extensions: [],
  track: "ect",
} as Ect;
const actor = (id: string, roles: Actor["roles"], where: Partial<Actor> = { schoolId: "s1" }): Actor => ({ id, displayName: id, roles, ...where });

describe("who may export an induction record", () => {
  it("gives one review to anyone who may read the records, and the whole record only to the ECT, the lead, the head and the AB", () => {
    const cases: [Actor, boolean, boolean][] = [
      [actor("p-amy", ["ect"]), true, true],
      [actor("p-lead", ["induction_lead"]), true, true],
      [actor("p-head", ["head"]), true, true],
      [actor("p-ab", ["ab_officer"], { abId: "ab1" }), true, true],
      [actor("p-tutor", ["induction_tutor"]), true, false],
      [actor("p-mentor", ["mentor"]), true, false],
      [actor("p-tutor-b", ["induction_tutor"]), false, false],
      [actor("p-ben", ["ect"]), false, false],
      [actor("p-other-head", ["head", "induction_lead"], { schoolId: "s2" }), false, false],
      [actor("p-other-ab", ["ab_officer"], { abId: "ab2" }), false, false],
    ];
    for (const [who, one, whole] of cases) {
      expect([who.id, mayExportRecord(who, ect), mayExportWholeRecord(who, ect)]).toEqual([who.id, one, whole]);
    }
  });
});

describe("the whole record's parts", () => {
  const review = (id: string, date: string, recordedAt: string, over: Partial<ProgressReviewRecord> = {}): ProgressReviewRecord => ({
    id,
    kind: "progress_review",
    ectId: "ect-amy",
    schoolId: "s1",
    abId: "ab1",
    recordedAt,
    recordedBy: "p-tutor",
    recordedByName: "T",
    revision: 1,
    scaleId: "progress_review_2025",
    review: { ectId: "ect-amy", date, onTrack: true, evidenceSummary: "", ratings: {}, targets: [{ text: "t", standards: [] }] },
    ...over,
  });

  it("puts plans and reviews in date order, a plan before a review on the same day, and only the current revision of each review", () => {
    const records: InductionRecord[] = [
      review("r-spring", "2027-03-10", "2027-03-10T12:00:00Z"),
      review("r-autumn-1", "2026-12-01", "2026-12-01T12:00:00Z"),
      review("r-autumn-2", "2026-12-01", "2026-12-05T12:00:00Z", { revision: 2, revises: "r-autumn-1" }),
    ];
    const parts = wholeRecordParts(
      [
        { id: "plan-b", date: "2027-01-15" },
        { id: "plan-a", date: "2026-12-01" },
      ],
      records,
    );
    expect(parts.map((p) => (p.kind === "plan" ? p.planId : p.recordId))).toEqual(["plan-a", "r-autumn-2", "plan-b", "r-spring"]);
  });
});
