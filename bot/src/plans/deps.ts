import type { EctContext, Plan, PlanWrites } from "@ectsp/shared";
import type { PlanService } from "../app/planService.js";
import type { PostedCards } from "./postedCards.js";

/**
 * What every plan use case on the server is given: the application layer (loading, permission
 * checks, the commit) and the posted sign-off cards to keep current. Routes and card actions
 * build nothing of their own: they call the use cases in this folder.
 */
export interface PlanDeps {
  service: PlanService;
  /** Absent where no bot runs (the demo seed): nothing is posted there. */
  postedCards?: Pick<PostedCards, "planChanged">;
}

/** A use case's answer: the plan as saved and the ECT's facts it was judged against. */
export interface PlanResult {
  plan: Plan;
  ectCtx: EctContext;
}

/** Commits a use case's writes and returns the plan as the store now holds it. */
export async function commitPlan(deps: PlanDeps, result: PlanWrites & { plan: Plan }): Promise<Plan> {
  const stored = await deps.service.commit(result);
  return stored.find((p) => p.id === result.plan.id) ?? result.plan;
}

/** The notify step: the cards already posted follow when the version they show is superseded. */
export function notifyChanged(deps: PlanDeps, before: Plan, after: Plan): void {
  deps.postedCards?.planChanged(before, after);
}
