import * as domain from "@ectsp/shared";
import type { Actor, AddCommentInput } from "@ectsp/shared";
import { notifyChanged, type PlanDeps, type PlanResult } from "./deps.js";

/**
 * A comment on the plan, from the tab, a card or a message to the bot. Comments never change
 * what was agreed; a write landing in between is applied again rather than refused.
 */
export async function addComment(deps: PlanDeps, actor: Actor, planId: string, input: AddCommentInput): Promise<PlanResult> {
  const { service } = deps;
  const result = await service.withRetry(actor, planId, (plan, ectCtx) => domain.addComment(service.context(actor), ectCtx, plan, input));
  notifyChanged(deps, result.before, result.plan);
  return { plan: result.plan, ectCtx: result.ectCtx };
}
