import type { Level, SignerRole, TemplateId } from "./model/plan.js";

/** Blocks of a form, in the order the seed prints them. The tab lays a plan out from these. */
export type Section =
  | "initial_meeting" // date of initial meeting, who was present (seed 000)
  | "plan_dates" // school, ECT, dates of plan, term (seed 003 L2–5)
  | "itt_header" // start date, trainee, subject, school, statement of concern, staff members (seed 002)
  | "previous_objectives" // L1
  | "related_standards" // L1
  | "statement_of_concern" // L1 reason for light touch
  | "risk_of_failing" // L5 reasons for risk of failing, possible reasons for extension
  | "targets"
  | "weeks" // weekly rows 1–6 (L2–5)
  | "ab_meeting" // L4–5
  | "review" // evaluation, next objectives, end date, on track yes/no
  | "itt_review" // seed 002 review page
  | "capability" // L6
  | "signatures";

/** Target columns, named as the plan model names them. */
export type TargetField =
  | "standards"
  | "text"
  | "ectActions"
  | "schoolActions"
  | "supportedBy"
  | "resources"
  | "successCriteria"
  | "timeScale"
  | "reviewDate"
  | "observationOutcome"
  | "outcomeEntries"
  | "outcomeAtReview";

export interface PlanTemplate {
  id: TemplateId;
  name: string;
  /** Which seed form this reproduces. */
  seed: string;
  track: "ect" | "itt";
  level?: Level;
  sections: Section[];
  /** Columns of the targets table, with the form's own headings. */
  targetColumns: { field: TargetField; label: string }[];
  /** Heading over the targets, as the form words it. */
  targetsHeading: string;
  signers: SignerRole[];
  maxTargets?: number;
  /** The review date must fall within this many days of the start (ITT: two weeks). */
  reviewWithinDays?: number;
  /** Advised plan length in weeks. */
  lengthWeeks?: { min: number; max: number };
  guidance: string;
}

const weeklyLevel = (level: 2 | 3 | 4 | 5, name: string, extra: Section[], lengthWeeks?: { min: number; max: number }): PlanTemplate => ({
  id: `level_${level}` as TemplateId,
  name: `Level ${level} – ${name}`,
  seed: "003",
  track: "ect",
  level,
  sections: ["plan_dates", ...(level === 5 ? (["risk_of_failing"] as Section[]) : []), "targets", "weeks", ...extra, "review", "signatures"],
  targetsHeading: "Objectives (linked to Teachers' Standards)",
  targetColumns: [
    { field: "standards", label: "Teachers' Standards" },
    { field: "text", label: "Objective" },
  ],
  signers: ["induction_tutor", "ect"],
  ...(lengthWeeks ? { lengthWeeks } : {}),
  guidance:
    level === 5
      ? "A comprehensive plan agreed at a meeting with the AB, ECT, induction tutor and mentor. The tutor updates the AB weekly."
      : level === 4
        ? "A 6-week action plan agreed at a meeting with the AB, ECT, mentor and induction tutor, monitored weekly. The tutor updates the AB weekly."
        : "A 4–6 week plan focused on the Teachers' Standards not met, with weekly discussions and the AB kept updated.",
});

