import { signerLabels, type SignerRole } from "@ectsp/shared";
import type { Block } from "../model.js";
import type { Layout } from "./common.js";
import { recordedReview, show, signatureLines, targetsTable } from "./common.js";
import { formatDate, formatRange } from "../format.js";

/** Seed 000's first page, word for word: how the form is used. */
const guidance = [
  "This Support Plan should be completed in the event of a schools having concerns that an ECT is not on track to meet the Teachers’ Standards by the end of the induction period.",
  "It should be completed together with the ECT and is designed to outline the support that the school will provide to the ECT, as well as the actions the ECT is going to undertake.  It should not simply be a “to do list” for the ECT.",
  "It is intended to be a supportive not punitive process to help the ECT get back “on track”.",
  "The length of time between writing the plan and reviewing the progress against the targets will depend on the exact nature of the targets, but it is expected that it will be 4-6 weeks, and should be sufficient time for the ECT to demonstrate progress against the targets.",
  "Targets should relate clearly to specific areas of the Teachers’ Standards.",
  "Success criteria should be clear – it is important that the ECT knows what success looks like and knows what evidence the induction tutor will be looking for when reviewing the support plan.",
  "The support plan should be signed by the ECT and induction tutor and uploaded to ECT manager.",
  "The support plan should be reviewed at the agreed time, and updated accordingly.  If a further support plan is required, the school should start the cycle again.",
];

/** Printed at the end of seed 000: the cycle the plan sits in. */
const cycle = [
  "Induction tutor and ECT agree support plan targets",
  "ECT works on targets with support from school",
  "ECT and induction tutor meet to review  progress against targets.",
  "If sufficient progress has been made, ECT comes off support plan.  If additional support is required, revised support plan put in place.",
];

const paragraphs = (texts: string[]): Block[] => texts.map((text) => ({ kind: "paragraph", text }));

/**
 * Seed 000 — ECT Additional Support Plan: its guidance page, who and when, the targets table with
 * the school's support beside the ECT's actions, "This plan has been agreed by (signatures):" and
 * the cycle. The form has no review block: the review the app recorded follows the signatures.
 */
export const ectAdditionalSupportLayout: Layout = {
  templates: ["ect_additional_support"],
  orientation: "landscape",
  title: () => "ECT Additional Support Plan",
  intro: () => [{ kind: "heading", text: "ECT Support Plan", level: 2 }, ...paragraphs(guidance)],
  recordFacts: (input) => [
    { label: "Dates of plan", value: formatRange(input.plan.startDate, input.plan.endDate) },
    { label: "Plan review date", value: formatDate(input.plan.reviewDate) },
  ],
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
        ],
      },
    ],
    targets: (input) =>
      targetsTable(input, [
        { label: "Targets (related to Teachers’ Standards)", value: show.standardsAndText, weight: 2.6 },
        { label: "ECT actions required to meet target", value: (t) => t.ectActions },
        { label: "School actions and support to be provided (mentor/induction tutor/other staff)", value: (t) => t.schoolActions },
        { label: "Date for review", value: show.reviewDate, weight: 1 },
        { label: "Success Criteria", value: (t) => t.successCriteria },
        {
          label:
            "At review point: Has met the target set sufficiently to be on track for meeting standards by the end of the induction period (yes/no/partially)",
          value: show.outcomeAtReview,
          weight: 1.6,
        },
      ]),
    signatures: (input) => {
      const signed = signatureLines(input);
      const label = (role: SignerRole) => (role === "ect" ? "ECT:" : role === "induction_tutor" ? "Induction Tutor:" : `${signerLabels[role]}:`);
      // The form has one "Date:" for the agreement: the day its last signature was given.
      const dates = signed.filter((s) => s.date !== "");
      const last = input.plan.signatures
        .filter((s) => s.revision === input.plan.revision)
        .map((s) => s.signedAt)
        .sort()
        .at(-1);
      return [
        { kind: "heading", text: "This plan has been agreed by (signatures):", level: 2 },
        {
          kind: "fields",
          rows: [
            ...signed.map((s) => ({ label: label(s.role), value: s.date ? `${s.signature}, ${s.date}` : s.signature })),
            { label: "Date:", value: dates.length === signed.length && last ? formatDate(last) : "" },
          ],
        },
        ...paragraphs(cycle),
        ...recordedReview(input, { formHasReview: false }),
      ];
    },
  },
};
