import type { Layout } from "./common.js";
import { endOfPlanReview, levelSignatures, show, targetsTable } from "./common.js";
import { formatDate, formatRange, standardsCell } from "../format.js";

/**
 * Seed 003, Level 1 — Light Touch Support: led by the mentor; previous objectives and their
 * evaluation, related standards, the reason, objectives with success criteria, actions, resources
 * and the outcome from observation, then the end-of-plan review. The form names neither the ECT
 * nor the school: the app's version block does.
 */
export const levelOneLayout: Layout = {
  templates: ["level_1"],
  orientation: "landscape",
  title: () => "Level 1 – Light Touch Support",
  recordFacts: (input) => [
    { label: "ECT", value: input.ectName },
    { label: "School", value: input.schoolName },
    { label: "Dates of plan", value: formatRange(input.plan.startDate, input.plan.endDate) },
    { label: "Present at meeting", value: input.plan.presentAtMeeting },
    { label: "Plan review date", value: formatDate(input.plan.reviewDate) },
  ],
  sections: {
    initial_meeting: (input) => [
      {
        kind: "fields",
        perRow: 2,
        rows: [
          { label: "Mentor:", value: input.mentorName ?? "" },
          { label: "Date of meeting:", value: formatDate(input.plan.initialMeetingDate) },
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
    related_standards: (input) => [{ kind: "fields", rows: [{ label: "Related Teachers’ Standards:", value: standardsCell(input.plan.relatedStandards) }] }],
    statement_of_concern: (input) => [{ kind: "fields", rows: [{ label: "Reason for light touch support:", value: input.plan.statementOfConcern }] }],
    targets: (input) =>
      targetsTable(input, [
        { label: "Objective (linked to Teachers’ Standards)", value: show.standardsAndText, weight: 2.4 },
        { label: "Success Criteria", value: (t) => t.successCriteria },
        { label: "Actions to be taken, and by whom:", value: (t) => t.schoolActions },
        { label: "Resources/support required:", value: (t) => t.resources },
        { label: "Outcome from observation:", value: (t) => t.observationOutcome },
      ]),
    review: (input) => endOfPlanReview(input, "End of Light Touch Support Date:"),
    signatures: (input) => levelSignatures(input),
  },
};
