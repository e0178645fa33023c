import { reviseRecord, type Person } from "@ectsp/shared";
import { chainViewAfter, commitRecordWrites, loadEctRecords, type RecordDeps } from "./recordDeps.js";

/**
 * The school revises a returned review or assessment (POST
 * /api/ects/{ectId}/records/{recordId}/revisions): load → authorise → decide (reviseRecord: the
 * same checks as recording it, at the same point) → commit with audit → notify (a review not on
 * track tells the AB, as recording one does). Two revisions of one returned revision at once:
 * the second is refused (one id per revision number).
 */
export async function reviseInductionRecord(
  deps: RecordDeps & { planIdsOf: (ectId: string) => Promise<string[]> },
  actor: Person,
  ectId: string,
  recordId: string,
  body: unknown,
) {
  const { ectCtx, records } = await loadEctRecords(deps, actor, ectId);
  const ectPlanIds = await deps.planIdsOf(ectCtx.ect.id);
  const result = reviseRecord(deps.service.context(actor), ectCtx, records, recordId, body, { ectPlanIds });
  await commitRecordWrites(deps, result, "Someone else revised this record at the same moment.");
  return { record: result.record, warnings: result.warnings, chain: chainViewAfter(actor, ectCtx, [...records, ...result.records], recordId) };
}
