import { SignRecordInput, signRecord, type Person } from "@ectsp/shared";
import { chainViewAfter, commitRecordWrites, loadEctRecords, type RecordDeps } from "./recordDeps.js";

/**
 * A required signer signs the current revision of a review or assessment (POST
 * /api/ects/{ectId}/records/{recordId}/signatures): load → authorise → decide (signRecord) →
 * commit with audit → notify (the AB's officers, through the outbox, once everyone has signed).
 *
 * Remaining window: a return landing between this load and the commit is not seen, so a
 * signature can be appended to a revision just returned; it stays on that revision (shown, and
 * superseded by the revision that follows), it never counts for the next one.
 */
export async function signInductionRecord(deps: RecordDeps, actor: Person, ectId: string, recordId: string, body: unknown) {
  const { ectCtx, records } = await loadEctRecords(deps, actor, ectId);
  const input = SignRecordInput.parse(body ?? {});
  const result = signRecord(deps.service.context(actor), ectCtx, records, recordId, input);
  await commitRecordWrites(deps, result, "Someone signed this revision in the same role at the same moment.");
  return { signatures: result.signatures, chain: chainViewAfter(actor, ectCtx, [...records, ...result.records], recordId) };
}
