import { banner, bullets, card, clip, heading, muted, openUrl, para, plainText, verbatim, type AdaptiveCard, type CardElement } from "./card.js";

/** A "done" card: what was recorded, where. */
export function recordedCard(input: { title: string; lines?: string[]; url?: string }): AdaptiveCard {
  const body: CardElement[] = [banner(input.title, "good"), ...(input.lines ?? []).map((l) => verbatim(clip(l, 1000)))];
  return card(body, { actions: input.url ? [openUrl("Open the plan", input.url)] : [] });
}

/** Says what is wrong in words the user can act on, and what became of the change (nothing, part, or it will complete). */
export function errorCard(input: { message: string; details?: string[]; url?: string; partlySaved?: boolean; completing?: boolean }): AdaptiveCard {
  const body: CardElement[] = [
    input.completing ? banner("Saving is delayed", "warning") : banner("That did not work", "attention"),
    verbatim(clip(input.message, 1000)),
    ...bullets((input.details ?? []).slice(0, 10).map((d) => clip(d, 300))),
    // partlySaved: a change cut short whose undo failed, where "nothing was changed" would be untrue.
    // completing: the change is in SharePoint's change journal and will be written without the user.
    muted(
      input.completing
        ? "Your change is recorded and will be saved shortly: you do not need to do it again."
        : input.partlySaved
          ? "Part of this change may have been saved: open the plan to check before trying again."
          : "Nothing was changed.",
    ),
  ];
  return card(body, { actions: input.url ? [openUrl("Open the plan", input.url)] : [] });
}

/** Welcome / help text for a personal chat. */
export function welcomeCard(input: { name?: string; tabUrl: string; isEct: boolean }): AdaptiveCard {
  return card(
    [
      heading(input.name ? `Hello ${plainText(clip(input.name, 200))}` : "Hello"),
      para("I post weekly check-ins for support plans, ask signers to sign, and alert the induction tutor and the appropriate body when a plan is escalated."),
      ...(input.isEct ? [para("You can message me at any time: what you write is added as a comment on your current plan.")] : []),
    ],
    { actions: [openUrl("Open my plans", input.tabUrl)] },
  );
}
