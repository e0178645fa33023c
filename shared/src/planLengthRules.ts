import type { Level, TemplateId, WeekRow } from "./model/plan.js";
import type { Violation } from "./errors.js";
import { TargetWord, type PlanTemplate } from "./templates.js";
import { addDays, daysBetween } from "./timeline.js";
import type { Rule } from "./rules.js";

/**
 * How long each plan runs and when it is reviewed, as strong as its seed form says and no
 * stronger: "advise" is a warning, "must" / "will" an error (blocks saving), and what a draft
 * may lack until it is agreed is "incomplete" (blocks sending for signature).
 *
 * | Rule                      | Form      | The seed's own words                                                          | Strength   |
 * |---------------------------|-----------|-------------------------------------------------------------------------------|------------|
 * | lengthFitsLevel           | 000       | "it is expected that it will be 4-6 weeks" (writing the plan → reviewing       | error      |
 * |                           |           | progress against the targets)                                                 |            |
 * | targetReviewsFitLength    | 000       | the same 4–6 weeks, read from each target's "Date for review" when the plan   | error      |
 * |                           |           | has no review date of its own                                                 |            |
 * | lengthFitsLevel           | 001       | "We advise 4-week plans"                                                      | warning    |
 * | lengthFitsLevel           | 003 L1    | "Mentor develops a 2 - 4 week plan"                                           | error      |
 * | lengthFitsLevel           | 003 L2–3  | "develop a 4 - 6 week plan" / "develops an extended 4 - 6 week plan"          | error      |
 * | lengthFitsLevel           | 003 L4    | "Create a 6 week action plan"                                                 | error      |
 * | (none)                    | 003 L5–6  | "a comprehensive plan"; L6 runs under HR's policy: no length given            | —          |
 * | reviewWithinDays          | 002       | "A review date will be recorded on the paperwork which should be within two   | error      |
 * |                           |           | weeks"                                                                        |            |
 * | reviewHeldWithinDays      | 002       | "At the end of the two weeks, targets are reviewed" (the review as held:      | warning    |
 * |                           |           | it has happened, so it can be flagged, not refused)                           |            |
 * | weeksCoverPlan            | 003 L2–5  | the form prints a row per week ("Week 1" …) and the plan is monitored weekly  | incomplete |
 * |                           |           | ("Weekly discussions", "monitor weekly"): a row for every week it runs        |            |
 * |                           |           | (a week written in after the end date: a warning)                             | warning    |
 *
 * The 003 actions are the ladder's instructions to the tutor ("develop", "Create"), so they hold
 * as firmly as a "must"; lengths themselves live in templates.ts (`lengthWeeks`).
 */
interface LengthWording {
  /** The seed's words, as printed. */
  words: string;
  severity: "error" | "warning";
  /** Seed 000: each target has its own "Date for review"; measure those when the plan has none. */
  perTargetReview?: true;
}

export const lengthWording: Partial<Record<TemplateId, LengthWording>> = {
  ect_additional_support: { words: "it is expected that it will be 4-6 weeks", severity: "error", perTargetReview: true },
  at_risk_action: { words: "We advise 4-week plans", severity: "warning" },
  level_1: { words: "Mentor develops a 2 - 4 week plan", severity: "error" },
  level_2: { words: "develop a 4 - 6 week plan", severity: "error" },
  level_3: { words: "develops an extended 4 - 6 week plan", severity: "error" },
  level_4: { words: "Create a 6 week action plan", severity: "error" },
};

/** Days either side of a plan's allowed length that still count as fitting (a plan may run Monday to Friday). */
export const PLAN_LENGTH_TOLERANCE_DAYS = 3;

