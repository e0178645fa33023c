import { describe, expect, it } from "vitest";
import type { Ect } from "./model/people.js";
import {
  absenceWarning,
  addDays,
  daysBetween,
  inductionTimeline,
  isEct2NearEnd,
  nextStatutoryEvent,
  schoolTermOf,
  termLabel,
  totalInductionTerms,
} from "./timeline.js";

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

const eventDates = (e: Ect, today = "2025-09-01") =>
  inductionTimeline(e, today).events.map((ev) => `${ev.kind === "progress_review" ? "review" : "assessment"} ${ev.number} ${ev.date}`);

describe("termLabel and school terms", () => {
  it("names the term a date falls in", () => {
    expect(termLabel("2026-09-01")).toBe("Autumn 2026");
    expect(termLabel("2026-12-31")).toBe("Autumn 2026");
    expect(termLabel("2027-01-01")).toBe("Spring 2027");
    expect(termLabel("2027-03-31")).toBe("Spring 2027");
    expect(termLabel("2027-04-01")).toBe("Summer 2027");
    expect(termLabel("2027-08-31")).toBe("Summer 2027");
  });

  it("gives each term's calendar span", () => {
    expect(schoolTermOf("2025-10-15")).toEqual({ season: "Autumn", year: 2025, start: "2025-09-01", end: "2025-12-31", label: "Autumn 2025", days: 122 });
    expect(schoolTermOf("2028-02-29")).toMatchObject({ start: "2028-01-01", end: "2028-03-31", days: 91 });
    expect(schoolTermOf("2026-05-01")).toMatchObject({ start: "2026-04-01", end: "2026-08-31", days: 153 });
  });

  it("adds and counts days across month and year ends", () => {
    expect(addDays("2025-12-30", 3)).toBe("2026-01-02");
    expect(daysBetween("2026-01-05", "2026-03-09")).toBe(63);
  });
});

describe("inductionTimeline: full time from 1 September 2025", () => {
  const full = ect();

  it("schedules reviews in terms 1, 2, 4 and 5 and formal assessments at the end of terms 3 and 6", () => {
    expect(eventDates(full)).toEqual([
      "review 1 2025-12-31",
      "review 2 2026-03-31",
      "assessment 1 2026-08-31",
      "review 3 2026-12-31",
      "review 4 2027-03-31",
      "assessment 2 2027-08-31",
    ]);
    const t = inductionTimeline(full, "2025-09-01");
    expect(t.events.map((e) => e.atTerms)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.events[0]?.label).toBe("Progress review 1 (Autumn 2025)");
    expect(t.events[2]?.label).toBe("Formal assessment 1 (end of induction year 1, Summer 2026)");
    expect(t.events[5]?.label).toBe("Final formal assessment (end of induction, Summer 2027)");
  });

  it("ends on 31 August 2027", () => {
    expect(inductionTimeline(full, "2025-10-01").expectedEndDate).toBe("2027-08-31");
    expect(totalInductionTerms(full)).toBe(6);
  });

  it("counts terms served as an exact fraction and knows the term and year", () => {
    const autumn = inductionTimeline(full, "2025-10-15");
    expect(autumn.termsServed).toBeCloseTo(45 / 122, 6); // 1 Sep–15 Oct: 45 of Autumn's 122 days
    expect(autumn.currentTermNumber).toBe(1);
    expect(autumn.year).toBe("ECT1");

    const spring = inductionTimeline(full, "2026-01-15");
    expect(spring.termsServed).toBeCloseTo(1 + 15 / 90, 6);
    expect(spring.currentTermNumber).toBe(2);
    expect(spring.termsRemaining).toBeCloseTo(6 - (1 + 15 / 90), 5);

    const year2 = inductionTimeline(full, "2026-09-10");
    expect(year2.currentTermNumber).toBe(4);
    expect(year2.year).toBe("ECT2");

    const summer2027 = inductionTimeline(full, "2027-05-01");
    expect(summer2027.currentTermNumber).toBe(6);
  });

  it("keeps the last day of a term in that term", () => {
    const lastDay = inductionTimeline(full, "2026-08-31");
    expect(lastDay.termsServed).toBe(3);
    expect(lastDay.currentTermNumber).toBe(3);
    expect(lastDay.year).toBe("ECT1");
    expect(inductionTimeline(full, "2026-09-01").year).toBe("ECT2");
  });

  it("is not started before the start date and completed after the end", () => {
    const before = inductionTimeline(full, "2025-08-20");
    expect(before).toMatchObject({ year: "not_started", termsServed: 0, currentTermNumber: 0 });
    expect(before.nextStatutoryEvent?.date).toBe("2025-12-31");

    const after = inductionTimeline(full, "2027-09-01");
    expect(after).toMatchObject({ year: "completed", termsServed: 6, currentTermNumber: 6, termsRemaining: 0 });
    expect(after.nextStatutoryEvent).toBeUndefined();
  });

  it("gives the next statutory event on or after today", () => {
    expect(nextStatutoryEvent(full, "2026-01-15")).toEqual({
      kind: "progress_review",
      number: 2,
      atTerms: 2,
      date: "2026-03-31",
      term: "Spring 2026",
      label: "Progress review 2 (Spring 2026)",
    });
    expect(nextStatutoryEvent(full, "2026-03-31")?.date).toBe("2026-03-31");
    expect(nextStatutoryEvent(full, "2026-04-01")).toMatchObject({ kind: "formal_assessment", number: 1, date: "2026-08-31" });
  });
});

