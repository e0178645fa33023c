import { banner, card, clip, execute, formatDate, heading, muted, openUrl, para, plainText, subheading, type AdaptiveCard, type CardElement } from "./card.js";
import { wordOf, type PlanBrief } from "./planBrief.js";

/**
 * Reminder kinds a person may mute (the dispatcher skips a muted kind for its recipient). Sign-offs
 * and escalations are never mutable: they ask for a decision or report one.
 */
export const mutableReminderKinds = ["checkin_reminder", "review_due", "tutor_digest", "ab_weekly_update", "statutory_review_due"] as const;
export type MutableReminderKind = (typeof mutableReminderKinds)[number];
export const isMutable = (kind: string): kind is MutableReminderKind => (mutableReminderKinds as readonly string[]).includes(kind);

/**
 * Mute a kind of reminder. `personId` is the recipient the card was sent to: the bot refuses the
 * button to anyone else (a forwarded card), rather than mute the presser's own reminders unasked.
 */
export const muteAction = (kind: MutableReminderKind, label: string, personId?: string): CardElement =>
  execute(`Mute ${label}`, "mute", { kind, ...(personId ? { personId } : {}) });

export interface ReviewDueCardInput {
  plan: PlanBrief;
  /** Days until the review date: 7, 1, 0 (today) or negative (overdue). */
  daysLeft: number;
  /** Who the card is for (the mute is theirs). */
  recipientId?: string;
}

/** Before a review is due (7 days, 1 day), on the day, and when overdue. */
export function reviewDueCard(input: ReviewDueCardInput): AdaptiveCard {
  const { plan, daysLeft } = input;
  const when =
    daysLeft < 0
      ? `The review was due ${formatDate(plan.reviewDate)} and is overdue`
      : daysLeft === 0
        ? "The review is due today"
        : daysLeft === 1
          ? "The review is due tomorrow"
          : `The review is due in ${daysLeft} days`;
  return card(
    [
      banner(when, daysLeft < 0 ? "attention" : daysLeft <= 1 ? "warning" : "accent"),
      heading(`Review: ${plainText(clip(plan.ectName, 200))}`),
      muted(`${plan.title} · review ${formatDate(plan.reviewDate)}`),
      para(`Record the outcome of each ${wordOf(plan)} and whether the ECT is on track, then decide what happens next.`),
    ],
    { actions: [openUrl("Open the plan", plan.url), muteAction("review_due", "review reminders", input.recipientId)] },
  );
}

/** A name inside our own Markdown list item and link: one line (a line break would end the item), escaped. */
const oneLine = (text: string, max: number) => plainText(clip(text.replace(/\s+/g, " "), max));

export interface DigestLine {
  ectName: string;
  detail: string;
  url: string;
}

export interface TutorDigestInput {
  weekOf: string;
  missingCheckIns: DigestLine[];
  unsignedPlans: DigestLine[];
  /** Progress reviews and formal assessments past their date: listed here each week, reminded once on their own. */
  overdueReviews?: DigestLine[];
  /** The tutor the digest is for (the mute is theirs). */
  recipientId?: string;
}

/** The tutor's weekly digest: check-ins not answered and plans not fully signed. */
export function tutorDigestCard(input: TutorDigestInput): AdaptiveCard {
  const list = (lines: DigestLine[]) =>
    lines.length
      ? para(
          lines
            .slice(0, 25)
            .map((l) => `- [${oneLine(l.ectName, 200)}](${l.url}): ${oneLine(l.detail, 200)}`)
            .join("\n") + (lines.length > 25 ? `\n- …and ${lines.length - 25} more` : ""),
        )
      : para("None.");
  return card(
    [
      heading("Your weekly digest"),
      muted(`Week of ${formatDate(input.weekOf)}`),
      subheading(`Check-ins not answered (${input.missingCheckIns.length})`),
      list(input.missingCheckIns),
      subheading(`Plans waiting for signatures (${input.unsignedPlans.length})`),
      list(input.unsignedPlans),
      ...(input.overdueReviews?.length ? [subheading(`Statutory reviews overdue (${input.overdueReviews.length})`), list(input.overdueReviews)] : []),
    ],
    { actions: [muteAction("tutor_digest", "the digest", input.recipientId)] },
  );
}
