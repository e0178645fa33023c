import type { Plan } from "../model/plan.js";
import type { NewOutboxMessage } from "../model/records.js";
import { blockingViolations, validatePlan } from "../rules.js";
import { invalidState, validationFailed } from "../errors.js";
import { signerLabels } from "../templates.js";
import { auditEntry, isoToday, requireCan, type EctContext, type PlanWrites, type UseCaseContext } from "./context.js";
import { missingSigners } from "./signers.js";

/**
 * The lead says the plan is ready: everything the form needs is filled in, so each signer who
 * has not signed this revision gets a card. Asking twice sends once per revision.
 */
export function requestSignatures(ctx: UseCaseContext, ectCtx: EctContext, plan: Plan): PlanWrites {
  requireCan(ctx, "request_signatures", ectCtx.ect, plan);
  const blocking = blockingViolations(validatePlan(plan, { today: isoToday(ctx), ect: ectCtx.ect }), "agree");
  if (blocking.length > 0) throw validationFailed(blocking, "Finish the plan before asking for signatures");
  const missing = missingSigners(plan);
  const unassigned = missing.filter((s) => !s.personId);
  if (unassigned.length > 0) {
    throw invalidState(`Choose who signs as ${unassigned.map((s) => signerLabels[s.role]).join(", ")} before asking for signatures.`);
  }
  if (missing.length === 0) throw invalidState("Everyone has already signed this version of the plan.");
  const outbox: NewOutboxMessage[] = missing.map((s) => ({
    kind: "sign_request",
    recipientId: s.personId as string,
    planId: plan.id,
    ectId: plan.ectId,
    dedupeKey: `sign:${plan.id}:${plan.revision}:${s.role}`,
    data: { role: s.role, revision: plan.revision },
  }));
  return {
    audit: [
      auditEntry(ctx, "requestSignatures", ectCtx.ect, plan, `Asked ${missing.map((s) => signerLabels[s.role]).join(", ")} to sign revision ${plan.revision}`),
    ],
    outbox,
  };
}
