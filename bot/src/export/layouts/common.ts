import { agreedVersion, signerLabels, standardSentence, validSignatures, type Section, type SignerRole, type Target, type TemplateId } from "@ectsp/shared";
import type { Block, Cell, TableColumn, TableRow } from "../model.js";
import type { ExportInput } from "../input.js";
import { formatDate, formatDateTime, standardsCell, yesNo } from "../format.js";

/** A layout for one family of templates: the seed's title and a builder per section it prints. */
export interface Layout {
  templates: readonly TemplateId[];
  orientation: "portrait" | "landscape";
  title(input: ExportInput): string;
  subtitle?(input: ExportInput): string | undefined;
  /** Fixed text printed before the first section (the seed's own guidance, word for word). */
  intro?(input: ExportInput): Block[];
  /**
   * Facts the plan holds that the seed form has no place for (its dates, when the form prints
   * none): printed in the app's version block at the top, never as if the form asked for them.
   */
  recordFacts?(input: ExportInput): { label: string; value: string }[];
  /** One builder per section of the template, in the order the template lists them. */
  sections: Partial<Record<Section, (input: ExportInput) => Block[]>>;
}

// ---- targets -------------------------------------------------------------------------------

/** A column of a form's targets table: the seed's heading, and what a target shows under it. */
export interface TargetColumn {
  label: string;
  value: (target: Target, input: ExportInput) => string;
  weight?: number;
}

const reviewAnswer = { yes: "Yes", no: "No", partially: "Partially" } as const;

const lines = (...parts: string[]) => parts.filter((p) => p.trim() !== "").join("\n");

/** What a target's cells show, by field. */
export const show = {
  standards: (t: Target) => standardsCell(t.standards),
  /** The codes alone, as 001's "TS" column prints them ("7d)"). */
  codes: (t: Target) => t.standards.map((c) => `${c})`).join("\n"),
  /** The DfE's words alone, as 001's "Area of standards causing concern" prints them. */
  wording: (t: Target) => t.standards.map((c) => standardSentence(c) ?? c).join("\n"),
  /** The cited standards, then the target: one cell, as forms headed "Targets (related to …)" have it. */
  standardsAndText: (t: Target) => lines(standardsCell(t.standards), t.text),
  reviewDate: (t: Target) => formatDate(t.reviewDate),
  outcomeEntries: (t: Target) => t.outcomeEntries.map((e) => `${formatDate(e.date)} – ${e.text}`).join("\n"),
  outcomeAtReview: (t: Target) => (t.outcomeAtReview ? reviewAnswer[t.outcomeAtReview] : ""),
};

/** Evidence attached to a target, as the export lists it: the file, who added it, when. */
export function evidenceLines(input: ExportInput, targetId: string): string[] {
  return (input.evidence ?? [])
    .filter((e) => e.targetId === targetId && !e.deletedAt)
    .map((e) => `${e.fileName} — added by ${e.uploadedByName || "name not recorded"}, ${formatDateTime(e.uploadedAt)}`);
}

export const EVIDENCE_LABEL = "Evidence:";

/**
 * The targets table with the seed's own column headings. A form not yet filled prints one empty
 * row, as on paper; each target's evidence is listed in a row under it.
 */
export function targetsTable(input: ExportInput, columns: TargetColumn[], opts: { firstRows?: TableRow[] } = {}): Block[] {
  const cols: TableColumn[] = columns.map((c) => ({ label: c.label, weight: c.weight ?? 1.6 }));
  const rows: TableRow[] = [...(opts.firstRows ?? [])];
  for (const t of input.plan.targets) {
    rows.push({ cells: columns.map((c) => ({ text: c.value(t, input) })) });
    const evidence = evidenceLines(input, t.id);
    if (evidence.length > 0) rows.push({ cells: [{ label: EVIDENCE_LABEL, text: evidence.join("\n"), span: columns.length }] });
  }
  if (input.plan.targets.length === 0) rows.push({ cells: columns.map(() => ({ text: "" })) });
  return [{ kind: "table", columns: cols, rows }];
}

/** "1. …" — how a review line names the target it is about. */
export function targetName(input: ExportInput, targetId: string): string {
  const index = input.plan.targets.findIndex((t) => t.id === targetId);
  const target = input.plan.targets[index];
  return target ? `${index + 1}. ${target.text}` : "A target no longer on this plan";
}

const outcomeLabels = { met: "Met", partially_met: "Partially met", not_met: "Not met" } as const;

export function outcomeCell(input: ExportInput, targetId: string): Cell {
  const o = input.plan.review?.targetOutcomes.find((x) => x.targetId === targetId);
  return o ? { label: `${outcomeLabels[o.outcome]}.`, text: o.evidence } : { text: "" };
}

// ---- the review as the app recorded it ------------------------------------------------------

export const RECORDED_REVIEW_HEADING = "Review as recorded in the app";