export const templates: readonly PlanTemplate[] = [
  {
    id: "ect_additional_support",
    name: "ECT additional support plan",
    seed: "000",
    track: "ect",
    level: 2,
    sections: ["initial_meeting", "targets", "signatures"],
    targetsHeading: "Targets (related to Teachers' Standards)",
    targetColumns: [
      { field: "standards", label: "Teachers' Standards" },
      { field: "text", label: "Target" },
      { field: "ectActions", label: "ECT actions required to meet target" },
      { field: "schoolActions", label: "School actions and support to be provided (mentor/induction tutor/other staff)" },
      { field: "reviewDate", label: "Date for review" },
      { field: "successCriteria", label: "Success criteria" },
      { field: "outcomeAtReview", label: "At review point: has met the target sufficiently to be on track (yes/no/partially)" },
    ],
    signers: ["ect", "induction_tutor"],
    lengthWeeks: { min: 4, max: 6 },
    guidance: "Completed together with the ECT: the support the school will provide as well as the ECT's actions — not a to-do list. Reviewed 4–6 weeks on.",
  },
  {
    id: "at_risk_action",
    name: "Additional support action plan (at-risk ECT)",
    seed: "001",
    track: "ect",
    level: 4,
    sections: ["targets", "signatures"],
    targetsHeading: "Area of standards causing concern",
    targetColumns: [
      { field: "standards", label: "TS and area of standards causing concern (exact text)" },
      { field: "text", label: "Agreed target/actions to be taken" },
      { field: "supportedBy", label: "Supported by" },
      { field: "timeScale", label: "Timeline" },
      { field: "reviewDate", label: "Next review date" },
      { field: "outcomeEntries", label: "Actual outcome" },
    ],
    signers: ["ect", "induction_tutor", "head"],
    lengthWeeks: { min: 4, max: 4 },
    guidance:
      "Specific, short-term targets monitored and updated regularly with more frequent observation and feedback until the ECT is back on track. 4-week plans are advised.",
  },
  {
    id: "itt_early_support",
    name: "ITT early support plan",
    seed: "002",
    track: "itt",
    sections: ["itt_header", "targets", "signatures", "itt_review"],
    targetsHeading: "Target or objective",
    targetColumns: [
      { field: "standards", label: "Teachers' Standards" },
      { field: "text", label: "Target or objective" },
      { field: "ectActions", label: "Specific task(s)" },
      { field: "schoolActions", label: "Support required" },
      { field: "timeScale", label: "Time scale" },
      { field: "successCriteria", label: "Success criteria" },
    ],
    signers: ["trainee", "course_tutor", "director", "professional_mentor", "mentor", "lead_subject_mentor"],
    maxTargets: 3,
    reviewWithinDays: 14,
    lengthWeeks: { min: 1, max: 2 },
    guidance:
      "At most three targets across the two weeks; only one target is the focus of an observation at a time. Review within two weeks; insufficient progress leads to a cause-for-concern plan.",
  },
  {
    id: "level_1",
    name: "Level 1 – Light touch support",
    seed: "003",
    track: "ect",
    level: 1,
    sections: ["initial_meeting", "previous_objectives", "related_standards", "statement_of_concern", "targets", "review", "signatures"],
    targetsHeading: "Objective (linked to Teachers' Standards)",
    targetColumns: [
      { field: "standards", label: "Teachers' Standards" },
      { field: "text", label: "Objective" },
      { field: "successCriteria", label: "Success criteria" },
      { field: "schoolActions", label: "Actions to be taken, and by whom" },
      { field: "resources", label: "Resources/support required" },
      { field: "observationOutcome", label: "Outcome from observation" },
    ],
    signers: ["induction_tutor", "ect"],
    lengthWeeks: { min: 2, max: 4 },
    guidance: "Led by the mentor with the induction tutor aware: a 2–4 week plan on one key area, with weekly discussions.",
  },
  weeklyLevel(2, "Support plan 1", [], { min: 4, max: 6 }),
  weeklyLevel(3, "Support plan 2", [], { min: 4, max: 6 }),
  weeklyLevel(4, "Cause for concern", ["ab_meeting"], { min: 6, max: 6 }),
  weeklyLevel(5, "Risk of failing", ["ab_meeting"]),
  {
    id: "level_6",
    name: "Level 6 – School capability procedures",
    seed: "003",
    track: "ect",
    level: 6,
    sections: ["capability", "targets", "signatures"],
    targetsHeading: "Teachers' Standards of concern",
    // "Objective", the ladder's word: the button ("Add objective") and the checks name it alike.
    targetColumns: [
      { field: "standards", label: "Teachers' Standards" },
      { field: "text", label: "Objective" },
    ],
    signers: ["head", "induction_tutor"],
    guidance: "A last resort under the school's HR policy. Induction continues in parallel while the ECT remains at the school, and the AB must be informed.",
  },
];

/**
 * The form's own word for what a plan holds: "objective" on the Level 1–6 forms (seed 003),
 * "target" on the additional support plan, the at-risk action plan and the ITT plan (000–002).
 * Every message about a target takes its word from here, so no one parses a message for it.
 */
export function targetWord(templateId: TemplateId): "objective" | "target" {
  return templateById(templateId).seed === "003" ? "objective" : "target";
}

/** "Objective", "Target": the word at the start of a sentence or a label. */
export const TargetWord = (templateId: TemplateId): "Objective" | "Target" => (targetWord(templateId) === "objective" ? "Objective" : "Target");

/**
 * The agreement's numbering as a user reads it: "agreed version 3", never "revision 3", so it is
 * told apart from the plan's saved "version 5" shown beside it.
 */
export const agreedVersion = (revision: number): string => `agreed version ${revision}`;

export function templateById(id: TemplateId): PlanTemplate {
  const t = templates.find((x) => x.id === id);
  if (!t) throw new RangeError(`No template ${id}`);
  return t;
}

/** The template for a level of the ladder (the seed 003 forms). */
export function templateForLevel(level: Level): PlanTemplate {
  return templateById(`level_${level}` as TemplateId);
}

export const signerLabels: Record<SignerRole, string> = {
  ect: "ECT",
  induction_tutor: "Induction tutor",
  head: "Headteacher/Principal",
  mentor: "Mentor",
  trainee: "Trainee",
  course_tutor: "Course tutor",
  director: "Director",
  professional_mentor: "Professional mentor",
  lead_subject_mentor: "Lead subject mentor",
};
