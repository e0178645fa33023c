import { ReturnRecordInput, returnRecord, type Person } from "@ectsp/shared";
import { chainViewAfter, commitRecordWrites, loadEctRecords, type RecordDeps } from "./recordDeps.js";

/**
 * An AB officer returns the current revision to the school (POST
 * /api/ects/{ectId}/records/{recordId}/returns): load → authorise → decide (returnRecord) →
 * commit with audit → notify (the induction tutor and leads, through the outbox). Two officers
 * returning the same revision at once: the second is refused (one return id per revision).
 */
export async function returnInductionRecord(deps: RecordDeps, actor: Person, ectId: string, recordId: string, body: unknown) {
  const { ectCtx, records } = await loadEctRecords(deps, actor, ectId);
  const input = ReturnRecordInput.parse(body);
  const result = returnRecord(deps.service.context(actor), ectCtx, records, recordId, input);
  await commitRecordWrites(deps, result, "Another officer returned this revision at the same moment.");
  return { returned: result.returned, chain: chainViewAfter(actor, ectCtx, [...records, ...result.records], recordId) };
}
