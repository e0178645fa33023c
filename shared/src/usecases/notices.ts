import type { Plan } from "../model/plan.js";
import type { NewOutboxMessage, OutboxKind } from "../model/records.js";
import { ladderLevel } from "../ladder.js";
import { headsOf, type EctContext, type UseCaseContext } from "./context.js";

/**
 * Who hears about a plan at its level (seed 003): the induction tutor, the AB's officers and,
 * from Level 4, the head. Each message carries a dedupe key so a retried request sends once.
 */
export function escalationNotices(ctx: UseCaseContext, ectCtx: EctContext, plan: Plan, kind: OutboxKind): NewOutboxMessage[] {
  if (!plan.level) return [];
  const notify = ladderLevel(plan.level).notify;
  const recipients = new Set<string>();
  // An escalation always reaches the induction tutor, whoever escalated (SPEC: alerts to the IT and the AB).
  if ((notify.includes("induction_tutor") || kind === "escalation_alert") && ectCtx.ect.inductionTutorId) recipients.add(ectCtx.ect.inductionTutorId);
  if (notify.includes("ab")) for (const officer of ectCtx.abOfficers) recipients.add(officer.id);
  if (notify.includes("head")) for (const head of headsOf(ectCtx)) recipients.add(head.id);
  recipients.delete(ctx.actor.id);
  return [...recipients].map((recipientId) => ({
    kind,
    recipientId,
    planId: plan.id,
    ectId: plan.ectId,
    dedupeKey: `${kind}:${plan.id}:${recipientId}`,
    data: { level: plan.level ?? null },
  }));
}

/** The ECT, the head and the AB are told whenever a plan opens or is agreed (induction rules §13.5). */
export function shareNotices(ctx: UseCaseContext, ectCtx: EctContext, plan: Plan, kind: OutboxKind, key: string): NewOutboxMessage[] {
  const recipients = new Set<string>([ectCtx.ect.personId, ...headsOf(ectCtx).map((h) => h.id), ...ectCtx.abOfficers.map((o) => o.id)]);
  if (ectCtx.ect.inductionTutorId) recipients.add(ectCtx.ect.inductionTutorId);
  recipients.delete(ctx.actor.id);
  return [...recipients].map((recipientId) => ({
    kind,
    recipientId,
    planId: plan.id,
    ectId: plan.ectId,
    dedupeKey: `${kind}:${plan.id}:${key}:${recipientId}`,
    data: { level: plan.level ?? null },
  }));
}
