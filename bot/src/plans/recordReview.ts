import * as domain from "@ectsp/shared";
import type { Actor, RecordReviewInput } from "@ectsp/shared";
import { commitPlan, notifyChanged, type PlanDeps, type PlanResult } from "./deps.js";

/**
 * The lead records the review of an agreed plan: every target judged, with its evidence. A plan
 * never agreed, or with an amendment waiting, is refused by the domain.
 */
export async function recordReview(deps: PlanDeps, actor: Actor, planId: string, input: RecordReviewInput): Promise<PlanResult> {
  const { service } = deps;
  const { plan, ectCtx } = await service.planFor(actor, planId);
  const result = domain.recordReview(service.context(actor), ectCtx, plan, input);
  const saved = await commitPlan(deps, result);
  notifyChanged(deps, plan, saved);
  return { plan: saved, ectCtx };
}
