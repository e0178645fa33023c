import { banner, card, clip, heading, muted, openUrl, para, plainText, verbatim, type AdaptiveCard } from "./card.js";
import { wordOf, type PlanBrief } from "./planBrief.js";

export interface NoticeCardInput {
  plan: PlanBrief;
  kind: "plan_agreed" | "plan_shared" | "comment_added";
  /** For comments: who wrote and what (shown to people who may read the plan). */
  comment?: { authorName: string; text: string; week?: number };
  closedOnTrack?: boolean;
}

/** Short notices: a plan agreed or shared with you, a new comment on a plan. */
export function noticeCard(input: NoticeCardInput): AdaptiveCard {
  const { plan } = input;
  const ectName = plainText(clip(plan.ectName, 200));
  const body =
    input.kind === "plan_agreed"
      ? [
          banner("Plan agreed", "good"),
          heading(plan.title),
          muted(ectName),
          para("Everyone has signed this version. Weekly check-ins begin when the plan starts."),
        ]
      : input.kind === "plan_shared"
        ? [
            heading(input.closedOnTrack ? "Back on track" : "A plan was shared with you"),
            muted(`${plan.title} · ${ectName}`),
            para(
              input.closedOnTrack
                ? "The review found the ECT on track; the plan is closed and kept as a record."
                : `Open it to read the ${wordOf(plan)}s and the support agreed.`,
            ),
          ]
        : [
            heading(`New comment from ${input.comment ? plainText(clip(input.comment.authorName, 200)) : "someone"}`),
            muted(`${plan.title} · ${ectName}${input.comment?.week ? ` · week ${input.comment.week}` : ""}`),
            verbatim(clip(input.comment?.text ?? "", 2000)),
          ];
  return card(body, { actions: [openUrl("Open the plan", plan.url)] });
}
