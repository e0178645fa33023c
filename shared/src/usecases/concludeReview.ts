import { z } from "zod";
import { FormText } from "../model/ids.js";
import { Level, type Plan } from "../model/plan.js";
import { invalidState } from "../errors.js";
import { suggestSuccessorLevel } from "../ladder.js";
import { isEct2NearEnd } from "../timeline.js";
import { termsOf } from "../model/people.js";
import { auditEntry, isoToday, nextVersion, requireCan, requireVersion, type EctContext, type PlanWrites, type UseCaseContext } from "./context.js";
import { closeWithSuccessor, levelAbove } from "./escalatePlan.js";
import { shareNotices } from "./notices.js";

export const ConcludeReviewInput = z.object({
  version: z.number().int().min(1),
  /** on_track: off the plan; continue: a further plan (same level, or higher for an ECT2 near the end); escalate: next level. */
  decision: z.enum(["on_track", "continue", "escalate"]),
  /** Override the level the ladder suggests for the successor. */
  level: Level.optional(),
  reason: FormText(2000).default(""),
});
export type ConcludeReviewInput = z.infer<typeof ConcludeReviewInput>;

/** The level the ladder suggests for a further plan after this review. */
export function suggestedLevel(plan: Plan, decision: "continue" | "escalate", ectCtx: EctContext, today: string): Level {
  if (plan.templateId === "itt_early_support") return 4;
  if (plan.level === undefined) return levelAbove(plan);
  return suggestSuccessorLevel(plan.level, decision, isEct2NearEnd(ectCtx.ect, today, undefined, termsOf(ectCtx.school)));
}

/**
 * Ends a reviewed plan. On track closes it; otherwise a successor is created pre-filled with
 * what was not met, and the tutor and the AB are told progress was insufficient.
 */
export function concludeReview(ctx: UseCaseContext, ectCtx: EctContext, plan: Plan, input: ConcludeReviewInput): PlanWrites & { plan: Plan; successor?: Plan } {
  requireCan(ctx, input.decision === "escalate" ? "escalate" : "review", ectCtx.ect, plan);
  requireVersion(plan, input.version);
  if (plan.status !== "in_review" || !plan.review) throw invalidState("Record the review before deciding what happens next.");
  if (input.decision === "on_track") {
    if (plan.review.onTrack !== true) throw invalidState('The review says the ECT is not on track: answer "on track at end date" with yes to close the plan.');
    const why = input.reason.trim();
    const closed = nextVersion(ctx, plan, { status: "closed", outcome: "on_track", ...(why ? { outcomeReason: why } : {}) });
    return {
      plan: closed,
      save: [{ plan: closed, expectedVersion: input.version }],
      audit: [auditEntry(ctx, "closePlanOnTrack", ectCtx.ect, closed, "Closed: the ECT is on track and comes off the plan")],
      outbox: shareNotices(ctx, ectCtx, closed, "plan_shared", "closed"),
    };
  }
  const level = input.level ?? suggestedLevel(plan, input.decision, ectCtx, isoToday(ctx));
  if (input.decision === "escalate" && plan.level !== undefined && level <= plan.level) {
    throw invalidState(`Escalation moves up the ladder: choose a level above ${plan.level}.`);
  }
  const result = closeWithSuccessor(ctx, ectCtx, plan, input.decision === "escalate" ? "escalated" : "continued", level, input.reason);
  const alerts = [ectCtx.ect.inductionTutorId, ...ectCtx.abOfficers.map((o) => o.id)]
    .filter((id): id is string => !!id && id !== ctx.actor.id)
    .map((recipientId) => ({
      kind: "insufficient_progress_alert" as const,
      recipientId,
      planId: plan.id,
      ectId: plan.ectId,
      dedupeKey: `insufficient:${plan.id}:${recipientId}`,
      data: { level, successorId: result.successor.id },
    }));
  return { ...result, outbox: [...(result.outbox ?? []), ...alerts] };
}
