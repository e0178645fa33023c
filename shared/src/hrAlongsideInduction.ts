import { z } from "zod";
import type { Ect } from "./model/people.js";
import { addDays, daysBetween, inductionTimeline, schoolTermOf } from "./timeline.js";
import { englishTerms, type TermCalendar } from "./termCalendar.js";

/**
 * Issue 16, item 8: HR alongside induction. Seed 003's "HR v ECT Induction" table as data: which
 * HR policy applies in each term of induction, and after it. The seed heads its columns "Autumn
 * Term Year 1" … "Autumn Term Year 3" (a September, full-time start); here column n is the ECT's
 * n-th term of induction as the induction timeline counts it (pro rata, absences and extensions
 * move it), and the last column is the term after induction ends. Probation lasts the school's
 * `probationTerms` (the seed's table shows two; "the length … will differ depending on individual
 * school policy").
 */

/** The seed's own words (its spelling kept: "organistations"). */
export const hrSeedText = {
  title: "HR v ECT Induction",
  intro:
    "All organistations have their own policies and processes relating to HR, the below table is an example of the way in which HR processes work alongside the ECT induction. This may not match your school HR processes, but will give you an idea of what needs to be done if there is a concern with the ECT.",
  footnote: "PLEASE NOTE: The length and conditions of the probationary period will differ depending on individual school policy.",
  columns: [
    "Autumn Term Year 1",
    "Spring Term Year 1",
    "Summer Term Year 1",
    "Autumn Term Year 2",
    "Spring Term Year 2",
    "Summer Term Year 2",
    "Autumn Term Year 3",
  ],
} as const;

export const HrPolicy = z.enum(["induction", "probation", "disciplinary", "appraisal", "capability"]);
export type HrPolicy = z.infer<typeof HrPolicy>;

/** A cell as the seed words it: YES, NO, or "Covered in probation policy". */
export const HrCell = z.enum(["yes", "no", "probation"]);
export type HrCell = z.infer<typeof HrCell>;
export const hrCellText: Record<HrCell, string> = { yes: "YES", no: "NO", probation: "Covered in probation policy" };

/** The phase a column is in: what decides every row. */
type Phase = "probation" | "induction" | "after";

/**
 * The seed's rows, each a rule over the phase. The fourth row's label is illegible in the OCR'd
 * seed (":::‘:""'e:'::‘", NO for six terms, YES after): it is Appraisal. The Education (School
 * Teachers' Appraisal) (England) Regulations 2012 do not apply to a teacher serving an induction
 * period, so appraisal starts only once induction ends.
 */
const rows: { policy: HrPolicy; label: string; cell: Record<Phase, HrCell> }[] = [
  { policy: "induction", label: "Statutory ECT induction", cell: { probation: "yes", induction: "yes", after: "no" } },
  { policy: "probation", label: "Probation Policy *", cell: { probation: "yes", induction: "no", after: "no" } },
  { policy: "disciplinary", label: "Disciplinary incl. conduct", cell: { probation: "probation", induction: "yes", after: "yes" } },
  { policy: "appraisal", label: "Appraisal", cell: { probation: "no", induction: "no", after: "yes" } },
  { policy: "capability", label: "Capability", cell: { probation: "probation", induction: "yes", after: "yes" } },
];

export const HrColumn = z.object({
  /** 1..n: the term of induction; null: the term after induction ends. */
  inductionTerm: z.number().int().min(1).nullable(),
  heading: z.string(),
  /** The seed's heading for this position (a September, full-time start), where the seed has one. */
  seedHeading: z.string().optional(),
  from: z.string(),
  /** Absent for the term after induction. */
  to: z.string().optional(),
  /** The school terms it spans, "Autumn 2026" or "Autumn 2026 – Spring 2027". */
  schoolTerms: z.string(),
  current: z.boolean(),
});
export type HrColumn = z.infer<typeof HrColumn>;

export const HrThisTerm = z.enum(["not_started", "probation", "disciplinary_and_capability", "after_induction"]);
export type HrThisTerm = z.infer<typeof HrThisTerm>;

