import type { PlanContent } from "./model/plan.js";

/**
 * Every field of PlanContent, in the form's order. Listed, not read off the zod schema, so the tab
 * can diff without bundling zod; agreement.test.ts checks the list against the schema.
 */
export const planContentFields = [
  "startDate",
  "endDate",
  "term",
  "initialMeetingDate",
  "presentAtMeeting",
  "subject",
  "staffMembers",
  "statementOfConcern",
  "previousObjectives",
  "previousEvaluation",
  "relatedStandards",
  "possibleExtensionReasons",
  "targets",
  "weeks",
  "meetings",
  "reviewDate",
  "capability",
] as const satisfies readonly (keyof PlanContent)[];

/** One changed field, by path and in words, without its content (audit entries must not hold plan text). */
export interface FieldChange {
  path: string;
  label: string;
}

export const fieldLabels: Record<string, string> = {
  startDate: "start date",
  endDate: "end date",
  term: "term",
  initialMeetingDate: "date of initial meeting",
  presentAtMeeting: "present at initial meeting",
  subject: "subject",
  staffMembers: "staff members",
  statementOfConcern: "statement of concern",
  previousObjectives: "previous objectives",
  previousEvaluation: "evaluation of previous objectives",
  relatedStandards: "related Teachers' Standards",
  possibleExtensionReasons: "possible reasons for extension",
  reviewDate: "review date",
  capability: "capability record",
  standards: "Teachers' Standards",
  text: "wording",
  ectActions: "ECT actions",
  schoolActions: "school actions and support",
  supportedBy: "supported by",
  resources: "resources",
  successCriteria: "success criteria",
  timeScale: "time scale",
  observationOutcome: "outcome from observation",
  outcomeEntries: "actual outcome",
  outcomeAtReview: "outcome at review",
  action: "action and by whom",
  byWhom: "by whom",
  evaluation: "evaluation of progress",
  ectComment: "ECT's comment on progress",
  ectCommentAt: "ECT's comment time",
  date: "date",
  attendees: "attendees",
  outline: "outline",
  outcome: "outcome",
  kind: "kind",
};

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

type Row = Record<string, unknown> & { id?: string; week?: number };

function diffRows(kind: "targets" | "weeks" | "meetings", before: Row[], after: Row[], out: FieldChange[], targetNoun: TargetNoun) {
  const key = (r: Row, i: number) => (kind === "weeks" ? `w${String(r.week)}` : (r.id ?? `#${i}`));
  const noun = kind === "targets" ? targetNoun : kind === "weeks" ? "week" : "meeting";
  const beforeByKey = new Map(before.map((r, i) => [key(r, i), r]));
  const afterKeys = new Set(after.map((r, i) => key(r, i)));
  after.forEach((row, i) => {
    const name = kind === "weeks" ? `${noun} ${String(row.week)}` : `${noun} ${i + 1}`;
    const prev = beforeByKey.get(key(row, i));
    if (!prev) {
      out.push({ path: `${kind}.${i}`, label: `Added ${name}` });
      return;
    }
    for (const f of new Set([...Object.keys(prev), ...Object.keys(row)])) {
      if (f === "id" || f === "week" || f === "ectCommentAt") continue;
      if (!same(prev[f], row[f])) out.push({ path: `${kind}.${i}.${f}`, label: `${capitalise(name)} ${fieldLabels[f] ?? f}` });
    }
  });
  before.forEach((row, i) => {
    if (!afterKeys.has(key(row, i))) {
      const name = kind === "weeks" ? `${noun} ${String(row.week)}` : `${noun} ${i + 1}`;
      out.push({ path: `${kind}.${i}`, label: `Removed ${name}` });
    }
  });
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The Level forms say "objective", 000–002 "target" (templates.ts targetWord): changes say the form's word. */
export type TargetNoun = "objective" | "target";

/** What changed between two versions of a plan's content, field by field. */
export function describeChanges(before: PlanContent, after: PlanContent, targetNoun: TargetNoun = "target"): FieldChange[] {
  const out: FieldChange[] = [];
  // Only the written content: ids, versions and signatures are not "changes" a person made.
  for (const f of planContentFields) {
    if (f === "targets" || f === "weeks" || f === "meetings") {
      diffRows(f, before[f] ?? [], after[f] ?? [], out, targetNoun);
    } else if (!same(before[f], after[f])) {
      out.push({ path: f, label: capitalise(fieldLabels[f] ?? f) });
    }
  }
  return out;
}

export function summariseChanges(changes: FieldChange[]): string {
  if (changes.length === 0) return "No changes";
  const labels = changes.map((c) => c.label);
  return labels.length > 12 ? `${labels.slice(0, 12).join("; ")}; and ${labels.length - 12} more` : labels.join("; ");
}
