import type { Ect } from "./model/people.js";
import type { Level, PlanContent, Review, TemplateId } from "./model/plan.js";
import type { Violation } from "./errors.js";
import { TargetWord, targetWord, templateById, type PlanTemplate } from "./templates.js";
import { inductionTimeline, isEct2NearEnd } from "./timeline.js";
import type { TermCalendar } from "./termCalendar.js";
import { lengthFitsLevel, plural, printsEndDate, reviewHeldWithinDays, reviewWithinDays, targetReviewsFitLength, weeksCoverPlan } from "./planLengthRules.js";

export {
  lengthFitsLevel,
  lengthWording,
  MAX_WEEK_ROWS,
  PLAN_LENGTH_TOLERANCE_DAYS,
  reviewHeldWithinDays,
  reviewWithinDays,
  targetReviewsFitLength,
  weeksCoverPlan,
} from "./planLengthRules.js";

/**
 * Plan rules. Each rule is a small function that looks at one thing and says what a tutor
 * must fix, where, and how much it matters:
 * - "error": the plan cannot be saved like this;
 * - "incomplete": it can be saved as a draft but not agreed (sent for signature);
 * - "warning": advice.
 * All rules run; `blockingViolations` picks what stops a given step.
 * A rule is as strong as its seed's words ("advise" a warning, "must" / "will" an error): the
 * table of the forms' words on lengths, reviews and weekly rows heads planLengthRules.ts.
 */

/** A plan's content, with the review as held when there is one (seed 002 checks its date). */
export type PlanToValidate = PlanContent & { templateId: TemplateId; level?: Level | undefined; review?: Pick<Review, "date"> | undefined };

export interface RuleContext {
  /** ISO date; rules never read the clock. */
  today: string;
  /** The ECT's induction record, when known (for the ECT2-near-the-end advice). */
  ect?: Ect | undefined;
  /** The ECT's school's terms (termCalendar.ts); the default pattern when absent. */
  terms?: TermCalendar | undefined;
}

export interface RuleInput {
  plan: PlanToValidate;
  template: PlanTemplate;
  /** The plan's level on the ladder: its own, else its template's. */
  level: Level | undefined;
  ctx: RuleContext;
}

export type Rule = (input: RuleInput) => Violation[];

const hasText = (s: string | undefined) => (s ?? "").trim().length > 0;

// ---------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------

/** A plan is about something: at least one target (the form's word: objective on the Level forms). */
export const planHasTargets: Rule = ({ plan, template }) =>
  plan.targets.length > 0
    ? []
    : [
        {
          path: "targets",
          code: "plan-needs-target",
          message: `Add at least one ${targetWord(template.id)} under "${template.targetsHeading}".`,
          severity: "incomplete",
        },
      ];

/** Concerns relate only to the Teachers' Standards (seed 001), so every target cites one. */
export const targetCitesStandard: Rule = ({ plan, template }) =>
  plan.targets.flatMap((t, i): Violation[] =>
    t.standards.length > 0
      ? []
      : [
          {
            path: `targets.${i}.standards`,
            code: "target-needs-standard",
            message: `${TargetWord(template.id)} ${i + 1}: link it to at least one Teachers' Standard (for example 7d). Concerns must relate only to the Teachers' Standards.`,
            severity: "incomplete",
          },
        ],
  );

export const targetHasText: Rule = ({ plan, template }) =>
  plan.targets.flatMap((t, i): Violation[] =>
    hasText(t.text)
      ? []
      : [
          {
            path: `targets.${i}.text`,
            code: "target-needs-text",
            message: `${TargetWord(template.id)} ${i + 1}: write the ${targetWord(template.id)}.`,
            severity: "incomplete",
          },
        ],
  );

/** The ITT early support plan allows at most three targets (seed 002). */
export const withinMaxTargets: Rule = ({ plan, template }) => {
  const max = template.maxTargets;
  if (max === undefined || plan.targets.length <= max) return [];
  return [
    {
      path: "targets",
      code: "too-many-targets",
      message: `The ${template.name} allows at most ${max} ${targetWord(template.id)}s; this one has ${plan.targets.length}. Remove ${plural(plan.targets.length - max, targetWord(template.id))}.`,
      severity: "error",
    },
  ];
};

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

export const datesPresent: Rule = ({ plan, template }) => {
  const out: Violation[] = [];
  if (!plan.startDate) {
    out.push({ path: "startDate", code: "start-date-required", message: "Set the date the plan starts.", severity: "incomplete" });
  }
  if (!plan.endDate && printsEndDate(template)) {
    out.push({ path: "endDate", code: "end-date-required", message: "Set the end date of the plan.", severity: "incomplete" });
  }
  return out;
};

export const endNotBeforeStart: Rule = ({ plan }) => {
  if (!plan.startDate || !plan.endDate || plan.endDate >= plan.startDate) return [];
  return [
    {
      path: "endDate",
      code: "end-before-start",
      message: `The end date (${plan.endDate}) is before the start date (${plan.startDate}).`,
      severity: "error",
    },
  ];
};

// Lengths and reviews, each as strong as its seed's words: planLengthRules.ts.

// ---------------------------------------------------------------------------------------------
// Weekly rows
// ---------------------------------------------------------------------------------------------

