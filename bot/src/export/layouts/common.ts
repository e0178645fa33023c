import {
  agreedVersion,
  signerLabels,
  standardsLicence,
  standardsSource,
  validSignatures,
  type Section,
  type SignerRole,
  type Target,
  type TargetField,
  type TemplateId,
} from "@ectsp/shared";
import type { Block, Cell, TableColumn, TableRow } from "../model.js";
import type { ExportInput } from "../input.js";
import { citedStandards, formatDate, formatDateTime, standardsCell, yesNo } from "../format.js";

/** A layout for one family of templates: the seed's title and a builder per section it prints. */
export interface Layout {
  templates: readonly TemplateId[];
  orientation: "portrait" | "landscape";
  title(input: ExportInput): string;
  subtitle?(input: ExportInput): string | undefined;
  /** Fixed text printed before the first section (the seed's own guidance). */
  intro?(input: ExportInput): Block[];
  /** One builder per section of the template, in the order the template lists them. */
  sections: Partial<Record<Section, (input: ExportInput) => Block[]>>;
}

// ---- targets -------------------------------------------------------------------------------

const reviewAnswer = { yes: "Yes", no: "No", partially: "Partially" } as const;

/** A target's value for one of the template's columns, as the form shows it. */
export function targetValue(target: Target, field: TargetField): string {
  switch (field) {
    case "standards":
      return standardsCell(target.standards);
    case "reviewDate":
      return formatDate(target.reviewDate);
    case "outcomeEntries":
      return target.outcomeEntries.map((e) => `${formatDate(e.date)} – ${e.text}`).join("\n");
    case "outcomeAtReview":
      return target.outcomeAtReview ? reviewAnswer[target.outcomeAtReview] : "";
    default:
      return target[field];
  }
}

const columnWeight: Partial<Record<TargetField, number>> = { standards: 2.2, text: 2, reviewDate: 1, timeScale: 1.1, outcomeAtReview: 1.3 };

/** The targets table, with the template's own column headings (never a second copy of them). */
export function targetsTable(input: ExportInput, heading = input.template.targetsHeading): Block[] {
  const { template, plan } = input;
  const columns: TableColumn[] = template.targetColumns.map((c) => ({ label: c.label, weight: columnWeight[c.field] ?? 1.6 }));
  const rows: TableRow[] =
    plan.targets.length > 0
      ? plan.targets.map((t) => ({ cells: template.targetColumns.map((c) => ({ text: targetValue(t, c.field) })) }))
      : [{ cells: [{ text: "No targets recorded yet.", span: columns.length }] }];
  return [
    { kind: "heading", text: heading, level: 2 },
    { kind: "table", columns, rows },
  ];
}

/** "Target 1: …" — how a review line names the target it is about. */
export function targetName(input: ExportInput, targetId: string): string {
  const index = input.plan.targets.findIndex((t) => t.id === targetId);
  const target = input.plan.targets[index];
  return target ? `${index + 1}. ${target.text}` : "A target no longer on this plan";
}

const outcomeLabels = { met: "Met", partially_met: "Partially met", not_met: "Not met" } as const;

/** Per-target outcomes recorded at the review (met / partially met / not met, with evidence). */
export function targetOutcomesTable(input: ExportInput, labels = { target: "Target or objective", comment: "Outcome and evidence" }): Block[] {
  const outcomes = input.plan.review?.targetOutcomes ?? [];
  if (outcomes.length === 0) return [];
  return [
    {
      kind: "table",
      columns: [
        { label: labels.target, weight: 2 },
        { label: labels.comment, weight: 3 },
      ],
      rows: outcomes.map((o) => ({ cells: [{ text: targetName(input, o.targetId) }, { label: `${outcomeLabels[o.outcome]}.`, text: o.evidence }] })),
    },
  ];
}

// ---- review (evaluation, next objectives, end date, on track) -------------------------------

/** The seed 003 closing block: evaluation, next objectives, end date, "Is the ECT on track at end date?". */
export function endOfPlanReview(input: ExportInput, endDateLabel: string): Block[] {
  const { plan } = input;
  const review = plan.review;
  return [
    { kind: "heading", text: "Review", level: 2 },
    {
      kind: "fields",
      rows: [
        ...(review?.date ? [{ label: "Date of review:", value: formatDate(review.date) }] : []),
        { label: "Evaluation of progress:", value: review?.evaluation ?? "" },
        { label: "Next Objectives:", value: review?.nextObjectives ?? "" },
        { label: endDateLabel, value: formatDate(plan.endDate) },
        { label: "Is the ECT on track at end date?", value: yesNo(review?.onTrack) },
      ],
    },
    ...targetOutcomesTable(input),
    ...reviewFooter(input),
  ];
}

function reviewFooter(input: ExportInput): Block[] {
  const review = input.plan.review;
  if (!review?.recordedAt) return [];
  const by = review.recordedBy ? input.people.get(review.recordedBy) : undefined;
  return [{ kind: "paragraph", tone: "note", text: `Review recorded${by ? ` by ${by}` : ""} on ${formatDateTime(review.recordedAt)}.` }];
}

