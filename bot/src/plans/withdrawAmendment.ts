import * as domain from "@ectsp/shared";
import type { Actor, WithdrawAmendmentInput } from "@ectsp/shared";
import { commitPlan, notifyChanged, type PlanDeps, type PlanResult } from "./deps.js";

/** The lead withdraws a proposed amendment: the plan runs on as signed; signers already asked are told. */
export async function withdrawAmendment(deps: PlanDeps, actor: Actor, planId: string, input: WithdrawAmendmentInput): Promise<PlanResult> {
  const { service } = deps;
  const { plan, ectCtx } = await service.planFor(actor, planId);
  const result = domain.withdrawAmendment(service.context(actor), ectCtx, plan, input);
  const saved = await commitPlan(deps, result);
  notifyChanged(deps, plan, saved);
  return { plan: saved, ectCtx };
}
