import { signerLabels } from "@ectsp/shared";
import type { Layout } from "./common.js";
import { signaturesBlock, targetOutcomesTable, targetsTable } from "./common.js";
import { formatDate, formatDateTime } from "../format.js";

const titleCase = (s: string) => s.replace(/\b\w/g, (c) => c.toUpperCase());

/**
 * Seed 002 — ITT Early Support Plan, with its review page: start date, trainee, subject, school,
 * statement of concern and staff; targets (at most three); the six signatures; then the review.
 */
export const ittEarlySupportLayout: Layout = {
  templates: ["itt_early_support"],
  orientation: "landscape",
  title: () => "Early Support Plan",
  subtitle: () => "CONFIDENTIAL: Early Support Plan Procedure and Paperwork",
  intro: (input) => [{ kind: "paragraph", tone: "note", text: input.template.guidance }],
  sections: {
    itt_header: (input) => [
      {
        kind: "fields",
        rows: [
          { label: "Support Plan start date:", value: formatDate(input.plan.startDate) },
          ...(input.plan.endDate ? [{ label: "Support Plan end date:", value: formatDate(input.plan.endDate) }] : []),
          { label: "Trainee:", value: input.ectName },
          { label: "Subject:", value: input.plan.subject },
          { label: "School:", value: input.schoolName },
          { label: "Initial statement of concern:", value: input.plan.statementOfConcern },
          { label: "Staff members:", value: input.plan.staffMembers },
        ],
      },
    ],
    targets: (input) => [...targetsTable(input), { kind: "fields", rows: [{ label: "Date to be reviewed:", value: formatDate(input.plan.reviewDate) }] }],
    signatures: (input) =>
      signaturesBlock(input, {
        heading: "Signatures",
        columns: ["Staff (if applicable)", "Full Name", "Signature (typed if completing by email)", "Date"],
        rowLabel: (role) => `${titleCase(signerLabels[role])}:`,
      }),
    itt_review: (input) => {
      const review = input.plan.review;
      const by = review?.recordedBy ? input.people.get(review.recordedBy) : undefined;
      return [
        { kind: "heading", text: "Support Plan review", level: 1 },
        {
          kind: "fields",
          rows: [
            { label: "Support Plan review date:", value: formatDate(review?.date ?? input.plan.reviewDate) },
            { label: "Notes from review meeting", value: review?.notes ?? "" },
          ],
        },
        ...(review && review.targetOutcomes.length > 0
          ? targetOutcomesTable(input, { target: "Target or Objective", comment: "Comments on targets from Mentor & PM (were they met/not met? Evidence):" })
          : [
              {
                kind: "table" as const,
                columns: [
                  { label: "Target or Objective", weight: 2 },
                  { label: "Comments on targets from Mentor & PM (were they met/not met? Evidence):", weight: 3 },
                ],
                rows: input.plan.targets.map((t, i) => ({ cells: [{ text: `${i + 1}. ${t.text}` }, { text: "" }] })),
              },
            ]),
        { kind: "fields", rows: [{ label: "Final outcome from Support Plan procedure:", value: review?.finalOutcome ?? "" }] },
        {
          kind: "paragraph",
          tone: "note",
          text: "If insufficient progress has been made, the trainee will proceed onto a Cause for Concern plan.",
        },
        ...(review?.recordedAt
          ? [{ kind: "paragraph" as const, tone: "note" as const, text: `Review recorded${by ? ` by ${by}` : ""} on ${formatDateTime(review.recordedAt)}.` }]
          : []),
      ];
    },
  },
};
