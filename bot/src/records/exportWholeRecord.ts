import {
  auditEntry,
  forbidden,
  mayExportWholeRecord,
  recordKindTitle,
  schoolDate,
  wholeRecordParts,
  wholeRecordRefusal,
  type Actor,
  type Plan,
} from "@ectsp/shared";
import { buildDocument, exportInputFrom, renderPdf, type ExportedFile } from "../export/index.js";
import { bundleDocuments, type BundlePart } from "../export/records/bundle.js";
import { buildRecordDocument } from "../export/records/document.js";
import { recordExportInput, type RecordExportDeps } from "./exportRecord.js";

export const WHOLE_RECORD_TITLE = "Induction record";

/** A plan is filed under the day it started (or, before it started, the day it was written). */
const planDate = (p: Pick<Plan, "startDate" | "createdAt">) => p.startDate ?? schoolDate(p.createdAt);

/**
 * The ECT's whole induction record as one PDF, for the AB or for a new school: every support
 * plan (as its school's form, with its certificate) and every progress review and formal
 * assessment (the current revision, earlier ones noted), in date order, after a contents page.
 * Who: the AB's officers, the school's induction lead and head, and the ECT themselves.
 */
export async function exportWholeRecord(deps: RecordExportDeps, actor: Actor, ectId: string): Promise<ExportedFile> {
  const { service } = deps;
  const ectCtx = await service.ectContext(ectId);
  if (!mayExportWholeRecord(actor, ectCtx.ect)) throw forbidden(wholeRecordRefusal);
  const [summaries, records] = await Promise.all([service.planSummariesOf(ectCtx.ect.id), deps.records.listRecords({ ectIds: [ectCtx.ect.id] })]);
  // Each plan is read as the plan export reads it (the same permission check, the same form).
  const plans = await Promise.all(summaries.map(async (s) => (await service.planFor(actor, s.id)).plan));
  const byId = new Map(plans.map((p) => [p.id, p]));
  const now = service.now();

  const parts: BundlePart[] = [];
  for (const part of wholeRecordParts(
    plans.map((p) => ({ id: p.id, date: planDate(p) })),
    records.filter((r) => r.ectId === ectCtx.ect.id),
  )) {
    if (part.kind === "plan") {
      const plan = byId.get(part.planId)!;
      let head: { seq: number; hash: string } | undefined;
      for (const e of await service.auditOf(plan.id)) if (e.seq !== undefined && e.hash && (!head || e.seq > head.seq)) head = { seq: e.seq, hash: e.hash };
      // Each plan lists its evidence under its targets, as its own export does.
      const evidence = await service.evidenceOf(plan.id);
      parts.push({ document: buildDocument(exportInputFrom(plan, ectCtx, now, head, evidence)), date: part.date, kind: "Support plan" });
    } else {
      const input = await recordExportInput(deps, actor, ectCtx, part.recordId, records);
      parts.push({ document: buildRecordDocument(input), date: part.date, kind: recordKindTitle(input.record) });
    }
  }
  const model = bundleDocuments(
    { title: WHOLE_RECORD_TITLE, ectName: ectCtx.ectPerson.displayName, schoolName: ectCtx.school.name, exportedAt: now, exportedByName: actor.displayName },
    parts,
  );
  const body = await renderPdf(model);
  const reviews = parts.length - plans.length;
  await service.commit({
    audit: [
      auditEntry(
        service.context(actor),
        "exportWholeRecord",
        ectCtx.ect,
        undefined,
        `Downloaded the whole induction record as PDF (${plans.length} support plan(s), ${reviews} review(s) and assessment(s))`,
      ),
    ],
  });
  return { body, fileName: `${model.fileBaseName}-${schoolDate(now)}.pdf`, contentType: "application/pdf" };
}
