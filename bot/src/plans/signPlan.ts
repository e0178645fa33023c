import * as domain from "@ectsp/shared";
import type { Actor, SignPlanInput, SignatureMethod, SignerRole } from "@ectsp/shared";
import { notifyChanged, type PlanDeps, type PlanResult } from "./deps.js";

/**
 * A signer signs the version they read, from the tab or from a card: the same use case, told
 * how (the caller never chooses the method; the route says "tab", the card action "card").
 * The domain checks the roster gives them the role, that the plan was sent for signature and
 * that the version is still the one asked for (else a conflict naming the current revision),
 * and seals the signature. A signature is not about what the signer saw of other fields, so a
 * write landing in between is applied again rather than refused.
 */
export async function signPlan(
  deps: PlanDeps,
  actor: Actor,
  planId: string,
  input: SignPlanInput,
  method: SignatureMethod,
): Promise<PlanResult & { alreadySigned: boolean; signedRoles: SignerRole[] }> {
  const { service } = deps;
  const result = await service.withRetry(actor, planId, (plan, ectCtx) => domain.signPlan(service.context(actor), ectCtx, plan, input, method));
  notifyChanged(deps, result.before, result.plan);
  return { plan: result.plan, ectCtx: result.ectCtx, alreadySigned: result.alreadySigned, signedRoles: result.signedRoles };
}
