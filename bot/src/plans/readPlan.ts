import type { Actor, Plan } from "@ectsp/shared";
import type { PlanDeps, PlanResult } from "./deps.js";

/** A plan the caller may read, with the plan it follows (for a successor: why the last one ended). */
export async function readPlan(deps: PlanDeps, actor: Actor, planId: string): Promise<PlanResult & { predecessor?: Plan }> {
  const { plan, ectCtx } = await deps.service.planFor(actor, planId);
  const predecessor = await deps.service.predecessorOf(plan);
  return { plan, ectCtx, ...(predecessor ? { predecessor } : {}) };
}

/** The plan a saved plan follows, for its view (one read, only for a successor). */
export const predecessorOf = (deps: PlanDeps, plan: Plan): Promise<Plan | undefined> => deps.service.predecessorOf(plan);
