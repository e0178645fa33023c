import { z } from "zod";
import { FormText } from "../model/ids.js";
import { Level, type Plan } from "../model/plan.js";
import { invalidState } from "../errors.js";
import { ladderLevel } from "../ladder.js";
import { auditEntry, nextVersion, requireCan, requireVersion, type EctContext, type PlanWrites, type UseCaseContext } from "./context.js";
import { requireTransition } from "../planStates.js";
import { sha256Hex } from "../seal.js";
import { agreedVersion, targetWord } from "../templates.js";
import { buildSuccessorPlan, targetsToCarry } from "./successorPlan.js";
import { escalationNotices } from "./notices.js";

export const EscalatePlanInput = z.object({
  version: z.number().int().min(1),
  /** Defaults to the next level up the ladder. */
  toLevel: Level.optional(),
  reason: FormText(2000).trim().min(1, { message: "Say why the plan is being escalated" }),
});
export type EscalatePlanInput = z.infer<typeof EscalatePlanInput>;

/** The level above: ITT early support leads to a cause-for-concern plan (Level 4). */
export function levelAbove(plan: Plan): Level {
  if (plan.templateId === "itt_early_support") return 4;
  return Math.min(6, (plan.level ?? 1) + 1);
}

/**
 * Closes the plan as escalated and opens its successor at a higher level, pre-filled with the
 * targets not met. The induction tutor, the AB (and the head from Level 4) are alerted.
 */
export function escalatePlan(ctx: UseCaseContext, ectCtx: EctContext, plan: Plan, input: EscalatePlanInput): PlanWrites & { plan: Plan; successor: Plan } {
  requireCan(ctx, "escalate", ectCtx.ect, plan);
  requireVersion(plan, input.version);
  if (plan.status === "closed") throw invalidState("This plan is already closed.");
  requireTransition(plan, "escalate");
  if (plan.level === 6) throw invalidState("Level 6 (capability procedures) is the top of the ladder; induction continues alongside it.");
  const toLevel = input.toLevel ?? levelAbove(plan);
  if (plan.level !== undefined && toLevel <= plan.level) {
    throw invalidState(`Escalation moves up the ladder: choose a level above ${plan.level}.`);
  }
  return closeWithSuccessor(ctx, ectCtx, plan, "escalated", toLevel, input.reason);
}

/** Shared by escalation and by a review that ends in a further plan. */
export function closeWithSuccessor(
  ctx: UseCaseContext,
  ectCtx: EctContext,
  plan: Plan,
  outcome: "escalated" | "continued",
  level: Level,
  reason: string,
): PlanWrites & { plan: Plan; successor: Plan } {
  const successor = buildSuccessorPlan(ctx, ectCtx, plan, level);
  const why = reason.trim();
  // Closing ends any amendment still waiting: the successor starts from what was agreed.
  const { amendment, signatureRequest: _request, ...rest } = plan;
  const closed = nextVersion(ctx, rest, { status: "closed", outcome, successorId: successor.id, ...(why ? { outcomeReason: why } : {}) });
  const carried = targetsToCarry(plan).length;
  const name = `Level ${level} – ${ladderLevel(level).name}`;
  const verb = outcome === "escalated" ? "Escalated" : "Continued";
  return {
    plan: closed,
    successor,
    create: [successor],
    save: [{ plan: closed, expectedVersion: plan.version }],
    audit: [
      auditEntry(
        ctx,
        outcome === "escalated" ? "escalatePlan" : "continuePlan",
        ectCtx.ect,
        closed,
        // The audit stays content-free: it names that a reason was kept and seals it by digest.
        `${verb} to ${name}; ${carried} ${targetWord(plan.templateId)}(s) carried over. ${why ? `Reason recorded on the plan (SHA-256 ${sha256Hex(why)})` : "No reason given"}${amendment ? `; the amendment awaiting signatures (${agreedVersion(amendment.revision)} once signed) was withdrawn` : ""}.`,
      ),
      auditEntry(ctx, "createPlan", ectCtx.ect, successor, `Started ${name} from the previous plan`),
    ],
    outbox: [...escalationNotices(ctx, ectCtx, { ...successor }, outcome === "escalated" ? "escalation_alert" : "plan_shared")],
  };
}