/** The weekly rows seed 003 prints (Levels 2–5): weeks 1 to 6. */
export const MAX_WEEK_ROWS = 6;

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "9 weeks", "5 weeks and 4 days", "6 days" */
export function describeDays(days: number): string {
  const weeks = Math.floor(days / 7);
  const rest = days % 7;
  if (weeks === 0) return plural(rest, "day");
  return rest === 0 ? plural(weeks, "week") : `${plural(weeks, "week")} and ${plural(rest, "day")}`;
}

/** "A Level 2 plan", "The ECT additional support plan" */
export function planKind(template: PlanTemplate, level: Level | undefined): string {
  return template.seed === "003" && level !== undefined ? `A Level ${level} plan` : `The ${template.name}`;
}

/** "weeks 4, 5 and 6", "week 6" */
function listWeeks(weeks: number[]): string {
  if (weeks.length === 1) return `week ${weeks[0]}`;
  return `weeks ${weeks.slice(0, -1).join(", ")} and ${weeks.at(-1)}`;
}

/** The forms that print an end date: the Level 1–5 forms ("End of support plan date"). */
export const printsEndDate = (t: PlanTemplate) => t.sections.includes("review") || t.sections.includes("plan_dates");

const rangeOf = (allowed: { min: number; max: number }) => (allowed.min === allowed.max ? plural(allowed.max, "week") : `${allowed.min}–${allowed.max} weeks`);

const fits = (days: number, allowed: { min: number; max: number }) =>
  days >= allowed.min * 7 - PLAN_LENGTH_TOLERANCE_DAYS && days <= allowed.max * 7 + PLAN_LENGTH_TOLERANCE_DAYS;

/**
 * The plan runs for the length its form gives (templates.ts `lengthWeeks`), give or take a few
 * days, as strongly as the form words it (`lengthWording`). Forms with no end date (seeds 000 and
 * 001) are measured to the review date. The ITT plan has its own rule (review within two weeks).
 */
export const lengthFitsLevel: Rule = ({ plan, template, level }) => {
  const allowed = template.lengthWeeks;
  if (!allowed || template.reviewWithinDays !== undefined || !plan.startDate) return [];
  const end = plan.endDate ?? (printsEndDate(template) ? undefined : plan.reviewDate);
  if (!end || end < plan.startDate) return [];
  const days = daysBetween(plan.startDate, end);
  if (fits(days, allowed)) return [];
  const path = plan.endDate ? "endDate" : "reviewDate";
  const range = rangeOf(allowed);
  if (lengthWording[template.id]?.severity === "warning") {
    return [
      {
        path,
        code: "plan-length",
        message: `${allowed.max}-week plans are advised for the ${template.name}; this one runs ${describeDays(days)}. Review it ${range} after the start (${addDays(plan.startDate, allowed.max * 7)}) unless there is a reason to run longer or shorter.`,
        severity: "warning",
      },
    ];
  }
  return [{ path, code: "plan-length", message: `${planKind(template, level)} runs ${range}; this one runs ${describeDays(days)}.`, severity: "error" }];
};

/**
 * Seed 000 has no plan-wide review date on its form, only a "Date for review" per target: when
 * those are all it has, each is held to the 4–6 weeks instead.
 */
export const targetReviewsFitLength: Rule = ({ plan, template }) => {
  const wording = lengthWording[template.id];
  const allowed = template.lengthWeeks;
  if (!wording?.perTargetReview || !allowed || !plan.startDate || plan.endDate || plan.reviewDate) return [];
  const start = plan.startDate;
  const range = rangeOf(allowed);
  return plan.targets.flatMap((t, i): Violation[] => {
    if (!t.reviewDate || t.reviewDate < start) return [];
    const days = daysBetween(start, t.reviewDate);
    if (fits(days, allowed)) return [];
    return [
      {
        path: `targets.${i}.reviewDate`,
        code: "target-review-length",
        message: `${TargetWord(template.id)} ${i + 1}: its review is ${describeDays(days)} after the plan starts; the ${template.name} is reviewed ${range} on. Set a date for review between ${addDays(start, allowed.min * 7)} and ${addDays(start, allowed.max * 7)}.`,
        severity: wording.severity,
      },
    ];
  });
};

