import {
  agreedVersion,
  outcomeReasonHeading,
  agreementDigest,
  planStage,
  signaturesOn,
  signatureProgress,
  signerLabels,
  validSignatures,
  type Plan,
  type PlanOutcome,
  type Signature,
} from "@ectsp/shared";
import type { Block } from "../model.js";
import type { ExportInput } from "../input.js";
import { formatDate, formatDateTime } from "../format.js";

/**
 * Agreed: everyone required has signed the revision the plan runs on, and the plan went past
 * "awaiting signatures". An amendment waiting beside it does not undo that: the export prints
 * the agreed version.
 */
export function isAgreed(plan: Plan): boolean {
  if (plan.status === "draft" || plan.status === "awaiting_signatures") return false;
  const valid = validSignatures(plan);
  return plan.signers.length > 0 && plan.signers.every((s) => valid.some((v) => v.role === s.role));
}

/** The signatures on the version printed, checked against the digest recomputed from the content printed. */
export interface SealCheck {
  revision: number;
  /** agreementDigest of the plan's content as printed (the agreed version, or the version being signed). */
  digest: string;
  signatures: Signature[];
  /** Sealed signatures whose digest is not the recomputed one: the text changed after they signed. */
  mismatched: Signature[];
  /** Signatures made before seals existed: no digest or method to check. */
  unsealed: Signature[];
}

export function sealCheck(plan: Plan): SealCheck {
  const digest = agreementDigest(plan, plan);
  const signatures = signaturesOn(plan, plan.revision);
  return {
    revision: plan.revision,
    digest,
    signatures,
    mismatched: signatures.filter((s) => s.digest !== undefined && s.digest !== digest),
    unsealed: signatures.filter((s) => s.digest === undefined),
  };
}

const closedLabels: Record<PlanOutcome, string> = {
  on_track: "the ECT came off the plan, on track",
  continued: "a further plan at the same level followed",
  escalated: "escalated to the next level",
};

/** The status in the words used everywhere (planStage), with how a closed plan ended. */
export function statusText(plan: Plan): string {
  const stage = planStage(plan);
  return plan.status === "closed" && plan.outcome ? `${stage} (${closedLabels[plan.outcome]})` : stage;
}

/** How the reason a plan ended is headed, on the export and on the alert card. */
export function outcomeReasonLabel(outcome: PlanOutcome | undefined): string {
  return outcomeReasonHeading[outcome ?? "on_track"];
}

const outcomeWords: Record<PlanOutcome, string> = {
  on_track: "Closed: the ECT is on track and came off the plan",
  continued: "Closed: a further plan followed",
  escalated: "Closed: escalated to the next level",
};

/** A closed plan's outcome and, in the words of whoever decided it, why. */
export function outcomeBlock(input: ExportInput): Block[] {
  const { plan } = input;
  if (plan.status !== "closed" || !plan.outcome) return [];
  return [
    { kind: "heading", text: "Outcome of the plan", level: 2 },
    {
      kind: "fields",
      rows: [
        { label: "Outcome:", value: outcomeWords[plan.outcome] },
        { label: `${outcomeReasonLabel(plan.outcome)}:`, value: plan.outcomeReason?.trim() || "No reason was recorded." },
      ],
    },
  ];
}

/**
 * While an amendment waits: this document is the agreed version; the amendment is named beside
 * it (which revision, who proposed it and when, where its signatures stand, what it changes),
 * never printed as if agreed.
 */
export function amendmentNote(input: ExportInput): Block[] {
  const { plan } = input;
  const amendment = plan.amendment;
  if (!amendment) return [];
  const progress = signatureProgress(plan);
  const asked = plan.signatureRequest?.revision === amendment.revision ? plan.signatureRequest : undefined;
  const who = amendment.proposedByName || input.people.get(amendment.proposedBy) || "someone";
  const where = asked
    ? `awaits signatures${progress ? ` (${progress.signed} of ${progress.of})` : ""}, to be signed by ${formatDate(asked.signBy)}`
    : "has not been sent for signature yet";
  const signed = signaturesOn(plan, amendment.revision);
  return [
    { kind: "heading", text: "Amendment awaiting signatures", level: 2 },
    {
      kind: "paragraph",
      tone: "alert",
      text: `This document prints ${agreedVersion(plan.revision)}, which the plan runs on. An amendment to it (${agreedVersion(amendment.revision)} once signed), proposed by ${who} on ${formatDateTime(amendment.proposedAt)}, ${where}. It becomes the agreement only when everyone has signed it.`,
    },
    {
      kind: "table",
      columns: [{ label: `What the amendment (${agreedVersion(amendment.revision)} once signed) changes`, weight: 1 }],
      rows: amendment.changes.length
        ? amendment.changes.map((c) => ({ cells: [{ text: c.label }] }))
        : [{ cells: [{ text: "No change to the agreement is listed." }] }],
    },
    ...(signed.length
      ? [
          {
            kind: "paragraph" as const,
            tone: "note" as const,
            text: `Signed the amendment so far: ${signed.map((s) => `${s.name} as ${signerLabels[s.role]}, ${formatDateTime(s.signedAt)}`).join("; ")}.`,
          },
        ]
      : []),
  ];
}
