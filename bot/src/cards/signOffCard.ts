import {
  banner,
  bullets,
  card,
  clip,
  execute,
  facts,
  formatDate,
  formatDueDate,
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
import { agreedVersion } from "@ectsp/shared";
import { wordOf, type PlanBrief } from "./planBrief.js";

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface SignerLine {
  role: string;
  /** The role as the form names it, e.g. "Induction tutor". */
  roleLabel: string;
  personId?: string;
  name: string;
  /** Channel user id, for refresh. */
  userId?: string;
  /** When they signed the version this card is about. */
  signedAt?: string;
}

/** A target as the card shows it: its words (clipped here) and its Teachers' Standards codes. */
export interface TargetLine {
  text: string;
  standards: string[];
}

export interface SignOffCardInput {
  /** The plan; for an amendment, its dates are the dates being approved. */
  plan: PlanBrief;
  /** The version being signed now (versionToSign: the amendment's while there is one): the Sign button binds it. */
  revision: number;
  /** Who signs, and whether they have signed `revision`. */
  signers: SignerLine[];
  /** Who is looking: the card shows Sign only to a required signer who has not signed. */
  viewerId?: string;
  /** Set when the plan was sent for signature on `revision`; without it nobody can sign yet. */
  request?: { signBy: string };
  /** What is being approved, in short: the targets (the amendment's proposal for an amendment). */
  targets: TargetLine[];
  /** `revision` amends the agreed version: what changes and who proposed it. */
  amendment?: { baseRevision: number; changes: string[]; proposedByName: string; proposedAt: string };
  /** The seal of the agreement the plan runs on, once agreed: its revision and SHA-256. */
  seal?: { revision: number; digest: string; matches: boolean };
  /** Someone pressed Sign on an older card: this is the current version. */
  stale?: boolean;
  /** The version the recipient was asked to sign changed; signatures on it no longer count. */
  voided?: boolean;
  /** The amendment the recipient was asked to sign was withdrawn: the plan runs on as signed. */
  withdrawn?: boolean;
  reminder?: boolean;
}

const maxTargets = 4;
const maxChanges = 8;

/** "3f1c2a9b…77e4d0aa": enough of a digest to recognise it; the export prints it whole. */
export const shortDigest = (digest: string) => (digest.length > 20 ? `${digest.slice(0, 8)}…${digest.slice(-8)}` : digest);

const targetLine = (t: TargetLine) => clip(`${t.standards.length ? `${t.standards.join(", ")}: ` : ""}${t.text || "(no wording yet)"}`, 200);

/**
 * The sign-off card: what is being approved (the ECT, the form, the dates, the targets in short,
 * for an amendment what changes), the date to sign by, and who has signed. Only the person a
 * signer line names sees Sign, and only once the version was sent for signature; the button
 * carries the version they are looking at, so the signature binds that exact version.
 */
export function signOffCard(input: SignOffCardInput): AdaptiveCard {
  const { plan, revision, amendment } = input;
  const ref = { card: "signOff" as const, planId: plan.planId, revision };
  const signed = input.signers.filter((s) => s.signedAt);
  const complete = signed.length === input.signers.length && input.signers.length > 0;
  const closed = plan.status === "closed";
  const mine = input.signers.filter((s) => s.personId && s.personId === input.viewerId && !s.signedAt);
  const canSign = !closed && !complete && !!input.request && mine.length > 0;
  const nameOf = (s: SignerLine) => plainText(clip(s.name, 200));
  const agreed = complete && !amendment;

  const body: CardElement[] = [];
  if (input.stale) {
    body.push(
      banner(
        `This plan changed after this card was sent. This is the current version (${agreedVersion(revision)}${agreed ? "" : " once signed"})${canSign ? ": read it, then sign if you agree" : ""}.`,
        "warning",
      ),
    );
  }
  if (input.withdrawn) body.push(banner("The amendment you were asked to sign was withdrawn. The plan runs on as everyone signed it.", "accent"));
  else if (input.voided && !complete) {
    body.push(banner("The plan changed after you were asked to sign, so signatures on the earlier version no longer count.", "attention"));
  } else if (input.reminder && canSign) {
    body.push(banner(`Reminder: this plan is waiting for your signature${input.request ? `, by ${formatDueDate(input.request.signBy)}` : ""}`, "warning"));
  }
  if (input.seal && !input.seal.matches) body.push(banner("The agreed text no longer matches what was signed. Check the plan's history.", "attention"));

  const title = closed
    ? "Plan closed"
    : agreed
      ? "Plan signed by everyone"
      : amendment
        ? "Amendment to the agreed plan"
        : input.request
          ? "Sign-off requested"
          : "Plan not yet sent for signature";
  body.push(
    heading(title),
    facts([
      ["ECT", plainText(clip(plan.ectName, 200))],
      ["Form", plan.title],
      ["Status", plan.stage],
      // The agreement's numbering reads "agreed version N" everywhere (the tab, the export), never "revision".
      [
        "Version",
        cap(
          amendment
            ? `${agreedVersion(revision)} once signed, amending ${agreedVersion(amendment.baseRevision)}`
            : `${agreedVersion(revision)}${complete ? "" : " once signed"}`,
        ),
      ],
      ["Starts", formatDate(plan.startDate)],
      ["Ends", formatDate(plan.endDate)],
      ["Review", formatDate(plan.reviewDate)],
      ["Sign by", input.request && !complete && !closed ? formatDueDate(input.request.signBy) : ""],
      ["Seal", agreed && input.seal ? `${cap(agreedVersion(input.seal.revision))} · SHA-256 ${shortDigest(input.seal.digest)}` : ""],
    ]),
  );

  // Says in words what a signature approves: the agreement of this version, not the running record.
  if (!closed && !agreed) {
    body.push(
      muted(
        `Signing approves ${amendment ? "the amended agreement" : "the agreement"} of ${agreedVersion(revision)}: its ${wordOf(plan)}s, success criteria, planned actions and support, and dates. The weekly record is not part of it.`,
      ),
    );
  }
  if (amendment) {
    const changes = amendment.changes.slice(0, maxChanges).map((c) => clip(c, 200));
    if (amendment.changes.length > maxChanges) changes.push(`…and ${amendment.changes.length - maxChanges} more changes in the plan`);
    body.push(
      subheading("What the amendment changes"),
      muted(`This is an amendment to ${agreedVersion(amendment.baseRevision)}, which the plan runs on until everyone has signed the amendment.`),
      ...(changes.length ? bullets(changes) : [para("No change to the agreement is listed.")]),
      muted(`Proposed by ${plainText(clip(amendment.proposedByName, 200))} on ${formatDate(amendment.proposedAt)}`),
    );
  }
  if (input.targets.length) {
    const lines = input.targets.slice(0, maxTargets).map(targetLine);
    if (input.targets.length > maxTargets) lines.push(`…and ${input.targets.length - maxTargets} more in the plan`);
    const Word = wordOf(plan) === "objective" ? "Objectives" : "Targets";
    body.push(subheading(amendment ? `${Word} as amended` : Word), ...bullets(lines));
  }

  body.push(
    subheading(`Signatures (${signed.length} of ${input.signers.length})`),
    facts(input.signers.map((s) => [s.roleLabel, s.signedAt ? `${nameOf(s)}: signed ${formatDate(s.signedAt)}` : `${nameOf(s)}: not yet signed`])),
  );

  const actions: CardElement[] = [];
  if (closed) body.push(para("This plan is closed; it can no longer be signed."));
  else if (canSign) {
    body.push(
      para(
        `Read the plan, then sign as ${mine.map((s) => s.roleLabel).join(" and ")}. Your signature applies to ${agreedVersion(revision)}${amendment ? " (the amendment)" : ""} only.`,
      ),
    );
    actions.push(execute("Sign", "sign", { ref }, "positive"));
  } else if (mine.length && !complete) {
    body.push(para("This version has not been sent for signature yet. You will get a card to sign when it is."));
  } else if (agreed) {
    body.push(banner(`Agreed: every signature is on ${agreedVersion(revision)}, the version the plan runs on`, "good"));
  } else if (complete) body.push(banner(`Everyone has signed ${agreedVersion(revision)}`, "good"));
  actions.push(openUrl("Read the plan", plan.url));
  return card(body, {
    actions,
    refresh: refreshFor(
      ref,
      input.signers.map((s) => s.userId ?? ""),
    ),
  });
}
