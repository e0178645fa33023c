import { Target, WeekRow, type Meeting, type PlanContent, type TemplateId } from "./model/plan.js";
import { DomainError, type Violation } from "./errors.js";
import { fieldLabels, planContentFields } from "./planDiff.js";
import { targetWord, templateById, type PlanTemplate, type TargetField } from "./templates.js";
import { formFields } from "./agreement.js";

/**
 * Every form prints its dates: the tab shows the dates block on each (PlanForm) and every export
 * prints "Dates of plan" and the review date. formFields lists them only with some sections.
 */
const everyForm: readonly PlanField[] = ["startDate", "endDate", "reviewDate"];

type PlanField = (typeof planContentFields)[number];

/** Target keys that carry no typed text: they identify the row. */
const targetKeys = new Set<keyof Target>(["id", "carriedFromTargetId"]);
/** Week keys a person does not type: the row's number and the server's time stamp. */
const weekKeys = new Set<keyof WeekRow>(["week", "ectCommentAt"]);
/** Meeting keys that identify the row. */
const meetingKeys = new Set<keyof Meeting>(["id", "kind"]);

export interface PrintedFields {
  /** Top-level content fields the form prints. */
  plan: ReadonlySet<PlanField>;
  /** Target columns the form prints. */
  target: ReadonlySet<TargetField>;
  /** Week-row fields the form prints (none on a form without weekly rows). */
  week: ReadonlySet<keyof WeekRow>;
  /** Meeting kinds the form prints (with all their fields). */
  meetingKinds: ReadonlySet<Meeting["kind"]>;
}

/**
 * Which content a template prints: the fields its sections and target columns show (formFields in
 * agreement.ts, the one reading of a template's layout), and its dates.
 */
export function printedFields(template: PlanTemplate): PrintedFields {
  const plan = new Set<PlanField>(everyForm);
  const target = new Set<TargetField>();
  const week = new Set<keyof WeekRow>();
  const meetingKinds = new Set<Meeting["kind"]>();
  for (const { field } of formFields(template.id)) {
    const [top, star, name] = field.split(".");
    if (top === "targets" && name) target.add(name as TargetField);
    else if (top === "weeks" && name) week.add(name as keyof WeekRow);
    else if (top === "meetings" && star) meetingKinds.add(star as Meeting["kind"]);
    else plan.add(top as PlanField);
  }
  return { plan, target, week, meetingKinds };
}

/** A value someone typed: text with more than spaces, a list with entries, any set answer or date. */
function hasValue(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === "string") return v.trim() !== "";
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.values(v).some(hasValue);
  return true;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

const meetingName: Record<Meeting["kind"], string> = { initial: "the initial meeting", ab: "the AB meeting", review: "the review meeting", other: "a meeting" };

/**
 * Values in fields the template does not print, one violation per field, named by path
 * (targets.0.successCriteria, meetings.0.outline). A value the plan already holds at the same place
 * (`before`: the stored plan, or the blank a new plan starts from) is not counted: it was not
 * typed in this request, and the tab sends back whole objects. Empty values are always accepted.
 */
export function unprintedValues(template: PlanTemplate, content: Partial<PlanContent>, before?: Partial<PlanContent>): Violation[] {
  const printed = printedFields(template);
  const out: Violation[] = [];
  const form = template.name;
  const refuse = (path: string, what: string) =>
    out.push({
      path,
      code: "not-on-form",
      message: `The ${form} form has no place for ${what}: it would not be shown or printed. Leave it empty.`,
      severity: "error",
    });

  for (const f of planContentFields) {
    if (f === "targets" || f === "weeks" || f === "meetings" || printed.plan.has(f)) continue;
    if (hasValue(content[f]) && !same(content[f], before?.[f])) refuse(f, `the ${fieldLabels[f] ?? f}`);
  }

  const word = targetWord(template.id);
  (content.targets ?? []).forEach((t, i) => {
    const prev = before?.targets?.find((p) => p.id === t.id);
    for (const [k, v] of Object.entries(t) as [keyof Target, unknown][]) {
      if (targetKeys.has(k) || printed.target.has(k as TargetField)) continue;
      if (hasValue(v) && !same(v, prev?.[k])) refuse(`targets.${i}.${k}`, `${fieldLabels[k] ?? k} on ${word} ${i + 1}`);
    }
  });

  (content.weeks ?? []).forEach((w, i) => {
    const prev = before?.weeks?.find((p) => p.week === w.week);
    for (const [k, v] of Object.entries(w) as [keyof WeekRow, unknown][]) {
      if (weekKeys.has(k) || printed.week.has(k)) continue;
      if (hasValue(v) && !same(v, prev?.[k])) refuse(`weeks.${i}.${k}`, `week ${w.week}'s ${fieldLabels[k] ?? k}`);
    }
  });

  (content.meetings ?? []).forEach((m, i) => {
    if (printed.meetingKinds.has(m.kind)) return;
    const prev = before?.meetings?.find((p) => p.id === m.id);
    for (const [k, v] of Object.entries(m) as [keyof Meeting, unknown][]) {
      if (!meetingKeys.has(k) && hasValue(v) && !same(v, prev?.[k])) refuse(`meetings.${i}.${k}`, `the ${fieldLabels[k] ?? k} of ${meetingName[m.kind]}`);
    }
  });
  return out;
}

/**
 * Refuses a write that puts text where the form has no place for it (a 400 naming each field),
 * so nothing a person typed is kept out of sight of the record and the printed form.
 */
export function requirePrinted(templateId: TemplateId, content: Partial<PlanContent>, before?: Partial<PlanContent>): void {
  const template = templateById(templateId);
  const refused = unprintedValues(template, content, before);
  if (refused.length === 0) return;
  throw new DomainError("bad_request", `The ${template.name} form has no place for ${refused.map((v) => v.path).join(", ")}. Nothing was saved.`, refused);
}

/**
 * The content with everything the template does not print left empty: what a plan of this form
 * can hold. For content built for a form rather than typed into it (a successor plan, a fixture).
 */
export function keepPrinted(template: PlanTemplate, content: Partial<PlanContent>): Partial<PlanContent> {
  const printed = printedFields(template);
  const out: Partial<PlanContent> = {};
  for (const f of planContentFields) {
    const v = content[f];
    if (v === undefined) continue;
    if (f === "targets" || f === "weeks" || f === "meetings" || printed.plan.has(f)) (out as Record<string, unknown>)[f] = v;
  }
  // Unprinted keys are dropped and the row parsed again: text fields take their empty defaults.
  const only = (row: object, keep: (k: string) => boolean) => Object.fromEntries(Object.entries(row).filter(([k]) => keep(k)));
  if (out.targets)
    out.targets = out.targets.map((t) => Target.parse(only(t, (k) => targetKeys.has(k as keyof Target) || printed.target.has(k as TargetField))));
  if (out.weeks) out.weeks = out.weeks.map((w) => WeekRow.parse(only(w, (k) => weekKeys.has(k as keyof WeekRow) || printed.week.has(k as keyof WeekRow))));
  if (out.meetings) out.meetings = out.meetings.filter((m) => printed.meetingKinds.has(m.kind));
  return out;
}
