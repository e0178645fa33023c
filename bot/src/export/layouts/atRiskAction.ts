import { signerLabels } from "@ectsp/shared";
import type { Layout } from "./common.js";
import { signaturesBlock, targetsTable } from "./common.js";
import { formatDate, formatRange } from "../format.js";

/**
 * Seed 001 — Additional Support Action Plan (for at risk ECTs): one row per area of the
 * standards causing concern, with the exact text, and dated actual outcomes.
 */
export const atRiskActionLayout: Layout = {
  templates: ["at_risk_action"],
  orientation: "landscape",
  title: () => "Additional Support Action Plan (for at risk ECTs)",
  subtitle: (input) => `for ECT: ${input.ectName}`,
  intro: (input) => [
    {
      kind: "fields",
      perRow: 2,
      rows: [
        { label: "for ECT:", value: input.ectName },
        { label: "School:", value: input.schoolName },
        { label: "Dates of plan:", value: formatRange(input.plan.startDate, input.plan.endDate) },
        ...(input.plan.reviewDate ? [{ label: "Plan review date:", value: formatDate(input.plan.reviewDate) }] : []),
      ],
    },
    {
      kind: "paragraph",
      tone: "note",
      text: "NB: each support plan should contain specific, short-term targets which are monitored/updated regularly with more frequent obs/ feedback until the ECT is back on track. We advise 4-week plans",
    },
  ],
  sections: {
    targets: (input) => targetsTable(input),
    signatures: (input) =>
      signaturesBlock(input, {
        heading: "Discussed and agreed with ECT",
        columns: ["", "Name", "Signed:", "Date:"],
        rowLabel: (role) =>
          role === "ect"
            ? "ECT Name:"
            : role === "head"
              ? "Headteacher/ Principal:"
              : role === "induction_tutor"
                ? "Induction Tutor:"
                : `${signerLabels[role]}:`,
      }),
  },
};