/**
 * What the app recorded at the review that the seed form has no place for: the date it was held,
 * each target's outcome and evidence, who recorded it. Forms without a review block of their own
 * (000, 001, Level 6) also get its notes, evaluation, next objectives, judgement and outcome here,
 * so the export keeps every value entered; forms that print those (003's) do not repeat them.
 */
export function recordedReview(input: ExportInput, opts: { formHasReview: boolean; outcomes?: boolean; date?: boolean }): Block[] {
  const review = input.plan.review;
  if (!review) return [];
  const rows = [
    ...(opts.date === false ? [] : [{ label: "Date of review:", value: formatDate(review.date) }]),
    ...(opts.formHasReview
      ? []
      : [
          { label: "Notes from review meeting:", value: review.notes },
          { label: "Evaluation of progress:", value: review.evaluation },
          { label: "Next Objectives:", value: review.nextObjectives },
          { label: "On track:", value: review.onTrack === undefined ? "" : yesNo(review.onTrack) },
          { label: "Final outcome:", value: review.finalOutcome },
        ]),
  ].filter((r) => r.value !== "");
  const outcomes = opts.outcomes === false ? [] : review.targetOutcomes;
  const by = review.recordedBy ? input.people.get(review.recordedBy) : undefined;
  return [
    { kind: "heading", text: RECORDED_REVIEW_HEADING, level: 2 },
    ...(rows.length ? [{ kind: "fields" as const, rows }] : []),
    ...(outcomes.length
      ? [
          {
            kind: "table" as const,
            columns: [
              { label: "Target or objective", weight: 2 },
              { label: "Outcome and evidence", weight: 3 },
            ],
            rows: outcomes.map((o) => ({ cells: [{ text: targetName(input, o.targetId) }, outcomeCell(input, o.targetId)] })),
          },
        ]
      : []),
    ...(review.recordedAt
      ? [{ kind: "paragraph" as const, tone: "note" as const, text: `Review recorded${by ? ` by ${by}` : ""} on ${formatDateTime(review.recordedAt)}.` }]
      : []),
  ];
}

/** The on-track answer; unanswered, both choices as the form prints them to circle. */
export const onTrackAnswer = (onTrack: boolean | undefined): string => (onTrack === undefined ? "Yes / No" : onTrack ? "Yes" : "No");

/** The seed 003 closing block: evaluation, next objectives, end date, "Is the ECT on track at end date?". */
export function endOfPlanReview(input: ExportInput, endDateLabel: string): Block[] {
  const { plan } = input;
  const review = plan.review;
  return [
    {
      kind: "fields",
      rows: [
        { label: "Evaluation of progress:", value: review?.evaluation ?? "" },
        { label: "Next Objectives:", value: review?.nextObjectives ?? "" },
        { label: endDateLabel, value: formatDate(plan.endDate) },
        { label: "Is the ECT on track at end date?", value: onTrackAnswer(review?.onTrack) },
      ],
    },
    ...recordedReview(input, { formHasReview: true }),
  ];
}

// ---- signatures -----------------------------------------------------------------------------

export interface SignatureLine {
  role: SignerRole;
  /** The signer's name: who signed, or who is asked to. */
  name: string;
  /** "Signed electronically by …", or "Not yet signed". */
  signature: string;
  /** When they signed ("" until then). */
  date: string;
}

/**
 * One line per signer the form has (the template's, in its order, then any other the plan asks),
 * filled from the signatures on the version printed. Earlier revisions' signatures do not sign it.
 */
export function signatureLines(input: ExportInput): SignatureLine[] {
  const { plan, template } = input;
  const valid = validSignatures(plan);
  const roles = [...template.signers, ...plan.signers.map((s) => s.role).filter((r) => !template.signers.includes(r))];
  return roles.map((role) => {
    const sig = valid.find((s) => s.role === role);
    if (sig) {
      return {
        role,
        name: sig.name,
        signature: `Signed electronically by ${sig.name} as ${signerLabels[role]}, ${agreedVersion(sig.revision)}`,
        date: formatDateTime(sig.signedAt),
      };
    }
    const signer = plan.signers.find((s) => s.role === role);
    const name = signer?.personId ? (input.people.get(signer.personId) ?? "") : "";
    return { role, name, signature: "Not yet signed", date: "" };
  });
}

/** A signature and its date in one value, for forms with no date column (seed 003). */
export const signedWithDate = (s: SignatureLine) => (s.date ? `${s.signature}, ${s.date}` : s.name ? `${s.signature} (${s.name})` : s.signature);

/** Seed 003 forms end "Induction Tutor signature: / ECT signature:". */
export function levelSignatures(input: ExportInput): Block[] {
  const label = (role: SignerRole) =>
    role === "induction_tutor" ? "Induction Tutor signature:" : role === "head" ? "Headteacher/Principal signature:" : `${signerLabels[role]} signature:`;
  return [{ kind: "fields", rows: signatureLines(input).map((s) => ({ label: label(s.role), value: signedWithDate(s) })) }];
}
