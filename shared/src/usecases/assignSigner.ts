import { z } from "zod";
import { Id } from "../model/ids.js";
import { SignerRole, type Plan } from "../model/plan.js";
import { forbidden, invalidState, validationFailed } from "../errors.js";
import { signerLabels } from "../templates.js";
import { requireTransition } from "../planStates.js";
import { auditEntry, nextVersion, requireCan, requireVersion, type EctContext, type PlanWrites, type UseCaseContext } from "./context.js";
import { holdersOf, signaturesOn, signerRoleRefusal, versionToSign } from "./signers.js";

export const AssignSignerInput = z.object({
  version: z.number().int().min(1),
  role: SignerRole,
  personId: Id,
});
export type AssignSignerInput = z.infer<typeof AssignSignerInput>;

/**
 * The lead chooses who signs in a role the roster gives to more than one person (a school with
 * two heads, say). Only someone who holds that role for this ECT can be named, nobody names
 * themselves, the ECT always signs as themselves, and a role already signed on this version
 * keeps its signer.
 */
export function assignSigner(ctx: UseCaseContext, ectCtx: EctContext, plan: Plan, input: AssignSignerInput): PlanWrites & { plan: Plan } {
  requireCan(ctx, "request_signatures", ectCtx.ect, plan);
  requireTransition(plan, "request_signatures");
  requireVersion(plan, input.version);
  const signer = plan.signers.find((s) => s.role === input.role);
  if (!signer) throw invalidState(`This form has no ${signerLabels[input.role]} signature.`);
  if (input.role === "ect" || input.role === "trainee") throw forbidden("The ECT signs their own plan; that signer cannot be changed.");
  if (input.personId === ctx.actor.id) {
    throw forbidden("Nobody names themselves as a signer: the roster decides who signs in each role. Ask the induction lead if the roster is wrong.");
  }
  const refusal = signerRoleRefusal(input.personId, input.role, ectCtx);
  if (refusal) {
    throw validationFailed(
      [{ path: "personId", code: "signer-not-in-role", message: refusal, severity: "error" }],
      `They cannot sign as ${signerLabels[input.role]}`,
    );
  }
  if (signaturesOn(plan, versionToSign(plan)).some((s) => s.role === input.role)) {
    throw invalidState(`${signerLabels[input.role]} has already signed this version; their signature stays.`);
  }
  if (signer.personId === input.personId) return { plan, audit: [] };
  const person = holdersOf(input.role, ectCtx).find((p) => p.id === input.personId);
  const signers = plan.signers.map((s) => (s.role === input.role ? { role: s.role, personId: input.personId } : s));
  const saved = nextVersion(ctx, plan, { signers });
  return {
    plan: saved,
    save: [{ plan: saved, expectedVersion: input.version }],
    audit: [auditEntry(ctx, "assignSigner", ectCtx.ect, saved, `Named ${person?.displayName ?? input.personId} to sign as ${signerLabels[input.role]}`)],
  };
}

/** Who the lead may choose from for each role the roster gives to more than one person. */
export function signerChoices(plan: Plan, ectCtx: EctContext): { role: SignerRole; people: { id: string; name: string }[] }[] {
  return plan.signers
    .map((s) => ({ role: s.role, people: holdersOf(s.role, ectCtx).map((p) => ({ id: p.id, name: p.displayName })) }))
    .filter((c) => c.role !== "ect" && c.role !== "trainee");
}
