import * as domain from "@ectsp/shared";
import { editorContent, invalidState, type Actor } from "@ectsp/shared";
import { notifyChanged, type PlanDeps, type PlanResult } from "./deps.js";

/**
 * The mentor or tutor writes a week's evaluation of progress (from the evaluation card). It is
 * running record: the save goes through editPlan on what the editor would show (an amendment's
 * proposal in place, so the evaluation never reads as withdrawing it) and never touches a
 * signature. Applied to the latest version: nothing else in the plan is sent.
 */
export async function evaluateWeek(deps: PlanDeps, actor: Actor, planId: string, week: number, evaluation: string): Promise<PlanResult> {
  const { service } = deps;
  const result = await service.withRetry(actor, planId, (plan, ectCtx) => {
    if (!plan.weeks.some((w) => w.week === week)) throw invalidState(`This plan has no week ${week}.`);
    const shown = editorContent(plan);
    const content = { ...shown, weeks: shown.weeks.map((w) => (w.week === week ? { ...w, evaluation } : w)) };
    return domain.editPlan(service.context(actor), ectCtx, plan, { version: plan.version, content });
  });
  notifyChanged(deps, result.before, result.plan);
  return { plan: result.plan, ectCtx: result.ectCtx };
}
