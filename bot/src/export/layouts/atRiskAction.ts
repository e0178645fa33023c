import { signerLabels, type SignerRole } from "@ectsp/shared";
import type { Layout, TargetColumn } from "./common.js";
import { recordedReview, show, signatureLines, targetsTable } from "./common.js";
import { formatDate, formatRange } from "../format.js";

/** Seed 001's closing paragraph, word for word (its ECT Manager steps included: the form prints them). */
const pleaseNote =
  "(PLEASE NOTE: It is vitally important that; any additional support you provide is documented, areas of concern relate directly to and only to the Teachers' Standards and that the supporting documentation is uploaded to ECT Manager in order to make it available to all induction staff i.e. the Headteacher/ Principal, Induction Tutor, ECT and ourselves. To upload, please select 'your ECTs' from the grey bar on your dashboard when logged in, then select 'view' next to the ECT name which will take you into their record, then select 'documents' from the left hand side tabs and follow the instructions to upload the document)";

const rowLabel = (role: SignerRole) =>
  role === "ect" ? "ECT Name:" : role === "head" ? "Headteacher/ Principal:" : role === "induction_tutor" ? "Induction Tutor:" : `${signerLabels[role]}:`;

/**
 * Seed 001 — Additional Support Action Plan (for at risk ECTs): one row per area of the
 * standards causing concern, its code under "TS" and its exact text beside it, with dated actual
 * outcomes; "Discussed and agreed with ECT" and a "Signed:" and "Date:" for each signer.
 */
export const atRiskActionLayout: Layout = {
  templates: ["at_risk_action"],
  orientation: "landscape",
  title: () => "Additional Support Action Plan (for at risk ECTs)",
  subtitle: (input) => `for ECT: ${input.ectName}`,
  intro: () => [
    {
      kind: "paragraph",
      text: "NB: each support plan should contain specific, short-term targets which are monitored/updated regularly with more frequent obs/ feedback until the ECT is back on track. We advise 4-week plans",
    },
  ],
  recordFacts: (input) => [
    { label: "School", value: input.schoolName },
    { label: "Dates of plan", value: formatRange(input.plan.startDate, input.plan.endDate) },
    { label: "Plan review date", value: formatDate(input.plan.reviewDate) },
  ],
  sections: {
    targets: (input) => {
      const columns: TargetColumn[] = [
        { label: "TS", value: show.codes, weight: 0.6 },
        { label: "Area of standards causing concern", value: show.wording, weight: 2.2 },
        { label: "Agreed target/actions to be taken", value: (t) => t.text, weight: 2 },
        { label: "Supported by", value: (t) => t.supportedBy },
        { label: "Timeline", value: (t) => t.timeScale, weight: 1.1 },
        { label: "Next review date", value: show.reviewDate, weight: 1 },
        { label: "Actual outcome", value: show.outcomeEntries },
      ];
      // The seed's guidance under the headings ("** Please use exact text …") sits in its column.
      const guidance = { cells: columns.map((c, i) => ({ text: i === 1 ? "** Please use exact text from areas of the Teachers' Standards" : "" })) };
      return targetsTable(input, columns, { firstRows: [guidance] });
    },
    signatures: (input) => [
      {
        kind: "table",
        columns: [
          { label: "Discussed and agreed with ECT", weight: 1.4 },
          { label: "", weight: 2.4 },
          { label: "", weight: 1.4 },
        ],
        rows: signatureLines(input).map((s) => ({
          cells: [
            { label: rowLabel(s.role), text: s.name },
            { label: "Signed:", text: s.signature },
            { label: "Date:", text: s.date },
          ],
        })),
      },
      { kind: "paragraph", text: pleaseNote },
      ...recordedReview(input, { formHasReview: false }),
    ],
  },
};
