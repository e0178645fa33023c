import {
  auditEntry,
  forbidden,
  mayExportRecord,
  notFound,
  recordChain,
  recordKindTitle,
  templateById,
  type Actor,
  type EctContext,
  type InductionRecord,
  type PlanSummary,
} from "@ectsp/shared";
import type { PlanService } from "../app/planService.js";
import type { InductionRecordStore } from "../app/inductionRecords.js";
import { recordExportInputFrom, type RecordExportInput } from "../export/records/input.js";
import { buildRecordDocument, renderRecordDocument, type ExportedRecordFile, type RecordExportFormat } from "../export/records/document.js";

/** What the record exports read: the application layer (ECTs, plans, the commit) and the induction records. */
export interface RecordExportDeps {
  service: PlanService;
  records: Pick<InductionRecordStore, "listRecords">;
}

export const formatNames: Record<RecordExportFormat, string> = { docx: "Word", pdf: "PDF" };

/** A plan named as its form: "Level 4 – Cause for concern", for the review that links to it. */
export const planNameOf = (p: Pick<PlanSummary, "id" | "templateId">) => ({ id: p.id, name: templateById(p.templateId).name });

/**
 * The export input for one revision of a review or assessment of this ECT, or 404: an unknown
 * id, a record of another ECT (only this ECT's records are read) and a concern (private, never
 * exported here) are all simply not found.
 */
export async function recordExportInput(
  deps: RecordExportDeps,
  actor: Actor,
  ectCtx: EctContext,
  recordId: string,
  all?: readonly InductionRecord[],
): Promise<RecordExportInput> {
  const records = all ?? (await deps.records.listRecords({ ectIds: [ectCtx.ect.id] }));
  const chain = recordChain(
    records.filter((r) => r.ectId === ectCtx.ect.id),
    recordId,
  );
  const record = chain && [chain.current, ...chain.earlier].find((r) => r.id === recordId);
  if (!chain || !record) throw notFound("That review or assessment");
  const linked = record.kind === "progress_review" ? record.review.supportPlanId : undefined;
  const plan = linked ? (await deps.service.planSummariesOf(ectCtx.ect.id)).find((p) => p.id === linked) : undefined;
  return recordExportInputFrom(record, chain, ectCtx, deps.service.now(), actor.displayName, plan ? planNameOf(plan) : undefined);
}

/**
 * Anyone who may read the ECT's induction records downloads a progress review or formal
 * assessment as the AB's form (Word or PDF). Load → authorise → build → audit (who took which
 * revision, without content) → only then hand the copy over.
 */
export async function exportRecord(
  deps: RecordExportDeps,
  actor: Actor,
  ectId: string,
  recordId: string,
  format: RecordExportFormat,
): Promise<ExportedRecordFile> {
  const { service } = deps;
  const ectCtx = await service.ectContext(ectId);
  // Refused before anything about the record is read: a stranger learns nothing of what exists.
  if (!mayExportRecord(actor, ectCtx.ect))
    throw forbidden("You can only download records of ECTs you support, your school's ECTs if you lead it, or the ECTs your appropriate body covers.");
  const input = await recordExportInput(deps, actor, ectCtx, recordId);
  const file = await renderRecordDocument(buildRecordDocument(input), format);
  const { record } = input;
  const what = `${recordKindTitle(record).toLowerCase()}${record.due ? ` (${record.due.term})` : ""}`;
  await service.commit({
    audit: [
      auditEntry(service.context(actor), "exportRecord", ectCtx.ect, undefined, `Downloaded ${what}, revision ${record.revision}, as ${formatNames[format]}`),
    ],
  });
  return file;
}
