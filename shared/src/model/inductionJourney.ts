import { z } from "zod";
import { Id, IsoDate } from "./ids.js";
import { Level, PlanOutcome, PlanStatus, TemplateId } from "./plan.js";
import { Extension, type Ect } from "./people.js";
import type { FormalAssessmentRecord, InductionRecord, ProgressReviewRecord } from "./inductionRecords.js";
import { defaultRatingScale, reviewedStandards, reviewedStandardTitle, ReviewedStandard } from "../ratings.js";
import { STANDARD_INDUCTION_TERMS, addDays, daysBetween, inductionTimeline, schoolTermOf } from "../timeline.js";
import type { DashboardPlan } from "./abDashboard.js";
import type { TermCalendar } from "../termCalendar.js";
import { currentRevisions } from "../recordLifecycle.js";

/**
 * One ECT's induction as one picture (issue 15): the induction terms (FTE terms: six, pro rata in
 * calendar time for part-time, then any extension), the statutory reviews and assessments with
 * what was recorded and each standard's rating, and the support plans as spans with their levels.
 * Pure: `today` is a parameter; the timeline rules are timeline.ts's.
 */

export const JourneyTerm = z.object({
  /** Induction term 1, 2, … (FTE terms served); beyond 6 an extension. */
  number: z.number().int().min(1),
  start: IsoDate,
  end: IsoDate,
  /** FTE terms this span holds: 1, or less for the last part of a fractional extension. */
  fteTerms: z.number().min(0),
  extension: z.boolean(),
  /** The school terms it runs across ("Autumn 2026"): more than one for a part-time ECT. */
  schoolTerms: z.array(z.string()),
});
export type JourneyTerm = z.infer<typeof JourneyTerm>;

export const JourneyRating = z.object({ standard: ReviewedStandard, title: z.string(), ratingId: z.string(), rating: z.string() });

export const JourneyReviewPoint = z.object({
  kind: z.enum(["progress_review", "formal_assessment"]),
  label: z.string(),
  /** When the statutory event falls due (absent for a record that answers none). */
  dueDate: IsoDate.optional(),
  /** The date of the review or assessment recorded against it. */
  date: IsoDate.optional(),
  status: z.enum(["recorded", "overdue", "due"]),
  onTrack: z.boolean().optional(),
  ratings: z.array(JourneyRating),
  recommendation: z.string().optional(),
  abDecision: z.string().optional(),
});
export type JourneyReviewPoint = z.infer<typeof JourneyReviewPoint>;

export const JourneyPlan = z.object({
  id: Id,
  templateId: TemplateId,
  level: Level.optional(),
  status: PlanStatus,
  outcome: PlanOutcome.optional(),
  start: IsoDate,
  /** The day it ended; today while it runs; its planned end (or its start) while it has not started. */
  end: IsoDate,
  open: z.boolean(),
  /** Open and starting after today (a successor starts the school day after its predecessor's review). */
  upcoming: z.boolean(),
  plannedEnd: IsoDate.optional(),
});
export type JourneyPlan = z.infer<typeof JourneyPlan>;

/** GET /api/ects/:ectId/journey. */
export const EctJourney = z.object({
  today: IsoDate,
  ectId: Id,
  ectName: z.string(),
  schoolName: z.string(),
  fte: z.number(),
  inductionStartDate: IsoDate,
  expectedEndDate: IsoDate,
  /** FTE terms the induction lasts: 6 plus extensions the AB decided. */
  totalTerms: z.number(),
  termsServed: z.number(),
  stage: z.string(),
  /** Days absence stops the clock (automatic and chosen extensions). */
  absenceExtensionDays: z.number().int().min(0),
  terms: z.array(JourneyTerm),
  extensions: z.array(Extension),
  reviewPoints: z.array(JourneyReviewPoint),
  plans: z.array(JourneyPlan),
});
export type EctJourney = z.infer<typeof EctJourney>;

export interface JourneyInput {
  ect: Ect;
  ectName: string;
  schoolName: string;
  plans: readonly (DashboardPlan & { templateId: z.infer<typeof TemplateId>; endDate?: string | undefined })[];
  records: readonly InductionRecord[];
  today: string;
  /** The school's terms (termCalendar.ts); the default pattern when absent. */
  terms?: TermCalendar;
}

const EPS = 1e-6;

/** The first day by whose end `target` FTE terms are served (the clock as timeline.ts runs it, absences and all). */
function dayReaching(ect: Ect, target: number, from: string, to: string, terms?: TermCalendar): string {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = addDays(lo, Math.floor(daysBetween(lo, hi) / 2));
    if (inductionTimeline(ect, mid, terms).termsServed >= target - EPS) hi = mid;
    else lo = addDays(mid, 1);
  }
  return lo;
}

function schoolTermsBetween(start: string, end: string, calendar?: TermCalendar): string[] {
  const out: string[] = [];
  for (let t = schoolTermOf(start, calendar); t.start <= end; t = schoolTermOf(addDays(t.end, 1), calendar)) out.push(t.label);
  return out;
}

