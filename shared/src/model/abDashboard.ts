import { z } from "zod";
import { Id, IsoDate } from "./ids.js";
import { Level, PlanOutcome, type Plan, type PlanStatus } from "./plan.js";
import { schoolDate } from "../calendar.js";
import { addDays, daysBetween, schoolTermOf } from "../timeline.js";

/**
 * The appropriate body's dashboard (issue 15), computed on the server from the ECTs in scope and
 * their plans. Pure: `today` is a parameter. Three pictures, each with the facts its table shows:
 * ECTs by current level per school, plans opened and closed per school term by outcome, and the
 * time ECTs have spent at each level.
 *
 * Dates a plan is read by: it opens on its start date; a closed plan ends on its review's date
 * (its successor starts the next school day, successorStart.ts) or, when it was escalated without
 * a review, on the day it was closed (its last write: nothing changes a closed plan). An open
 * plan runs to today. Days are calendar days, both ends counted.
 */

/** A bar of the first chart: one of the six levels, or no open plan. */
export const LevelKey = z.enum(["1", "2", "3", "4", "5", "6", "none"]);
export type LevelKey = z.infer<typeof LevelKey>;
export const levelKeys: readonly LevelKey[] = LevelKey.options;

const Count = z.number().int().min(0);

export const SchoolLevels = z.object({
  schoolId: Id,
  schoolName: z.string(),
  /** ECTs (not ITT trainees) in this school within the caller's scope. */
  ects: Count,
  /** ECTs by the level of their open plan; "none": no open plan. */
  counts: z.record(LevelKey, Count),
});
export type SchoolLevels = z.infer<typeof SchoolLevels>;

export const TermActivity = z.object({
  /** "Autumn 2026" (calendar blocks, timeline.ts). */
  term: z.string(),
  start: IsoDate,
  end: IsoDate,
  /** Plans whose start date falls in the term. */
  opened: Count,
  /** Plans closed in the term, by how they ended; `total` counts any without an outcome too. */
  closed: z.object({ on_track: Count, continued: Count, escalated: Count, total: Count }),
});
export type TermActivity = z.infer<typeof TermActivity>;

export const TimeAtLevel = z.object({
  level: Level,
  /** Plans at this level, closed or open, that have started. */
  plans: Count,
  /** Of those, still open. */
  open: Count,
  /** ECTs who have spent time at this level. */
  ects: Count,
  /** Days at this level, all ECTs together. */
  totalDays: Count,
  /** The median of each ECT's days at this level (a repeated plan at one level adds to the same ECT). */
  medianDays: z.number().min(0),
});
export type TimeAtLevel = z.infer<typeof TimeAtLevel>;

/** GET /api/ab/dashboard. */
export const AbDashboard = z.object({
  today: IsoDate,
  scope: z.enum(["appropriate_body", "school"]),
  ects: Count,
  levelsBySchool: z.array(SchoolLevels),
  terms: z.array(TermActivity),
  timeAtLevel: z.array(TimeAtLevel),
});
export type AbDashboard = z.infer<typeof AbDashboard>;

/** What the dashboard reads of a plan. */
export interface DashboardPlan {
  id: string;
  ectId: string;
  level?: number | undefined;
  status: PlanStatus;
  outcome?: PlanOutcome | undefined;
  startDate?: string | undefined;
  /** Closed plans: the day it ended (planClosedOn). */
  closedOn?: string | undefined;
}

export interface DashboardInput {
  today: string;
  scope: AbDashboard["scope"];
  ects: readonly { id: string; schoolId: string; track?: "ect" | "itt" }[];
  schools: readonly { id: string; name: string }[];
  plans: readonly DashboardPlan[];
}

/** The day a closed plan ended: its review's date, else the day it was closed. */
export function planClosedOn(plan: Pick<Plan, "status" | "updatedAt"> & { review?: { date?: string | undefined } | undefined }): string | undefined {
  if (plan.status !== "closed") return undefined;
  return plan.review?.date ?? schoolDate(plan.updatedAt);
}

/** The median, halves kept (two middle values average). */
export function medianOf(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const xs = [...values].sort((a, b) => a - b);
  const mid = Math.floor(xs.length / 2);
  return xs.length % 2 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
}

/** Time a plan has run by today: start to close (or today, if it closed after), or to today while open; undefined before it starts. */
export function planSpan(plan: DashboardPlan, today: string): { start: string; end: string; days: number } | undefined {
  if (!plan.startDate) return undefined;
  const closed = plan.status === "closed" ? (plan.closedOn ?? today) : today;
  const end = closed > today ? today : closed;
  if (end < plan.startDate) return undefined;
  return { start: plan.startDate, end, days: daysBetween(plan.startDate, end) + 1 };
}

