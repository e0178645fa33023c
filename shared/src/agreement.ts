import type { Meeting, Plan, PlanContent, Target, TemplateId, WeekRow } from "./model/plan.js";
import { templateById, type Section, type TargetField } from "./templates.js";
import { digestOf } from "./seal.js";
import { describeChanges, planContentFields, type FieldChange, type TargetNoun } from "./planDiff.js";

/**
 * What a signature covers. Each form has two parts:
 * - the **agreement**: targets and their standards, success criteria, the actions and support
 *   planned, resources, dates, the initial meeting and (Levels 4–5) the AB meeting's outcome;
 * - the **running record**: each week's evaluation of progress, the ECT's comments, outcomes
 *   from observations and actual outcomes, notes of review and other meetings, the HR record
 *   kept alongside capability (Level 6), and the review itself (held apart on `plan.review`).
 * Writing the running record never touches the signatures; changing the agreement of an agreed
 * plan is an amendment (editPlan).
 */
export type RecordPart = "agreement" | "running_record";

/** Target columns that record how the plan went, not what was agreed. */
const runningTargetFields = new Set<keyof Target>(["observationOutcome", "outcomeEntries", "outcomeAtReview"]);
/** Week-row fields that record how the week went. */
const runningWeekFields = new Set<keyof WeekRow>(["evaluation", "ectComment", "ectCommentAt"]);
/** Meetings whose record is part of the agreement: where the plan was drawn up or set with the AB. */
const agreedMeetingKinds = new Set<Meeting["kind"]>(["initial", "ab"]);
/** Top-level fields that are running record. */
const runningTopFields = new Set<keyof PlanContent>(["capability"]);

export function targetFieldPart(field: TargetField | keyof Target): RecordPart {
  return runningTargetFields.has(field) ? "running_record" : "agreement";
}

export function weekFieldPart(field: keyof WeekRow): RecordPart {
  return runningWeekFields.has(field) ? "running_record" : "agreement";
}

/** The part a changed path (as describeChanges names it) belongs to, in this content. */
export function pathPart(path: string, content: Pick<PlanContent, "meetings">, before?: Pick<PlanContent, "meetings">): RecordPart {
  const [top, index, field] = path.split(".");
  if (top === "targets") return field ? targetFieldPart(field as keyof Target) : "agreement";
  if (top === "weeks") return field ? weekFieldPart(field as keyof WeekRow) : "agreement";
  if (top === "meetings") {
    const i = Number(index);
    const kinds = [content.meetings[i]?.kind, before?.meetings[i]?.kind].filter((k): k is Meeting["kind"] => !!k);
    return kinds.some((k) => agreedMeetingKinds.has(k)) ? "agreement" : "running_record";
  }
  return runningTopFields.has(top as keyof PlanContent) ? "running_record" : "agreement";
}

/** One field a form shows, and which part it belongs to. */
export interface FormField {
  /** A path pattern: "startDate", "targets.*.successCriteria", "weeks.*.evaluation", "meetings.ab". */
  field: string;
  part: RecordPart;
}

const sectionFields: Partial<Record<Section, FormField[]>> = {
  initial_meeting: [
    { field: "initialMeetingDate", part: "agreement" },
    { field: "presentAtMeeting", part: "agreement" },
  ],
  plan_dates: [
    { field: "startDate", part: "agreement" },
    { field: "endDate", part: "agreement" },
    { field: "term", part: "agreement" },
  ],
  itt_header: [
    { field: "startDate", part: "agreement" },
    { field: "subject", part: "agreement" },
    { field: "statementOfConcern", part: "agreement" },
    { field: "staffMembers", part: "agreement" },
  ],
  previous_objectives: [
    { field: "previousObjectives", part: "agreement" },
    { field: "previousEvaluation", part: "agreement" },
  ],
  related_standards: [{ field: "relatedStandards", part: "agreement" }],
  statement_of_concern: [{ field: "statementOfConcern", part: "agreement" }],
  risk_of_failing: [
    { field: "statementOfConcern", part: "agreement" },
    { field: "possibleExtensionReasons", part: "agreement" },
  ],
  weeks: [
    { field: "weeks.*.action", part: "agreement" },
    { field: "weeks.*.byWhom", part: "agreement" },
    { field: "weeks.*.resources", part: "agreement" },
    { field: "weeks.*.successCriteria", part: "agreement" },
    { field: "weeks.*.evaluation", part: "running_record" },
    { field: "weeks.*.ectComment", part: "running_record" },
  ],
  // Seed 003's Levels 4–5 print the AB meeting only: a review or other meeting has no place on the
  // form, so the API refuses one (printedFields.ts) rather than keep text nobody sees.
  ab_meeting: [{ field: "meetings.ab", part: "agreement" }],
  review: [
    { field: "reviewDate", part: "agreement" },
    { field: "endDate", part: "agreement" },
  ],
  itt_review: [{ field: "reviewDate", part: "agreement" }],
  capability: [
    { field: "capability.hrProcedureStartedOn", part: "running_record" },
    { field: "capability.abInformedOn", part: "running_record" },
    { field: "capability.hrContact", part: "running_record" },
    { field: "capability.notes", part: "running_record" },
  ],
};