/** The FTE terms of an induction as date spans: term k ends on the day k terms are served. */
export function journeyTerms(ect: Ect, expectedEndDate: string, totalTerms: number, calendar?: TermCalendar): JourneyTerm[] {
  const terms: JourneyTerm[] = [];
  let start = ect.inductionStartDate;
  for (let k = 1; k - 1 < totalTerms - EPS; k++) {
    const reach = Math.min(k, totalTerms);
    const end = reach >= totalTerms - EPS ? expectedEndDate : dayReaching(ect, reach, start, expectedEndDate, calendar);
    terms.push({
      number: k,
      start,
      end,
      fteTerms: Math.round((reach - (k - 1)) * 1e6) / 1e6,
      extension: k > STANDARD_INDUCTION_TERMS,
      schoolTerms: schoolTermsBetween(start, end, calendar),
    });
    start = addDays(end, 1);
  }
  return terms;
}

type Judgement = ProgressReviewRecord | FormalAssessmentRecord;
/** Reviews and assessments as they now stand: a revision the school replaced after an AB return, signatures and returns are not judgements. */
const judgementsOf = (records: readonly InductionRecord[]): Judgement[] => currentRevisions(records);

function ratingsOf(r: Judgement): z.infer<typeof JourneyRating>[] {
  const ratings = r.kind === "progress_review" ? r.review.ratings : r.assessment.ratings;
  return reviewedStandards.flatMap((code) => {
    const ratingId = ratings[code]?.ratingId;
    if (!ratingId) return [];
    const rating = defaultRatingScale.levels.find((l) => l.id === ratingId)?.label ?? ratingId;
    return [{ standard: code, title: reviewedStandardTitle(code), ratingId, rating }];
  });
}

function recorded(r: Judgement): Omit<JourneyReviewPoint, "kind" | "label" | "dueDate" | "status"> {
  const onTrack = r.kind === "progress_review" ? r.review.onTrack : r.assessment.number === 1 ? r.assessment.onTrack : undefined;
  return {
    date: r.kind === "progress_review" ? r.review.date : r.assessment.date,
    ...(onTrack !== undefined ? { onTrack } : {}),
    ratings: ratingsOf(r),
    ...(r.kind === "formal_assessment" && r.assessment.recommendation ? { recommendation: r.assessment.recommendation } : {}),
    ...(r.kind === "formal_assessment" && r.assessment.abDecision ? { abDecision: r.assessment.abDecision } : {}),
  };
}

/** The statutory events, each with the latest record answering it, then any record that answers none. */
function reviewPoints(ect: Ect, records: readonly InductionRecord[], today: string, terms?: TermCalendar): JourneyReviewPoint[] {
  const judgements = judgementsOf(records).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
  const answering = new Map<string, Judgement>();
  for (const r of judgements) if (r.due) answering.set(`${r.kind}:${r.due.date}`, r);
  const used = new Set<string>();
  const points: JourneyReviewPoint[] = inductionTimeline(ect, today, terms).events.map((e) => {
    const r = answering.get(`${e.kind}:${e.date}`);
    if (r) used.add(r.id);
    return {
      kind: e.kind,
      label: e.label,
      dueDate: e.date,
      ...(r ? { ...recorded(r), status: "recorded" as const } : { status: e.date < today ? ("overdue" as const) : ("due" as const), ratings: [] }),
    };
  });
  // A record answering no event (the timeline moved after an extension, or an unscheduled review).
  const latestPerDue = new Set(answering.values());
  for (const r of judgements) {
    if (used.has(r.id) || (r.due && !latestPerDue.has(r))) continue;
    const label = r.due?.label ?? (r.kind === "progress_review" ? "Progress review" : `Formal assessment ${r.assessment.number}`);
    points.push({ kind: r.kind, label, ...recorded(r), status: "recorded" });
  }
  return points.sort((a, b) => (a.dueDate ?? a.date ?? "").localeCompare(b.dueDate ?? b.date ?? ""));
}

export function ectJourney(input: JourneyInput): EctJourney {
  const { ect, today, terms } = input;
  const timeline = inductionTimeline(ect, today, terms);
  const plans = input.plans
    .flatMap((p): JourneyPlan[] => {
      if (!p.startDate) return [];
      const open = p.status !== "closed";
      const upcoming = open && p.startDate > today;
      // The journey shows a plan's own dates; only the dashboard's time at level stops at today.
      const end = !open ? (p.closedOn ?? p.startDate) : upcoming ? (p.endDate ?? p.startDate) : today;
      const span = { start: p.startDate, end: end < p.startDate ? p.startDate : end };
      return [
        {
          id: p.id,
          templateId: p.templateId,
          ...(p.level !== undefined ? { level: p.level } : {}),
          status: p.status,
          ...(p.outcome ? { outcome: p.outcome } : {}),
          start: span.start,
          end: span.end,
          open,
          upcoming,
          ...(open && p.endDate ? { plannedEnd: p.endDate } : {}),
        },
      ];
    })
    .sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id));
  return {
    today,
    ectId: ect.id,
    ectName: input.ectName,
    schoolName: input.schoolName,
    fte: ect.fte,
    inductionStartDate: ect.inductionStartDate,
    expectedEndDate: timeline.expectedEndDate,
    totalTerms: timeline.totalTerms,
    termsServed: timeline.termsServed,
    stage: timeline.year,
    absenceExtensionDays: timeline.absenceExtensionDays,
    terms: journeyTerms(ect, timeline.expectedEndDate, timeline.totalTerms, terms),
    extensions: ect.extensions,
    reviewPoints: reviewPoints(ect, input.records, today, terms),
    plans,
  };
}
