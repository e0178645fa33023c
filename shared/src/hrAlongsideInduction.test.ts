import { describe, expect, it } from "vitest";
import type { Ect } from "./model/people.js";
import { dateServing, hrAlongsideInduction, hrSeedText } from "./hrAlongsideInduction.js";
import { inductionTimeline } from "./timeline.js";

const ect = (o: Partial<Ect> = {}): Ect => ({
  id: "ect-1",
  personId: "p",
  schoolId: "s",
  abId: "ab",
  inductionStartDate: "2026-09-01",
  fte: 1,
  absences: [],
  extensions: [],
  track: "ect",
  ...o,
});

/** The column marked current, and what applies this term. */
const now = (e: Ect, probation: number, today: string) => {
  const t = hrAlongsideInduction(e, probation, today);
  const marked = t.columns.filter((c) => c.current);
  return { column: marked.map((c) => `${c.heading} (${c.schoolTerms})`), applies: t.thisTerm.applies };
};

describe("HR alongside induction (seed 003's table)", () => {
  it("keeps the seed's words: title, intro (its spelling), footnote, row labels and YES / NO / Covered in probation policy", () => {
    const t = hrAlongsideInduction(ect(), 2, "2026-11-27");
    expect(t.title).toBe("HR v ECT Induction");
    expect(t.intro).toMatch(/^All organistations have their own policies/);
    expect(t.footnote).toBe("PLEASE NOTE: The length and conditions of the probationary period will differ depending on individual school policy.");
    // A September, full-time start with the seed's two-term probation reproduces the seed's table cell for cell.
    expect(t.columns.map((c) => c.seedHeading)).toEqual(hrSeedText.columns);
    expect(t.rows.map((r) => [r.label, ...r.cells.map((c) => c.text)])).toEqual([
      ["Statutory ECT induction", "YES", "YES", "YES", "YES", "YES", "YES", "NO"],
      ["Probation Policy *", "YES", "YES", "NO", "NO", "NO", "NO", "NO"],
      ["Disciplinary incl. conduct", "Covered in probation policy", "Covered in probation policy", "YES", "YES", "YES", "YES", "YES"],
      ["Appraisal", "NO", "NO", "NO", "NO", "NO", "NO", "YES"],
      ["Capability", "Covered in probation policy", "Covered in probation policy", "YES", "YES", "YES", "YES", "YES"],
    ]);
  });

  it.each([
    // start, fte, probation terms, today → the term marked, and what applies
    ["2026-09-01", 1, 2, "2026-11-27", "Term 1 of induction (Autumn 2026)", "probation"],
    ["2026-09-01", 1, 2, "2027-02-01", "Term 2 of induction (Spring 2027)", "probation"],
    ["2026-09-01", 1, 2, "2027-05-01", "Term 3 of induction (Summer 2027)", "disciplinary_and_capability"],
    // Across two school years: the autumn of year 2.
    ["2026-09-01", 1, 2, "2027-10-01", "Term 4 of induction (Autumn 2027)", "disciplinary_and_capability"],
    ["2026-09-01", 1, 3, "2027-05-01", "Term 3 of induction (Summer 2027)", "probation"],
    ["2026-09-01", 1, 0, "2026-11-27", "Term 1 of induction (Autumn 2026)", "disciplinary_and_capability"],
    // A January start serves its first term to 6 April (the timeline's count), so May is term 2.
    ["2027-01-04", 1, 2, "2027-05-01", "Term 2 of induction (Summer 2027 – Autumn 2027)", "probation"],
    ["2027-01-04", 1, 2, "2027-10-01", "Term 3 of induction (Autumn 2027 – Spring 2028)", "disciplinary_and_capability"],
    ["2027-04-01", 1, 2, "2027-06-01", "Term 1 of induction (Summer 2027)", "probation"],
    ["2027-04-01", 1, 2, "2028-01-10", "Term 3 of induction (Spring 2028)", "disciplinary_and_capability"],
    // Part time (0.5 FTE): each term of induction takes two school terms, so probation lasts a year.
    ["2026-09-01", 0.5, 2, "2027-02-01", "Term 1 of induction (Autumn 2026 – Spring 2027)", "probation"],
    ["2026-09-01", 0.5, 2, "2027-10-01", "Term 2 of induction (Summer 2027 – Autumn 2027)", "probation"],
    ["2026-09-01", 0.5, 2, "2028-02-01", "Term 3 of induction (Spring 2028 – Summer 2028)", "disciplinary_and_capability"],
    // After induction, and before it starts.
    ["2026-09-01", 1, 2, "2028-10-01", "After induction (Autumn 2028)", "after_induction"],
    ["2027-01-04", 1, 2, "2026-12-01", "", "not_started"],
  ] as const)("starting %s at %s FTE, probation %s terms, on %s: %s", (start, fte, probation, today, column, applies) => {
    expect(now(ect({ inductionStartDate: start, fte }), probation, today)).toEqual({ column: column ? [column] : [], applies });
  });

  it("marks the current term as the timeline counts it: the same term number, on every day", () => {
    const e = ect({ inductionStartDate: "2026-11-02", fte: 0.8 });
    for (const today of ["2026-11-02", "2027-03-01", "2027-07-20", "2027-12-01", "2028-06-01", "2029-01-15"]) {
      const t = inductionTimeline(e, today);
      const marked = hrAlongsideInduction(e, 2, today).columns.find((c) => c.current);
      expect(marked?.inductionTerm).toBe(t.currentTermNumber);
    }
  });

  it("adds a column for each term an extension adds, and an absence that extends induction moves the terms on", () => {
    const extended = ect({ extensions: [{ source: "ab_decision", terms: 2, reason: "More time", decidedOn: "2028-07-01" }] });
    const t = hrAlongsideInduction(extended, 2, "2028-10-01");
    expect(t.columns.map((c) => c.heading)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `Term ${n} of induction`).concat("After induction"));
    expect(t.columns.find((c) => c.current)?.heading).toBe("Term 7 of induction");
    expect(t.rows.find((r) => r.policy === "induction")?.cells.map((c) => c.value)).toEqual(["yes", "yes", "yes", "yes", "yes", "yes", "yes", "yes", "no"]);
    // 40 counting days absent in year 1 stop the clock: term 1 ends 40 days later.
    const absent = ect({ absences: [{ from: "2026-10-01", to: "2026-11-15", days: 40, leaveType: "counting" }] });
    expect(dateServing(ect(), 1)).toBe("2026-12-31");
    expect(dateServing(absent, 1)).toBe("2027-02-09");
  });

  it("says in words what applies this term", () => {
    expect(hrAlongsideInduction(ect(), 2, "2026-11-27").thisTerm.text).toMatch(/^This term the probation policy applies/);
    expect(hrAlongsideInduction(ect(), 2, "2027-05-01").thisTerm.text).toBe(
      "This term the disciplinary and capability policies apply. If capability procedures start (Level 6), induction continues in parallel while the ECT remains at the school, and the appropriate body is informed.",
    );
  });
});
