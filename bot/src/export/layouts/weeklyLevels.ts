import type { WeekRow } from "@ectsp/shared";
import type { Block, TableRow } from "../model.js";
import type { ExportInput } from "../input.js";
import type { Layout } from "./common.js";
import { endOfPlanReview, evidenceLines, EVIDENCE_LABEL, levelSignatures, show, targetsTable } from "./common.js";
import { formatDate, formatDateTime, formatRange, standardsCell } from "../format.js";

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

/** "Date of meeting with AB, ECT, Mentor and Induction Tutor", its outline and outcome (Levels 4–5), once per AB meeting. */
export function abMeetingBlock(input: ExportInput): Block[] {
  const meetings = input.plan.meetings.filter((m) => m.kind === "ab");
  const list = meetings.length > 0 ? meetings : [undefined];
  return list.map((m) => ({
    kind: "fields" as const,
    rows: [
      // Who came is part of the meeting's date line: the form has no line of its own for it.
      {
        label: "Date of meeting with AB, ECT, Mentor and Induction Tutor",
        value: [formatDate(m?.date), m?.attendees ? `Present: ${m.attendees}` : ""].filter(Boolean).join("\n"),
      },
      { label: "Outline of meeting:", value: m?.outline ?? "" },
      { label: "Outcome:", value: m?.outcome ?? "" },
    ],
  }));
}

/**
 * Level 5's reasons for risk of failing, linked to standards. Its form has no objectives table:
 * the objectives a Level 5 plan holds (carried from Level 4, each with its standards) are the
 * standards-linked reasons, listed after the statement with their evidence.
 */
function riskOfFailing(input: ExportInput): Block[] {
  const objectives = input.plan.targets.map((t) =>
    [standardsCell(t.standards), t.text, ...evidenceLines(input, t.id).map((e) => `${EVIDENCE_LABEL} ${e}`)].filter((x) => x.trim() !== "").join("\n"),
  );
  return [
    {
      kind: "fields",
      rows: [
        {
          label: "Reasons for risk of failing (linked to standards):",
          value: [input.plan.statementOfConcern, ...objectives].filter((x) => x.trim() !== "").join("\n\n"),
        },
        { label: "Possible reasons for extension to induction:", value: input.plan.possibleExtensionReasons },
      ],
    },
  ];
}

const titles: Record<number, string> = {
  2: "Level 2 – Support Plan 1",
  3: "Level 3 – Support Plan 2",
  4: "Level 4 – Cause for Concern",
  5: "Level 5 – Risk of Failing",
};

/**
 * Seed 003, Levels 2–5: school, ECT, dates and term; the objectives (not at Level 5, whose form
 * has the reasons for risk of failing instead); weeks 1–6 with the ECT's comment on progress; at
 * Levels 4–5 the AB meeting; then the end-of-plan review.
 */
export const weeklyLevelsLayout: Layout = {
  templates: ["level_2", "level_3", "level_4", "level_5"],
  orientation: "landscape",
  title: (input) => titles[input.template.level ?? 0] ?? input.template.name,
  recordFacts: (input) => [
    { label: "Plan review date", value: formatDate(input.plan.reviewDate) },
    { label: "Date of initial meeting", value: formatDate(input.plan.initialMeetingDate) },
    { label: "Present at initial meeting", value: input.plan.presentAtMeeting },
  ],
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
        ],
      },
    ],
    risk_of_failing: (input) => riskOfFailing(input),
    targets: (input) =>
      input.template.level === 5 ? [] : targetsTable(input, [{ label: "Objectives (linked to Teachers’ Standards)", value: show.standardsAndText }]),
    weeks: (input) => weeksTable(input),
    ab_meeting: (input) => abMeetingBlock(input),
    review: (input) => endOfPlanReview(input, "End of Support Plan Date:"),
    signatures: (input) => levelSignatures(input),
  },
};
