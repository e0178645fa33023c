import type { AttentionReason } from "@shared/model/caseload";
import type { SignerRole } from "../lib/types";
import { formatDate } from "../lib/format";

/** Whose signature, as a school says it ("the head's", not the form's "Headteacher/Principal"). */
const whose: Record<SignerRole, string> = {
  ect: "the ECT's",
  trainee: "the trainee's",
  induction_tutor: "the induction tutor's",
  mentor: "the mentor's",
  head: "the head's",
  course_tutor: "the course tutor's",
  director: "the director's",
  professional_mentor: "the professional mentor's",
  lead_subject_mentor: "the lead subject mentor's",
};

const and = (parts: string[]) => (parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1) ?? ""}`);

/** One reason in words; `late` when something is past its day (shown as a warning). */
export interface ReasonLine {
  text: string;
  late: boolean;
}

/**
 * A row's reasons in words, one line each, in the server's order; the signers still to sign
 * are one line ("Awaiting the ECT's and the head's signatures"), not one per signer.
 */
export function reasonLines(reasons: readonly AttentionReason[], today: string): ReasonLine[] {
  const lines: ReasonLine[] = [];
  const awaited = reasons.filter((r) => r.kind === "awaiting_signature");
  for (const r of reasons) {
    switch (r.kind) {
      case "check_in_unanswered":
        lines.push({ text: `${r.count === 1 ? "Check-in" : `${r.count} check-ins`} unanswered since ${formatDate(r.since)}`, late: true });
        break;
      case "review_due":
        lines.push({
          text: r.overdue ? `Review overdue since ${formatDate(r.on)}` : r.on === today ? "Review due today" : `Review due ${formatDate(r.on)}`,
          late: r.overdue,
        });
        break;
      case "awaiting_signature":
        if (r !== awaited[0]) break;
        lines.push({
          text: `${r.amendment ? "Amendment awaiting" : "Awaiting"} ${and(awaited.map((a) => whose[a.role]))} ${awaited.length === 1 ? "signature" : "signatures"}`,
          late: awaited.some((a) => !!a.signBy && a.signBy < today),
        });
        break;
      case "not_sent_for_signature":
        lines.push({ text: r.amendment ? "Amendment not yet sent for signature" : "Draft not yet sent for signature", late: false });
        break;
    }
  }
  return lines;
}

/** The lines' words only. */
export const reasonsInWords = (reasons: readonly AttentionReason[], today: string): string[] => reasonLines(reasons, today).map((l) => l.text);
