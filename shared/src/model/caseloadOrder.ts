import type { CaseloadRow } from "./caseload.js";

// Zod-free on purpose: the tab imports this from source and ships without zod (tab/vite.config.ts).

type RankedRow = Pick<CaseloadRow, "ectName" | "plan" | "attention">;

/**
 * Where a row sits in the caseload: Levels 5, 4, 3, 2 first (most serious first), then Level 6
 * (capability, run by HR), Level 1, an open plan off the ladder (ITT), and last no open plan.
 */
export function caseloadRank(row: Pick<CaseloadRow, "plan">): number {
  const p = row.plan;
  if (!p || p.status === "closed") return 8;
  if (p.level === undefined) return 7;
  if (p.level >= 2 && p.level <= 5) return 5 - p.level; // 5→0 … 2→3
  return p.level === 6 ? 5 : 6;
}

const reviewOverdue = (row: RankedRow) => (row.attention ?? []).some((r) => r.kind === "review_due" && r.overdue);

/** The caseload's order, for every view of it: rank, then overdue reviews first, then name. */
export const compareCaseloadRows = (a: RankedRow, b: RankedRow): number =>
  caseloadRank(a) - caseloadRank(b) || Number(reviewOverdue(b)) - Number(reviewOverdue(a)) || a.ectName.localeCompare(b.ectName);
