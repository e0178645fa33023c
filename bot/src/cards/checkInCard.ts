import {
  banner,
  bullets,
  card,
  clip,
  execute,
  facts,
  formatDate,
  formatDueDate,
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

export interface CheckInCardInput {
  plan: PlanBrief;
  checkInId: string;
  week: number;
  dueOn: string;
  /** This week's row: the action, by whom, success criteria. */
  action: string;
  byWhom: string;
  successCriteria: string;
  /** The plan's targets (objectives), shortened. */
  targets: string[];
  /** Set once answered: the card shows what was recorded. */
  answered?: { comment: string; at: string };
  /** Channel user id of the ECT, so their copy refreshes itself. */
  ectUserId?: string;
  /** A reminder rather than the first prompt. */
  reminder?: boolean;
}

/** The weekly check-in the ECT answers in the card; the answer lands on the week's row. */
export function checkInCard(input: CheckInCardInput): AdaptiveCard {
  const { plan, week } = input;
  const ref = { card: "checkIn" as const, planId: plan.planId, checkInId: input.checkInId, week };
  const body = [
    ...(input.reminder && !input.answered ? [banner("Reminder: your check-in for this week is still open", "warning")] : []),
    heading(`Week ${week} check-in`),
    muted(`${plan.title} · ${plainText(clip(plan.ectName, 200))}${plan.weeksTotal ? ` · week ${week} of ${plan.weeksTotal}` : ""}`),
    subheading("This week's actions"),
    verbatim(clip(input.action || "No action written for this week yet.", 800)),
    facts([
      ["By whom", plainText(clip(input.byWhom, 200))],
      ["Due", formatDueDate(input.dueOn)],
    ]),
    subheading("Success criteria"),
    verbatim(clip(input.successCriteria || "None written for this week yet.", 800)),
    ...(input.targets.length
      ? [
          subheading("Your targets"),
          ...bullets([
            ...input.targets.slice(0, 5).map((t) => clip(t, 240)),
            ...(input.targets.length > 5 ? [`…and ${input.targets.length - 5} more in the plan`] : []),
          ]),
        ]
      : []),
  ];
  if (input.answered) {
    body.push(
      banner(`Recorded on week ${week} of your plan`, "good"),
      verbatim(clip(input.answered.comment, 2000)),
      muted(`Sent ${formatDate(input.answered.at)}`),
    );
    return card(body, { actions: [openUrl("Open the plan", plan.url)], refresh: refreshFor(ref, input.ectUserId ? [input.ectUserId] : []) });
  }
  body.push({
    type: "Input.Text",
    id: "comment",
    label: "Your comment on progress this week",
    isMultiline: true,
    maxLength: 2000,
    isRequired: true,
    errorMessage: "Write a comment on your progress this week",
    placeholder: "What went well, what was hard, what support would help",
  });
  return card(body, {
    actions: [execute("Send my comment", "checkIn", { ref }, "positive"), openUrl("Open the plan", plan.url)],
    refresh: refreshFor(ref, input.ectUserId ? [input.ectUserId] : []),
  });
}
