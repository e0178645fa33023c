import { z } from "zod";
import type { Plan } from "../model/plan.js";
import { invalidState } from "../errors.js";
import { shareableLevels } from "../permissions.js";
import { auditEntry, nextVersion, requireCan, requireVersion, type EctContext, type PlanWrites, type UseCaseContext } from "./context.js";

export const SharePlanWithMentorInput = z.object({
  /** The version the tutor read; a change against an older one is a conflict. */
  version: z.number().int().min(1),
  /** true: the mentor may write the weeks (as at Levels 2–3); false: back to evaluating them only. */
  shared: z.boolean(),
});
export type SharePlanWithMentorInput = z.infer<typeof SharePlanWithMentorInput>;

/**
 * The induction tutor or lead shares a Level 4–5 plan with the ECT's mentor, or stops sharing it
 * (seed 003: at these levels the tutor leads; the mentor writes the weeks only when asked to).
 * A flag on the plan, not content: no signature binds it and the revision stays. Audited.
 */
export function sharePlanWithMentor(ctx: UseCaseContext, ectCtx: EctContext, plan: Plan, input: SharePlanWithMentorInput): PlanWrites & { plan: Plan } {
  requireCan(ctx, "edit_plan", ectCtx.ect, plan);
  if (plan.level === undefined || !shareableLevels.includes(plan.level)) {
    throw invalidState(
      plan.level === 1
        ? "The mentor leads a Level 1 plan already: there is nothing to share."
        : plan.level === 2 || plan.level === 3
          ? "At Levels 2–3 the mentor writes the weeks with the induction tutor already: there is nothing to share."
          : "Only Level 4–5 plans are shared with the mentor.",
    );
  }
  if (!ectCtx.ect.mentorId) throw invalidState("This ECT has no mentor on the roster to share the plan with.");
  requireVersion(plan, input.version);
  if ((plan.sharedWithMentor === true) === input.shared) return { plan, audit: [] };
  const saved = nextVersion(ctx, plan, { sharedWithMentor: input.shared });
  return {
    plan: saved,
    save: [{ plan: saved, expectedVersion: input.version }],
    audit: [
      auditEntry(
        ctx,
        "sharePlanWithMentor",
        ectCtx.ect,
        saved,
        input.shared
          ? "Shared the plan with the ECT's mentor: they may write the weekly actions, resources and success criteria"
          : "Stopped sharing the plan with the ECT's mentor: they evaluate the weeks only",
      ),
    ],
  };
}
