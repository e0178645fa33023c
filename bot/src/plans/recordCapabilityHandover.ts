import * as domain from "@ectsp/shared";
import type { Actor, RecordCapabilityHandoverInput } from "@ectsp/shared";
import { commitPlan, notifyChanged, type PlanDeps, type PlanResult } from "./deps.js";

/** Level 6: the head records the hand-over to the school's capability procedures, on the plan. */
export async function recordCapabilityHandover(deps: PlanDeps, actor: Actor, planId: string, input: RecordCapabilityHandoverInput): Promise<PlanResult> {
  const { service } = deps;
  const { plan, ectCtx } = await service.planFor(actor, planId);
  const result = domain.recordCapabilityHandover(service.context(actor), ectCtx, plan, input);
  const saved = await commitPlan(deps, result);
  notifyChanged(deps, plan, saved);
  return { plan: saved, ectCtx };
}
