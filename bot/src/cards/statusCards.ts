import { banner, bullets, card, clip, heading, muted, openUrl, para, plainText, verbatim, type AdaptiveCard, type CardElement } from "./card.js";

/** A "done" card: what was recorded, where. */
export function recordedCard(input: { title: string; lines?: string[]; url?: string }): AdaptiveCard {
  const body: CardElement[] = [banner(input.title, "good"), ...(input.lines ?? []).map((l) => verbatim(clip(l, 1000)))];
  return card(body, { actions: input.url ? [openUrl("Open the plan", input.url)] : [] });
}

/** Says what is wrong in words the user can act on; nothing was changed. */
export function errorCard(input: { message: string; details?: string[]; url?: string; partlySaved?: boolean }): AdaptiveCard {
  const body: CardElement[] = [
    banner("That did not work", "attention"),
    verbatim(clip(input.message, 1000)),
    ...bullets((input.details ?? []).slice(0, 10).map((d) => clip(d, 300))),
    // partlySaved: a change cut short whose undo failed, where "nothing was changed" would be untrue.
    muted(input.partlySaved ? "Part of this change may have been saved: open the plan to check before trying again." : "Nothing was changed."),
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
