import * as domain from "@ectsp/shared";
import type { Actor, RecordCheckInInput } from "@ectsp/shared";
import { notifyChanged, type PlanDeps, type PlanResult } from "./deps.js";

/**
 * The ECT answers a weekly check-in (from its card or the tab): the comment lands on that week's
 * row. The same card submitted twice records once (`duplicate`).
 */
export async function recordCheckIn(deps: PlanDeps, actor: Actor, planId: string, input: RecordCheckInInput): Promise<PlanResult & { duplicate: boolean }> {
  const { service } = deps;
  const result = await service.withRetry(actor, planId, async (plan, ectCtx) => {
    const checkIn = input.checkInId ? await service.checkIn(input.checkInId) : undefined;
    return domain.recordCheckIn(service.context(actor), ectCtx, plan, checkIn, input);
  });
  notifyChanged(deps, result.before, result.plan);
  return { plan: result.plan, ectCtx: result.ectCtx, duplicate: result.duplicate };
}
