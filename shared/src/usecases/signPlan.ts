import { z } from "zod";
import { SignerRole, type Plan } from "../model/plan.js";
import { DomainError, forbidden, invalidState } from "../errors.js";
import { explainRefusal } from "../permissions.js";
import { signerLabels } from "../templates.js";
import { auditEntry, isoNow, isoToday, nextVersion, type EctContext, type PlanWrites, type UseCaseContext } from "./context.js";
import { missingSigners, validSignatures } from "./signers.js";
import { shareNotices } from "./notices.js";

export const SignPlanInput = z.object({
  /** The content revision the signer read: a signature binds that exact revision. */
  revision: z.number().int().min(1),
  /** Which signer role, when the same person signs in two (a head who is also the tutor). */
  role: SignerRole.optional(),
});
export type SignPlanInput = z.infer<typeof SignPlanInput>;

/**
 * A required signer signs the revision they read. Only that person can sign; a signature on an
 * older revision is refused (the plan changed); signing twice records once. When the last
 * signature lands the plan is agreed, and active if its start date has come.
 */
export function signPlan(ctx: UseCaseContext, ectCtx: EctContext, plan: Plan, input: SignPlanInput): PlanWrites & { plan: Plan; alreadySigned: boolean } {
  if (plan.status === "closed") throw invalidState("This plan is closed; it can no longer be signed.");
  const mine = plan.signers.filter((s) => s.personId === ctx.actor.id && (!input.role || s.role === input.role));
  if (mine.length === 0) throw forbidden(explainRefusal("sign"));
  if (input.revision !== plan.revision) {
    throw new DomainError("conflict", "The plan changed after you opened it. Read the latest version, then sign.", [], {
      currentRevision: plan.revision,
      signedRevision: input.revision,
    });
  }
  const valid = validSignatures(plan);
  const toSign = mine.filter((s) => !valid.some((v) => v.role === s.role));
  if (toSign.length === 0) return { plan, alreadySigned: true, audit: [] };

  const signatures = [
    ...plan.signatures,
    ...toSign.map((s) => ({ role: s.role, personId: ctx.actor.id, name: ctx.actor.displayName, signedAt: isoNow(ctx), revision: plan.revision })),
  ];
  const after = { ...plan, signatures };
  const complete = missingSigners(after).length === 0;
  const started = !plan.startDate || plan.startDate <= isoToday(ctx);
  const status = complete && plan.status === "draft" ? (started ? "active" : "agreed") : plan.status;
  const saved = nextVersion(ctx, plan, { signatures, status });

  const roles = toSign.map((s) => signerLabels[s.role]).join(" and ");
  const audit = [auditEntry(ctx, "signPlan", ectCtx.ect, saved, `Signed revision ${plan.revision} as ${roles}`)];
  if (complete && plan.status === "draft")
    audit.push(auditEntry(ctx, "planAgreed", ectCtx.ect, saved, `Plan agreed: all signatures on revision ${plan.revision}`));
  return {
    plan: saved,
    alreadySigned: false,
    save: [{ plan: saved, expectedVersion: plan.version }],
    audit,
    outbox: complete ? shareNotices(ctx, ectCtx, saved, "plan_agreed", `r${saved.revision}`) : [],
  };
}
