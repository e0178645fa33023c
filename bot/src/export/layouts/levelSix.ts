import type { Block } from "../model.js";
import type { Layout } from "./common.js";
import { levelSignatures, recordedReview, show, targetsTable } from "./common.js";
import { formatDate, formatRange } from "../format.js";

/** Seed 003's actions for Level 6, word for word. */
const actions = [
  "In serious cases, initiate capability procedures according to the school’s HR policies.",
  "Continue the induction process in parallel with the capability procedure.",
  "Inform the appropriate body.",
];

/**
 * Level 6 — School Capability Procedures. Seed 003 has no form for it, only its heading and
 * actions, printed as the seed words them. The record below them is the app's own: what
 * induction keeps while HR runs its procedure (the dates, the AB informed, the HR contact).
 */
export const levelSixLayout: Layout = {
  templates: ["level_6"],
  orientation: "portrait",
  title: () => "Level 6 – School Capability Procedures",
  intro: (): Block[] => [{ kind: "paragraph", text: "Actions:" }, ...actions.map((text) => ({ kind: "paragraph" as const, text }))],
  recordFacts: (input) => [
    { label: "ECT", value: input.ectName },
    { label: "School", value: input.schoolName },
    { label: "Dates of plan", value: formatRange(input.plan.startDate, input.plan.endDate) },
    { label: "Plan review date", value: formatDate(input.plan.reviewDate) },
  ],
  sections: {
    capability: (input) => {
      const c = input.plan.capability;
      return [
        {
          kind: "fields",
          rows: [
            { label: "Capability procedure started (school HR policy):", value: formatDate(c?.hrProcedureStartedOn) },
            { label: "Appropriate body informed:", value: formatDate(c?.abInformedOn) },
            { label: "HR contact:", value: c?.hrContact ?? "" },
            { label: "Notes:", value: c?.notes ?? "" },
          ],
        },
      ];
    },
    targets: (input) => [
      { kind: "heading", text: "Teachers’ Standards of concern", level: 2 },
      ...targetsTable(input, [
        { label: "Teachers’ Standards", value: show.standards, weight: 2.2 },
        { label: "Objective", value: (t) => t.text, weight: 2 },
      ]),
    ],
    signatures: (input) => [...levelSignatures(input), ...recordedReview(input, { formHasReview: false })],
  },
};
