import * as domain from "@ectsp/shared";
import type { Actor, CreatePlanInput } from "@ectsp/shared";
import { commitPlan, type PlanDeps, type PlanResult } from "./deps.js";

/**
 * The induction tutor (a mentor at Level 1, the head at Level 6) starts a plan for an ECT from
 * one of the school's forms. Load the ECT and their open plans; the domain decides who may and
 * whether another plan is open; commit the draft, its audit and its notices.
 */
export async function createPlan(deps: PlanDeps, actor: Actor, input: CreatePlanInput): Promise<PlanResult> {
  const { service } = deps;
  const [ectCtx, open] = await Promise.all([service.ectContext(input.ectId), service.openPlansOf(input.ectId)]);
  const result = domain.createPlan(service.context(actor), ectCtx, open, input);
  return { plan: await commitPlan(deps, result), ectCtx };
}
