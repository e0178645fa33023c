import {
  banner,
  card,
  clip,
  execute,
  facts,
  formatDate,
  heading,
  muted,
  openUrl,
  para,
  plainText,
  refreshFor,
  subheading,
  type AdaptiveCard,
  type CardElement,
} from "./card.js";
import type { PlanBrief } from "./planBrief.js";

export interface SignerLine {
  role: string;
  /** The role as the form names it, e.g. "Induction tutor". */
  roleLabel: string;
  personId?: string;
  name: string;
  /** Channel user id, for refresh. */
  userId?: string;
  signedAt?: string;
}

export interface SignOffCardInput {
  plan: PlanBrief;
  /** The content revision being signed: the Sign button binds it. */
  revision: number;
  signers: SignerLine[];
  /** Who is looking: the card shows Sign only to a required signer who has not signed. */
  viewerId?: string;
  /** The plan changed after some people signed; everyone signs again. */
  voided?: boolean;
  reminder?: boolean;
}

/**
 * The sign-off request. Only the person a signer line names sees Sign; the button carries the
 * revision they are looking at, so the signature binds that exact version. Every signer's card
 * shows who has signed.
 */
export function signOffCard(input: SignOffCardInput): AdaptiveCard {
  const { plan, revision } = input;
  const ref = { card: "signOff" as const, planId: plan.planId, revision };
  const signed = input.signers.filter((s) => s.signedAt);
  const complete = signed.length === input.signers.length && input.signers.length > 0;
  const mine = input.signers.filter((s) => s.personId && s.personId === input.viewerId && !s.signedAt);
  const closed = plan.status === "closed";
  const nameOf = (s: SignerLine) => plainText(clip(s.name, 200));

  const body: CardElement[] = [];
  if (input.voided && !complete) body.push(banner("The plan changed after it was signed, so everyone signs the new version", "attention"));
  else if (input.reminder && mine.length && !complete) body.push(banner("Reminder: this plan is waiting for your signature", "warning"));
  body.push(
    heading(complete ? "Plan signed by everyone" : "Sign-off requested"),
    muted(`${plan.title} · ${plainText(clip(plan.ectName, 200))}`),
    facts([
      ["Version", `Revision ${revision}`],
      ["Starts", formatDate(plan.startDate)],
      ["Ends", formatDate(plan.endDate)],
      ["Review", formatDate(plan.reviewDate)],
    ]),
    subheading(`Signatures (${signed.length} of ${input.signers.length})`),
    facts(input.signers.map((s) => [s.roleLabel, s.signedAt ? `${nameOf(s)}: signed ${formatDate(s.signedAt)}` : `${nameOf(s)}: not yet signed`])),
  );
  const actions: CardElement[] = [];
  if (closed) body.push(para("This plan is closed; it can no longer be signed."));
  else if (mine.length && !complete) {
    body.push(para(`Read the plan, then sign as ${mine.map((s) => s.roleLabel).join(" and ")}. Your signature applies to revision ${revision} only.`));
    actions.push(execute("Sign", "sign", { ref }, "positive"));
  } else if (complete) body.push(banner("Agreed: all signatures are on this version", "good"));
  actions.push(openUrl("Read the plan", plan.url));
  return card(body, {
    actions,
    refresh: refreshFor(
      ref,
      input.signers.map((s) => s.userId ?? ""),
    ),
  });
}