/** Levels 2–5 print weeks 1 to 6, once each. */
export const weeksWellFormed: Rule = ({ plan }) => {
  const out: Violation[] = [];
  const seen = new Set<number>();
  plan.weeks.forEach((w, i) => {
    if (!Number.isInteger(w.week) || w.week < 1 || w.week > 6) {
      out.push({
        path: `weeks.${i}.week`,
        code: "week-out-of-range",
        message: `Weekly rows run from week 1 to week 6; "${w.week}" is not one of them.`,
        severity: "error",
      });
      return;
    }
    if (seen.has(w.week)) {
      out.push({ path: `weeks.${i}.week`, code: "week-duplicated", message: `Week ${w.week} appears more than once.`, severity: "error" });
    }
    seen.add(w.week);
  });
  return out;
};

// ---------------------------------------------------------------------------------------------
// What each level's form needs before it is agreed
// ---------------------------------------------------------------------------------------------

/**
 * Levels 4–5 (forms with an AB-meeting section) are agreed at a meeting with the AB, ECT, mentor
 * and induction tutor: it must be recorded, and have taken place, before the plan is agreed.
 */
export const abMeetingRecorded: Rule = ({ plan, template, ctx, level }) => {
  if (!template.sections.includes("ab_meeting")) return [];
  const who = level !== undefined ? `Level ${level}` : template.name;
  const meeting = plan.meetings.find((m) => m.kind === "ab" && m.date);
  if (!meeting?.date) {
    return [
      {
        path: "meetings",
        code: "ab-meeting-required",
        message: `A ${who} plan is agreed at a meeting with the AB, ECT, mentor and induction tutor: record the date of the meeting before the plan is agreed.`,
        severity: "incomplete",
      },
    ];
  }
  if (meeting.date > ctx.today) {
    const index = plan.meetings.indexOf(meeting);
    return [
      {
        path: `meetings.${index}.date`,
        code: "ab-meeting-not-held",
        message: `The meeting with the AB is on ${meeting.date}; the plan can be agreed once it has taken place.`,
        severity: "incomplete",
      },
    ];
  }
  return [];
};

/** What each form's statement box is called, and why it must be filled in. */
function statementPrompt(template: PlanTemplate): string | undefined {
  if (template.sections.includes("risk_of_failing")) return "Give the reasons the ECT is at risk of failing, linked to the Teachers' Standards.";
  if (template.sections.includes("statement_of_concern")) return "Give the reason for light touch support.";
  if (template.sections.includes("itt_header")) return "Write the initial statement of concern.";
  return undefined;
}

/** Level 5 needs the reasons for the risk of failing; Level 1 the reason for support; ITT the statement of concern. */
export const statementOfConcernGiven: Rule = ({ plan, template }) => {
  const prompt = statementPrompt(template);
  if (!prompt || hasText(plan.statementOfConcern)) return [];
  return [{ path: "statementOfConcern", code: "statement-of-concern-required", message: prompt, severity: "incomplete" }];
};

// ---------------------------------------------------------------------------------------------
// Advice from the induction timeline
// ---------------------------------------------------------------------------------------------

/** Seed 003: an ECT2 near the end of induction should be escalated sooner than Levels 1–3 allow. */
export const ect2NearEndEscalation: Rule = ({ level, ctx, template }) => {
  if (!ctx.ect || template.track !== "ect" || level === undefined || level > 3) return [];
  if (!isEct2NearEnd(ctx.ect, ctx.today, undefined, ctx.terms)) return [];
  const t = inductionTimeline(ctx.ect, ctx.today, ctx.terms);
  const left = Math.round(t.calendarTermsRemaining * 10) / 10;
  return [
    {
      path: "level",
      code: "ect2-near-end",
      message:
        `This ECT is in the second year of induction with about ${left} ${left === 1 ? "term" : "terms"} left (expected end ${t.expectedEndDate}). ` +
        `The escalation policy advises escalating sooner: consider a Level 4 cause-for-concern plan rather than Level ${level}.`,
      severity: "warning",
    },
  ];
};

/** Every rule, in the order a tutor reads the form. */
export const planRules: readonly Rule[] = [
  datesPresent,
  endNotBeforeStart,
  lengthFitsLevel,
  targetReviewsFitLength,
  reviewWithinDays,
  reviewHeldWithinDays,
  statementOfConcernGiven,
  planHasTargets,
  targetHasText,
  targetCitesStandard,
  withinMaxTargets,
  weeksWellFormed,
  weeksCoverPlan,
  abMeetingRecorded,
  ect2NearEndEscalation,
];

/** Everything wrong with a plan, or worth advising on. */
export function validatePlan(plan: PlanToValidate, ctx: RuleContext): Violation[] {
  const template = templateById(plan.templateId);
  const level = plan.level ?? template.level;
  const input: RuleInput = { plan, template, level, ctx };
  return planRules.flatMap((rule) => rule(input));
}

export type PlanStage = "save" | "agree";

/** What stops this step: saving is blocked by errors only; agreeing also by anything incomplete. */
export function blockingViolations(violations: Violation[], stage: PlanStage): Violation[] {
  return violations.filter((v) => v.severity === "error" || (stage === "agree" && v.severity === "incomplete"));
}
