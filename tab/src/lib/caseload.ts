import { summaryStage } from "@shared/planStates";
import { compareCaseloadRows } from "@shared/model/caseloadOrder";
import type { CaseloadRow } from "./types";

type RowPlan = NonNullable<CaseloadRow["plan"]>;
interface Progress {
  signed: number;
  of: number;
  amendment: boolean;
}

/**
 * How many signed of how many, when the row carries it: the server's `signatureProgress`, or a
 * summary's `awaitingSignatures` object ({signed, of, amendment}, kept by the store beside it).
 * The row's `awaitingSignatures` is otherwise the count of signatures missing.
 */
export function rowProgress(plan: RowPlan): Progress | undefined {
  const { signatureProgress, awaitingSignatures } = plan as { signatureProgress?: unknown; awaitingSignatures?: unknown };
  for (const p of [signatureProgress, awaitingSignatures]) if (p && typeof p === "object" && "signed" in p && "of" in p) return p as Progress;
  return undefined;
}

/**
 * "Awaiting signatures (1 of 3)", "Active · amendment awaiting signatures (0 of 2)", "Draft"…: the
 * server's `stage` (planStage), else the shared summaryStage from the progress, else the status.
 */
export function rowStage(plan: RowPlan): string {
  if (plan.stage) return plan.stage;
  const progress = rowProgress(plan);
  return summaryStage({ status: plan.status, ...(progress && plan.status !== "closed" ? { awaitingSignatures: progress } : {}) });
}

/** Signatures still awaited on the row's plan (0 when none, or closed). */
export function signaturesAwaited(plan: RowPlan): number {
  if (plan.status === "closed") return 0;
  const progress = rowProgress(plan);
  if (progress) return progress.of - progress.signed;
  const n = (plan as { awaitingSignatures?: unknown }).awaitingSignatures;
  return typeof n === "number" ? n : 0;
}

export type SortKey = "level" | "name" | "review" | "school";

/** The stat tiles over the caseload, each also a filter of the list ("all" clears it). */
export type CaseloadTile = "all" | "on_plan" | "level_4_up" | "attention";

export interface CaseloadFilter {
  text: string;
  level: string; // "all" | "none" | "1".."6" | "itt"
  status: string; // "all" | PlanStatus | "none"
  /** "all" or a school's id: the AB's caseload spans schools. */
  school: string;
  tile: CaseloadTile;
}

export const emptyFilter: CaseloadFilter = { text: "", level: "all", status: "all", school: "all", tile: "all" };

const openLevel = (r: CaseloadRow) => (r.plan && r.plan.status !== "closed" ? (r.plan.level ?? 0) : -1);

/** The server's reasons when the row carries them; else (an older server) the counts it had. */
export function needsAttention(r: CaseloadRow): boolean {
  if (r.attention) return r.attention.length > 0;
  return !!r.plan && r.plan.status !== "closed" && (r.plan.overdueCheckIns > 0 || signaturesAwaited(r.plan) > 0);
}

export const tileMatches: Record<CaseloadTile, (r: CaseloadRow) => boolean> = {
  all: () => true,
  on_plan: (r) => !!r.plan && r.plan.status !== "closed",
  level_4_up: (r) => openLevel(r) >= 4,
  attention: needsAttention,
};

export function filterRows(rows: CaseloadRow[], f: CaseloadFilter): CaseloadRow[] {
  const text = f.text.trim().toLowerCase();
  return rows.filter((r) => {
    if (text && !`${r.ectName} ${r.schoolName} ${r.mentorName ?? ""} ${r.inductionTutorName ?? ""}`.toLowerCase().includes(text)) return false;
    const open = r.plan && r.plan.status !== "closed" ? r.plan : undefined;
    if (f.level === "none" && open) return false;
    if (f.level === "itt" && open?.templateId !== "itt_early_support") return false;
    if (/^\d$/.test(f.level) && open?.level !== Number(f.level)) return false;
    if (f.status === "none" && r.plan) return false;
    if (f.status !== "all" && f.status !== "none" && r.plan?.status !== f.status) return false;
    if (f.school !== "all" && r.schoolId !== f.school) return false;
    return tileMatches[f.tile](r);
  });
}

export function sortRows(rows: CaseloadRow[], key: SortKey): CaseloadRow[] {
  const byName = (a: CaseloadRow, b: CaseloadRow) => a.ectName.localeCompare(b.ectName);
  const cmp: Record<SortKey, (a: CaseloadRow, b: CaseloadRow) => number> = {
    // The server's order (shared): Levels 5 → 2 first, then overdue reviews, then name.
    level: compareCaseloadRows,
    name: byName,
    review: (a, b) => (a.plan?.nextReviewDate ?? "9999").localeCompare(b.plan?.nextReviewDate ?? "9999") || byName(a, b),
    school: (a, b) => a.schoolName.localeCompare(b.schoolName) || byName(a, b),
  };
  return [...rows].sort(cmp[key]);
}