/**
 * Each template's fields, split into its agreement and its running record, in the form's
 * order: what the tab labels "agreed" and what tests walk through field by field.
 */
export function formFields(templateId: TemplateId): FormField[] {
  const template = templateById(templateId);
  const out: FormField[] = [];
  const seen = new Set<string>();
  const add = (f: FormField) => {
    if (seen.has(f.field)) return;
    seen.add(f.field);
    out.push(f);
  };
  for (const section of template.sections) {
    if (section === "targets") {
      for (const c of template.targetColumns) add({ field: `targets.*.${c.field}`, part: targetFieldPart(c.field) });
      continue;
    }
    for (const f of sectionFields[section] ?? []) add(f);
  }
  return out;
}

/** The content's single-value fields (planContentFields without the rows and the HR record). */
export const singleValueContentFields = planContentFields.filter((f) => !["targets", "weeks", "meetings", "capability"].includes(f)) as Exclude<
  (typeof planContentFields)[number],
  "targets" | "weeks" | "meetings" | "capability"
>[];

/** The content's own single-value fields (a Plan passed in brings its ids, status and signatures too: left out). */
function contentTop(content: PlanContent): Record<string, unknown> {
  return Object.fromEntries(singleValueContentFields.filter((k) => content[k] !== undefined).map((k) => [k, content[k]]));
}

/** The agreement alone: the content with its running record taken out (what is signed and sealed). */
export function agreementOf(content: PlanContent) {
  const { targets, weeks, meetings } = content;
  return {
    ...contentTop(content),
    targets: targets.map((t) => Object.fromEntries(Object.entries(t).filter(([k]) => !runningTargetFields.has(k as keyof Target)))),
    weeks: weeks.map((w) => Object.fromEntries(Object.entries(w).filter(([k]) => !runningWeekFields.has(k as keyof WeekRow)))),
    meetings: meetings.filter((m) => agreedMeetingKinds.has(m.kind)),
  };
}
export type Agreement = ReturnType<typeof agreementOf>;

/** The plan a digest is bound to: which plan and form, so the same words on another plan seal differently. */
export interface SealSubject {
  id: string;
  ectId: string;
  templateId: TemplateId;
  level?: number | undefined;
}

/**
 * The SHA-256 of the canonical serialisation of a plan's agreement (seal.ts): stable across field
 * order, changed by any agreed field, unchanged by the running record. Anyone holding the record
 * can recompute it from the export's agreed content.
 */
export function agreementDigest(plan: SealSubject, content: PlanContent): string {
  return digestOf({ plan: plan.id, ect: plan.ectId, template: plan.templateId, level: plan.level ?? null, agreement: agreementOf(content) });
}

export const sameAgreement = (a: PlanContent, b: PlanContent) => digestOf(agreementOf(a)) === digestOf(agreementOf(b));

/** What changed in the agreement between two contents, in words. */
export function agreementChanges(before: PlanContent, after: PlanContent, targetNoun?: TargetNoun): FieldChange[] {
  return describeChanges(before, after, targetNoun).filter((c) => pathPart(c.path, after, before) === "agreement");
}

/** What changed in the running record between two contents, in words. */
export function runningRecordChanges(before: PlanContent, after: PlanContent, targetNoun?: TargetNoun): FieldChange[] {
  return describeChanges(before, after, targetNoun).filter((c) => pathPart(c.path, after, before) === "running_record");
}

const pick = <T extends object>(row: T, keep: (k: keyof T) => boolean): Partial<T> =>
  Object.fromEntries(Object.entries(row).filter(([k]) => keep(k as keyof T))) as Partial<T>;

/**
 * The agreement of `agreementFrom` with the running record of `recordFrom`: how an amendment is
 * adopted (its agreement, the plan's record so far) and how a running-record edit is kept on a
 * plan whose agreement it must not touch. Rows match by target id and week number; editPlan refuses
 * an amendment that removes a target or week already holding a record, so none is dropped here.
 */
export function combine(agreementFrom: PlanContent, recordFrom: PlanContent): PlanContent {
  const targets = agreementFrom.targets.map((t) => {
    const rec = recordFrom.targets.find((r) => r.id === t.id);
    return { ...t, ...(rec ? pick(rec, (k) => runningTargetFields.has(k)) : {}) };
  });
  const weeks = agreementFrom.weeks.map((w) => {
    const rec = recordFrom.weeks.find((r) => r.week === w.week);
    const base = pick(w, (k) => !runningWeekFields.has(k));
    return { ...base, evaluation: "", ectComment: "", ...(rec ? pick(rec, (k) => runningWeekFields.has(k)) : {}) } as WeekRow;
  });
  const meetings = [
    ...agreementFrom.meetings.filter((m) => agreedMeetingKinds.has(m.kind)),
    ...recordFrom.meetings.filter((m) => !agreedMeetingKinds.has(m.kind)),
  ];
  const { capability } = recordFrom;
  const top = contentTop(agreementFrom);
  return { ...top, targets, weeks, meetings, ...(capability ? { capability } : {}) } as PlanContent;
}

/** The content an editor shows: the agreed plan, with a pending amendment's proposal in place. */
export const editorContent = (plan: Plan): PlanContent => (plan.amendment ? combine(plan.amendment.content, plan) : plan);
