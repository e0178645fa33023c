import { z } from "zod";
import { FormText, Id } from "../model/ids.js";
import type { Plan } from "../model/plan.js";
import type { CheckIn } from "../model/records.js";
import { invalidState } from "../errors.js";
import { weekEvaluatorId } from "../permissions.js";
import { auditEntry, isoNow, nextVersion, requireCan, type EctContext, type PlanWrites, type UseCaseContext } from "./context.js";

export const RecordCheckInInput = z.object({
  week: z.number().int().min(1).max(6),
  comment: FormText(2000).trim().min(1, { message: "Write a comment on your progress this week" }),
  /** The check-in card answered, if the answer came from the bot. */
  checkInId: Id.optional(),
});
export type RecordCheckInInput = z.infer<typeof RecordCheckInInput>;

/**
 * The ECT answers a weekly check-in: the comment lands on that week's row as "ECT's comment on
 * progress". The same card submitted twice records once.
 */
export function recordCheckIn(
  ctx: UseCaseContext,
  ectCtx: EctContext,
  plan: Plan,
  checkIn: CheckIn | undefined,
  input: RecordCheckInInput,
): PlanWrites & { plan: Plan; duplicate: boolean } {
  requireCan(ctx, "answer_check_in", ectCtx.ect, plan);
  if (plan.status !== "active" && plan.status !== "agreed" && plan.status !== "in_review") {
    throw invalidState("Check-ins open once the plan is agreed.");
  }
  // An answer naming a check-in is only for one the scheduler opened: a card for a week whose
  // check-in does not exist yet (forged or out of date) records nothing.
  if (input.checkInId && !checkIn) throw invalidState("This check-in has not opened yet. Nothing was recorded; answer it when its card arrives.");
  if (checkIn && (checkIn.planId !== plan.id || checkIn.week !== input.week)) throw invalidState("This check-in belongs to another week.");
  if (checkIn?.status === "answered") return { plan, duplicate: true, audit: [] };
  const row = plan.weeks.find((w) => w.week === input.week);
  if (!row) throw invalidState(`This plan has no week ${input.week}.`);
  if (!checkIn && row.ectComment === input.comment) return { plan, duplicate: true, audit: [] };

  const at = isoNow(ctx);
  const weeks = plan.weeks.map((w) => (w.week === input.week ? { ...w, ectComment: input.comment, ectCommentAt: at } : w));
  const saved = nextVersion(ctx, plan, { weeks });
  const answered: CheckIn[] = checkIn ? [{ ...checkIn, status: "answered", comment: input.comment, answeredAt: at, answeredBy: ctx.actor.id }] : [];
  // The week's evaluation is asked of whoever leads the level, not of both (permissions.ts).
  const recipients = [weekEvaluatorId(ectCtx.ect, plan.level)].filter((id): id is string => !!id);
  return {
    plan: saved,
    duplicate: false,
    save: [{ plan: saved, expectedVersion: plan.version }],
    checkIns: answered,
    audit: [auditEntry(ctx, "recordCheckIn", ectCtx.ect, saved, `ECT commented on progress in week ${input.week}`)],
    outbox: recipients.map((recipientId) => ({
      kind: "evaluation_prompt",
      recipientId,
      planId: plan.id,
      ectId: plan.ectId,
      dedupeKey: `evaluate:${plan.id}:w${input.week}:${recipientId}`,
      data: { week: input.week },
    })),
  };
}
