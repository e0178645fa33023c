import {
  banner,
  card,
  clip,
  execute,
  facts,
  formatDate,
  heading,
  muted,
  openUrl,
  plainText,
  refreshFor,
  subheading,
  verbatim,
  type AdaptiveCard,
} from "./card.js";
import type { PlanBrief } from "./planBrief.js";

export interface EvaluationCardInput {
  plan: PlanBrief;
  week: number;
  action: string;
  successCriteria: string;
  /** The ECT's comment on progress, if they have answered. */
  ectComment: string;
  /** The evaluation already written, if any: the card shows it as recorded. */
  evaluation: string;
  /** Channel user ids of those who may see this card as it is now (the mentor and the tutor). */
  viewerUserIds: string[];
}

/**
 * Asks whoever leads the level to evaluate the week's progress: the mentor at Level 1, the
 * induction tutor at Levels 2–5 (permissions.ts weekEvaluatorId chooses; the scheduler and the
 * ECT's check-in answer send it to that one person only).
 */
export function evaluationCard(input: EvaluationCardInput): AdaptiveCard {
  const { plan, week } = input;
  const ref = { card: "evaluation" as const, planId: plan.planId, week };
  const name = plainText(clip(plan.ectName, 200));
  const body = [
    heading(`Evaluate week ${week}: ${name}`),
    muted(`${plan.title}${plan.weeksTotal ? ` · week ${week} of ${plan.weeksTotal}` : ""}`),
    subheading("Action"),
    verbatim(clip(input.action || "No action written for this week.", 800)),
    subheading("Success criteria"),
    verbatim(clip(input.successCriteria || "None written for this week.", 800)),
    subheading(`${name}'s comment on progress`),
    verbatim(input.ectComment ? clip(input.ectComment, 2000) : "Not answered yet."),
  ];
  const refresh = refreshFor(ref, input.viewerUserIds);
  if (input.evaluation) {
    body.push(banner(`Evaluation recorded on week ${week}`, "good"), verbatim(clip(input.evaluation, 2000)));
    return card(body, { actions: [openUrl("Open the plan", plan.url)], refresh });
  }
  body.push(facts([["Review date", formatDate(plan.reviewDate)]]), {
    type: "Input.Text",
    id: "evaluation",
    label: "Evaluation of progress this week",
    isMultiline: true,
    maxLength: 4000,
    isRequired: true,
    errorMessage: "Write the evaluation of progress",
  });
  return card(body, { actions: [execute("Record evaluation", "evaluate", { ref }, "positive"), openUrl("Open the plan", plan.url)], refresh });
}
