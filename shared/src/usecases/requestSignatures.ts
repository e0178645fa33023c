import { z } from "zod";
import { IsoDate } from "../model/ids.js";
import type { Plan } from "../model/plan.js";
import type { NewOutboxMessage } from "../model/records.js";
import { blockingViolations, validatePlan } from "../rules.js";
import { invalidState, validationFailed } from "../errors.js";
import { termsOf } from "../model/people.js";
import { agreedVersion, signerLabels } from "../templates.js";
import { addDays } from "../timeline.js";
import { combine } from "../agreement.js";
import { schoolDate } from "../calendar.js";
import { requireTransition } from "../planStates.js";
import { auditEntry, isoNow, isoToday, nextVersion, requireCan, type EctContext, type PlanWrites, type UseCaseContext } from "./context.js";
import { missingSigners, refreshSigners, signaturesOn, versionToSign } from "./signers.js";

export const RequestSignaturesInput = z.object({
  /** The date to sign by, shown on every sign-off card; a week from today when not given. */
  signBy: IsoDate.optional(),
});
export type RequestSignaturesInput = z.infer<typeof RequestSignaturesInput>;

/** Days signers are given when the lead names no date. */
export const defaultSignDays = 7;

/**
 * The lead sends the plan (or an amendment to it) for signature: everything the form needs is
 * filled in, every signer is someone the roster gives that role, and each who has not signed
 * gets a card. The plan is then "awaiting signatures (n of m)" until the last signs. Asking again
 * for the same version only reminds those who have not signed (once a day at most).
 */
export function requestSignatures(
  ctx: UseCaseContext,
  ectCtx: EctContext,
  plan: Plan,
  input: RequestSignaturesInput = {},
): PlanWrites & { plan: Plan; reminder: boolean; alreadyAskedToday: boolean } {
  requireCan(ctx, "request_signatures", ectCtx.ect, plan);
  requireTransition(plan, "request_signatures");
  const amending = plan.status === "agreed" || plan.status === "active";
  if (amending && !plan.amendment)
    throw invalidState("Everyone has signed this plan. Change what was agreed to propose an amendment, then ask for signatures on it.");
  const revision = versionToSign(plan);
  const today = isoToday(ctx);
  if (input.signBy && input.signBy < today) throw invalidState("The date to sign by has passed: choose today or a later date.");

  const proposed = plan.amendment ? combine(plan.amendment.content, plan) : plan;
  const blocking = blockingViolations(validatePlan({ ...plan, ...proposed }, { today, ect: ectCtx.ect, terms: termsOf(ectCtx.school) }), "agree");
  if (blocking.length > 0) throw validationFailed(blocking, "Finish the plan before asking for signatures");

  const signed = new Set(signaturesOn(plan, revision).map((s) => s.role));
  const signers = refreshSigners(plan.signers, ectCtx, signed);
  const unassigned = signers.filter((s) => !s.personId);
  if (unassigned.length > 0) {
    throw invalidState(`Choose who signs as ${unassigned.map((s) => signerLabels[s.role]).join(", ")} before asking for signatures.`);
  }
  const missing = missingSigners({ ...plan, signers });
  if (missing.length === 0) throw invalidState("Everyone has already signed this version of the plan.");

  const reminder = plan.signatureRequest?.revision === revision;
  // A second press the same day (a double click, or a second lead) sends nothing more: signers
  // were asked, or reminded, today already. Changing the sign-by date is still recorded.
  const lastAsked = reminder ? [plan.signatureRequest!.requestedAt, ...plan.signatureRequest!.remindedAt].sort().at(-1) : undefined;
  if (lastAsked && schoolDate(lastAsked) === today && (!input.signBy || input.signBy === plan.signatureRequest!.signBy)) {
    return { plan, reminder: true, alreadyAskedToday: true, audit: [] };
  }
  const at = isoNow(ctx);
  const request = reminder
    ? { ...plan.signatureRequest!, remindedAt: [...plan.signatureRequest!.remindedAt, at].slice(-50) }
    : { revision, requestedAt: at, requestedBy: ctx.actor.id, signBy: input.signBy ?? addDays(today, defaultSignDays), remindedAt: [] };
  if (reminder && input.signBy) request.signBy = input.signBy;
  const saved = nextVersion(ctx, plan, { signers, signatureRequest: request, ...(plan.status === "draft" ? { status: "awaiting_signatures" as const } : {}) });

  const names = missing.map((s) => signerLabels[s.role]).join(", ");
  // The history reads "agreed version N", as the tab, the cards and the export do.
  const what = plan.amendment ? `the amendment (${agreedVersion(revision)} once signed)` : agreedVersion(revision);
  const outbox: NewOutboxMessage[] = missing.map((s) => ({
    kind: "sign_request",
    recipientId: s.personId as string,
    planId: plan.id,
    ectId: plan.ectId,
    // A first request sends once per version; a reminder once a day.
    dedupeKey: reminder ? `sign:${plan.id}:${revision}:${s.role}:remind:${today}` : `sign:${plan.id}:${revision}:${s.role}`,
    data: { role: s.role, revision, reminder, amendment: !!plan.amendment },
  }));
  return {
    plan: saved,
    reminder,
    alreadyAskedToday: false,
    save: [{ plan: saved, expectedVersion: plan.version }],
    audit: [
      auditEntry(
        ctx,
        reminder ? "remindSigners" : "requestSignatures",
        ectCtx.ect,
        saved,
        reminder ? `Reminded ${names} to sign ${what}` : `Asked ${names} to sign ${what} by ${request.signBy}`,
      ),
    ],
    outbox,
  };
}
