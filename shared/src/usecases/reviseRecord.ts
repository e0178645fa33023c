import { z } from "zod";
import type { FormalAssessmentRecord, InductionRecord, ProgressReviewRecord } from "../model/inductionRecords.js";
import { conflict, forbidden, validationFailed, type Violation } from "../errors.js";
import { relationshipsTo } from "../permissions.js";
import type { RatingScale } from "../ratings.js";
import { recordedPoints } from "../reviewPoints.js";
import { auditEntry, type EctContext, type UseCaseContext } from "./context.js";
import type { RecordWrites } from "./recordAccess.js";
import { chainOf, recordLabel, requireCurrentRevision } from "./recordChainAccess.js";
import { RecordFormalAssessmentInput, recordFormalAssessment } from "./recordFormalAssessment.js";
import { RecordProgressReviewInput, recordProgressReview } from "./recordProgressReview.js";

/** The body of a revision: the same input as the record's own kind (a review, or an assessment). */
export const ReviseRecordInput = z.union([RecordProgressReviewInput, RecordFormalAssessmentInput]);

/** Revision ids follow the chain's first record, so two revisions of one revision racing are refused by the store. */
export const revisionId = (rootId: string, revision: number) => `${rootId}.r${revision}`;

/**
 * The school revises a review or assessment the AB returned: the same checks as recording it,
 * at the SAME review point, as a new record (revision + 1, `revises` the returned one) that needs
 * fresh signatures. The earlier revision, its signatures and the return stay as they were.
 *
 * Only a returned revision is revised (409 otherwise): signatures seal the content, and the AB's
 * return is the one way to reopen a record — a tutor who spots a mistake before the AB has seen
 * it asks the AB to return it, so nobody's signature is silently voided. Who may revise is who may
 * record that kind: tutor, head or lead for a review; tutor or head for an assessment.
 */
export function reviseRecord(
  ctx: UseCaseContext,
  ectCtx: EctContext,
  records: readonly InductionRecord[],
  recordId: string,
  body: unknown,
  options: { scale?: RatingScale; ectPlanIds?: readonly string[] } = {},
): RecordWrites & { record: ProgressReviewRecord | FormalAssessmentRecord; warnings: Violation[] } {
  const chain = chainOf(records, recordId);
  const current = chain.current;
  const rel = relationshipsTo(ctx.actor, ectCtx.ect);
  const mayWrite =
    current.kind === "progress_review"
      ? rel.has("induction_tutor") || rel.has("head") || rel.has("induction_lead")
      : rel.has("induction_tutor") || rel.has("head");
  if (!mayWrite) {
    throw forbidden(
      current.kind === "progress_review"
        ? "Only the ECT's induction tutor, the headteacher or the induction lead can revise a progress review."
        : "Only the headteacher or the ECT's induction tutor can revise a formal assessment.",
    );
  }
  requireCurrentRevision(chain, recordId, "revise");
  if (chain.status !== "returned") {
    throw conflict("Amend a review or assessment only after the appropriate body returns it: this revision has not been returned. Nothing was changed.");
  }
  // The point stays answered by this chain only: the revision must not be refused as its own duplicate.
  const others = records.filter((r) => r.id !== current.id);
  const opts = { recorded: recordedPoints(others), ...(options.scale ? { scale: options.scale } : {}) };
  const made =
    current.kind === "progress_review"
      ? recordProgressReview(ctx, ectCtx, RecordProgressReviewInput.parse(body), { ...opts, ...(options.ectPlanIds ? { ectPlanIds: options.ectPlanIds } : {}) })
      : { ...recordFormalAssessment(ctx, ectCtx, RecordFormalAssessmentInput.parse(body), opts), warnings: [] as Violation[] };
  if (made.record.due?.date !== current.due?.date) {
    const message = `A revision answers the same review point as the record returned (${recordLabel(current)}): date it in ${current.due?.term ?? "the same term"}.`;
    throw validationFailed([{ path: "date", code: "revision-moves-point", message, severity: "error" }], `${message} Nothing was saved.`);
  }
  const rootId = (chain.earlier[0] ?? current).id;
  const id = revisionId(rootId, current.revision + 1);
  const record = { ...made.record, id, revision: current.revision + 1, revises: current.id } as ProgressReviewRecord | FormalAssessmentRecord;
  const lastReturn = chain.returns.at(-1)!;
  return {
    record,
    warnings: made.warnings,
    records: [record],
    audit: [
      auditEntry(
        ctx,
        "reviseRecord",
        ectCtx.ect,
        undefined,
        `Revised ${recordLabel(current)} after the appropriate body returned it on ${lastReturn.recordedAt.slice(0, 10)} (revision ${record.revision})`,
      ),
    ],
    outbox: (made.outbox ?? []).map((m) => ({
      ...m,
      dedupeKey: m.dedupeKey.replace(made.record.id, id),
      data: { ...m.data, recordId: id },
    })),
  };
}
