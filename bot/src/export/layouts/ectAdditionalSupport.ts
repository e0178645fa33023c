import { signerLabels } from "@ectsp/shared";
import type { Layout } from "./common.js";
import { signaturesBlock, targetsTable } from "./common.js";
import { formatDate, formatRange } from "../format.js";

/** Printed at the end of seed 000: the cycle the plan sits in. */
const cycle = [
  "Induction tutor and ECT agree support plan targets",
  "ECT works on targets with support from school",
  "ECT and induction tutor meet to review progress against targets.",
  "If sufficient progress has been made, ECT comes off support plan. If additional support is required, revised support plan put in place.",
];

/**
 * Seed 000 — ECT Additional Support Plan: who and when, the targets table with the school's
 * support beside the ECT's actions, and "This plan has been agreed by (signatures)".
 */
export const ectAdditionalSupportLayout: Layout = {
  templates: ["ect_additional_support"],
  orientation: "landscape",
  title: () => "ECT Additional Support Plan",
  intro: (input) => [{ kind: "paragraph", tone: "note", text: input.template.guidance }],
  sections: {
    initial_meeting: (input) => [
      {
        kind: "fields",
        perRow: 2,
        rows: [
          { label: "Name of ECT", value: input.ectName },
          { label: "School:", value: input.schoolName },
          { label: "Date of initial meeting:", value: formatDate(input.plan.initialMeetingDate) },
          { label: "Present at initial meeting:", value: input.plan.presentAtMeeting },
          { label: "Dates of plan:", value: formatRange(input.plan.startDate, input.plan.endDate) },
          ...(input.plan.reviewDate ? [{ label: "Plan review date:", value: formatDate(input.plan.reviewDate) }] : []),
        ],
      },
    ],
    targets: (input) => targetsTable(input),
    signatures: (input) => [
      ...signaturesBlock(input, {
        heading: "This plan has been agreed by (signatures):",
        columns: ["Signed as", "Name", "Signature", "Date:"],
        rowLabel: (role) => (role === "induction_tutor" ? "Induction Tutor:" : `${signerLabels[role]}:`),
      }),
      { kind: "paragraph", tone: "note", text: cycle.join(" — ") },
    ],
  },
};
