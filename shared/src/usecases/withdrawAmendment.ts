import { z } from "zod";
import type { Plan } from "../model/plan.js";
import { invalidState } from "../errors.js";
import { requireTransition } from "../planStates.js";
import { agreedVersion } from "../templates.js";
import type { NewOutboxMessage } from "../model/records.js";
import { auditEntry, nextVersion, requireCan, requireVersion, type EctContext, type PlanWrites, type UseCaseContext } from "./context.js";

export const WithdrawAmendmentInput = z.object({ version: z.number().int().min(1) });
export type WithdrawAmendmentInput = z.infer<typeof WithdrawAmendmentInput>;

/** The lead withdraws a proposed amendment: the plan runs on as signed; signers already asked are told. */
export function withdrawAmendment(ctx: UseCaseContext, ectCtx: EctContext, plan: Plan, input: WithdrawAmendmentInput): PlanWrites & { plan: Plan } {
  requireCan(ctx, "request_signatures", ectCtx.ect, plan);
  if (!plan.amendment) throw invalidState("There is no amendment to withdraw.");
  requireTransition(plan, "withdraw_amendment");
  requireVersion(plan, input.version);
  const { amendment, signatureRequest, ...rest } = plan;
  const asked = signatureRequest?.revision === amendment.revision;
  const saved = nextVersion(ctx, rest, {});
  const outbox: NewOutboxMessage[] = asked
    ? plan.signers
        .filter((s): s is typeof s & { personId: string } => !!s.personId && s.personId !== ctx.actor.id)
        .map((s) => ({
          kind: "signatures_voided",
          recipientId: s.personId,
          planId: plan.id,
          ectId: plan.ectId,
          dedupeKey: `withdrawn:${plan.id}:${amendment.revision}:${s.role}`,
          data: { role: s.role, revision: plan.revision, withdrawn: true },
        }))
    : [];
  return {
    plan: saved,
    save: [{ plan: saved, expectedVersion: input.version }],
    audit: [
      auditEntry(
        ctx,
        "withdrawAmendment",
        ectCtx.ect,
        saved,
        `Amendment (${agreedVersion(amendment.revision)} once signed) withdrawn; the plan runs on ${agreedVersion(plan.revision)} as signed`,
      ),
    ],
    outbox,
  };
}
