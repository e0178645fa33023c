import { summaryStage } from "@shared/planStates";
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

export interface CaseloadFilter {
  text: string;
  level: string; // "all" | "none" | "1".."6" | "itt"
  status: string; // "all" | PlanStatus | "none"
  attention: boolean;
}

export const emptyFilter: CaseloadFilter = { text: "", level: "all", status: "all", attention: false };

const openLevel = (r: CaseloadRow) => (r.plan && r.plan.status !== "closed" ? (r.plan.level ?? 0) : -1);

export function needsAttention(r: CaseloadRow): boolean {
  return !!r.plan && r.plan.status !== "closed" && (r.plan.overdueCheckIns > 0 || signaturesAwaited(r.plan) > 0);
}

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
    if (f.attention && !needsAttention(r)) return false;
    return true;
  });
}

export function sortRows(rows: CaseloadRow[], key: SortKey): CaseloadRow[] {
  const byName = (a: CaseloadRow, b: CaseloadRow) => a.ectName.localeCompare(b.ectName);
  const cmp: Record<SortKey, (a: CaseloadRow, b: CaseloadRow) => number> = {
    level: (a, b) => openLevel(b) - openLevel(a) || byName(a, b),
    name: byName,
    review: (a, b) => (a.plan?.nextReviewDate ?? "9999").localeCompare(b.plan?.nextReviewDate ?? "9999") || byName(a, b),
    school: (a, b) => a.schoolName.localeCompare(b.schoolName) || byName(a, b),
  };
  return [...rows].sort(cmp[key]);
}

/** The AB's order: Levels 2–5 first (most serious first), then Level 6, Level 1, then no open plan. */
export function abRank(r: CaseloadRow): number {
  const l = openLevel(r);
  if (l >= 2 && l <= 5) return 10 - l; // 5→5, 4→6, 3→7, 2→8
  if (l === 6) return 20;
  if (l === 1) return 21;
  if (l === 0) return 22; // open plan outside the ladder (ITT)
  return 30;
}

export function abGroupTitle(r: CaseloadRow, levelName: (l: number) => string): string {
  const l = openLevel(r);
  if (l >= 1) return `Level ${l} – ${levelName(l)}`;
  if (l === 0) return "ITT early support";
  return "No open plan";
}

export interface Group {
  title: string;
  subgroups: { title: string; rows: CaseloadRow[] }[];
}

/** AB view: one group per school, within it one subgroup per level, Levels 2–5 first. */
export function groupForAb(rows: CaseloadRow[], levelName: (l: number) => string): Group[] {
  const schools = new Map<string, CaseloadRow[]>();
  for (const r of rows) schools.set(r.schoolName, [...(schools.get(r.schoolName) ?? []), r]);
  return [...schools.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([school, list]) => {
      const sorted = [...list].sort((a, b) => abRank(a) - abRank(b) || a.ectName.localeCompare(b.ectName));
      const subgroups: Group["subgroups"] = [];
      for (const r of sorted) {
        const title = abGroupTitle(r, levelName);
        const last = subgroups.at(-1);
        if (last?.title === title) last.rows.push(r);
        else subgroups.push({ title, rows: [r] });
      }
      return { title: school, subgroups };
    });
}
