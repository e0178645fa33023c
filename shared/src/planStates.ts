import type { Plan, PlanStatus } from "./model/plan.js";
import { invalidState } from "./errors.js";
import { signatureProgress } from "./usecases/signers.js";

/**
 * A plan's life, explicitly. Each step a use case takes names its event; the table says from
 * which statuses it may happen and where it leads. Anything else is refused with a reason.
 *
 *   draft ──request──▶ awaiting_signatures ──last signature──▶ agreed ──start date──▶ active
 *     ▲                        │                                  │                    │
 *     └──── agreement edited ──┘                                  └──── review ────────┤
 *                                                                                      ▼
 *   closed ◀── conclude (on track / further plan) ── in_review ◀───────────────────────┘
 *   closed ◀── escalate (from agreed, active or in_review)
 *
 * While agreed or active, changing the agreement makes an amendment: the status stays, the plan
 * runs on the signed version, and the amendment is asked for, signed (adopted) or withdrawn.
 */
export type PlanEvent =
  | "edit_agreement"
  | "write_running_record"
  | "request_signatures"
  | "sign"
  | "propose_amendment"
  | "withdraw_amendment"
  | "start"
  | "review"
  | "conclude"
  | "escalate";

export const transitions: Record<PlanEvent, { from: readonly PlanStatus[]; to?: PlanStatus; refusal: string }> = {
  edit_agreement: { from: ["draft", "awaiting_signatures"], to: "draft", refusal: "Only a plan not yet agreed is edited directly." },
  write_running_record: {
    from: ["draft", "awaiting_signatures", "agreed", "active", "in_review"],
    refusal: "This plan is closed and kept as a record; it can no longer be changed.",
  },
  request_signatures: {
    from: ["draft", "awaiting_signatures", "agreed", "active"],
    refusal: "Signatures are asked for on a plan before it is agreed, or on an amendment while it runs.",
  },
  sign: { from: ["awaiting_signatures", "agreed", "active"], refusal: "This plan has not been sent for signature." },
  propose_amendment: {
    from: ["agreed", "active"],
    refusal: "The agreement of a plan under review cannot be amended: conclude the review, then plan what comes next.",
  },
  withdraw_amendment: { from: ["agreed", "active", "in_review"], refusal: "There is no amendment to withdraw." },
  start: { from: ["agreed"], to: "active", refusal: "Only an agreed plan can start." },
  review: { from: ["agreed", "active"], to: "in_review", refusal: "A plan is reviewed once everyone has signed it and it has run." },
  conclude: { from: ["in_review"], to: "closed", refusal: "Record the review before deciding what happens next." },
  escalate: {
    from: ["agreed", "active", "in_review"],
    to: "closed",
    refusal: "A plan is escalated once it has been agreed: ask for signatures first, or change the draft's level.",
  },
};

export const mayHappen = (status: PlanStatus, event: PlanEvent) => transitions[event].from.includes(status);

/** Refuses an event the plan's status does not allow, with the table's reason. */
export function requireTransition(plan: Pick<Plan, "status">, event: PlanEvent): void {
  if (plan.status === "closed" && event !== "write_running_record")
    throw invalidState("This plan is closed and kept as a record; it can no longer be changed.");
  if (!mayHappen(plan.status, event)) throw invalidState(transitions[event].refusal);
}

const statusWords: Record<PlanStatus, string> = {
  draft: "Draft",
  awaiting_signatures: "Awaiting signatures",
  agreed: "Agreed",
  active: "Active",
  in_review: "In review",
  closed: "Closed",
};

/** The status as people read it everywhere — tab, caseload, cards: "Awaiting signatures (1 of 3)". */
export function planStage(plan: Pick<Plan, "status" | "signers" | "signatures" | "revision" | "amendment" | "signatureRequest">): string {
  const progress = signatureProgress(plan);
  if (plan.status === "awaiting_signatures" && progress) return `Awaiting signatures (${progress.signed} of ${progress.of})`;
  if (progress?.amendment) return `${statusWords[plan.status]} · amendment awaiting signatures (${progress.signed} of ${progress.of})`;
  if (plan.amendment && plan.status !== "closed") return `${statusWords[plan.status]} · amendment proposed, not yet sent for signature`;
  return statusWords[plan.status];
}

/** The same, from a caseload summary (the store keeps the counts beside it). */
export function summaryStage(summary: { status: PlanStatus; awaitingSignatures?: { signed: number; of: number; amendment: boolean } | undefined }): string {
  const a = summary.awaitingSignatures;
  if (!a) return statusWords[summary.status];
  if (!a.amendment) return `Awaiting signatures (${a.signed} of ${a.of})`;
  return `${statusWords[summary.status]} · amendment awaiting signatures (${a.signed} of ${a.of})`;
}

/** How the reason kept on a closed plan (`outcomeReason`) is headed, in the tab, the cards and the exports. */
export const outcomeReasonHeading: Record<NonNullable<Plan["outcome"]>, string> = {
  escalated: "Reason for escalation",
  continued: "Reason for continuing",
  on_track: "Conclusion",
};
