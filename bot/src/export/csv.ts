import { summaryStage, templateById, type CaseloadRow } from "@ectsp/shared";

/**
 * The latest progress review or formal assessment: the lowest rating given and whether the ECT
 * is on track, e.g. "Lowest: Attention needed; not on track (progress review, 2026-12-10)".
 * Empty for an ECT with nothing recorded yet.
 */
export const lastRatingColumn = "Last rating";

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
export function caseloadCsv(rows: readonly CaseloadRow[], lastRatings: ReadonlyMap<string, string> = new Map()): string {
  const lines = [caseloadCsvColumns.map(csvCell).join(",")];
  for (const row of rows) {
    const open = row.plan && row.plan.status !== "closed";
    lines.push(
      [
        row.ectName,
        row.schoolName,
        levelOf(row),
        row.plan ? summaryStage({ status: row.plan.status }) : "No plan",
        open ? (row.plan?.nextReviewDate ?? "") : "",
        lastRatings.get(row.ectId) ?? "",
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}
