import { describe, expect, it } from "vitest";
import type { Absence, Ect, Extension } from "./model/people.js";
import type { DomainError } from "./errors.js";
import { fileAtReviewPoint, openReviewPoints, reviewPointFor, type RecordedPoint } from "./reviewPoints.js";

const ect = (inductionStartDate: string, fte = 1, over: { absences?: Absence[]; extensions?: Extension[] } = {}): Ect => ({
  id: "ect-1",
  personId: "person-1",
  schoolId: "school-1",
  abId: "ab-1",
  inductionStartDate,
  fte,
  absences: over.absences ?? [],
  extensions: over.extensions ?? [],
  track: "ect",
});

const sickness: Absence = { from: "2026-10-01", to: "2026-11-09", days: 40, leaveType: "counting" };
const extension: Extension = { source: "ab_decision", terms: 1, reason: "More time on behaviour", decidedOn: "2028-06-01" };

const PR = "progress_review" as const;
const FA = "formal_assessment" as const;
type Kind = typeof PR | typeof FA;

/** [who, ECT, kind, final?, date, expected label or refusal code] */
const table: [string, Ect, Kind, boolean | undefined, string, string][] = [
  // September start, full time: two points a year plus the assessment in the summer.
  ["Sep FT", ect("2026-09-01"), PR, undefined, "2026-08-31", "before-induction"],
  ["Sep FT", ect("2026-09-01"), PR, undefined, "2026-11-27", "Progress review 1 (Autumn 2026)"],
  ["Sep FT", ect("2026-09-01"), PR, undefined, "2026-11-30", "Progress review 1 (Autumn 2026)"],
  ["Sep FT", ect("2026-09-01"), PR, undefined, "2027-02-10", "Progress review 2 (Spring 2027)"],
  ["Sep FT", ect("2026-09-01"), PR, undefined, "2027-06-01", "no-point-in-term"],
  ["Sep FT", ect("2026-09-01"), FA, false, "2027-06-01", "Formal assessment 1 (end of induction year 1, Summer 2027)"],
  ["Sep FT", ect("2026-09-01"), FA, true, "2027-06-01", "wrong-assessment"],
  ["Sep FT", ect("2026-09-01"), FA, false, "2027-02-10", "no-point-in-term"],
  ["Sep FT", ect("2026-09-01"), PR, undefined, "2027-10-01", "Progress review 3 (Autumn 2027)"],
  ["Sep FT", ect("2026-09-01"), PR, undefined, "2028-03-01", "Progress review 4 (Spring 2028)"],
  ["Sep FT", ect("2026-09-01"), FA, true, "2028-07-01", "Final formal assessment (end of induction, Summer 2028)"],
  ["Sep FT", ect("2026-09-01"), PR, undefined, "2028-09-15", "after-induction"],
  // Part time, pro rata: a review every calendar term, the assessments later.
  ["Sep 0.6", ect("2026-09-01", 0.6), PR, undefined, "2027-06-01", "Progress review 3 (Summer 2027)"],
  ["Sep 0.6", ect("2026-09-01", 0.6), PR, undefined, "2027-10-01", "Progress review 4 (Autumn 2027)"],
  ["Sep 0.6", ect("2026-09-01", 0.6), PR, undefined, "2028-03-01", "no-point-in-term"],
  ["Sep 0.6", ect("2026-09-01", 0.6), FA, false, "2028-03-01", "Formal assessment 1 (end of induction year 1, Spring 2028)"],
  ["Sep 0.5", ect("2026-09-01", 0.5), PR, undefined, "2028-03-01", "Progress review 5 (Spring 2028)"],
  ["Sep 0.5", ect("2026-09-01", 0.5), FA, false, "2027-06-01", "no-point-in-term"],
  ["Sep 0.5", ect("2026-09-01", 0.5), FA, false, "2028-07-01", "Formal assessment 1 (end of induction year 1, Summer 2028)"],
  // January start (4 Jan): the first FTE term is complete on 6 April, a few days into the summer
  // block, yet it is the spring term's review (timeline.ts reviewedTermOf): a review in late March
  // or in the days before 6 April answers it; one after 6 April is the summer's.
  ["Jan FT", ect("2027-01-04"), PR, undefined, "2026-12-01", "before-induction"],
  ["Jan FT", ect("2027-01-04"), PR, undefined, "2027-02-15", "Progress review 1 (Spring 2027)"],
  ["Jan FT", ect("2027-01-04"), PR, undefined, "2027-03-26", "Progress review 1 (Spring 2027)"],
  ["Jan FT", ect("2027-01-04"), PR, undefined, "2027-04-05", "Progress review 1 (Spring 2027)"],
  ["Jan FT", ect("2027-01-04"), PR, undefined, "2027-04-20", "Progress review 2 (Summer 2027)"],
  ["Jan FT", ect("2027-01-04"), PR, undefined, "2027-10-01", "no-point-in-term"],
  ["Jan FT", ect("2027-01-04"), FA, false, "2027-12-10", "Formal assessment 1 (end of induction year 1, Autumn 2027)"],
  ["Jan FT", ect("2027-01-04"), FA, false, "2028-01-03", "Formal assessment 1 (end of induction year 1, Autumn 2027)"],
  ["Jan FT", ect("2027-01-04"), PR, undefined, "2028-03-20", "Progress review 3 (Spring 2028)"],
  // April start (12 Apr): its first review is the summer's, due 9 September.
  ["Apr FT", ect("2027-04-12"), PR, undefined, "2027-07-15", "Progress review 1 (Summer 2027)"],
  ["Apr FT", ect("2027-04-12"), PR, undefined, "2027-09-06", "Progress review 1 (Summer 2027)"],
  ["Apr FT", ect("2027-04-12"), PR, undefined, "2027-10-01", "Progress review 2 (Autumn 2027)"],
  ["Apr FT", ect("2027-04-12"), PR, undefined, "2028-02-01", "no-point-in-term"],
  ["Apr FT", ect("2027-04-12"), FA, false, "2028-03-20", "Formal assessment 1 (end of induction year 1, Spring 2028)"],
  ["Apr FT", ect("2027-04-12"), FA, false, "2028-05-01", "no-point-in-term"],
  // 1 November start: each point falls due mid-term, in the term it reviews.
  ["Nov FT", ect("2026-11-01"), PR, undefined, "2026-12-10", "no-point-in-term"],
  ["Nov FT", ect("2026-11-01"), PR, undefined, "2027-02-10", "Progress review 1 (Spring 2027)"],
  ["Nov FT", ect("2026-11-01"), PR, undefined, "2027-06-10", "Progress review 2 (Summer 2027)"],
  ["Nov FT", ect("2026-11-01"), FA, false, "2027-10-20", "Formal assessment 1 (end of induction year 1, Autumn 2027)"],
  // 40 days' sickness in the autumn stops the clock: every point moves on 40 days.
  ["Sep FT absent", ect("2026-09-01", 1, { absences: [sickness] }), PR, undefined, "2026-11-27", "no-point-in-term"],
  ["Sep FT absent", ect("2026-09-01", 1, { absences: [sickness] }), PR, undefined, "2027-03-01", "Progress review 1 (Spring 2027)"],
  ["Sep FT absent", ect("2026-09-01", 1, { absences: [sickness] }), PR, undefined, "2027-06-01", "Progress review 2 (Summer 2027)"],
  ["Sep FT absent", ect("2026-09-01", 1, { absences: [sickness] }), FA, false, "2027-07-01", "no-point-in-term"],
  ["Sep FT absent", ect("2026-09-01", 1, { absences: [sickness] }), FA, false, "2027-10-20", "Formal assessment 1 (end of induction year 1, Autumn 2027)"],
  // An AB extension of one term: a fifth review in the summer, the final assessment in the autumn.
  ["Sep FT extended", ect("2026-09-01", 1, { extensions: [extension] }), PR, undefined, "2028-07-01", "Progress review 5 (Summer 2028)"],
  ["Sep FT extended", ect("2026-09-01", 1, { extensions: [extension] }), FA, true, "2028-07-01", "no-point-in-term"],
  ["Sep FT extended", ect("2026-09-01", 1, { extensions: [extension] }), FA, true, "2028-11-01", "Final formal assessment (end of induction, Autumn 2028)"],
];

