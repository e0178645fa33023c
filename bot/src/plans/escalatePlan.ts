import * as domain from "@ectsp/shared";
import type { Actor, EscalatePlanInput, Plan } from "@ectsp/shared";
import { commitPlan, notifyChanged, type PlanDeps, type PlanResult } from "./deps.js";

/**
 * Escalates an agreed plan now: it closes with its reason kept on it (the audit records only
 * that a reason was kept, and its digest), and its successor opens a level up. The tutor, the AB
 * (and from Level 4 the head) are alerted; the alert card carries the reason from the plan.
 */
export async function escalatePlan(deps: PlanDeps, actor: Actor, planId: string, input: EscalatePlanInput): Promise<PlanResult & { successor: Plan }> {
  const { service } = deps;
  const { plan, ectCtx } = await service.planFor(actor, planId);
  const result = domain.escalatePlan(service.context(actor), ectCtx, plan, input);
  const closed = await commitPlan(deps, result);
  notifyChanged(deps, plan, closed);
  return { plan: closed, ectCtx, successor: result.successor };
}
