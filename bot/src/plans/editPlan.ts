import * as domain from "@ectsp/shared";
import { DomainError, describeChanges, editorContent, type Actor, type EctContext, type EditPlanInput, type FieldChange, type Plan } from "@ectsp/shared";
import { commitPlan, notifyChanged, type PlanDeps, type PlanResult } from "./deps.js";

/**
 * A save against a version someone else has moved on from. Carries the plan as it is now, so
 * the route can answer with it and the editor can merge without losing the caller's text.
 */
export class StaleEdit extends DomainError {
  constructor(
    readonly current: Plan,
    readonly ectCtx: EctContext,
    expectedVersion: number,
    changedSinceYourVersion: FieldChange[],
  ) {
    super("conflict", "Someone else saved this plan after you opened it. Your text is kept: compare and save again.", [], {
      currentVersion: current.version,
      expectedVersion,
      changedSinceYourVersion,
    });
  }
}

/**
 * Saves the editor's whole view of the plan against the version it loaded. The domain decides
 * what the save is: the running record lands on the plan, a draft's agreement is edited (its
 * signatures no longer hold), a running plan's agreement becomes an amendment. Posted sign-off
 * cards follow when the version they show is superseded.
 */
export async function editPlan(deps: PlanDeps, actor: Actor, planId: string, input: EditPlanInput): Promise<PlanResult & { changes: FieldChange[] }> {
  const { service } = deps;
  const { plan, ectCtx } = await service.planFor(actor, planId, "read_plan", { version: input.version });
  const stale = (current: Plan, currentCtx: EctContext) =>
    new StaleEdit(current, currentCtx, input.version, describeChanges(input.content, editorContent(current), domain.targetWord(current.templateId)));
  if (plan.version !== input.version) throw stale(plan, ectCtx);
  const result = domain.editPlan(service.context(actor), ectCtx, plan, input);
  const saved = await commitPlan(deps, result).catch(async (error: unknown) => {
    // Someone saved meanwhile (on another instance): answer as for a stale edit, with what changed.
    if (!(error instanceof DomainError && error.kind === "conflict" && "currentVersion" in error.details)) throw error;
    const fresh = await service.planFor(actor, planId);
    throw stale(fresh.plan, fresh.ectCtx);
  });
  notifyChanged(deps, plan, saved);
  return { plan: saved, ectCtx, changes: result.changes };
}
