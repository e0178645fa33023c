import { z } from "zod";
import { FormText } from "../model/ids.js";
import type { Plan } from "../model/plan.js";
import { auditEntry, isoNow, nextVersion, requireCan, type EctContext, type PlanWrites, type UseCaseContext } from "./context.js";

export const AddCommentInput = z.object({
  text: FormText(2000).trim().min(1, { message: "Write a comment" }),
  week: z.number().int().min(1).max(6).optional(),
});
export type AddCommentInput = z.infer<typeof AddCommentInput>;

/**
 * Anyone who can read the plan may comment; comments never change what was agreed. The ECT's
 * comments reach the tutor; staff comments reach the ECT.
 */
export function addComment(ctx: UseCaseContext, ectCtx: EctContext, plan: Plan, input: AddCommentInput): PlanWrites & { plan: Plan } {
  requireCan(ctx, "comment", ectCtx.ect, plan);
  const comment = {
    id: ctx.newId(),
    authorId: ctx.actor.id,
    authorName: ctx.actor.displayName,
    at: isoNow(ctx),
    text: input.text,
    ...(input.week ? { week: input.week } : {}),
  };
  const saved = nextVersion(ctx, plan, { comments: [...plan.comments, comment] });
  const fromEct = ctx.actor.id === ectCtx.ect.personId;
  const recipientId = fromEct ? ectCtx.ect.inductionTutorId : ectCtx.ect.personId;
  return {
    plan: saved,
    save: [{ plan: saved, expectedVersion: plan.version }],
    audit: [auditEntry(ctx, "addComment", ectCtx.ect, saved, input.week ? `Commented on week ${input.week}` : "Commented on the plan")],
    outbox: recipientId
      ? [{ kind: "comment_added", recipientId, planId: plan.id, ectId: plan.ectId, dedupeKey: `comment:${comment.id}`, data: { commentId: comment.id } }]
      : [],
  };
}
