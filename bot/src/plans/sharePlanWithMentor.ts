import * as domain from "@ectsp/shared";
import type { Actor, SharePlanWithMentorInput } from "@ectsp/shared";
import { commitPlan, notifyChanged, type PlanDeps, type PlanResult } from "./deps.js";

/** The tutor or lead shares a Level 4–5 plan with the ECT's mentor (or stops): load, authorise, decide, commit, notify. */
export async function sharePlanWithMentor(deps: PlanDeps, actor: Actor, planId: string, input: SharePlanWithMentorInput): Promise<PlanResult> {
  const { service } = deps;
  const { plan, ectCtx } = await service.planFor(actor, planId, "read_plan", { version: input.version });
  const result = domain.sharePlanWithMentor(service.context(actor), ectCtx, plan, input);
  const saved = await commitPlan(deps, result);
  notifyChanged(deps, plan, saved);
  return { plan: saved, ectCtx };
}
