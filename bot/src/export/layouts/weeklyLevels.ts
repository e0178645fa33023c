import { signerLabels, type WeekRow } from "@ectsp/shared";
import type { Block, TableRow } from "../model.js";
import type { ExportInput } from "../input.js";
import type { Layout, SignatureStyle } from "./common.js";
import { endOfPlanReview, signaturesBlock, targetsTable } from "./common.js";
import { formatDate, formatDateTime, formatRange } from "../format.js";

/** Seed 003 forms end "Induction Tutor signature: / ECT signature:". */
export const levelSignatureStyle: SignatureStyle = {
  heading: "Signatures",
  columns: ["Signature", "Name", "Signed", "Date"],
  rowLabel: (role) => `${role === "induction_tutor" ? "Induction Tutor" : signerLabels[role]} signature:`,
};

const weekColumns = [
  { label: "Week", weight: 0.5 },
  { label: "Action/to be taken and by whom.", weight: 2.2 },
  { label: "Resources required (including use of PD time/support provided)", weight: 1.6 },
  { label: "Success Criteria", weight: 1.6 },
  { label: "Evaluation of progress", weight: 1.8 },
];

function actionText(w: WeekRow): string {
  if (!w.byWhom) return w.action;
  return w.action ? `${w.action}\nBy whom: ${w.byWhom}` : `By whom: ${w.byWhom}`;
}

/** Weeks 1–6, each followed by the ECT's comment on progress across the row, as the seed prints them. */
export function weeksTable(input: ExportInput): Block[] {
  const byWeek = new Map(input.plan.weeks.map((w) => [w.week, w]));
  const rows: TableRow[] = [];
  for (let week = 1; week <= 6; week++) {
    const w = byWeek.get(week);
    rows.push({
      cells: [
        { text: String(week), strong: true },
        { text: w ? actionText(w) : "" },
        { text: w?.resources ?? "" },
        { text: w?.successCriteria ?? "" },
        { text: w?.evaluation ?? "" },
      ],
    });
    const at = w?.ectCommentAt ? ` (${formatDateTime(w.ectCommentAt)})` : "";
    rows.push({ cells: [{ text: "" }, { label: "ECTs comment on progress:", text: `${w?.ectComment ?? ""}${w?.ectComment ? at : ""}`, span: 4 }] });
  }
  return [{ kind: "table", columns: weekColumns, rows }];
}

/** "Date of meeting with AB, ECT, Mentor and Induction Tutor", its outline and outcome (Levels 4–5). */
export function abMeetingBlock(input: ExportInput): Block[] {
  const meetings = input.plan.meetings.filter((m) => m.kind === "ab");
  const list = meetings.length > 0 ? meetings : [undefined];
  return list.flatMap((m, i) => [
    ...(list.length > 1 ? [{ kind: "heading" as const, text: `Meeting ${i + 1} with the AB`, level: 2 as const }] : []),
    {
      kind: "fields" as const,
      rows: [
        { label: "Date of meeting with AB, ECT, Mentor and Induction Tutor", value: formatDate(m?.date) },
        ...(m?.attendees ? [{ label: "Present:", value: m.attendees }] : []),
        { label: "Outline of meeting:", value: m?.outline ?? "" },
        { label: "Outcome:", value: m?.outcome ?? "" },
      ],
    },
  ]);
}

/**
 * Seed 003, Levels 2–5: school, ECT, dates and term; the objectives; weeks 1–6 with the ECT's
 * comment on progress; at Levels 4–5 the AB meeting, at Level 5 the reasons for risk of failing;
 * then the end-of-plan review.
 */
export const weeklyLevelsLayout: Layout = {
  templates: ["level_2", "level_3", "level_4", "level_5"],
  orientation: "landscape",
  title: (input) => {
    const titles: Record<number, string> = {
      2: "Level 2 – Support Plan 1",
      3: "Level 3 – Support Plan 2",
      4: "Level 4 – Cause for Concern",
      5: "Level 5 – Risk of Failing",
    };
    return titles[input.template.level ?? 0] ?? input.template.name;
  },
  intro: (input) => [{ kind: "paragraph", tone: "note", text: input.template.guidance }],
  sections: {
    plan_dates: (input) => [
      {
        kind: "fields",
        perRow: 2,
        rows: [
          { label: "School", value: input.schoolName },
          { label: "Dates of plan", value: formatRange(input.plan.startDate, input.plan.endDate) },
          { label: "ECT", value: input.ectName },
          { label: "Term", value: input.plan.term },
          ...(input.plan.reviewDate ? [{ label: "Review date", value: formatDate(input.plan.reviewDate) }] : []),
          ...(input.plan.initialMeetingDate || input.plan.presentAtMeeting
            ? [
                { label: "Date of initial meeting", value: formatDate(input.plan.initialMeetingDate) },
                { label: "Present at initial meeting", value: input.plan.presentAtMeeting },
              ]
            : []),
        ],
      },
    ],
    risk_of_failing: (input) => [
      {
        kind: "fields",
        rows: [
          { label: "Reasons for risk of failing (linked to standards):", value: input.plan.statementOfConcern },
          { label: "Possible reasons for extension to induction:", value: input.plan.possibleExtensionReasons },
        ],
      },
    ],
    targets: (input) => targetsTable(input),
    weeks: (input) => weeksTable(input),
    ab_meeting: (input) => abMeetingBlock(input),
    review: (input) => endOfPlanReview(input, "End of Support Plan Date:"),
    signatures: (input) => signaturesBlock(input, levelSignatureStyle),
  },
};
