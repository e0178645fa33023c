import { returnReasonLabels, type ReturnReason } from "@ectsp/shared";
import { banner, card, clip, formatDate, heading, muted, openUrl, para, plainText, type AdaptiveCard, type CardElement } from "./card.js";

export interface RecordNoticeCardInput {
  ectName: string;
  /** "Progress review 1 (Autumn 2026)". */
  label: string;
  revision: number;
  /** The ECT's induction records, where the record is signed or revised (recordsLink). */
  url: string;
  /** signed: every required signer has signed (for the AB). returned: the AB sent it back (for the school). */
  event: "signed" | "returned";
  /** For a return: who returned it, when, why. */
  returnedBy?: string;
  returnedAt?: string;
  reasons?: readonly ReturnReason[];
  comments?: string;
}

/**
 * Issue 16: a review or assessment is signed by everyone (the AB's officers are told it is ready
 * to read) or returned by the AB to the school with its reasons (the induction tutor and leads
 * are told what to change). Comments are shown clipped; the full text is in the tab.
 */
export function recordNoticeCard(input: RecordNoticeCardInput): AdaptiveCard {
  const title = `${plainText(clip(input.label, 200))}: ${plainText(clip(input.ectName, 200))}`;
  const revision = input.revision > 1 ? ` (revision ${input.revision})` : "";
  const body: CardElement[] =
    input.event === "signed"
      ? [
          banner("Signed by the ECT, induction tutor and headteacher", "good"),
          heading(title),
          para(`Every signature is in${revision}. Read it, then accept it or return it to the school with your comments.`),
        ]
      : [
          banner("Returned by the appropriate body", "warning"),
          heading(title),
          muted(`${plainText(clip(input.returnedBy ?? "The appropriate body", 200))}${input.returnedAt ? `, ${formatDate(input.returnedAt)}` : ""}${revision}`),
          ...(input.reasons?.length ? [para(`Reasons: ${input.reasons.map((r) => returnReasonLabels[r]).join("; ")}`)] : []),
          ...(input.comments ? [para(plainText(clip(input.comments, 1000)))] : []),
          para("Revise it in the records; it is then signed again."),
        ];
  return card(body, { actions: [openUrl(input.event === "signed" ? "Read the record" : "Revise the record", input.url)] });
}
