import { banner, bullets, card, clip, facts, formatDate, heading, muted, openUrl, para, plainText, subheading, verbatim, type AdaptiveCard } from "./card.js";
import type { PlanBrief } from "./planBrief.js";

export interface AlertCardInput {
  kind: "escalation_alert" | "insufficient_progress_alert";
  /** The plan now running (the successor at the new level). */
  plan: PlanBrief;
  /** The level the ECT was on before. */
  fromLevel?: number;
  /**
   * Why, as the person who decided wrote it (the closed plan's outcomeReason), under its label:
   * "Reason for escalation", "Reason for continuing".
   */
  reason?: { label: string; text: string };
  /** What the review found: targets not met, the review's evaluation. Shortened on the card. */
  reasons: string[];
  /** What the AB does at this level (from the escalation ladder). */
  abInvolvement?: string;
  isEct2?: boolean;
  /** Who escalated (or recorded the review) and when: names and a date, no content. */
  decided?: { byName: string; at: string };
  /** The date of the review held on the plan it replaced, when one was. */
  previousReview?: string;
}

/** Tells the induction tutor and the AB that a plan was escalated or a review found insufficient progress, and why. */
export function alertCard(input: AlertCardInput): AdaptiveCard {
  const { plan } = input;
  const level = plan.level ? `Level ${plan.level}${plan.levelName ? ` – ${plan.levelName}` : ""}` : plan.title;
  const title = input.kind === "escalation_alert" ? `Escalated to ${level}` : "Review: insufficient progress";
  const reasons = input.reasons.filter((r) => r.trim()).slice(0, 6);
  const reason = input.reason?.text.trim() ? input.reason : undefined;
  const escalation = input.kind === "escalation_alert";
  return card(
    [
      banner(title, plan.level && plan.level >= 4 ? "attention" : "warning"),
      heading(plainText(clip(plan.ectName, 200))),
      muted(input.isEct2 ? "ECT2" : "Early career teacher"),
      facts([
        ["Level", level],
        ["Previous level", input.fromLevel ? `Level ${input.fromLevel}` : ""],
        [escalation ? "Escalated by" : "Reviewed by", input.decided ? plainText(clip(input.decided.byName, 200)) : ""],
        [escalation ? "Escalated on" : "Reviewed on", formatDate(input.decided?.at)],
        ["Plan", plan.title],
        ["Status", plan.stage],
        ["Starts", formatDate(plan.startDate)],
        // A new plan is a draft until agreed: say its review is not set rather than leave it out.
        ["Review", formatDate(plan.reviewDate) || "Not set yet"],
        ["Previous review", formatDate(input.previousReview)],
      ]),
      ...(reason ? [subheading(reason.label), verbatim(clip(reason.text, 1500))] : []),
      ...(reasons.length ? [subheading("At the review"), ...bullets(reasons.map((r) => clip(r, 400)))] : []),
      ...(!reason && !reasons.length ? [subheading("Reasons"), verbatim("No reason was recorded. See the plan's review in the app.")] : []),
      ...(input.abInvolvement ? [subheading("What happens at this level"), para(clip(input.abInvolvement, 600))] : []),
    ],
    { actions: [openUrl("Open the plan", plan.url)] },
  );
}
