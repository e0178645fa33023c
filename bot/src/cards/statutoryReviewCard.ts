import { banner, card, clip, formatDate, heading, muted, openUrl, para, plainText, type AdaptiveCard } from "./card.js";
import { muteAction } from "./reminderCard.js";

export interface StatutoryReviewDueCardInput {
  ectName: string;
  /** "Progress review 1", "Formal assessment 2". */
  label: string;
  date: string;
  daysLeft: number;
  /** The ECT's induction records, where the review is written (recordsLink). */
  url: string;
  /** The induction tutor the card is for (the mute is theirs). */
  recipientId?: string;
}

/** Issue 7: a progress review or formal assessment from the induction timeline is due or overdue. */
export function statutoryReviewDueCard(input: StatutoryReviewDueCardInput): AdaptiveCard {
  const { ectName, label, date, daysLeft } = input;
  const when = daysLeft < 0 ? `Overdue since ${formatDate(date)}` : daysLeft === 0 ? "Due today" : `Due in ${daysLeft} days (${formatDate(date)})`;
  return card(
    [
      banner(when, daysLeft < 0 ? "attention" : daysLeft <= 1 ? "warning" : "accent"),
      heading(`${plainText(clip(label, 200))}: ${plainText(clip(ectName, 200))}`),
      muted("Statutory induction timeline"),
      para("Rate each Teachers' Standard, write a statement where the rating needs one, set targets and say whether the ECT is on track."),
    ],
    { actions: [openUrl("Open the records", input.url), muteAction("statutory_review_due", "statutory review reminders", input.recipientId)] },
  );
}
