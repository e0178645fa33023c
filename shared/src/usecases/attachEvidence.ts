import type { EvidenceRecord } from "../model/inductionRecords.js";
import type { Plan } from "../model/plan.js";
import type { AuditEntry } from "../model/records.js";
import { can, relationshipsTo } from "../permissions.js";
import { checkEvidenceFile } from "../evidenceFiles.js";
import { forbidden, invalidState, notFound } from "../errors.js";
import { auditEntry, isoNow, type EctContext, type UseCaseContext } from "./context.js";

/** Who may add evidence to a plan's target: those leading or evaluating it, and the ECT for their own work. */
export function mayAttachEvidence(ctx: UseCaseContext, ectCtx: EctContext, plan: Plan): boolean {
  if (plan.status === "closed") return false;
  return (
    can(ctx.actor, "edit_plan", ectCtx.ect, plan) || can(ctx.actor, "evaluate_week", ectCtx.ect, plan) || relationshipsTo(ctx.actor, ectCtx.ect).has("self")
  );
}

/**
 * Attaches a file to a target: checks the caller, the target and the file itself (type by its
 * bytes, 10 MB, a safe name). Returns the record and its audit entry; the store writes both with
 * the bytes, or nothing.
 */
export function attachEvidence(
  ctx: UseCaseContext,
  ectCtx: EctContext,
  plan: Plan,
  targetId: string,
  /** `zipContentTypes`: a ZIP's [Content_Types].xml, read by the server, so a .docx can be told from any ZIP. */
  file: { bytes: Uint8Array; fileName: string; contentType?: string; sha256: string; zipContentTypes?: string },
): { record: EvidenceRecord; audit: AuditEntry[] } {
  if (!can(ctx.actor, "read_plan", ectCtx.ect, plan)) throw forbidden("You can only add evidence to plans you can see.");
  if (plan.status === "closed") throw invalidState("This plan is closed: its records are kept as they were.");
  if (!mayAttachEvidence(ctx, ectCtx, plan)) throw forbidden("Only the ECT, their mentor or the person leading this plan can add evidence.");
  if (!plan.targets.some((t) => t.id === targetId)) throw notFound("That target");
  const checked = checkEvidenceFile(file.bytes, file.fileName, file.contentType, file.zipContentTypes);
  const record: EvidenceRecord = {
    id: ctx.newId(),
    ectId: plan.ectId,
    planId: plan.id,
    targetId,
    fileName: checked.fileName,
    kind: checked.kind,
    contentType: checked.contentType,
    size: checked.size,
    sha256: file.sha256,
    uploadedAt: isoNow(ctx),
    uploadedBy: ctx.actor.id,
    uploadedByName: ctx.actor.displayName,
  };
  const index = plan.targets.findIndex((t) => t.id === targetId) + 1;
  return {
    record,
    audit: [auditEntry(ctx, "attachEvidence", ectCtx.ect, plan, `Attached evidence to target ${index} (${checked.kind}, ${checked.size} bytes)`)],
  };
}

/** Soft delete: the record and file are kept for retention, hidden from lists and downloads. */
export function deleteEvidence(ctx: UseCaseContext, ectCtx: EctContext, plan: Plan, record: EvidenceRecord): { record: EvidenceRecord; audit: AuditEntry[] } {
  if (!can(ctx.actor, "read_plan", ectCtx.ect, plan) || record.deletedAt) throw notFound("That evidence");
  const lead = can(ctx.actor, "edit_plan", ectCtx.ect, plan);
  if (!lead && record.uploadedBy !== ctx.actor.id) throw forbidden("Only the person who added this evidence or the person leading the plan can remove it.");
  const deleted: EvidenceRecord = { ...record, deletedAt: isoNow(ctx), deletedBy: ctx.actor.id };
  const index = plan.targets.findIndex((t) => t.id === record.targetId) + 1;
  return {
    record: deleted,
    audit: [auditEntry(ctx, "deleteEvidence", ectCtx.ect, plan, `Removed evidence from target ${index || "?"} (kept for the record, hidden from the plan)`)],
  };
}