describe("reviewPointFor: the point whose term contains the record's date", () => {
  it.each(table)("%s: %s on %s", (_who, e, kind, final, date, expected) => {
    const result = reviewPointFor(e, kind, date, final === undefined ? {} : { finalAssessment: final });
    expect(result.ok ? result.point.label : result.code).toBe(expected);
    // Every refusal says why in words.
    expect(result.ok || result.reason.length > 10).toBe(true);
  });

  it("says which point a term without a review has instead", () => {
    expect(reviewPointFor(ect("2026-09-01"), PR, "2027-06-01")).toMatchObject({
      ok: false,
      reason: "No progress review falls in Summer 2027 for this ECT (Summer 2027 has Formal assessment 1 (end of induction year 1, Summer 2027)).",
    });
  });
});

describe("a second record for a point, and a date after today", () => {
  const amy = ect("2026-09-01");
  const first: RecordedPoint = { kind: PR, date: "2026-11-27", due: { date: "2026-12-31" } };

  it("refuses a second review in the same term, naming the point and when it was recorded", () => {
    for (const date of ["2026-11-28", "2026-11-29", "2026-11-30"]) {
      const result = reviewPointFor(amy, PR, date, { recorded: [first] });
      expect(result).toMatchObject({
        ok: false,
        code: "already-recorded",
        recordedOn: "2026-11-27",
        reason: "Progress review 1 (Autumn 2026) is already recorded on 27 Nov 2026: each review point keeps one record",
      });
    }
    // The next term's point is still open.
    expect(reviewPointFor(amy, PR, "2027-01-20", { recorded: [first] })).toMatchObject({ ok: true, point: { number: 2 } });
  });

  it("refuses, as a 422 on the date, a review dated after today and a duplicate", () => {
    const refusal = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e as DomainError;
      }
      throw new Error("not refused");
    };
    const future = refusal(() => fileAtReviewPoint(amy, FA, "2027-06-27", "2026-11-27", { finalAssessment: false }));
    expect(future.kind).toBe("validation");
    expect(future.violations).toMatchObject([{ path: "date", code: "date-in-future" }]);
    expect(future.message).toContain("27 Jun 2027, after today (27 Nov 2026)");
    const dup = refusal(() => fileAtReviewPoint(amy, PR, "2026-11-27", "2026-11-27", { recorded: [first] }));
    expect(dup.violations).toMatchObject([{ path: "date", code: "already-recorded" }]);
    expect(dup.message).toBe("Progress review 1 (Autumn 2026) is already recorded on 27 Nov 2026: each review point keeps one record. Nothing was saved.");
    expect(fileAtReviewPoint(amy, PR, "2026-11-27", "2026-11-27").label).toBe("Progress review 1 (Autumn 2026)");
  });
});

describe("openReviewPoints: next due is the first point without a record", () => {
  it("skips recorded points and keeps a missed one first", () => {
    const amy = ect("2026-09-01");
    expect(openReviewPoints(amy, [])[0]!.label).toBe("Progress review 1 (Autumn 2026)");
    const p1: RecordedPoint = { kind: PR, date: "2026-11-27", due: { date: "2026-12-31" } };
    expect(openReviewPoints(amy, [p1])[0]!.label).toBe("Progress review 2 (Spring 2027)");
    const p2: RecordedPoint = { kind: PR, date: "2027-02-01", due: { date: "2027-03-31" } };
    expect(openReviewPoints(amy, [p2])[0]!.label).toBe("Progress review 1 (Autumn 2026)");
    expect(openReviewPoints(amy, [p1, p2])[0]!.label).toBe("Formal assessment 1 (end of induction year 1, Summer 2027)");
  });
});
