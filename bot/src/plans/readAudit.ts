import type { Actor, AuditEntry } from "@ectsp/shared";
import type { PlanDeps } from "./deps.js";

/** A plan's audit trail, oldest first, for anyone who may read the plan's history. */
export async function readAudit(deps: PlanDeps, actor: Actor, planId: string): Promise<AuditEntry[]> {
  await deps.service.planFor(actor, planId, "read_audit");
  return deps.service.auditOf(planId);
}
