import type { Layout } from "./common.js";
import { signaturesBlock, targetsTable } from "./common.js";
import { formatDate, formatRange } from "../format.js";
import { levelSignatureStyle } from "./weeklyLevels.js";

/**
 * Level 6 — School capability procedures: the record induction keeps while HR runs its own
 * procedure. It holds only what induction needs: the dates, the AB informed, the HR contact.
 */
export const levelSixLayout: Layout = {
  templates: ["level_6"],
  orientation: "portrait",
  title: () => "Level 6 – School Capability Procedures",
  intro: (input) => [{ kind: "paragraph", tone: "note", text: input.template.guidance }],
  sections: {
    capability: (input) => {
      const c = input.plan.capability;
      return [
        {
          kind: "fields",
          rows: [
            { label: "ECT:", value: input.ectName },
            { label: "School:", value: input.schoolName },
            { label: "Dates of plan:", value: formatRange(input.plan.startDate, input.plan.endDate) },
            { label: "Capability procedure started (school HR policy):", value: formatDate(c?.hrProcedureStartedOn) },
            { label: "Appropriate body informed:", value: formatDate(c?.abInformedOn) },
            { label: "HR contact:", value: c?.hrContact ?? "" },
            { label: "Notes:", value: c?.notes ?? "" },
          ],
        },
        {
          kind: "paragraph",
          tone: "note",
          text: "Continue the induction process in parallel with the capability procedure, for as long as the ECT remains at the school. Inform the appropriate body.",
        },
      ];
    },
    targets: (input) => targetsTable(input),
    signatures: (input) => signaturesBlock(input, levelSignatureStyle),
  },
};
