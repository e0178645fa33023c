import { z } from "zod";
import { RecordReturn, ReturnReason, type InductionRecord } from "../model/inductionRecords.js";
import { conflict, forbidden } from "../errors.js";
import { relationshipsTo } from "../permissions.js";
import { auditEntry, isoNow, leadsOf, type EctContext, type UseCaseContext } from "./context.js";
import type { RecordWrites } from "./recordAccess.js";
import { chainOf, recordLabel, requireCurrentRevision } from "./recordChainAccess.js";

export const ReturnRecordInput = z.strictObject({
  reasons: z.array(ReturnReason).max(6).default([]),
  comments: RecordReturn.shape.comments,
});
export type ReturnRecordInput = z.infer<typeof ReturnRecordInput>;

/** One return per revision: the id is fixed, so a second officer returning the same revision at once is refused by the store. */
export const returnId = (recordId: string) => `${recordId}.return`;

/**
 * An officer of the ECT's appropriate body returns the current revision of a review or
 * assessment to the school with reasons and comments (as ECT Manager does). Refused: school
 * staff, the ECT, officers of another AB, an earlier revision (409 naming the current one), and a
 * revision already returned and not yet revised. The induction tutor and the induction leads are told.
 */
export function returnRecord(
  ctx: UseCaseContext,
  ectCtx: EctContext,
  records: readonly InductionRecord[],
  recordId: string,
  input: ReturnRecordInput,
): RecordWrites & { returned: RecordReturn } {
  const chain = chainOf(records, recordId);
  if (!relationshipsTo(ctx.actor, ectCtx.ect).has("ab_officer")) {
    throw forbidden("Only an officer of the ECT's appropriate body can return a review or assessment to the school.");
  }
  requireCurrentRevision(chain, recordId, "return");
  if (chain.status === "returned") {
    throw conflict("This revision is already returned to the school and not yet revised. Nothing was changed.", {
      currentRecordId: chain.current.id,
      currentRevision: chain.current.revision,
    });
  }
  const current = chain.current;
  const returned = RecordReturn.parse({
    id: returnId(current.id),
    kind: "record_return",
    ectId: current.ectId,
    schoolId: current.schoolId,
    abId: current.abId,
    recordId: current.id,
    reasons: [...new Set(input.reasons)],
    comments: input.comments,
    recordedAt: isoNow(ctx),
    recordedBy: ctx.actor.id,
    recordedByName: ctx.actor.displayName,
  });
  const label = recordLabel(current);
  const tutorId = ectCtx.ect.inductionTutorId;
  const recipients = [...new Set([...(tutorId ? [tutorId] : []), ...leadsOf(ectCtx).map((p) => p.id)])];
  return {
    returned,
    records: [returned],
    audit: [
      auditEntry(
        ctx,
        "returnRecord",
        ectCtx.ect,
        undefined,
        `Returned ${label} (revision ${current.revision}) to the school; ${returned.reasons.length} reason(s)`,
      ),
    ],
    outbox: recipients.map((recipientId) => ({
      kind: "record_returned" as const,
      recipientId,
      ectId: ectCtx.ect.id,
      dedupeKey: `record-returned:${returned.id}:${recipientId}`,
      data: { recordId: current.id, label, revision: current.revision },
    })),
  };
}
