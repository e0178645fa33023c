import { banner, card, clip, formatDate, heading, muted, para, plainText, type AdaptiveCard } from "./card.js";

/** Issue 7: a progress review or formal assessment from the induction timeline is due or overdue. */
export function statutoryReviewDueCard(input: { ectName: string; label: string; date: string; daysLeft: number }): AdaptiveCard {
  const { ectName, label, date, daysLeft } = input;
  const when = daysLeft < 0 ? `Overdue since ${formatDate(date)}` : daysLeft === 0 ? "Due today" : `Due in ${daysLeft} days (${formatDate(date)})`;
  return card([
    banner(when, daysLeft < 0 ? "attention" : daysLeft <= 1 ? "warning" : "accent"),
    heading(`${plainText(clip(label, 200))}: ${plainText(clip(ectName, 200))}`),
    muted("Statutory induction timeline"),
    para("Rate each Teachers' Standard, write a statement where the rating needs one, set targets and say whether the ECT is on track."),
  ]);
}
