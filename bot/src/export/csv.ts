import { templateById, type CaseloadRow } from "@ectsp/shared";
import { statusLabels } from "./layouts/common.js";

/**
 * Progress reviews are not recorded in the app yet, so "Last rating" is always empty; the
 * column is there so an AB's import does not change shape when they arrive.
 */
export const lastRatingColumn = "Last rating (empty until progress reviews are recorded in the app)";

export const caseloadCsvColumns = ["ECT", "School", "Level", "Status", "Next review", lastRatingColumn] as const;

/** Spreadsheet formula injection: a cell starting with = + - @ (or a tab/CR) is made inert with a leading quote. */
export function csvCell(value: string): string {
  const inert = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}

function levelOf(row: CaseloadRow): string {
  if (!row.plan) return "";
  return row.plan.level !== undefined ? `Level ${row.plan.level}` : templateById(row.plan.templateId).name;
}

/** The caseload as RFC 4180 CSV (CRLF line ends, quoted where needed), one row per ECT. */
export function caseloadCsv(rows: readonly CaseloadRow[]): string {
  const lines = [caseloadCsvColumns.map(csvCell).join(",")];
  for (const row of rows) {
    const open = row.plan && row.plan.status !== "closed";
    lines.push(
      [
        row.ectName,
        row.schoolName,
        levelOf(row),
        row.plan ? statusLabels[row.plan.status] : "No plan",
        open ? (row.plan?.nextReviewDate ?? "") : "",
        "",
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}
