import type { Level, TemplateId } from "./model/plan.js";
import type { Role } from "./model/people.js";

/** Who must hear about a plan at this level, and how. */
export type Notify = "induction_tutor" | "ab" | "head";

export interface LadderLevel {
  level: Level;
  name: string;
  /** The role that leads plans at this level. */
  ledBy: Role;
  /** Allowed plan length in weeks; undefined where HR policy or a comprehensive plan sets it. */
  lengthWeeks?: { min: number; max: number };
  cadence: "weekly" | "per_hr_policy";
  /** Who is told when a plan at this level starts or is escalated to. */
  notify: Notify[];
  /** The tutor updates the AB every week (Levels 4–5). */
  weeklyAbUpdate: boolean;
  /** A meeting with the AB, ECT, mentor and tutor is part of the plan (Levels 4–5). */
  abMeeting: boolean;
  abInvolvement: string;
  template: TemplateId;
}

/** The escalation ladder from the AB's escalation policy (seed 003). Local practice, not statute. */
export const ladder: readonly LadderLevel[] = [
  {
    level: 1,
    name: "Light touch",
    ledBy: "mentor",
    lengthWeeks: { min: 2, max: 4 },
    cadence: "weekly",
    notify: ["induction_tutor", "ab"],
    weeklyAbUpdate: false,
    abMeeting: false,
    abInvolvement: "Updated",
    template: "level_1",
  },
  {
    level: 2,
    name: "Support plan 1",
    ledBy: "induction_tutor",
    lengthWeeks: { min: 4, max: 6 },
    cadence: "weekly",
    notify: ["ab"],
    weeklyAbUpdate: false,
    abMeeting: false,
    abInvolvement: "Induction tutor informs the AB; the AB contacts the ECT to confirm the reasons and the support",
    template: "level_2",
  },
  {
    level: 3,
    name: "Support plan 2",
    ledBy: "induction_tutor",
    lengthWeeks: { min: 4, max: 6 },
    cadence: "weekly",
    notify: ["ab"],
    weeklyAbUpdate: false,
    abMeeting: false,
    abInvolvement: "Induction tutor contacts the AB; a meeting of AB, tutor and ECT as appropriate",
    template: "level_3",
  },
  {
    level: 4,
    name: "Cause for concern",
    ledBy: "induction_tutor",
    lengthWeeks: { min: 6, max: 6 },
    cadence: "weekly",
    notify: ["ab", "head"],
    weeklyAbUpdate: true,
    abMeeting: true,
    abInvolvement: "Meeting of AB, ECT, mentor and tutor; the tutor updates the AB weekly",
    template: "level_4",
  },
  {
    level: 5,
    name: "At risk of failing",
    ledBy: "induction_tutor",
    cadence: "weekly",
    notify: ["ab", "head"],
    weeklyAbUpdate: true,
    abMeeting: true,
    abInvolvement: "Meeting to discuss options: pausing induction, moving school, extending induction, a rigorous plan; the tutor updates the AB weekly",
    template: "level_5",
  },
  {
    level: 6,
    name: "School capability procedures",
    ledBy: "head",
    cadence: "per_hr_policy",
    notify: ["ab", "induction_tutor"],
    weeklyAbUpdate: false,
    abMeeting: false,
    abInvolvement: "The AB is informed; induction continues in parallel",
    template: "level_6",
  },
];

export function ladderLevel(level: Level): LadderLevel {
  const found = ladder.find((l) => l.level === level);
  if (!found) throw new RangeError(`No escalation level ${level}`);
  return found;
}

export type ReviewDecision = "on_track" | "continue" | "escalate";

/**
 * The level a successor plan should start at.
 * - "continue" (some progress): a further plan at the same level; an ECT2 near the end of
 *   induction goes up a level instead (seed 003: escalate quicker for ECT2).
 * - "escalate" (no progress): the next level, capped at 6.
 */
export function suggestSuccessorLevel(current: Level, decision: Exclude<ReviewDecision, "on_track">, ect2NearEnd: boolean): Level {
  if (decision === "continue" && !ect2NearEnd) return current;
  return Math.min(6, current + 1);
}
