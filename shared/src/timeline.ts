import type { Absence, Ect } from "./model/people.js";
import { englishTerms, type TermCalendar, type TermSeason } from "./termCalendar.js";

export type { TermSeason } from "./termCalendar.js";

/**
 * The induction timeline: how far an ECT is through induction, when it should end, and when
 * the statutory progress reviews and formal assessments fall.
 *
 * Simplifications (say so to the user; the AB has the final word on equivalence, SG §2.31):
 * - School terms are the school's own term dates when it gives them (each term runs to the day
 *   before the next starts, so a holiday belongs to the term before it), else calendar blocks:
 *   Autumn = 1 Sep–31 Dec, Spring = 1 Jan–31 Mar, Summer = 1 Apr–31 Aug (termCalendar.ts).
 * - Time is served by the calendar day. A day in a term is worth fte ÷ (days in that term) of a
 *   full-time term, so a full-time ECT serves one term per calendar term and a 0.5 FTE ECT
 *   serves half a term (SG §2.30, §2.36: the same FTE, so 0.5 FTE takes 12 calendar terms).
 * - Induction is 6 terms FTE; AB-decided extensions (and appeal outcomes) add their terms.
 * - Absence (SG §3.6–3.7, Reg 8): an absence belongs to the induction year in which it starts
 *   (year 1 = terms 1–3, year 2 = terms 4–6 and any extension). When counting absence in a
 *   year reaches 30 days, that year is extended by all the counting days absent that year.
 *   Exempt leave (maternity, paternity, shared parental, adoption, parental bereavement,
 *   carer's) does not count; it extends induction only if the ECT chose to extend.
 *   The guidance does not define "day": the school records the figure it uses, and the
 *   timeline treats each recorded day as a calendar day on which the induction clock stops,
 *   starting from the first day of the absence, so every later review, assessment and the
 *   end date move on by exactly that many days.
 * - Extension records with source "automatic" or "exempt_leave_choice" are not added again:
 *   the timeline works those out from the absences themselves. Those with source
 *   "ab_decision" or "appeal" add their terms.
 *
 * Pure: `today` is always a parameter.
 */

/** The standard induction length in FTE terms (SG §2.30). */
export const STANDARD_INDUCTION_TERMS = 6;
/** Counting absence in one induction year that triggers an automatic extension (SG §3.6). */
export const ABSENCE_EXTENSION_THRESHOLD_DAYS = 30;

const DAY_MS = 86_400_000;
/** Tolerance for comparing sums of fractional terms. */
const EPS = 1e-9;

// ---------------------------------------------------------------------------------------------
// Dates as whole day numbers (days since 1970-01-01, UTC). ISO dates carry no time zone.
// ---------------------------------------------------------------------------------------------

