import type { Level, Plan, Target, TargetOutcome, WeekRow } from "../model/plan.js";
import { ladderLevel } from "../ladder.js";
import type { TermCalendar } from "../termCalendar.js";
import { addDays, termLabel } from "../timeline.js";

/*
 * What a successor plan starts with, worked out before it exists. Free of zod and of the use
 * cases' context, so the tab shows the same values the server then builds the plan from.
 */

/** The PlanContent ceilings (model/plan.ts): a successor never starts over them. */
const MAX_TARGETS = 20;
const MAX_TARGET_TEXT = 2000;

/** Targets not met at review (all of them if there was no review), ready to carry over. */
export function targetsToCarry(plan: Plan): Target[] {
  const outcomes = new Map((plan.review?.targetOutcomes ?? []).map((o) => [o.targetId, o.outcome]));
  return plan.targets.filter((t) => outcomes.get(t.id) !== "met");
}

/** Why a target was carried over: its outcome at review and the evidence given for it. */
export interface NotMetEvidence {
  /** Undefined when the plan was escalated before it was reviewed. */
  outcome?: Exclude<TargetOutcome, "met">;
  evidence: string;
}

/** One objective (or target) the successor starts with; `notMet` is set on those carried over. */
export interface SuccessorObjective {
  target: Omit<Target, "id">;
  notMet?: NotMetEvidence;
}

/** The weekly evaluations of progress the plan holds, in week order (the running record behind the review). */
export type WeekEvaluation = Pick<WeekRow, "week" | "evaluation">;

/** What a successor plan starts with: shown before escalating, then built from the same values. */
export interface SuccessorStart {
  startDate: string;
  /** Undefined where the ladder sets no length (Level 5's comprehensive plan, Level 6's HR policy). */
  endDate?: string;
  reviewDate?: string;
  term: string;
  /** The length the end date was set from, in weeks. */
  lengthWeeks?: number;
  objectives: SuccessorObjective[];
  weekEvaluations: WeekEvaluation[];
}

/** Saturday or Sunday: the calendar models no term dates or holidays (timeline.ts), so weekends are all it can skip. */
const isWeekend = (iso: string) => [0, 6].includes(new Date(`${iso}T00:00:00Z`).getUTCDay());

/** The first school day on or after `iso`. */
export function nextSchoolDay(iso: string): string {
  let day = iso;
  while (isWeekend(day)) day = addDays(day, 1);
  return day;
}

/**
 * The successor's dates from the ladder: it starts on the school day after the review (or after
 * `today` when escalated unreviewed) and runs the level's longest length (seed 003: "a 4 - 6 week
 * plan" at Levels 2–3, "a 6 week action plan" at Level 4), so the ECT has the most time to show
 * progress and the tutor may shorten it; the review falls on the end date, as the forms end.
 */
export function successorDates(from: Plan, level: Level, today: string): Pick<SuccessorStart, "startDate" | "endDate" | "reviewDate" | "lengthWeeks"> {
  const startDate = nextSchoolDay(addDays(from.review?.date ?? today, 1));
  const lengthWeeks = ladderLevel(level).lengthWeeks?.max;
  if (lengthWeeks === undefined) return { startDate };
  // Whole weeks from a school day land on the same weekday, so the end is a school day too.
  const endDate = addDays(startDate, lengthWeeks * 7);
  return { startDate, endDate, reviewDate: endDate, lengthWeeks };
}

/** The evidence a target was not met, from the plan's review; undefined for a target met or not on the plan. */
export function notMetEvidence(from: Plan, targetId: string): NotMetEvidence | undefined {
  if (!from.targets.some((t) => t.id === targetId)) return undefined;
  const judged = from.review?.targetOutcomes.find((o) => o.targetId === targetId);
  if (judged?.outcome === "met") return undefined;
  return judged ? { outcome: judged.outcome, evidence: judged.evidence } : { evidence: "" };
}

export function weekEvaluations(from: Plan): WeekEvaluation[] {
  return from.weeks
    .filter((w) => w.evaluation.trim())
    .map((w) => ({ week: w.week, evaluation: w.evaluation }))
    .sort((a, b) => a.week - b.week);
}

/** The review's next objectives, one per line, without the bullets or numbers people type. */
export function nextObjectiveLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:[-*•–]|\d+[.)])\s+/, "").trim())
    .filter(Boolean);
}

const sameWords = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function blankObjective(text: string): Omit<Target, "id"> {
  return {
    standards: [],
    text,
    ectActions: "",
    schoolActions: "",
    supportedBy: "",
    resources: "",
    successCriteria: "",
    timeScale: "",
    observationOutcome: "",
    outcomeEntries: [],
  };
}

/**
 * What the next plan starts with. The targets not met come first, keeping their standards and
 * success criteria, each with the evidence it was not met; then each of the review's next
 * objectives not already among them, for the tutor to link to a standard.
 */
export function successorStart(from: Plan, level: Level, today: string, terms?: TermCalendar): SuccessorStart {
  const dates = successorDates(from, level, today);
  const carried: SuccessorObjective[] = targetsToCarry(from).map((t) => ({
    target: {
      standards: [...t.standards],
      text: t.text,
      ectActions: t.ectActions,
      schoolActions: t.schoolActions,
      supportedBy: t.supportedBy,
      resources: t.resources,
      successCriteria: t.successCriteria,
      timeScale: "",
      observationOutcome: "",
      outcomeEntries: [],
      carriedFromTargetId: t.id,
    },
    notMet: notMetEvidence(from, t.id) ?? { evidence: "" },
  }));
  const fresh = nextObjectiveLines(from.review?.nextObjectives ?? "")
    .filter((line, i, all) => all.findIndex((l) => sameWords(l, line)) === i)
    .filter((line) => !carried.some((c) => sameWords(c.target.text, line)))
    .map((line) => ({ target: blankObjective(line.slice(0, MAX_TARGET_TEXT)) }));
  return {
    ...dates,
    term: termLabel(dates.startDate, terms),
    objectives: [...carried, ...fresh].slice(0, MAX_TARGETS),
    weekEvaluations: weekEvaluations(from),
  };
}