describe("inductionTimeline: part time", () => {
  const half = ect({ fte: 0.5 });

  it("takes 12 calendar terms at 0.5 FTE, with a review every calendar term", () => {
    expect(eventDates(half)).toEqual([
      "review 1 2025-12-31",
      "review 2 2026-03-31",
      "review 3 2026-08-31",
      "review 4 2026-12-31",
      "review 5 2027-03-31",
      "assessment 1 2027-08-31",
      "review 6 2027-12-31",
      "review 7 2028-03-31",
      "review 8 2028-08-31",
      "review 9 2028-12-31",
      "review 10 2029-03-31",
      "assessment 2 2029-08-31",
    ]);
    expect(inductionTimeline(half, "2025-09-01").expectedEndDate).toBe("2029-08-31");
  });

  it("serves half a term per calendar term", () => {
    const t = inductionTimeline(half, "2026-08-31");
    expect(t.termsServed).toBe(1.5);
    expect(t.currentTermNumber).toBe(2);
    expect(t.calendarTermsRemaining).toBe(9);
    expect(inductionTimeline(half, "2027-09-01").year).toBe("ECT2");
  });

  it("skips a review less than a term before a formal assessment (0.8 FTE)", () => {
    const t = inductionTimeline(ect({ fte: 0.8 }), "2025-09-01");
    // Reviews every 0.8 terms; the one at 2.4 would be 0.6 terms before assessment 1, so it is skipped.
    expect(t.events.map((e) => `${e.kind} ${e.atTerms}`)).toEqual([
      "progress_review 0.8",
      "progress_review 1.6",
      "formal_assessment 3",
      "progress_review 3.8",
      "progress_review 4.6",
      "formal_assessment 6",
    ]);
    expect(t.events[2]?.date).toBe("2026-12-01");
  });
});

describe("inductionTimeline: mid-term start", () => {
  it("moves every event: the first review falls by the middle of the next term", () => {
    const midTerm = ect({ inductionStartDate: "2025-11-01" });
    expect(eventDates(midTerm)).toEqual([
      "review 1 2026-02-14",
      "review 2 2026-06-16",
      "assessment 1 2026-10-31",
      "review 3 2027-02-14",
      "review 4 2027-06-16",
      "assessment 2 2027-10-31",
    ]);
    const t = inductionTimeline(midTerm, "2026-01-15");
    expect(t.termsServed).toBeCloseTo(61 / 122 + 15 / 90, 6);
    expect(t.currentTermNumber).toBe(1);
  });
});

