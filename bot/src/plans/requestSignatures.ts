import * as domain from "@ectsp/shared";
import type { Actor, RequestSignaturesInput } from "@ectsp/shared";
import { commitPlan, notifyChanged, type PlanDeps, type PlanResult } from "./deps.js";

/**
 * The lead sends the plan (or its amendment) for signature: the plan becomes "awaiting
 * signatures (n of m)" and each signer who has not signed gets a card. Asking again for the same
 * version only reminds (`reminder` says which it was), at most once a day (`alreadyAskedToday`:
 * nothing was sent this time).
 */
export async function requestSignatures(
  deps: PlanDeps,
  actor: Actor,
  planId: string,
  input: RequestSignaturesInput = {},
): Promise<PlanResult & { reminder: boolean; alreadyAskedToday: boolean }> {
  const { service } = deps;
  const { plan, ectCtx } = await service.planFor(actor, planId);
  const result = domain.requestSignatures(service.context(actor), ectCtx, plan, input);
  const saved = await commitPlan(deps, result);
  notifyChanged(deps, plan, saved);
  return { plan: saved, ectCtx, reminder: result.reminder, alreadyAskedToday: result.alreadyAskedToday };
}
