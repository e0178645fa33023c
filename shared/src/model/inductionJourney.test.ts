import { describe, expect, it } from "vitest";
import type { Ect } from "./people.js";
import type { InductionRecord } from "./inductionRecords.js";
import { ectJourney, journeyTerms } from "./inductionJourney.js";
import { inductionTimeline } from "../timeline.js";

const ect = (over: Partial<Ect> = {}): Ect => ({
  id: "ect-1",
  personId: "person-1",
  schoolId: "school-1",
  abId: "ab-1",
  inductionStartDate: "2025-09-01",
  fte: 1,
  absences: [],
  extensions: [],
  track: "ect",
  ...over,
});

const termsOf = (e: Ect) => {
  const t = inductionTimeline(e, "2025-09-01");
  return journeyTerms(e, t.expectedEndDate, t.totalTerms).map((x) => [x.number, x.start, x.end, x.fteTerms, x.extension, x.schoolTerms.join(", ")]);
};

describe("the induction terms of a journey", () => {
  it("full time: six terms, one school term each", () => {
    expect(termsOf(ect())).toEqual([
      [1, "2025-09-01", "2025-12-31", 1, false, "Autumn 2025"],
      [2, "2026-01-01", "2026-03-31", 1, false, "Spring 2026"],
      [3, "2026-04-01", "2026-08-31", 1, false, "Summer 2026"],
      [4, "2026-09-01", "2026-12-31", 1, false, "Autumn 2026"],
      [5, "2027-01-01", "2027-03-31", 1, false, "Spring 2027"],
      [6, "2027-04-01", "2027-08-31", 1, false, "Summer 2027"],
    ]);
  });

  it("0.6 FTE: six terms pro rata over ten school terms, ending when the final assessment falls due", () => {
    const e = ect({ fte: 0.6 });
    const rows = termsOf(e);
    expect(rows).toHaveLength(6);
    expect(rows.map((r) => r[4])).toEqual([false, false, false, false, false, false]);
    // Term 1 is 1 ÷ 0.6 school terms: Autumn 2025 (0.6) and 60 of Spring 2026's 90 days (0.4).
    expect(rows[0]!.slice(0, 3)).toEqual([1, "2025-09-01", "2026-03-01"]);
    expect(rows[0]![5]).toBe("Autumn 2025, Spring 2026");
    const t = inductionTimeline(e, "2025-09-01");
    const assessment1 = t.events.find((ev) => ev.kind === "formal_assessment" && ev.number === 1)!;
    expect(rows[2]![2]).toBe(assessment1.date);
    expect(rows[5]![2]).toBe(t.expectedEndDate);
    const spanned = new Set(rows.flatMap((r) => String(r[5]).split(", ")));
    expect(spanned.size).toBe(10);
  });

  it("an AB extension of 1.5 terms adds a whole and a half extension term", () => {
    const rows = termsOf(ect({ extensions: [{ source: "ab_decision", terms: 1.5, reason: "More time on behaviour", decidedOn: "2027-07-10" }] }));
    expect(rows.map((r) => [r[0], r[3], r[4]])).toEqual([
      [1, 1, false],
      [2, 1, false],
      [3, 1, false],
      [4, 1, false],
      [5, 1, false],
      [6, 1, false],
      [7, 1, true],
      [8, 0.5, true],
    ]);
    expect(rows[6]!.slice(1, 3)).toEqual(["2027-09-01", "2027-12-31"]);
    expect(rows[7]![5]).toBe("Spring 2028");
  });
});

const review = (over: { id: string; date: string; due?: string; onTrack: boolean; rating: string }): InductionRecord => ({
  id: over.id,
  kind: "progress_review",
  ectId: "ect-1",
  schoolId: "school-1",
  abId: "ab-1",
  revision: 1,
  ...(over.due ? { due: { number: 1, date: over.due, term: "Autumn 2025", label: "Progress review 1 (Autumn 2025)" } } : {}),
  recordedAt: `${over.date}T12:00:00.000Z`,
  recordedBy: "tutor",
  recordedByName: "Sarah Thompson",
  scaleId: "progress_review_2025",
  review: {
    ectId: "ect-1",
    date: over.date,
    onTrack: over.onTrack,
    evidenceSummary: "",
    ratings: { "1": { ratingId: over.rating, statement: "" }, "7": { ratingId: "secure", statement: "" } },
    targets: [{ text: "A target", standards: [] }],
  },
});

describe("a journey", () => {
  const e = ect();
  const journey = ectJourney({
    ect: e,
    ectName: "Amy Clarke",
    schoolName: "Riverside",
    today: "2026-02-10",
    records: [
      review({ id: "r1", date: "2025-12-10", due: "2025-12-31", onTrack: true, rating: "strong" }),
      // Recorded again later against the same event: the later record is the one shown.
      review({ id: "r2", date: "2025-12-12", due: "2025-12-31", onTrack: false, rating: "attention_needed" }),
    ],
    plans: [
      { id: "p1", ectId: "ect-1", templateId: "level_1", level: 1, status: "closed", outcome: "escalated", startDate: "2025-12-15", closedOn: "2026-01-09" },
      { id: "p2", ectId: "ect-1", templateId: "level_2", level: 2, status: "active", startDate: "2026-01-12", endDate: "2026-02-23" },
    ],
  });

  it("shows each statutory event with the latest record against it, ratings per standard in words", () => {
    const first = journey.reviewPoints[0]!;
    expect(first).toMatchObject({ label: "Progress review 1 (Autumn 2025)", status: "recorded", date: "2025-12-12", onTrack: false });
    expect(first.ratings.map((r) => [r.title, r.rating])).toEqual([
      ["1. Set high expectations which inspire, motivate and challenge pupils", "Attention needed"],
      [expect.stringMatching(/^7\. /), "Secure"],
    ]);
    expect(journey.reviewPoints.filter((p) => p.status === "recorded")).toHaveLength(1);
    expect(journey.reviewPoints[1]).toMatchObject({ status: "due", ratings: [] });
  });

  it("marks a review past its date with nothing recorded as overdue", () => {
    const later = ectJourney({ ect: e, ectName: "", schoolName: "", today: "2026-04-02", records: [], plans: [] });
    expect(later.reviewPoints.slice(0, 2).map((p) => p.status)).toEqual(["overdue", "overdue"]);
  });

  it("draws plans as spans with their levels, the open one to today", () => {
    expect(journey.plans.map((p) => [p.level, p.start, p.end, p.open, p.plannedEnd])).toEqual([
      [1, "2025-12-15", "2026-01-09", false, undefined],
      [2, "2026-01-12", "2026-02-10", true, "2026-02-23"],
    ]);
    expect(journey).toMatchObject({ stage: "ECT1", totalTerms: 6, expectedEndDate: "2027-08-31" });
  });

  it("shows a plan that has not started yet at its own dates, as upcoming", () => {
    const later = ectJourney({
      ect: e,
      ectName: "",
      schoolName: "",
      today: "2026-02-10",
      records: [],
      plans: [{ id: "p3", ectId: "ect-1", templateId: "level_3", level: 3, status: "draft", startDate: "2026-02-23", endDate: "2026-04-06" }],
    });
    expect(later.plans.map((p) => [p.start, p.end, p.open, p.upcoming])).toEqual([["2026-02-23", "2026-04-06", true, true]]);
  });
});
