import * as domain from "@ectsp/shared";
import type { Actor, ConcludeReviewInput, Plan } from "@ectsp/shared";
import { commitPlan, notifyChanged, type PlanDeps, type PlanResult } from "./deps.js";

/**
 * The lead ends a reviewed plan: on track closes it; otherwise a successor opens, pre-filled with
 * what was not met. The conclusion's reason is kept on the closed plan.
 */
export async function concludeReview(deps: PlanDeps, actor: Actor, planId: string, input: ConcludeReviewInput): Promise<PlanResult & { successor?: Plan }> {
  const { service } = deps;
  const { plan, ectCtx } = await service.planFor(actor, planId);
  const result = domain.concludeReview(service.context(actor), ectCtx, plan, input);
  const closed = await commitPlan(deps, result);
  notifyChanged(deps, plan, closed);
  return { plan: closed, ectCtx, ...(result.successor ? { successor: result.successor } : {}) };
}
