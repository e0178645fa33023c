import type { SignerRole, Signer, Plan } from "../model/plan.js";
import type { EctContext } from "./context.js";
import { headsOf, leadsOf } from "./context.js";

/** Who signs in each role, from the ECT's record; roles with nobody obvious are left for the tutor to assign. */
export function resolveSigner(role: SignerRole, ectCtx: EctContext): string | undefined {
  const { ect } = ectCtx;
  switch (role) {
    case "ect":
    case "trainee":
      return ect.personId;
    case "induction_tutor":
    case "course_tutor":
      return ect.inductionTutorId;
    case "mentor":
      return ect.mentorId;
    case "head":
    case "director":
      return headsOf(ectCtx)[0]?.id;
    case "professional_mentor":
      return leadsOf(ectCtx)[0]?.id;
    case "lead_subject_mentor":
      return undefined;
  }
}

export function resolveSigners(roles: SignerRole[], ectCtx: EctContext): Signer[] {
  return roles.map((role) => {
    const personId = resolveSigner(role, ectCtx);
    return personId ? { role, personId } : { role };
  });
}

/** Signatures that still hold: made on the plan's current content revision. */
export const validSignatures = (plan: Pick<Plan, "signatures" | "revision">) => plan.signatures.filter((s) => s.revision === plan.revision);

/** Signers who have not signed the current revision. */
export function missingSigners(plan: Pick<Plan, "signers" | "signatures" | "revision">): Signer[] {
  const valid = validSignatures(plan);
  return plan.signers.filter((s) => !valid.some((v) => v.role === s.role));
}
