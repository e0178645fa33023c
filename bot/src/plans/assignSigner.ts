import * as domain from "@ectsp/shared";
import type { Actor, AssignSignerInput } from "@ectsp/shared";
import { commitPlan, notifyChanged, type PlanDeps, type PlanResult } from "./deps.js";

/**
 * The lead names who signs in a role the roster gives to more than one person. The domain
 * refuses anyone the roster does not give the role (422), the lead themselves and the ECT's own
 * signature (403).
 */
export async function assignSigner(deps: PlanDeps, actor: Actor, planId: string, input: AssignSignerInput): Promise<PlanResult> {
  const { service } = deps;
  const { plan, ectCtx } = await service.planFor(actor, planId);
  const result = domain.assignSigner(service.context(actor), ectCtx, plan, input);
  const saved = await commitPlan(deps, result);
  notifyChanged(deps, plan, saved);
  return { plan: saved, ectCtx };
}
