import { describe, expect, it } from "vitest";
import type { Ect, School } from "./model/people.js";
import { School as SchoolSchema, termsOf } from "./model/people.js";
import { SchoolTermDates, englishTerms, termCalendar, type TermStart } from "./termCalendar.js";
import { inductionTimeline, schoolTermOf } from "./timeline.js";
import { reviewPointFor } from "./reviewPoints.js";

/** Issue 16: terms from the school's own term dates, defaulting to the calendar blocks. */

/** A school's year as it publishes it: 2026–27 and 2027–28 (Easter 2027 is 28 March, 2028 is 16 April). */
const twoYears: TermStart[] = [
  { season: "Autumn", year: 2026, start: "2026-09-03" },
  { season: "Spring", year: 2027, start: "2027-01-05" },
  { season: "Summer", year: 2027, start: "2027-04-12" },
  { season: "Autumn", year: 2027, start: "2027-09-02" },
  { season: "Spring", year: 2028, start: "2028-01-04" },
  { season: "Summer", year: 2028, start: "2028-04-24" },
];
const school = termCalendar(twoYears);

const ect = (inductionStartDate: string, fte = 1): Ect => ({
  id: "ect-1",
  personId: "person-1",
  schoolId: "school-1",
  abId: "ab-1",
  inductionStartDate,
  fte,
  absences: [],
  extensions: [],
  track: "ect",
});

describe("term calendars", () => {
  it.each([
    // date, default term, the school's term
    ["2026-09-01", "Autumn 2026", "Summer 2026"],
    ["2026-09-03", "Autumn 2026", "Autumn 2026"],
    ["2027-01-04", "Spring 2027", "Autumn 2026"], // the school's Christmas holiday belongs to the autumn term
    ["2027-01-05", "Spring 2027", "Spring 2027"],
    ["2027-04-05", "Summer 2027", "Spring 2027"], // the Easter holiday belongs to the spring term
    ["2027-04-12", "Summer 2027", "Summer 2027"],
    ["2027-09-01", "Autumn 2027", "Summer 2027"],
    ["2028-04-20", "Summer 2028", "Spring 2028"],
    ["2028-04-24", "Summer 2028", "Summer 2028"],
    // A year the school has not given keeps the default starts.
    ["2029-01-02", "Spring 2029", "Spring 2029"],
  ])("%s is in %s by default and in %s at the school", (date, byDefault, atSchool) => {
    expect(schoolTermOf(date).label).toBe(byDefault);
    expect(schoolTermOf(date, englishTerms).label).toBe(byDefault);
    expect(schoolTermOf(date, school).label).toBe(atSchool);
  });

  it("runs each of the school's terms to the day before the next starts", () => {
    expect(schoolTermOf("2027-02-01", school)).toMatchObject({ start: "2027-01-05", end: "2027-04-11", days: 97 });
    expect(schoolTermOf("2027-06-01", school)).toMatchObject({ start: "2027-04-12", end: "2027-09-01" });
    // The last given term ends where the default next one starts.
    expect(schoolTermOf("2028-06-01", school)).toMatchObject({ start: "2028-04-24", end: "2028-08-31" });
  });

  it("refuses a term given twice or a start outside its window, naming it", () => {
    const twice = SchoolTermDates.safeParse([twoYears[0], { ...twoYears[0]!, start: "2026-09-04" }]);
    expect(twice.success).toBe(false);
    expect(twice.error?.issues[0]).toMatchObject({ path: [1, "season"], message: "Autumn 2026 is listed twice: give each term one start date" });
    const stray = SchoolTermDates.safeParse([{ season: "Spring", year: 2027, start: "2026-12-20" }]);
    expect(stray.success).toBe(false);
    expect(stray.error?.issues[0]?.message).toBe("Spring 2027 cannot start on 2026-12-20: give a date from 2027-01-01 to 2027-02-01");
    expect(SchoolTermDates.safeParse(twoYears).success).toBe(true);
  });

  it("is the school's setting: a school without term dates runs on the default pattern", () => {
    const withDates: School = SchoolSchema.parse({ id: "school-1", name: "Oak", abId: "ab-1", termDates: twoYears });
    expect(schoolTermOf("2027-04-05", termsOf(withDates)).label).toBe("Spring 2027");
    expect(schoolTermOf("2027-04-05", termsOf({})).label).toBe("Summer 2027");
    expect(schoolTermOf("2027-04-05", termsOf(undefined)).label).toBe("Summer 2027");
  });
});

describe("review points on the school's terms", () => {
  it("files a January starter's Easter-holiday review at the spring point, where the default blocks call it summer", () => {
    const jan = ect("2027-01-05");
    // On the school's terms the first FTE term is the spring term: 5 January to 11 April.
    const points = inductionTimeline(jan, "2027-01-05", school).events.map((e) => `${e.label} due ${e.date}`);
    expect(points.slice(0, 3)).toEqual([
      "Progress review 1 (Spring 2027) due 2027-04-11",
      "Progress review 2 (Summer 2027) due 2027-09-01",
      "Formal assessment 1 (end of induction year 1, Autumn 2027) due 2028-01-03",
    ]);
    const held = reviewPointFor(jan, "progress_review", "2027-04-08", { terms: school });
    expect(held.ok && held.point.label).toBe("Progress review 1 (Spring 2027)");
    // A review in the first week of the summer term answers the summer's point.
    const summer = reviewPointFor(jan, "progress_review", "2027-04-14", { terms: school });
    expect(summer.ok && summer.point.label).toBe("Progress review 2 (Summer 2027)");
  });

  it("moves a September starter's points to the school's term ends", () => {
    const sep = ect("2026-09-03");
    const events = inductionTimeline(sep, "2026-09-03", school).events;
    expect(events.map((e) => [e.label, e.date])).toEqual([
      ["Progress review 1 (Autumn 2026)", "2027-01-04"],
      ["Progress review 2 (Spring 2027)", "2027-04-11"],
      ["Formal assessment 1 (end of induction year 1, Summer 2027)", "2027-09-01"],
      ["Progress review 3 (Autumn 2027)", "2028-01-03"],
      ["Progress review 4 (Spring 2028)", "2028-04-23"],
      ["Final formal assessment (end of induction, Summer 2028)", "2028-08-31"],
    ]);
    // A review on 20 April 2028 (the school's spring term, its Easter holiday; a summer date by default) answers review 4.
    const april = reviewPointFor(sep, "progress_review", "2028-04-20", { terms: school });
    expect(april.ok && april.point.label).toBe("Progress review 4 (Spring 2028)");
    const byDefault = reviewPointFor(sep, "progress_review", "2028-04-20");
    expect(byDefault.ok ? byDefault.point.label : byDefault.code).toBe("no-point-in-term");
  });

  it("keeps a part-time ECT pro rata on the school's terms: a review each term, the first assessment in the second year", () => {
    const half = ect("2026-09-03", 0.5);
    const events = inductionTimeline(half, "2026-09-03", school).events;
    expect(events.slice(0, 4).map((e) => e.label)).toEqual([
      "Progress review 1 (Autumn 2026)",
      "Progress review 2 (Spring 2027)",
      "Progress review 3 (Summer 2027)",
      "Progress review 4 (Autumn 2027)",
    ]);
    expect(events.find((e) => e.kind === "formal_assessment")?.term).toBe("Summer 2028");
  });
});