/** The open plan an ECT is on now: the latest started, as the caseload picks it. */
function currentLevel(plans: readonly DashboardPlan[]): LevelKey {
  const open = plans.filter((p) => p.status !== "closed").sort((a, b) => (b.startDate ?? "").localeCompare(a.startDate ?? ""));
  const level = open[0]?.level;
  return level === undefined ? "none" : (String(level) as LevelKey);
}

function levelsBySchool(input: DashboardInput, byEct: Map<string, DashboardPlan[]>): SchoolLevels[] {
  const names = new Map(input.schools.map((s) => [s.id, s.name]));
  const rows = new Map<string, SchoolLevels>();
  for (const ect of input.ects) {
    const row = rows.get(ect.schoolId) ?? {
      schoolId: ect.schoolId,
      schoolName: names.get(ect.schoolId) ?? "",
      ects: 0,
      counts: Object.fromEntries(levelKeys.map((k) => [k, 0])) as Record<LevelKey, number>,
    };
    row.ects += 1;
    row.counts[currentLevel(byEct.get(ect.id) ?? [])] += 1;
    rows.set(ect.schoolId, row);
  }
  return [...rows.values()].sort((a, b) => a.schoolName.localeCompare(b.schoolName) || a.schoolId.localeCompare(b.schoolId));
}

/** Every school term from the first plan's to today's, gaps included, so the axis reads as time. */
function termActivity(plans: readonly DashboardPlan[], today: string): TermActivity[] {
  const dates = plans.flatMap((p) => [p.startDate, p.closedOn]).filter((d): d is string => !!d && d <= today);
  if (dates.length === 0) return [];
  const terms: TermActivity[] = [];
  const byStart = new Map<string, TermActivity>();
  for (let t = schoolTermOf(dates.sort()[0]!); t.start <= today; t = schoolTermOf(addDays(t.end, 1))) {
    const row = { term: t.label, start: t.start, end: t.end, opened: 0, closed: { on_track: 0, continued: 0, escalated: 0, total: 0 } };
    terms.push(row);
    byStart.set(t.start, row);
  }
  for (const p of plans) {
    if (p.startDate && p.startDate <= today) byStart.get(schoolTermOf(p.startDate).start)!.opened += 1;
    if (p.status === "closed" && p.closedOn && p.closedOn <= today) {
      const closed = byStart.get(schoolTermOf(p.closedOn).start)!.closed;
      closed.total += 1;
      if (p.outcome) closed[p.outcome] += 1;
    }
  }
  return terms;
}

function timeAtLevel(plans: readonly DashboardPlan[], today: string): TimeAtLevel[] {
  const byLevel = new Map<number, { plans: number; open: number; days: Map<string, number> }>();
  for (const p of plans) {
    const span = p.level === undefined ? undefined : planSpan(p, today);
    if (!span || p.level === undefined) continue;
    const at = byLevel.get(p.level) ?? { plans: 0, open: 0, days: new Map<string, number>() };
    at.plans += 1;
    if (p.status !== "closed") at.open += 1;
    at.days.set(p.ectId, (at.days.get(p.ectId) ?? 0) + span.days);
    byLevel.set(p.level, at);
  }
  return [...byLevel.entries()]
    .sort(([a], [b]) => a - b)
    .map(([level, at]) => {
      const perEct = [...at.days.values()];
      return { level, plans: at.plans, open: at.open, ects: perEct.length, totalDays: perEct.reduce((n, d) => n + d, 0), medianDays: medianOf(perEct) };
    });
}

/** The dashboard for these ECTs (ITT trainees are not in statutory induction and are left out) and their plans. */
export function abDashboard(input: DashboardInput): AbDashboard {
  const ects = input.ects.filter((e) => (e.track ?? "ect") === "ect");
  const inScope = new Set(ects.map((e) => e.id));
  const plans = input.plans.filter((p) => inScope.has(p.ectId));
  const byEct = new Map<string, DashboardPlan[]>();
  for (const p of plans) byEct.set(p.ectId, [...(byEct.get(p.ectId) ?? []), p]);
  return {
    today: input.today,
    scope: input.scope,
    ects: ects.length,
    levelsBySchool: levelsBySchool({ ...input, ects }, byEct),
    terms: termActivity(plans, input.today),
    timeAtLevel: timeAtLevel(plans, input.today),
  };
}
