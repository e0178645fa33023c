import type { InductionRecord, RecordSignerRole } from "../model/inductionRecords.js";
import { conflict, notFound } from "../errors.js";
import { recordChain, type RecordChain, type ReviewOrAssessment } from "../recordLifecycle.js";

/** Shared by signRecord, returnRecord and reviseRecord: find the chain, insist on its current revision. */

export const signerRoleLabels: Record<RecordSignerRole, string> = { ect: "the ECT", induction_tutor: "the induction tutor", head: "the headteacher" };

/** "Progress review 1 (Autumn 2026)", or the kind when the record has no point. */
export const recordLabel = (r: ReviewOrAssessment) =>
  r.due?.label ?? (r.kind === "progress_review" ? "Progress review" : r.assessment.number === 2 ? "Final assessment" : "Formal assessment 1");

/** The chain the record id belongs to (any revision), or 404. */
export function chainOf(records: readonly InductionRecord[], recordId: string): RecordChain {
  const chain = recordChain(records, recordId);
  if (!chain) throw notFound("That progress review or formal assessment");
  return chain;
}

/** 409 naming the current revision when the caller acted on an earlier one (or on one that moved on meanwhile). */
export function requireCurrentRevision(chain: RecordChain, recordId: string, doing: string): void {
  if (chain.current.id === recordId) return;
  const earlier = chain.earlier.find((r) => r.id === recordId);
  throw conflict(
    `You cannot ${doing} revision ${earlier?.revision ?? "?"}: revision ${chain.current.revision} is the current one. Reload to see it. Nothing was changed.`,
    { currentRecordId: chain.current.id, currentRevision: chain.current.revision },
  );
}
