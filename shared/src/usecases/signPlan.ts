import { z } from "zod";
import { SignatureMethod, SignerRole, type Plan, type Signature } from "../model/plan.js";
import { DomainError, forbidden, invalidState } from "../errors.js";
import { explainRefusal } from "../permissions.js";
import { agreedVersion, signerLabels } from "../templates.js";
import { agreementDigest, combine } from "../agreement.js";
import { requireTransition } from "../planStates.js";
import { auditEntry, isoNow, isoToday, nextVersion, type EctContext, type PlanWrites, type UseCaseContext } from "./context.js";
import { missingSigners, signaturesOn, signerRoleRefusal, versionToSign } from "./signers.js";
import { shareNotices } from "./notices.js";

export const SignPlanInput = z.object({
  /** The version the signer read: a signature binds that exact version. */
  revision: z.number().int().min(1),
  /** Which signer role, when the roster gives the same person two (a head who is also the tutor). */
  role: SignerRole.optional(),
});
export type SignPlanInput = z.infer<typeof SignPlanInput>;

/**
 * A required signer signs the version they read — the plan sent for signature, or an amendment
 * to it. Only the person named, and only while the roster gives them that role; a signature on
 * any other version is refused (it changed since); signing twice records once. Each signature is
 * sealed: role, time, how it was given, the version and the SHA-256 of that version's agreement.
 * The last signature makes the plan agreed (active if its start date has come), or adopts the
 * amendment as the agreement.
 */
export function signPlan(
  ctx: UseCaseContext,
  ectCtx: EctContext,
  plan: Plan,
  input: SignPlanInput,
  method: SignatureMethod,
): PlanWrites & { plan: Plan; alreadySigned: boolean; signedRoles: SignerRole[] } {
  if (plan.status === "closed") throw invalidState("This plan is closed; it can no longer be signed.");
  const mine = plan.signers.filter((s) => s.personId === ctx.actor.id && (!input.role || s.role === input.role));
  if (mine.length === 0) throw forbidden(explainRefusal("sign"));
  for (const s of mine) {
    const refusal = signerRoleRefusal(ctx.actor.id, s.role, ectCtx);
    if (refusal) throw forbidden(refusal);
  }
  requireTransition(plan, "sign");
  const revision = versionToSign(plan);
  const asked = plan.signatureRequest?.revision === revision;
  if (plan.amendment && !asked) throw invalidState("The amendment has not been sent for signature yet.");
  if (input.revision !== revision) {
    throw new DomainError("conflict", "The plan changed after you opened it. Read the latest version, then sign.", [], {
      currentRevision: revision,
      signedRevision: input.revision,
    });
  }
  const already = new Set(signaturesOn(plan, revision).map((s) => s.role));
  const toSign = mine.filter((s) => !already.has(s.role));
  if (toSign.length === 0) return { plan, alreadySigned: true, signedRoles: [], audit: [] };

  const content = plan.amendment ? combine(plan.amendment.content, plan) : plan;
  const digest = agreementDigest(plan, content);
  const at = isoNow(ctx);
  const added: Signature[] = toSign.map((s) => ({ role: s.role, personId: ctx.actor.id, name: ctx.actor.displayName, signedAt: at, revision, method, digest }));
  const signatures = [...plan.signatures, ...added];
  const complete = missingSigners({ ...plan, signatures }).length === 0;
  const roles = toSign.map((s) => signerLabels[s.role]).join(" and ");
  const how = method === "card" ? "from a card" : "in the app";

  if (!complete) {
    const saved = nextVersion(ctx, plan, { signatures });
    const what = plan.amendment ? `the amendment (${agreedVersion(revision)} once signed)` : agreedVersion(revision);
    return {
      plan: saved,
      alreadySigned: false,
      signedRoles: toSign.map((s) => s.role),
      save: [{ plan: saved, expectedVersion: plan.version }],
      audit: [auditEntry(ctx, "signPlan", ectCtx.ect, saved, `Signed ${what} as ${roles} ${how}; seal ${digest}`)],
    };
  }

  const { amendment, signatureRequest: _done, ...rest } = plan;
  let saved: Plan;
  const audit = [];
  if (amendment) {
    saved = nextVersion(ctx, rest, { ...combine(amendment.content, plan), signatures, revision });
    audit.push(auditEntry(ctx, "signPlan", ectCtx.ect, saved, `Signed the amendment (${agreedVersion(revision)}) as ${roles} ${how}; seal ${digest}`));
    audit.push(
      auditEntry(
        ctx,
        "amendmentAgreed",
        ectCtx.ect,
        saved,
        `Amendment agreed: ${agreedVersion(revision)} replaces ${agreedVersion(plan.revision)} as the agreement`,
      ),
    );
  } else {
    const started = !plan.startDate || plan.startDate <= isoToday(ctx);
    saved = nextVersion(ctx, rest, { signatures, status: started ? "active" : "agreed" });
    audit.push(auditEntry(ctx, "signPlan", ectCtx.ect, saved, `Signed ${agreedVersion(revision)} as ${roles} ${how}; seal ${digest}`));
    audit.push(auditEntry(ctx, "planAgreed", ectCtx.ect, saved, `Plan agreed: all signatures on ${agreedVersion(revision)}`));
  }
  return {
    plan: saved,
    alreadySigned: false,
    signedRoles: toSign.map((s) => s.role),
    save: [{ plan: saved, expectedVersion: plan.version }],
    audit,
    outbox: shareNotices(ctx, ectCtx, saved, "plan_agreed", `r${saved.revision}`),
  };
}
