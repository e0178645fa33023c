import type { SignerRole } from "@ectsp/shared";
import type { Layout } from "./common.js";
import { outcomeCell, recordedReview, show, signatureLines, targetsTable } from "./common.js";
import { formatDate, formatRange } from "../format.js";

/** The heading seed 002 prints on each page of its paperwork. */
const PAPERWORK = "CONFIDENTIAL: Early Support Plan Procedure and Paperwork";

/** The staff rows of seed 002's signature table, in its words. */
const rowLabels: Partial<Record<SignerRole, string>> = {
  trainee: "Trainee:",
  course_tutor: "Course Tutor:",
  director: "Director:",
  professional_mentor: "Professional Mentor:",
  mentor: "Mentor:",
  lead_subject_mentor: "Lead Subject Mentor:",
};

/**
 * Seed 002 — the ITT provider's Early Support Plan paperwork, with its review page: start date,
 * trainee, subject, school, statement of concern and staff; targets (at most three); the six
 * signatures; then the review. The provider's name heads it where the seed has "MID-ESSEX ITT"
 * (the school's setting); without one, the paperwork's own heading stands alone rather than
 * naming a provider that may not be the school's. The procedure pages before the paperwork are
 * the provider's policy, not the form, and are not reprinted.
 */
export const ittEarlySupportLayout: Layout = {
  templates: ["itt_early_support"],
  orientation: "landscape",
  title: (input) => input.ittProviderName ?? PAPERWORK,
  subtitle: (input) => (input.ittProviderName ? PAPERWORK : undefined),
  recordFacts: (input) => [{ label: "Dates of plan", value: input.plan.endDate ? formatRange(input.plan.startDate, input.plan.endDate) : "" }],
  sections: {
    itt_header: (input) => [
      {
        kind: "fields",
        rows: [
          { label: "Support Plan start date:", value: formatDate(input.plan.startDate) },
          { label: "Trainee:", value: input.ectName },
          { label: "Subject:", value: input.plan.subject },
          { label: "School:", value: input.schoolName },
          { label: "Initial statement of concern:", value: input.plan.statementOfConcern },
          { label: "Staff members:", value: input.plan.staffMembers },
        ],
      },
    ],
    targets: (input) => [
      ...targetsTable(input, [
        { label: "Target or Objective", value: show.standardsAndText, weight: 2.4 },
        { label: "Specific Task(s)", value: (t) => t.ectActions },
        { label: "Support required", value: (t) => t.schoolActions },
        { label: "Time Scale", value: (t) => t.timeScale, weight: 1.1 },
        { label: "Success Criteria", value: (t) => t.successCriteria },
      ]),
      { kind: "fields", rows: [{ label: "Date to be reviewed:", value: formatDate(input.plan.reviewDate) }] },
    ],
    signatures: (input) => [
      {
        kind: "table",
        columns: [
          { label: "Staff (if applicable)", weight: 1.3 },
          { label: "Full Name", weight: 1.3 },
          { label: "Signature (typed if completing by email)", weight: 2.4 },
          { label: "Date", weight: 1.4 },
        ],
        rows: signatureLines(input).map((s) => ({
          cells: [{ text: rowLabels[s.role] ?? `${s.role}:`, strong: true }, { text: s.name }, { text: s.signature }, { text: s.date }],
        })),
      },
    ],
    itt_review: (input) => {
      const review = input.plan.review;
      return [
        { kind: "heading", text: PAPERWORK, level: 1 },
        {
          kind: "fields",
          rows: [
            { label: "Support Plan review date:", value: formatDate(review?.date ?? input.plan.reviewDate) },
            { label: "Notes from review meeting", value: review?.notes ?? "" },
          ],
        },
        {
          kind: "table",
          columns: [
            { label: "Target or Objective", weight: 2 },
            { label: "Comments on targets from Mentor & PM (were they met/not met? Evidence):", weight: 3 },
          ],
          // The app copies the targets from the first meeting's table, under the seed's own instruction to.
          rows: [
            { cells: [{ text: "[copy from table from meeting 1]" }, { text: "" }] },
            ...input.plan.targets.map((t, i) => ({ cells: [{ text: `${i + 1}. ${t.text}` }, outcomeCell(input, t.id)] })),
          ],
        },
        { kind: "fields", rows: [{ label: "Final outcome from Support Plan procedure:", value: review?.finalOutcome ?? "" }] },
        ...recordedReview(input, { formHasReview: true, outcomes: false, date: false }),
      ];
    },
  },
};
