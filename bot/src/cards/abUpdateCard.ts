import { card, clip, facts, formatDate, heading, muted, openUrl, plainText, subheading, verbatim, type AdaptiveCard } from "./card.js";
import type { PlanBrief } from "./planBrief.js";
import { muteAction } from "./reminderCard.js";

export interface AbUpdateCardInput {
  plan: PlanBrief;
  week: number;
  action: string;
  evaluation: string;
  ectCommented: boolean;
  checkInStatus: "answered" | "open" | "none";
  /** The AB officer the update is for (the mute is theirs). */
  recipientId?: string;
}

/** The weekly update the AB receives for ECTs at Levels 4–5 (cause for concern, at risk of failing). */
export function abUpdateCard(input: AbUpdateCardInput): AdaptiveCard {
  const { plan } = input;
  return card(
    [
      heading(`Weekly update: ${plainText(clip(plan.ectName, 200))}`),
      muted(`${plan.title} · week ${input.week}${plan.weeksTotal ? ` of ${plan.weeksTotal}` : ""}`),
      facts([
        ["Level", plan.level ? `Level ${plan.level}${plan.levelName ? ` – ${plan.levelName}` : ""}` : ""],
        ["ECT's check-in", input.checkInStatus === "answered" ? "Answered" : input.checkInStatus === "open" ? "Not answered yet" : "Not sent"],
        ["ECT comment", input.ectCommented ? "Written" : "None yet"],
        // Where the plan stands, in the words used everywhere: "Active · amendment awaiting signatures (1 of 3)".
        ["Plan status", plan.stage],
        ["Review", formatDate(plan.reviewDate)],
      ]),
      subheading("This week's action"),
      verbatim(clip(input.action || "None written.", 600)),
      subheading("Evaluation so far"),
      verbatim(clip(input.evaluation || "Not evaluated yet.", 800)),
    ],
    { actions: [openUrl("Open the plan", plan.url), muteAction("ab_weekly_update", "weekly updates", input.recipientId)] },
  );
}
