import { z } from "zod";
import { Id } from "../model/ids.js";
import { SignerRole, type Plan } from "../model/plan.js";
import { invalidState } from "../errors.js";
import { signerLabels } from "../templates.js";
import { auditEntry, nextVersion, requireCan, requireVersion, type EctContext, type PlanWrites, type UseCaseContext } from "./context.js";
import { validSignatures } from "./signers.js";

export const AssignSignerInput = z.object({
  version: z.number().int().min(1),
  role: SignerRole,
  personId: Id,
});
export type AssignSignerInput = z.infer<typeof AssignSignerInput>;

/**
 * The lead names who signs in a role the ECT's record does not fill (an ITT lead subject
 * mentor, a director). The ECT signs as themselves only, and a role already signed on this
 * revision keeps its signer: changing who signs must not move a signature onto someone else.
 */
export function assignSigner(ctx: UseCaseContext, ectCtx: EctContext, plan: Plan, input: AssignSignerInput): PlanWrites & { plan: Plan } {
  requireCan(ctx, "request_signatures", ectCtx.ect, plan);
  requireVersion(plan, input.version);
  const signer = plan.signers.find((s) => s.role === input.role);
  if (!signer) throw invalidState(`This form has no ${signerLabels[input.role]} signature.`);
  if (input.role === "ect" || input.role === "trainee") throw invalidState("The ECT signs their own plan; that signer cannot be changed.");
  if (validSignatures(plan).some((s) => s.role === input.role)) {
    throw invalidState(`${signerLabels[input.role]} has already signed this version; change the plan to ask again before naming someone else.`);
  }
  const person = ectCtx.schoolStaff.find((p) => p.id === input.personId);
  if (!person) throw invalidState("Choose someone on the school's staff roster.");
  if (signer.personId === person.id) return { plan, audit: [] };
  const signers = plan.signers.map((s) => (s.role === input.role ? { role: s.role, personId: person.id } : s));
  const saved = nextVersion(ctx, plan, { signers });
  return {
    plan: saved,
    save: [{ plan: saved, expectedVersion: input.version }],
    audit: [auditEntry(ctx, "assignSigner", ectCtx.ect, saved, `Named ${person.displayName} to sign as ${signerLabels[input.role]}`)],
  };
}