/** For forms without a review block of their own (seeds 000, 001, Level 6): the review the app recorded. */
export function recordedReview(input: ExportInput): Block[] {
  const review = input.plan.review;
  if (!review) return [];
  const rows = [
    { label: "Date of review:", value: formatDate(review.date) },
    { label: "Notes from review meeting:", value: review.notes },
    { label: "Evaluation of progress:", value: review.evaluation },
    { label: "Next objectives:", value: review.nextObjectives },
    { label: "On track:", value: yesNo(review.onTrack) },
    { label: "Final outcome:", value: review.finalOutcome },
  ].filter((r) => r.value !== "");
  return [{ kind: "heading", text: "Review", level: 2 }, { kind: "fields", rows }, ...targetOutcomesTable(input), ...reviewFooter(input)];
}

// ---- signatures -----------------------------------------------------------------------------

export interface SignatureStyle {
  heading: string;
  /** Headings of the columns: who, name, signature, date. */
  columns: [string, string, string, string];
  /** The row label for a role, worded as the seed words it. */
  rowLabel(role: SignerRole): string;
}

/**
 * Who signed the version printed (the agreed one while an amendment waits), as what, which
 * revision and when; who still has to sign it. Signatures on earlier revisions no longer sign
 * this text and are listed separately; the amendment's own are in its note.
 */
export function signaturesBlock(input: ExportInput, style: SignatureStyle): Block[] {
  const { plan } = input;
  const valid = validSignatures(plan);
  const missing = plan.signers.filter((s) => !valid.some((v) => v.role === s.role));
  const rows: TableRow[] = plan.signers.map((signer) => {
    const sig = valid.find((s) => s.role === signer.role);
    const assigned = signer.personId ? (input.people.get(signer.personId) ?? "Name not on record") : "Not yet assigned";
    const cells: Cell[] = sig
      ? [
          { text: style.rowLabel(signer.role), strong: true },
          { text: sig.name },
          { text: `Signed electronically by ${sig.name} as ${signerLabels[sig.role]}, ${agreedVersion(sig.revision)}` },
          { text: formatDateTime(sig.signedAt) },
        ]
      : [{ text: style.rowLabel(signer.role), strong: true }, { text: assigned }, { text: "Not yet signed" }, { text: "" }];
    return { cells };
  });
  const voided = plan.signatures.filter((s) => s.revision < plan.revision);
  const blocks: Block[] = [
    { kind: "heading", text: style.heading, level: 2 },
    {
      kind: "table",
      columns: [
        { label: style.columns[0], weight: 1.3 },
        { label: style.columns[1], weight: 1.3 },
        { label: style.columns[2], weight: 2.4 },
        { label: style.columns[3], weight: 1.4 },
      ],
      rows,
    },
    plan.signers.length === 0
      ? { kind: "paragraph", tone: "alert", text: "Nobody has been asked to sign this plan yet." }
      : missing.length === 0
        ? { kind: "paragraph", text: `Signed by everyone required on ${agreedVersion(plan.revision)}, the version this plan runs on.` }
        : {
            kind: "paragraph",
            tone: "alert",
            text: `Still to sign ${agreedVersion(plan.revision)}: ${missing
              .map((s) => `${signerLabels[s.role]} (${s.personId ? (input.people.get(s.personId) ?? "name not on record") : "not yet assigned"})`)
              .join("; ")}.`,
          },
  ];
  if (voided.length > 0) {
    blocks.push({
      kind: "paragraph",
      tone: "note",
      text: `Earlier signatures, on earlier versions of this plan (they do not sign ${agreedVersion(plan.revision)}): ${voided
        .map((s) => `${s.name} as ${signerLabels[s.role]} on ${agreedVersion(s.revision)}, ${formatDateTime(s.signedAt)}`)
        .join("; ")}.`,
    });
  }
  return blocks;
}

// ---- the standards cited, and the notes every document ends with ----------------------------

export function standardsAppendix(input: ExportInput): Block[] {
  const codes = [...input.plan.relatedStandards, ...input.plan.targets.flatMap((t) => t.standards)];
  const cited = citedStandards(codes);
  if (cited.length === 0) return [];
  return [
    { kind: "heading", text: "Teachers' Standards cited in this plan (exact wording)", level: 2 },
    {
      kind: "table",
      columns: [
        { label: "Standard", weight: 1 },
        { label: "Wording (Teachers' Standards, DfE)", weight: 7 },
      ],
      rows: cited.map((s) => ({ cells: [{ text: s.code, strong: true }, { text: s.text }] })),
    },
  ];
}

export function closingNotes(): Block[] {
  return [
    {
      kind: "paragraph",
      tone: "note",
      text: "Confidential: this is part of an early career teacher's induction record. Share it only with the ECT, the school staff supporting their induction and the appropriate body, and keep it securely.",
    },
    {
      kind: "paragraph",
      tone: "note",
      text: `The wording of the Teachers' Standards is from ${standardsSource.title} (${standardsSource.reference}), ${standardsSource.publisher}, ${standardsSource.url}. ${standardsLicence} ${"https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}`,
    },
  ];
}
