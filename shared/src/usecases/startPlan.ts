import type { Plan } from "../model/plan.js";
import { invalidState } from "../errors.js";
import { auditEntry, nextVersion, requireCan, type EctContext, type PlanWrites, type UseCaseContext } from "./context.js";

/** An agreed plan starts running: weekly check-ins begin from here. */
export function startPlan(ctx: UseCaseContext, ectCtx: EctContext, plan: Plan): PlanWrites & { plan: Plan } {
  requireCan(ctx, "start_plan", ectCtx.ect, plan);
  if (plan.status !== "agreed") {
    throw invalidState(
      plan.status === "draft" || plan.status === "awaiting_signatures"
        ? "The plan must be signed by everyone before it starts."
        : `The plan is already ${plan.status.replace("_", " ")}.`,
    );
  }
  const saved = nextVersion(ctx, plan, { status: "active" });
  return { plan: saved, save: [{ plan: saved, expectedVersion: plan.version }], audit: [auditEntry(ctx, "startPlan", ectCtx.ect, saved, "Plan started")] };
}
