import {
  recordKindTitle,
  returnReasonLabels,
  reviewedStandards,
  reviewedStandardTitle,
  type AbDecision,
  type AssessmentRecommendation,
  type ReviewTarget,
  type StandardRating,
} from "@ectsp/shared";
import type { Block, TableRow } from "../model.js";
import { formatDate, formatDateTime, standardsCell, yesNo } from "../format.js";
import { isCurrent, signaturesOnPrinted, type RecordExportInput } from "./input.js";

/**
 * A progress review or formal assessment laid out as the AB's forms are (seed 003): the review
 * point and term, each standard with its rating and the scale's words for that rating, the
 * statements, the evidence, targets, the judgement, the ECT's comments. The signatures and the
 * certificate follow (certificate.ts).
 */

export const recommendationWords: Record<AssessmentRecommendation, string> = {
  satisfactory: "Satisfactory: the ECT's performance meets the Teachers' Standards",
  unsatisfactory: "Unsatisfactory: the ECT's performance does not meet the Teachers' Standards",
  consider_extension: "Consider an extension of the induction period",
};

export const abDecisionWords: Record<AbDecision, string> = {
  pass: "Passed: induction completed satisfactorily",
  extend: "Induction period extended",
  fail: "Failed: induction not completed satisfactorily",
};

type Ratings = Partial<Record<(typeof reviewedStandards)[number], StandardRating>>;

function ratingsTable(input: RecordExportInput, ratings: Ratings): Block[] {
  const rated = reviewedStandards.filter((c) => ratings[c]);
  const rows: TableRow[] = reviewedStandards.map((code) => {
    const r = ratings[code];
    const level = r ? input.scale.levels.find((l) => l.id === r.ratingId) : undefined;
    return {
      cells: [
        { text: reviewedStandardTitle(code), strong: true },
        { text: r ? (level?.label ?? r.ratingId) : "Not rated" },
        { text: level?.description ?? (r ? `Not a rating on the ${input.scale.name} scale.` : "") },
        { text: r?.statement.trim() ? r.statement : level?.statementRequired ? "No statement written." : "" },
      ],
    };
  });
  return [
    { kind: "heading", text: "The Teachers' Standards", level: 2 },
    {
      kind: "paragraph",
      tone: "note",
      text: `Each standard rated on the ${input.scale.name} scale, with the scale's words for the rating given. A written statement outlining the areas of concern is required at ${input.scale.levels
        .filter((l) => l.statementRequired)
        .map((l) => `"${l.label}"`)
        .join(" and ")}.`,
    },
    rated.length === 0
      ? { kind: "paragraph", text: "No standard was rated on this record." }
      : {
          kind: "table",
          columns: [
            { label: "Standard", weight: 1.6 },
            { label: "Rating", weight: 0.9 },
            { label: "What the rating means", weight: 3 },
            { label: "Statement (areas of concern)", weight: 2.2 },
          ],
          rows,
        },
  ];
}

function targetsBlock(targets: readonly ReviewTarget[]): Block[] {
  return [
    { kind: "heading", text: "Targets", level: 2 },
    targets.length === 0
      ? { kind: "paragraph", text: "No targets recorded." }
      : {
          kind: "table",
          columns: [
            { label: "", weight: 0.3 },
            { label: "Target", weight: 3 },
            { label: "Teachers' Standards it develops", weight: 2.4 },
          ],
          rows: targets.map((t, i) => ({ cells: [{ text: String(i + 1) }, { text: t.text }, { text: standardsCell(t.standards) }] })),
        },
  ];
}

const textBlock = (heading: string, text: string | undefined, none: string): Block[] => [
  { kind: "heading", text: heading, level: 2 },
  { kind: "paragraph", text: text?.trim() ? text : none },
];

/**
 * The ECT's comments (SG §2.61: the ECT comments, then all sign): written on the record itself
 * (an assessment's field) and/or given with the ECT's signature on the revision printed.
 */
function ectComments(input: RecordExportInput): string {
  const own = input.record.kind === "formal_assessment" ? input.record.assessment.ectComments.trim() : "";
  const signed =
    signaturesOnPrinted(input)
      .find((s) => s.role === "ect")
      ?.comments?.trim() ?? "";
  return [own, signed && signed !== own ? `${own ? "On signing: " : ""}${signed}` : ""].filter(Boolean).join("\n");
}

