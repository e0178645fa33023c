import { auditEntry, type Actor } from "@ectsp/shared";
import { exportInputFrom, exportPlan as documentOf, type ExportFormat, type ExportedFile } from "../export/index.js";
import type { PlanDeps } from "./deps.js";

const formatNames: Record<ExportFormat, string> = { docx: "Word", pdf: "PDF" };

/**
 * Anyone who may read the plan downloads it as the school's form (the document itself comes
 * from bot/src/export). Who took a copy of which version goes on the audit trail, as a fact
 * without content; the copy is only handed over once that is recorded.
 */
export async function exportPlan(deps: PlanDeps, actor: Actor, planId: string, format: ExportFormat): Promise<ExportedFile> {
  const { service } = deps;
  const { plan, ectCtx } = await service.planFor(actor, planId);
  // The head of the plan's audit chain is printed on the certificate: an anchor outside the store.
  let head: { seq: number; hash: string } | undefined;
  for (const e of await service.auditOf(plan.id)) if (e.seq !== undefined && e.hash && (!head || e.seq > head.seq)) head = { seq: e.seq, hash: e.hash };
  // Evidence is listed under its target, as the plan's evidence list shows it to the same readers.
  const evidence = await service.evidenceOf(plan.id);
  const file = await documentOf(exportInputFrom(plan, ectCtx, service.now(), head, evidence), format);
  await service.commit({
    audit: [
      auditEntry(
        service.context(actor),
        "exportPlan",
        ectCtx.ect,
        plan,
        `Downloaded as ${formatNames[format]} (version ${plan.version}, agreed version ${plan.revision})`,
      ),
    ],
  });
  return file;
}