/** Seed 002: the review date is within two weeks of the start. */
export const reviewWithinDays: Rule = ({ plan, template }) => {
  const within = template.reviewWithinDays;
  if (within === undefined) return [];
  if (!plan.reviewDate) {
    return [
      {
        path: "reviewDate",
        code: "review-date-required",
        message: `Set the review date: within ${describeDays(within)} of the start.`,
        severity: "incomplete",
      },
    ];
  }
  if (!plan.startDate) return [];
  const days = daysBetween(plan.startDate, plan.reviewDate);
  if (days < 0) {
    return [{ path: "reviewDate", code: "review-before-start", message: "The review date is before the plan starts.", severity: "error" }];
  }
  if (days <= within) return [];
  return [
    {
      path: "reviewDate",
      code: "review-too-late",
      message: `The review must be within ${describeDays(within)} of the start (by ${addDays(plan.startDate, within)}); this one is ${describeDays(days)} after it.`,
      severity: "error",
    },
  ];
};

/**
 * Seed 002: the review as held (the review page's "Support Plan review date") falls at the end
 * of the two weeks. It has already happened, so a late one is flagged, never a reason to refuse.
 */
export const reviewHeldWithinDays: Rule = ({ plan, template }) => {
  const within = template.reviewWithinDays;
  const held = plan.review?.date;
  if (within === undefined || !held || !plan.startDate || held < plan.startDate) return [];
  const days = daysBetween(plan.startDate, held);
  if (days <= within) return [];
  return [
    {
      path: "review.date",
      code: "review-held-late",
      message: `The review was held ${describeDays(days)} after the start; the ${template.name} is reviewed within ${describeDays(within)} (by ${addDays(plan.startDate, within)}). Say why in the notes from review.`,
      severity: "warning",
    },
  ];
};

const written = (w: WeekRow) => [w.action, w.byWhom, w.resources, w.successCriteria, w.evaluation].some((s) => (s ?? "").trim().length > 0);

/**
 * Levels 2–5: the weekly rows match the plan's length, start to end to the nearest week (at most
 * the form's six). A missing week stops the plan being agreed; a written week after the end is
 * flagged (the form prints six rows, so empty ones after the end are just the form).
 */
export const weeksCoverPlan: Rule = ({ plan, template, level }) => {
  if (!template.sections.includes("weeks") || !plan.startDate || !plan.endDate || plan.endDate < plan.startDate) return [];
  const runs = Math.max(1, Math.round(daysBetween(plan.startDate, plan.endDate) / 7));
  const needed = Math.min(MAX_WEEK_ROWS, runs);
  const have = new Set(plan.weeks.map((w) => w.week));
  const missing = Array.from({ length: needed }, (_, i) => i + 1).filter((n) => !have.has(n));
  const out: Violation[] = [];
  if (missing.length > 0) {
    out.push({
      path: "weeks",
      code: "weeks-missing",
      message: `${planKind(template, level)} running ${plural(runs, "week")} needs a weekly row for each of ${runs > MAX_WEEK_ROWS ? `the form's ${needed}` : `its ${needed}`} weeks; this one has ${needed - missing.length} of them. Add ${listWeeks(missing)}, or change the end date.`,
      severity: "incomplete",
    });
  }
  const after = plan.weeks.filter((w) => w.week > needed && w.week <= MAX_WEEK_ROWS && written(w)).map((w) => w.week);
  if (after.length > 0 && runs < MAX_WEEK_ROWS) {
    out.push({
      path: "weeks",
      code: "weeks-after-end",
      message: `The plan runs ${plural(runs, "week")}, but ${listWeeks(after)} ${after.length === 1 ? "is" : "are"} written in. Move that into an earlier week, or change the end date.`,
      severity: "warning",
    });
  }
  return out;
};
