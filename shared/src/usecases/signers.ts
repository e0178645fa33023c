import type { SignerRole, Signer, Plan } from "../model/plan.js";
import type { Person } from "../model/people.js";
import type { EctContext } from "./context.js";
import { signerLabels } from "../templates.js";

/**
 * Who holds each signer role for this ECT, from the roster — the only source of signers:
 * the ECT (or trainee) is the ECT; the induction tutor and mentor are the ECT's own; the head is
 * a head of the ECT's school; the ITT roles are the ITT provider staff the trainee's record
 * names for each role (`ect.ittSigners`).
 */
export function holdersOf(role: SignerRole, ectCtx: EctContext): Person[] {
  const { ect, schoolStaff } = ectCtx;
  const staff = (id: string | undefined, needs: Person["roles"][number]) => schoolStaff.filter((p) => p.id === id && p.roles.includes(needs));
  switch (role) {
    case "ect":
      return ect.track === "ect" ? [ectCtx.ectPerson] : [];
    case "trainee":
      return ect.track === "itt" ? [ectCtx.ectPerson] : [];
    case "induction_tutor":
      return staff(ect.inductionTutorId, "induction_tutor");
    case "mentor":
      return staff(ect.mentorId, "mentor");
    case "head":
      return schoolStaff.filter((p) => p.roles.includes("head") && p.schoolId === ect.schoolId);
    case "course_tutor":
    case "director":
    case "professional_mentor":
    case "lead_subject_mentor": {
      const id = ect.ittSigners?.[role];
      return (ectCtx.ittStaff ?? []).filter((p) => p.id === id && p.roles.includes("itt_staff"));
    }
  }
}

/** Does the roster give this person this signer role for this ECT? */
export const holdsSignerRole = (personId: string, role: SignerRole, ectCtx: EctContext) => holdersOf(role, ectCtx).some((p) => p.id === personId);

/** Why a person may not sign in a role, in words naming the rule (undefined when they may). */
export function signerRoleRefusal(personId: string, role: SignerRole, ectCtx: EctContext): string | undefined {
  if (holdsSignerRole(personId, role, ectCtx)) return undefined;
  const label = signerLabels[role];
  switch (role) {
    case "ect":
    case "trainee":
      return `Only the ${label.toLowerCase()} themselves signs as ${label}.`;
    case "induction_tutor":
      return `Only the ECT's induction tutor in the roster signs as ${label}.`;
    case "mentor":
      return `Only the ECT's mentor in the roster signs as ${label}.`;
    case "head":
      return `Only a headteacher of the ECT's school, as the roster records them, signs as ${label}.`;
    default:
      return `Only the ITT provider staff member the trainee's record names as ${label} signs in that role.`;
  }
}

/** Who signs in a role when the roster leaves no choice: its only holder. */
export function resolveSigner(role: SignerRole, ectCtx: EctContext): string | undefined {
  const holders = holdersOf(role, ectCtx);
  return holders.length === 1 ? holders[0]?.id : undefined;
}

export function resolveSigners(roles: SignerRole[], ectCtx: EctContext): Signer[] {
  return roles.map((role) => {
    const personId = resolveSigner(role, ectCtx);
    return personId ? { role, personId } : { role };
  });
}

/**
 * The signers again, against today's roster: a named signer who no longer holds the role is
 * replaced by its only holder (or left for the lead to choose). Signers who already signed the
 * version in hand keep their place.
 */
export function refreshSigners(signers: Signer[], ectCtx: EctContext, signedRoles: ReadonlySet<SignerRole>): Signer[] {
  return signers.map((s) => {
    if (signedRoles.has(s.role)) return s;
    if (s.personId && holdsSignerRole(s.personId, s.role, ectCtx)) return s;
    const personId = resolveSigner(s.role, ectCtx);
    return personId ? { role: s.role, personId } : { role: s.role };
  });
}

/** The version signatures are being gathered for now: an amendment's, or the plan's own. */
export const versionToSign = (plan: Pick<Plan, "revision" | "amendment">): number => plan.amendment?.revision ?? plan.revision;

/** Signatures on one version. */
export const signaturesOn = (plan: Pick<Plan, "signatures">, revision: number) => plan.signatures.filter((s) => s.revision === revision);

/** Signatures that hold the agreement the plan runs on: made on its current revision. */
export const validSignatures = (plan: Pick<Plan, "signatures" | "revision">) => signaturesOn(plan, plan.revision);

/** Signers who have not signed the version being signed now (the amendment's while there is one). */
export function missingSigners(plan: Pick<Plan, "signers" | "signatures" | "revision" | "amendment">): Signer[] {
  const valid = signaturesOn(plan, versionToSign(plan));
  return plan.signers.filter((s) => !valid.some((v) => v.role === s.role));
}

/**
 * While signatures are awaited — a plan sent for signature, or an amendment — how many signers
 * have signed the version asked for. What the caseload, the tab and the cards show as
 * "awaiting signatures (n of m)".
 */
export function signatureProgress(plan: Pick<Plan, "status" | "signers" | "signatures" | "revision" | "amendment" | "signatureRequest">) {
  if (plan.status === "closed") return undefined;
  // An amendment is awaiting signatures once it has been sent; before that it is only proposed.
  const amendmentAsked = !!plan.amendment && plan.signatureRequest?.revision === plan.amendment.revision;
  if (plan.status !== "awaiting_signatures" && !amendmentAsked) return undefined;
  const of = plan.signers.length;
  if (of === 0) return undefined;
  return { signed: of - missingSigners(plan).length, of, amendment: !!plan.amendment };
}