/** Where the revision printed stands: returned by the AB, replaced by a later revision. */
function standing(input: RecordExportInput): Block[] {
  const { record, chain } = input;
  const out: Block[] = [];
  if (!isCurrent(input)) {
    out.push({
      kind: "paragraph",
      tone: "alert",
      text: `SUPERSEDED: this is revision ${record.revision}. Revision ${chain.current.revision} (recorded ${formatDateTime(chain.current.recordedAt)}) replaces it; this copy is kept for the record.`,
    });
  }
  if (isCurrent(input) && chain.earlier.length > 0) {
    out.push({
      kind: "paragraph",
      tone: "note",
      text: `Earlier revisions, kept unchanged: ${chain.earlier.map((e) => `revision ${e.revision} (recorded ${formatDateTime(e.recordedAt)} by ${e.recordedByName})`).join("; ")}.`,
    });
  }
  for (const r of chain.returns.filter((x) => x.recordId === record.id)) {
    out.push({
      kind: "paragraph",
      tone: "alert",
      text: `Returned to the school by the appropriate body (${r.recordedByName}, ${formatDateTime(r.recordedAt)}): ${
        r.reasons.length ? r.reasons.map((x) => returnReasonLabels[x]).join("; ") : "see the comments"
      }. Comments: ${r.comments}`,
    });
  }
  return out;
}

function headerFields(input: RecordExportInput, date: string, extra: { label: string; value: string }[]): Block {
  const { record } = input;
  const revision = record.revises ? `Revision ${record.revision} (replaces revision ${record.revision - 1})` : `Revision ${record.revision}`;
  return {
    kind: "fields",
    perRow: 2,
    rows: [
      { label: "ECT", value: input.ectName },
      { label: "School", value: input.schoolName },
      { label: record.kind === "progress_review" ? "Review point" : "Assessment point", value: record.due?.label ?? "Not filed at a review point" },
      { label: "Term", value: record.due?.term ?? "" },
      { label: "Date", value: formatDate(date) },
      ...extra,
      { label: "Revision", value: revision },
      { label: "Recorded by", value: `${record.recordedByName}, ${formatDateTime(record.recordedAt)}` },
      { label: "Exported", value: `${formatDateTime(input.exportedAt)} by ${input.exportedByName}` },
    ],
  };
}

export function recordTitle(input: RecordExportInput): string {
  return recordKindTitle(input.record);
}

/** The body of the form, without signatures: the layout the AB reads. */
export function recordBody(input: RecordExportInput): Block[] {
  const { record } = input;
  if (record.kind === "progress_review") {
    const review = record.review;
    return [
      ...standing(input),
      headerFields(input, review.date, []),
      ...ratingsTable(input, review.ratings),
      ...textBlock("Evidence summary", review.evidenceSummary, "No evidence summary recorded."),
      ...targetsBlock(review.targets),
      { kind: "heading", text: "Judgement", level: 2 },
      {
        kind: "fields",
        rows: [
          { label: "On track to meet the Teachers' Standards by the end of induction?", value: yesNo(review.onTrack) },
          { label: "Support plan", value: input.supportPlan ? `${input.supportPlan.name} (reference ${input.supportPlan.id})` : "None linked" },
        ],
      },
      ...textBlock("The ECT's comments", ectComments(input), "No comments recorded."),
    ];
  }
  const a = record.assessment;
  const final = a.number === 2;
  return [
    ...standing(input),
    headerFields(input, a.date, [
      { label: "Assessment", value: final ? "2 — the final assessment, at the end of induction" : "1 — at the end of the first year" },
    ]),
    ...ratingsTable(input, a.ratings),
    ...textBlock("Evidence summary", a.evidenceSummary, "No evidence summary recorded."),
    ...targetsBlock(a.targets),
    { kind: "heading", text: final ? "Recommendation and decision" : "Judgement", level: 2 },
    {
      kind: "fields",
      rows: final
        ? [
            {
              label: "The headteacher's recommendation to the appropriate body",
              value: a.recommendation ? recommendationWords[a.recommendation] : "Not yet recorded",
            },
            { label: "The appropriate body's decision", value: a.abDecision ? abDecisionWords[a.abDecision] : "Not yet recorded" },
          ]
        : [{ label: "On track to complete induction?", value: yesNo(a.onTrack) }],
    },
    ...textBlock("The ECT's comments", ectComments(input), "No comments recorded."),
  ];
}
