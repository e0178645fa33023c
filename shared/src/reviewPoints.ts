import type { Ect } from "./model/people.js";
import type { InductionRecord } from "./model/inductionRecords.js";
import { formatShortDate } from "./calendar.js";
import { currentRevisions } from "./recordLifecycle.js";
import { validationFailed } from "./errors.js";
import { inductionTimeline, schoolTermOf, type StatutoryEvent, type StatutoryEventKind } from "./timeline.js";
import type { TermCalendar } from "./termCalendar.js";

/**
 * Which statutory review point a record belongs to (issue 16): the point of its kind whose school
 * term contains the record's date (the term the point reviews: timeline.ts reviewedTermOf). Terms
 * are the school's own term dates, or the default calendar blocks (termCalendar.ts); the points come from the induction timeline, so part
 * time (pro rata), absences that extend induction and AB extensions all move them.
 *
 * Pure: no clock. Whether the date is after today is the caller's check (it knows today).
 */

/** What a review point is matched against: a recorded review or assessment (only what is needed). */
export interface RecordedPoint {
  kind: StatutoryEventKind;
  /** The date the record is dated (the review's or assessment's own date). */
  date: string;
  due?: { date: string } | undefined;
}

export type PointRefusal = "before-induction" | "after-induction" | "no-point-in-term" | "wrong-assessment" | "already-recorded";

export type ReviewPointResult =
  { ok: true; point: StatutoryEvent } | { ok: false; code: PointRefusal; reason: string; point?: StatutoryEvent; recordedOn?: string };

/** The key a record and its point share: kind and the point's due date (as every listing matches them). */
export const pointKey = (kind: StatutoryEventKind, dueDate: string) => `${kind}:${dueDate}`;

const kindName = (kind: StatutoryEventKind) => (kind === "progress_review" ? "progress review" : "formal assessment");

/**
 * The review point a record of `kind` dated `date` belongs to. `finalAssessment` says which
 * formal assessment the record claims to be (number 2 = final); `recorded` are the ECT's existing
 * records, so a second record for a point already recorded is refused. (The message says "amend it";
 * records have no amend route yet.)
 */
export function reviewPointFor(
  ect: Ect,
  kind: StatutoryEventKind,
  date: string,
  options: { finalAssessment?: boolean; recorded?: readonly RecordedPoint[]; terms?: TermCalendar } = {},
): ReviewPointResult {
  const terms = options.terms;
  const term = schoolTermOf(date, terms).label;
  if (date < ect.inductionStartDate) {
    return { ok: false, code: "before-induction", reason: `${date} is before ${ect.inductionStartDate}, when this ECT's induction started.` };
  }
  // The points do not depend on "today": any date reads the same events.
  const all = inductionTimeline(ect, ect.inductionStartDate, terms);
  const points = all.events.filter((e) => e.kind === kind);
  // The term the induction ends in still has its final assessment; a later term has nothing.
  if (date > all.expectedEndDate && schoolTermOf(all.expectedEndDate, terms).label !== term) {
    return { ok: false, code: "after-induction", reason: `${date} is after this ECT's induction ends (${all.expectedEndDate}).` };
  }
  // A point takes records dated in the term it reviews, and in the days after that term up to
  // its due date (a point can fall due a few days into the next term: see timeline.ts).
  const inTerm = points.filter((p) => p.term === term || (date <= p.date && schoolTermOf(p.date, terms).label === term && p.term !== term));
  if (inTerm.length === 0) {
    const other = all.events.find((e) => e.term === term);
    return {
      ok: false,
      code: "no-point-in-term",
      reason: `No ${kindName(kind)} falls in ${term} for this ECT${other ? ` (${term} has ${other.label})` : ""}.`,
    };
  }
  if (kind === "formal_assessment" && options.finalAssessment !== undefined) {
    const final = points.at(-1)!;
    const p = inTerm[0]!;
    if ((p === final) !== options.finalAssessment) {
      return {
        ok: false,
        code: "wrong-assessment",
        point: p,
        reason: `The formal assessment in ${term} is ${p.label}: record it as ${p === final ? "the final assessment (number 2)" : "assessment 1"}.`,
      };
    }
  }
  const taken = new Map((options.recorded ?? []).filter((r) => r.kind === kind && r.due).map((r) => [pointKey(kind, r.due!.date), r.date]));
  // Long absences can put two points in one term: the first one not yet recorded is the one answered.
  const open = inTerm.find((p) => !taken.has(pointKey(kind, p.date)));
  if (open) return { ok: true, point: open };
  const point = inTerm[0]!;
  const recordedOn = taken.get(pointKey(kind, point.date))!;
  return {
    ok: false,
    code: "already-recorded",
    point,
    recordedOn,
    reason: `${point.label} is already recorded on ${formatShortDate(recordedOn)}: each review point keeps one record`,
  };
}

/**
 * Points still without a record, in order: the first is "next due" (even if already past — an
 * unanswered point stays due), the ones before `today` are overdue.
 */
export function openReviewPoints(ect: Ect, records: readonly RecordedPoint[], terms?: TermCalendar): StatutoryEvent[] {
  const taken = new Set(records.filter((r) => r.due).map((r) => pointKey(r.kind, r.due!.date)));
  return inductionTimeline(ect, ect.inductionStartDate, terms).events.filter((e) => !taken.has(pointKey(e.kind, e.date)));
}

/**
 * The point a new record files at, or a 422 refusal naming the date: a date after `today` (nobody
 * records a review that has not happened), outside every point, or for a point already recorded.
 */
export function fileAtReviewPoint(
  ect: Ect,
  kind: StatutoryEventKind,
  date: string,
  today: string,
  options: { finalAssessment?: boolean; recorded?: readonly RecordedPoint[]; terms?: TermCalendar } = {},
): StatutoryEvent {
  const what = kind === "progress_review" ? "The progress review" : "The formal assessment";
  if (date > today) {
    const message = `${what} is dated ${formatShortDate(date)}, after today (${formatShortDate(today)}): record it on or after the day it happens`;
    throw validationFailed([{ path: "date", code: "date-in-future", message, severity: "error" }], `${message}. Nothing was saved.`);
  }
  const result = reviewPointFor(ect, kind, date, options);
  if (result.ok) return result.point;
  throw validationFailed(
    [{ path: "date", code: result.code, message: result.reason, severity: "error" }],
    `${result.reason.replace(/\.$/, "")}. Nothing was saved.`,
  );
}

/**
 * An ECT's reviews and assessments as the points they answer (concerns, signatures and returns
 * answer none). A revision replaces the record it revises at the same point, so a superseded
 * revision answers nothing: the revision files without a "duplicate point" refusal.
 */
export function recordedPoints(records: readonly InductionRecord[]): RecordedPoint[] {
  return currentRevisions(records).map((r): RecordedPoint =>
    r.kind === "progress_review" ? { kind: r.kind, date: r.review.date, due: r.due } : { kind: r.kind, date: r.assessment.date, due: r.due },
  );
}
