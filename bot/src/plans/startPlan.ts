import * as domain from "@ectsp/shared";
import type { Actor } from "@ectsp/shared";
import { commitPlan, notifyChanged, type PlanDeps, type PlanResult } from "./deps.js";

/** The lead starts an agreed plan: weekly check-ins begin from here. */
export async function startPlan(deps: PlanDeps, actor: Actor, planId: string): Promise<PlanResult> {
  const { service } = deps;
  const { plan, ectCtx } = await service.planFor(actor, planId);
  const result = domain.startPlan(service.context(actor), ectCtx, plan);
  const saved = await commitPlan(deps, result);
  notifyChanged(deps, plan, saved);
  return { plan: saved, ectCtx };
}