function dayNumber(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) throw new RangeError(`Not an ISO date: ${iso}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The ISO date `days` after `iso` (negative for before). */
export function addDays(iso: string, days: number): string {
  return isoDate(dayNumber(iso) + days);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

// ---------------------------------------------------------------------------------------------
// School terms
// ---------------------------------------------------------------------------------------------

export interface SchoolTerm {
  season: TermSeason;
  /** Calendar year the term falls in (Autumn 2025 = Sep–Dec 2025; Spring 2026 = Jan–Mar 2026). */
  year: number;
  start: string;
  end: string;
  /** "Spring 2027" */
  label: string;
  /** Calendar days in the term. */
  days: number;
}

/** The school term a date falls in: the school's own term dates, or the default pattern (termCalendar.ts). */
export function schoolTermOf(date: string, terms: TermCalendar = englishTerms): SchoolTerm {
  const t = terms.spanOf(dayNumber(date));
  return {
    season: t.season,
    year: t.year,
    start: isoDate(t.start),
    end: isoDate(t.end),
    label: `${t.season} ${t.year}`,
    days: t.end - t.start + 1,
  };
}

/** The term a date falls in, as a form prints it: "Spring 2027". */
export function termLabel(date: string, terms: TermCalendar = englishTerms): string {
  return schoolTermOf(date, terms).label;
}

// ---------------------------------------------------------------------------------------------
// Absences: which ones stop the induction clock
// ---------------------------------------------------------------------------------------------

export type InductionYear = 1 | 2;

/** Days on which the induction clock stands still because an absence extends induction. */
interface Pause {
  start: number;
  /** Inclusive. */
  end: number;
}

export interface AbsenceYearTally {
  year: InductionYear;
  /** Counting (non-exempt) days absent in this induction year. */
  countingDays: number;
  /** Date the counting days reached 30, if they have. */
  thresholdReachedOn?: string;
  /** Days this year is extended by: all counting days once they reach 30, plus exempt leave the ECT chose to extend. */
  extensionDays: number;
}

const isExempt = (a: Absence) => a.leaveType !== "counting";

/** Lays pauses end to end so that overlapping records never stop the clock twice for one day. */
function layOut(absences: Absence[]): Pause[] {
  const pauses: Pause[] = [];
  let nextFree = -Infinity;
  for (const a of [...absences].sort((x, y) => dayNumber(x.from) - dayNumber(y.from))) {
    const days = Math.round(a.days);
    if (days <= 0) continue;
    const start = Math.max(dayNumber(a.from), nextFree);
    pauses.push({ start, end: start + days - 1 });
    nextFree = start + days;
  }
  return pauses;
}

interface AbsenceAnalysis {
  pauses: Pause[];
  tallies: AbsenceYearTally[];
}

/**
 * Goes through the absences in date order. Each is placed in the induction year in which it
 * starts, using the clock as stopped by the extending absences found so far. When a year's
 * counting days reach 30, every counting absence in that year starts to extend it.
 */
function analyseAbsences(ect: Ect, terms: TermCalendar): AbsenceAnalysis {
  const sorted = [...ect.absences].sort((x, y) => dayNumber(x.from) - dayNumber(y.from));
  const extending: Absence[] = [];
  const tallies: Record<InductionYear, AbsenceYearTally> = {
    1: { year: 1, countingDays: 0, extensionDays: 0 },
    2: { year: 2, countingDays: 0, extensionDays: 0 },
  };
  const countingByYear: Record<InductionYear, Absence[]> = { 1: [], 2: [] };

  for (const absence of sorted) {
    const clock = new InductionClock(ect, layOut(extending), terms);
    const year: InductionYear = clock.termsServedBefore(dayNumber(absence.from)) < 3 - EPS ? 1 : 2;
    const tally = tallies[year];
    if (isExempt(absence)) {
      if (absence.ectChoseToExtend) {
        extending.push(absence);
        tally.extensionDays += absence.days;
      }
      continue;
    }
    const before = tally.countingDays;
    tally.countingDays += absence.days;
    countingByYear[year].push(absence);
    if (before < ABSENCE_EXTENSION_THRESHOLD_DAYS && tally.countingDays >= ABSENCE_EXTENSION_THRESHOLD_DAYS) {
      // The 30th day falls inside this absence (days counted from its first day, never past its end).
      const offset = Math.min(ABSENCE_EXTENSION_THRESHOLD_DAYS - before - 1, Math.max(0, daysBetween(absence.from, absence.to)));
      tally.thresholdReachedOn = addDays(absence.from, Math.max(0, Math.ceil(offset)));
      extending.push(...countingByYear[year]);
      tally.extensionDays += countingByYear[year].reduce((n, a) => n + a.days, 0);
    } else if (tally.countingDays >= ABSENCE_EXTENSION_THRESHOLD_DAYS) {
      extending.push(absence);
      tally.extensionDays += absence.days;
    }
  }
  return { pauses: layOut(extending), tallies: [tallies[1], tallies[2]] };
}

// ---------------------------------------------------------------------------------------------
// The induction clock: FTE terms served by a date
// ---------------------------------------------------------------------------------------------

/**
 * Counts FTE terms served. Without absences, a day in a term is worth fte ÷ (days in the term).
 * An absence that extends induction stops the clock for its days: every later date moves on by
 * exactly those days, so "extended by the number of days absent" holds whatever the terms' lengths.
 */
class InductionClock {
  private readonly startDay: number;
  private readonly fte: number;
  constructor(
    ect: Ect,
    /** Sorted and not overlapping (see layOut). */
    private readonly pauses: Pause[],
    private readonly terms: TermCalendar,
  ) {
    if (!(ect.fte > 0)) throw new RangeError("An ECT's FTE must be more than 0");
    this.startDay = dayNumber(ect.inductionStartDate);
    this.fte = ect.fte;
  }

  /** Days on which the clock stood still, from the start of induction to the day before `day`. */
  private pausedBefore(day: number): number {
    let n = 0;
    for (const p of this.pauses) {
      const from = Math.max(p.start, this.startDay);
      const to = Math.min(p.end, day - 1);
      if (to >= from) n += to - from + 1;
    }
    return n;
  }

  /** Terms served before `day` with no absence: whole and part terms, each day worth fte ÷ term length. */
  private termsBeforeWithoutAbsence(day: number): number {
    let served = 0;
    for (let cursor = this.startDay; cursor < day;) {
      const term = this.terms.spanOf(cursor);
      const until = Math.min(day - 1, term.end);
      served += ((until - cursor + 1) / (term.end - term.start + 1)) * this.fte;
      cursor = until + 1;
    }
    return served;
  }

  /** The day on which terms served reach `target`, with no absence. */
  private dayReachingWithoutAbsence(target: number): number {
    let served = 0;
    for (let cursor = this.startDay; ;) {
      const term = this.terms.spanOf(cursor);
      const length = term.end - term.start + 1;
      const gain = ((term.end - cursor + 1) / length) * this.fte;
      if (served + gain >= target - EPS) {
        const days = Math.max(1, Math.ceil(((target - served) * length) / this.fte - EPS));
        return cursor + days - 1;
      }
      served += gain;
      cursor = term.end + 1;
    }
  }

  /** FTE terms served on the days before `day` (so 0 on the start date). */
  termsServedBefore(day: number): number {
    return this.termsBeforeWithoutAbsence(day - this.pausedBefore(day));
  }

  /** FTE terms served by the end of `date`. */
  termsServedBy(date: string): number {
    return this.termsServedBefore(dayNumber(date) + 1);
  }

  /** The date on which terms served reach `target`: the date with no absence, moved on past every pause that starts by then. */
  dateReaching(target: number): string {
    let day = this.dayReachingWithoutAbsence(target);
    for (const p of this.pauses) {
      if (p.end >= this.startDay && p.start <= day) day += p.end - Math.max(p.start, this.startDay) + 1;
    }
    return isoDate(day);
  }
}

// ---------------------------------------------------------------------------------------------
// Statutory events
// ---------------------------------------------------------------------------------------------

export type StatutoryEventKind = "progress_review" | "formal_assessment";

export interface StatutoryEvent {
  kind: StatutoryEventKind;
  /** Progress review 1, 2, …; formal assessment 1 (end of year 1) and 2 (final). */
  number: number;
  /** FTE terms served when it falls due (e.g. 3 for the first formal assessment). */
  atTerms: number;
  /** Due by this date. */
  date: string;
  /** The term it reviews (see reviewedTermOf): usually the one it falls due in. "Spring 2027" */
  term: string;
  /** "Progress review 2 (Spring 2026)", "Formal assessment 1 (end of induction year 1, Summer 2026)" */
  label: string;
}

/**
 * Where reviews and assessments fall, in FTE terms served.
 * Formal assessments: at the end of term 3 and at the end of induction (term 6 plus extensions).
 * Reviews: one every calendar term of work (1 FTE term full-time, `fte` FTE terms part-time),
 * counted on from the start and from each assessment, and skipped when less than a term
 * before the next assessment (induction rules §13.2).
 */
function eventPositions(fte: number, totalTerms: number): { kind: StatutoryEventKind; atTerms: number }[] {
  const interval = fte;
  const assessments = totalTerms > 3 + EPS ? [3, totalTerms] : [totalTerms];
  const events: { kind: StatutoryEventKind; atTerms: number }[] = [];
  let from = 0;
  for (const assessment of assessments) {
    for (let k = 1; from + k * interval < assessment - EPS; k++) {
      const at = from + k * interval;
      if (assessment - at >= interval - EPS) events.push({ kind: "progress_review", atTerms: at });
    }
    events.push({ kind: "formal_assessment", atTerms: assessment });
    from = assessment;
  }
  return events;
}

/**
 * The term a review point belongs to: the term it falls due in, unless less than a fifth of the
 * period it reviews lies in that term; then it is the term before's review. Real terms start a
 * few days after the calendar blocks do, so an ECT who starts on 4 January completes the first FTE
 * term on 6 April: that is still the spring term's review, and a review held in late March answers
 * it. (A 1 November start falls due on 14 February with 42% of its period in the spring: Spring.)
 */
function reviewedTermOf(periodStart: string, dueDate: string, terms: TermCalendar): string {
  const due = schoolTermOf(dueDate, terms);
  const inDueTerm = daysBetween(due.start > periodStart ? due.start : periodStart, dueDate) + 1;
  const period = daysBetween(periodStart, dueDate) + 1;
  return inDueTerm * 5 < period ? termLabel(addDays(due.start, -1), terms) : due.label;
}

function eventLabel(kind: StatutoryEventKind, number: number, term: string, isFinal: boolean): string {
  if (kind === "progress_review") return `Progress review ${number} (${term})`;
  return isFinal ? `Final formal assessment (end of induction, ${term})` : `Formal assessment ${number} (end of induction year 1, ${term})`;
}

// ---------------------------------------------------------------------------------------------
// The timeline
// ---------------------------------------------------------------------------------------------

export type InductionStage = "not_started" | "ECT1" | "ECT2" | "extended" | "completed";

export interface AbsenceWarning {
  year: InductionYear;
  countingDays: number;
  reachedOn: string;
  extensionDays: number;
  message: string;
}

export interface InductionTimeline {
  /**
   * Exact FTE terms served by the end of `today` (school and AB records hold the exact figure,
   * SG §2.34). On the last day of term 3 this is 3 while `year` is still "ECT1".
   */
  termsServed: number;
  /** The FTE term the ECT is in: 1..6, 7+ in an extension; 0 before induction starts; the last term once completed. */
  currentTermNumber: number;
  year: InductionStage;
  /** FTE terms the induction lasts: 6 plus AB-decided extensions. */
  totalTerms: number;
  /** FTE terms still to serve. */
  termsRemaining: number;
  /** Calendar terms still to serve at the ECT's working pattern (termsRemaining ÷ FTE). */
  calendarTermsRemaining: number;
  /** The date the final formal assessment falls due: induction's expected end. */
  expectedEndDate: string;
  /** Days the clock stops for absences that extend induction (automatic and chosen). */
  absenceExtensionDays: number;
  absenceByYear: AbsenceYearTally[];
  absenceWarnings: AbsenceWarning[];
  events: StatutoryEvent[];
  /** The first event due on or after `today`. */
  nextStatutoryEvent?: StatutoryEvent;
}

/** FTE terms of induction: the standard six plus extensions decided by the AB or on appeal. */
export function totalInductionTerms(ect: Ect): number {
  const added = ect.extensions.filter((e) => e.source === "ab_decision" || e.source === "appeal").reduce((n, e) => n + e.terms, 0);
  return STANDARD_INDUCTION_TERMS + added;
}

function stageFor(served: number, total: number, started: boolean): InductionStage {
  if (!started) return "not_started";
  if (served >= total - EPS) return "completed";
  if (served < 3 - EPS) return "ECT1";
  if (served < STANDARD_INDUCTION_TERMS - EPS) return "ECT2";
  return "extended";
}

function warningsFrom(tallies: AbsenceYearTally[], today: string): AbsenceWarning[] {
  return tallies.flatMap((t) =>
    t.thresholdReachedOn && t.thresholdReachedOn <= today
      ? [
          {
            year: t.year,
            countingDays: t.countingDays,
            reachedOn: t.thresholdReachedOn,
            extensionDays: t.extensionDays,
            message:
              `Absence in induction year ${t.year} has reached ${t.countingDays} days (30 or more). ` +
              `The headteacher must tell the appropriate body, and year ${t.year} is extended by the days absent.`,
          },
        ]
      : [],
  );
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

/** The ECT's induction as of `today`: terms served, stage, expected end and statutory events. */
export function inductionTimeline(ect: Ect, today: string, terms: TermCalendar = englishTerms): InductionTimeline {
  const { pauses, tallies } = analyseAbsences(ect, terms);
  const clock = new InductionClock(ect, pauses, terms);
  const total = totalInductionTerms(ect);
  const started = today >= ect.inductionStartDate;
  const served = started ? Math.min(round6(clock.termsServedBy(today)), total) : 0;
  // Today belongs to the term it falls in: the stage and term number are read at the start of the day.
  const servedBeforeToday = started ? clock.termsServedBefore(dayNumber(today)) : 0;
  const stage = stageFor(servedBeforeToday, total, started);

  const positions = eventPositions(ect.fte, total);
  const counters: Record<StatutoryEventKind, number> = { progress_review: 0, formal_assessment: 0 };
  let periodStart = ect.inductionStartDate;
  const events: StatutoryEvent[] = positions.map((p) => {
    const date = clock.dateReaching(p.atTerms);
    const number = ++counters[p.kind];
    const term = reviewedTermOf(periodStart, date, terms);
    periodStart = addDays(date, 1);
    return { kind: p.kind, number, atTerms: round6(p.atTerms), date, term, label: eventLabel(p.kind, number, term, p.atTerms === total) };
  });

  const remaining = round6(Math.max(0, total - served));
  const absenceExtensionDays = pauses.reduce((n, p) => n + (p.end - p.start + 1), 0);
  const nextStatutoryEvent = events.find((e) => e.date >= today);
  return {
    termsServed: served,
    currentTermNumber: !started ? 0 : stage === "completed" ? Math.ceil(total - EPS) : Math.floor(servedBeforeToday + EPS) + 1,
    year: stage,
    totalTerms: total,
    termsRemaining: remaining,
    calendarTermsRemaining: round6(remaining / ect.fte),
    expectedEndDate: clock.dateReaching(total),
    absenceExtensionDays,
    absenceByYear: tallies,
    absenceWarnings: warningsFrom(tallies, today),
    events,
    ...(nextStatutoryEvent ? { nextStatutoryEvent } : {}),
  };
}

/** The next progress review or formal assessment due on or after `today`, if induction has one left. */
export function nextStatutoryEvent(ect: Ect, today: string, terms?: TermCalendar): StatutoryEvent | undefined {
  return inductionTimeline(ect, today, terms).nextStatutoryEvent;
}

/** When to tell the AB: the latest induction year whose counting absence has reached 30 days by `today` (SG §5.4). */
export function absenceWarning(ect: Ect, today: string, terms?: TermCalendar): AbsenceWarning | undefined {
  const warnings = inductionTimeline(ect, today, terms).absenceWarnings;
  return warnings[warnings.length - 1];
}

/**
 * An ECT in the second year (or an extension) with at most `withinTerms` calendar terms of
 * induction left. The escalation policy (seed 003) says such an ECT should be escalated sooner.
 * Terms are counted at the ECT's working pattern: a 0.5 FTE ECT with 0.5 FTE terms left has
 * one calendar term left.
 */
export function isEct2NearEnd(ect: Ect, today: string, withinTerms = 1.5, terms?: TermCalendar): boolean {
  const t = inductionTimeline(ect, today, terms);
  if (t.year !== "ECT2" && t.year !== "extended") return false;
  return t.calendarTermsRemaining <= withinTerms + EPS;
}
