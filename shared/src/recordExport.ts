import type { InductionRecord } from "./model/inductionRecords.js";
import { recordChains, type ReviewOrAssessment } from "./recordLifecycle.js";

/** The whole record's parts and names (issue 16 item 1), pure. Who may export: recordExportAccess.ts. */

/** The date a review or assessment is dated (not when it was typed in). */
export const recordDateOf = (r: ReviewOrAssessment): string => (r.kind === "progress_review" ? r.review.date : r.assessment.date);

/** "Progress review", "Formal assessment 1", "Final formal assessment": how the AB's forms head each. */
export function recordKindTitle(r: ReviewOrAssessment): string {
  if (r.kind === "progress_review") return "Progress review";
  return r.assessment.number === 2 ? "Final formal assessment" : "Formal assessment 1";
}

/** One part of the whole record, before it is laid out. */
export type WholeRecordPart = { kind: "plan"; planId: string; date: string } | { kind: "record"; recordId: string; date: string };

/**
 * The parts of the whole record in date order: each plan on the date it started (or was created),
 * each review and assessment (its current revision) on its own date. A tie keeps plans first, as
 * a review usually follows the plan it links to; then by id, so the order never changes between copies.
 */
export function wholeRecordParts(plans: readonly { id: string; date: string }[], records: readonly InductionRecord[]): WholeRecordPart[] {
  const parts: WholeRecordPart[] = [
    ...plans.map((p): WholeRecordPart => ({ kind: "plan", planId: p.id, date: p.date })),
    ...recordChains(records).map((c): WholeRecordPart => ({ kind: "record", recordId: c.current.id, date: recordDateOf(c.current) })),
  ];
  const idOf = (p: WholeRecordPart) => (p.kind === "plan" ? p.planId : p.recordId);
  return parts.sort((a, b) => a.date.localeCompare(b.date) || (a.kind === b.kind ? 0 : a.kind === "plan" ? -1 : 1) || idOf(a).localeCompare(idOf(b)));
}
