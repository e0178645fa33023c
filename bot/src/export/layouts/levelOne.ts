import type { Layout } from "./common.js";
import { endOfPlanReview, signaturesBlock, targetsTable } from "./common.js";
import { formatDate, formatRange, standardsCell } from "../format.js";
import { levelSignatureStyle } from "./weeklyLevels.js";

/**
 * Seed 003, Level 1 — Light Touch Support: led by the mentor; previous objectives and their
 * evaluation, related standards, the reason, objectives with success criteria, actions, resources
 * and the outcome from observation, then the end-of-plan review.
 */
export const levelOneLayout: Layout = {
  templates: ["level_1"],
  orientation: "landscape",
  title: () => "Level 1 – Light Touch Support",
  intro: (input) => [{ kind: "paragraph", tone: "note", text: input.template.guidance }],
  sections: {
    initial_meeting: (input) => [
      {
        kind: "fields",
        perRow: 2,
        rows: [
          { label: "ECT:", value: input.ectName },
          { label: "School:", value: input.schoolName },
          { label: "Mentor:", value: input.mentorName ?? "" },
          { label: "Date of meeting:", value: formatDate(input.plan.initialMeetingDate) },
          { label: "Present at meeting:", value: input.plan.presentAtMeeting },
          { label: "Dates of plan:", value: formatRange(input.plan.startDate, input.plan.endDate) },
        ],
      },
    ],
    previous_objectives: (input) => [
      {
        kind: "table",
        columns: [
          { label: "Previous objectives", weight: 1 },
          { label: "Evaluation of progress", weight: 1 },
        ],
        rows: [{ cells: [{ text: input.plan.previousObjectives }, { text: input.plan.previousEvaluation }] }],
      },
    ],
    related_standards: (input) => [{ kind: "fields", rows: [{ label: "Related Teachers' Standards:", value: standardsCell(input.plan.relatedStandards) }] }],
    statement_of_concern: (input) => [{ kind: "fields", rows: [{ label: "Reason for light touch support:", value: input.plan.statementOfConcern }] }],
    targets: (input) => targetsTable(input),
    review: (input) => endOfPlanReview(input, "End of Light Touch Support Date:"),
    signatures: (input) => signaturesBlock(input, levelSignatureStyle),
  },
};
