import { banner, card, formatDate, heading, muted, para, type AdaptiveCard } from "./card.js";

/** Issue 7: a progress review or formal assessment from the induction timeline is due or overdue. */
export function statutoryReviewDueCard(input: { ectName: string; label: string; date: string; daysLeft: number }): AdaptiveCard {
  const { ectName, label, date, daysLeft } = input;
  const when = daysLeft < 0 ? `Overdue since ${formatDate(date)}` : daysLeft === 0 ? "Due today" : `Due in ${daysLeft} days (${formatDate(date)})`;
  return card([
    banner(when, daysLeft < 0 ? "attention" : daysLeft <= 1 ? "warning" : "accent"),
    heading(`${label}: ${ectName}`),
    muted("Statutory induction timeline"),
    para("Rate each Teachers' Standard, write a statement where the rating needs one, set targets and say whether the ECT is on track."),
  ]);
}