export const HrAlongsideInduction = z.object({
  title: z.string(),
  intro: z.string(),
  footnote: z.string(),
  probationTerms: z.number().int().min(0).max(6),
  columns: z.array(HrColumn),
  rows: z.array(z.object({ policy: HrPolicy, label: z.string(), cells: z.array(z.object({ value: HrCell, text: z.string() })) })),
  thisTerm: z.object({ applies: HrThisTerm, text: z.string() }),
});
export type HrAlongsideInduction = z.infer<typeof HrAlongsideInduction>;

const EPS = 1e-9;

/**
 * The first day on which `terms` FTE terms of induction have been served (the timeline's own
 * count, so part-time work, absences and extensions move it). Found by halving the search: the
 * timeline answers what has been served by a date, not the reverse.
 */
export function dateServing(ect: Ect, terms: number, calendar: TermCalendar = englishTerms): string {
  const served = (day: string) => inductionTimeline(ect, day, calendar).termsServed;
  let lo = ect.inductionStartDate;
  let hi = inductionTimeline(ect, ect.inductionStartDate, calendar).expectedEndDate;
  if (served(hi) < terms - EPS) return hi;
  while (daysBetween(lo, hi) > 0) {
    const mid = addDays(lo, Math.floor(daysBetween(lo, hi) / 2));
    if (served(mid) >= terms - EPS) hi = mid;
    else lo = addDays(mid, 1);
  }
  return hi;
}

const spanLabel = (from: string, to: string | undefined, calendar: TermCalendar): string => {
  const a = schoolTermOf(from, calendar).label;
  const b = to ? schoolTermOf(to, calendar).label : a;
  return a === b ? a : `${a} – ${b}`;
};

const thisTermText: Record<HrThisTerm, string> = {
  not_started: "Induction has not started: the school's probation policy will apply from its first term.",
  probation:
    "This term the probation policy applies: it covers disciplinary matters (including conduct) and capability. Statutory induction runs alongside it.",
  disciplinary_and_capability:
    "This term the disciplinary and capability policies apply. If capability procedures start (Level 6), induction continues in parallel while the ECT remains at the school, and the appropriate body is informed.",
  after_induction: "Induction has ended: the disciplinary, appraisal and capability policies apply.",
};

/** The seed's table for one ECT on `today`: its terms of induction, the school's probation length and the term marked now. */
export function hrAlongsideInduction(ect: Ect, probationTerms: number, today: string, calendar: TermCalendar = englishTerms): HrAlongsideInduction {
  const timeline = inductionTimeline(ect, today, calendar);
  const total = Math.ceil(timeline.totalTerms - EPS);
  const started = today >= ect.inductionStartDate;
  const current = !started ? undefined : timeline.year === "completed" ? null : timeline.currentTermNumber;
  const ends = Array.from({ length: total }, (_, i) => dateServing(ect, i + 1, calendar));
  const columns: HrColumn[] = ends.map((to, i) => {
    const from = i === 0 ? ect.inductionStartDate : addDays(ends[i - 1]!, 1);
    const seedHeading = hrSeedText.columns[i];
    return {
      inductionTerm: i + 1,
      heading: `Term ${i + 1} of induction`,
      ...(seedHeading && i < 6 ? { seedHeading } : {}),
      from,
      to,
      schoolTerms: spanLabel(from, to, calendar),
      current: current === i + 1,
    };
  });
  const afterFrom = addDays(ends[total - 1] ?? timeline.expectedEndDate, 1);
  columns.push({
    inductionTerm: null,
    heading: "After induction",
    seedHeading: hrSeedText.columns[6],
    from: afterFrom,
    schoolTerms: schoolTermOf(afterFrom, calendar).label,
    current: current === null,
  });
  const phaseOf = (c: HrColumn): Phase => (c.inductionTerm === null ? "after" : c.inductionTerm <= probationTerms ? "probation" : "induction");
  const applies: HrThisTerm =
    current === undefined ? "not_started" : current === null ? "after_induction" : current <= probationTerms ? "probation" : "disciplinary_and_capability";
  return {
    title: hrSeedText.title,
    intro: hrSeedText.intro,
    footnote: hrSeedText.footnote,
    probationTerms,
    columns,
    rows: rows.map((r) => ({
      policy: r.policy,
      label: r.label,
      cells: columns.map((c) => ({ value: r.cell[phaseOf(c)], text: hrCellText[r.cell[phaseOf(c)]] })),
    })),
    thisTerm: { applies, text: thisTermText[applies] },
  };
}