describe("inductionTimeline: absences and extensions", () => {
  const sickness = { from: "2025-10-01", to: "2025-11-04", days: 35, leaveType: "counting" as const };

  it("extends year 1 by 35 days when 35 counting days are absent", () => {
    const t = inductionTimeline(ect({ absences: [sickness] }), "2025-11-10");
    expect(t.absenceByYear[0]).toEqual({ year: 1, countingDays: 35, extensionDays: 35, thresholdReachedOn: "2025-10-30" });
    expect(t.absenceExtensionDays).toBe(35);
    expect(t.expectedEndDate).toBe("2027-10-05");
    // Everything after the absence moves on 35 days.
    expect(t.events.map((e) => e.date)).toEqual(["2026-02-04", "2026-05-05", "2026-10-05", "2027-02-04", "2027-05-05", "2027-10-05"]);
    // 1 Sep–10 Nov is 71 days, 35 of them absent.
    expect(t.termsServed).toBeCloseTo(36 / 122, 6);
  });

  it("does not extend for fewer than 30 counting days in a year", () => {
    const t = inductionTimeline(ect({ absences: [{ ...sickness, to: "2025-10-29", days: 29 }] }), "2025-11-10");
    expect(t.absenceByYear[0]).toEqual({ year: 1, countingDays: 29, extensionDays: 0 });
    expect(t.expectedEndDate).toBe("2027-08-31");
    expect(t.absenceWarnings).toEqual([]);
  });

  it("adds up separate absences in one induction year, but not across years", () => {
    const a = { from: "2025-10-06", to: "2025-10-25", days: 20, leaveType: "counting" as const };
    const b = { from: "2026-02-02", to: "2026-02-13", days: 12, leaveType: "counting" as const };
    const sameYear = inductionTimeline(ect({ absences: [a, b] }), "2026-03-01");
    expect(sameYear.absenceByYear[0]).toMatchObject({ countingDays: 32, extensionDays: 32 });
    expect(sameYear.expectedEndDate).toBe(addDays("2027-08-31", 32));

    const laterB = { ...b, from: "2026-10-05", to: "2026-10-16" };
    const split = inductionTimeline(ect({ absences: [a, laterB] }), "2026-11-01");
    expect(split.absenceByYear).toEqual([
      { year: 1, countingDays: 20, extensionDays: 0 },
      { year: 2, countingDays: 12, extensionDays: 0 },
    ]);
    expect(split.expectedEndDate).toBe("2027-08-31");
  });

  it("warns that the head must tell the AB once counting absence reaches 30 days", () => {
    const e = ect({ absences: [sickness] });
    expect(absenceWarning(e, "2025-10-29")).toBeUndefined();
    expect(absenceWarning(e, "2025-10-30")).toEqual({
      year: 1,
      countingDays: 35,
      reachedOn: "2025-10-30",
      extensionDays: 35,
      message:
        "Absence in induction year 1 has reached 35 days (30 or more). The headteacher must tell the appropriate body, and year 1 is extended by the days absent.",
    });
  });

  it("does not extend for maternity leave unless the ECT chooses to", () => {
    const maternity = { from: "2026-01-05", to: "2026-03-05", days: 60, leaveType: "maternity" as const };
    const notChosen = inductionTimeline(ect({ absences: [maternity] }), "2026-04-10");
    expect(notChosen.expectedEndDate).toBe("2027-08-31");
    expect(notChosen.absenceByYear[0]).toEqual({ year: 1, countingDays: 0, extensionDays: 0 });
    expect(notChosen.absenceWarnings).toEqual([]);

    const chosen = inductionTimeline(ect({ absences: [{ ...maternity, ectChoseToExtend: true }] }), "2026-04-10");
    expect(chosen.absenceExtensionDays).toBe(60);
    expect(chosen.absenceByYear[0]).toEqual({ year: 1, countingDays: 0, extensionDays: 60 });
    expect(chosen.expectedEndDate).toBe("2027-10-30");
    expect(chosen.events[0]?.date).toBe("2025-12-31"); // before the leave: unchanged
    expect(chosen.events[1]?.date).toBe("2026-05-30");
    expect(chosen.absenceWarnings).toEqual([]);
  });

  it("adds the terms of an AB extension, with reviews continuing until the final assessment", () => {
    const extended = ect({ extensions: [{ source: "ab_decision", terms: 1, reason: "Illness", decidedOn: "2027-07-01" }] });
    expect(totalInductionTerms(extended)).toBe(7);
    const t = inductionTimeline(extended, "2027-09-15");
    expect(t.year).toBe("extended");
    expect(t.currentTermNumber).toBe(7);
    expect(t.expectedEndDate).toBe("2027-12-31");
    expect(t.events.slice(-2).map((e) => `${e.kind} ${e.atTerms} ${e.date}`)).toEqual(["progress_review 6 2027-08-31", "formal_assessment 7 2027-12-31"]);
  });

  it("does not add an automatic extension record on top of the absences it comes from", () => {
    const e = ect({
      absences: [sickness],
      extensions: [{ source: "automatic", terms: 0.3, reason: "35 days' absence", decidedOn: "2025-11-05" }],
    });
    expect(totalInductionTerms(e)).toBe(6);
    expect(inductionTimeline(e, "2025-11-10").expectedEndDate).toBe("2027-10-05");
  });
});

describe("isEct2NearEnd", () => {
  const full = ect();

  it("is true for an ECT2 within 1.5 terms of the end", () => {
    expect(isEct2NearEnd(full, "2027-04-15")).toBe(true);
    expect(isEct2NearEnd(full, "2027-02-15")).toBe(true); // about 1.5 terms left: half of Spring and all of Summer
  });

  it("is false earlier in ECT2, in ECT1, and once induction is complete", () => {
    expect(isEct2NearEnd(full, "2026-10-01")).toBe(false);
    expect(isEct2NearEnd(full, "2027-01-10")).toBe(false);
    expect(isEct2NearEnd(full, "2026-06-01")).toBe(false);
    expect(isEct2NearEnd(full, "2027-09-02")).toBe(false);
  });

  it("takes a different window", () => {
    expect(isEct2NearEnd(full, "2026-10-01", 3)).toBe(true);
  });

  it("counts calendar terms for a part-time ECT", () => {
    const half = ect({ fte: 0.5 });
    expect(isEct2NearEnd(half, "2029-01-15")).toBe(false); // 1.83 calendar terms left
    expect(isEct2NearEnd(half, "2029-04-15")).toBe(true);
  });
});
