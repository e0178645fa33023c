/**
 * Adaptive Card building blocks. Cards are plain JSON (schema 1.5, what Teams renders) built
 * by pure functions from domain data; nothing here knows about the messaging platform.
 *
 * Universal Actions: buttons are `Action.Execute` (Teams sends an `adaptiveCard/action` invoke
 * and shows the card the bot returns), and each card carries a `refresh` so that each viewer
 * listed in `refresh.userIds` (at most 60, Teams' limit) automatically gets their own view —
 * the signer sees "Sign", everybody else the status.
 */
import { formatWeekdayDate } from "@ectsp/shared";

export type CardElement = Record<string, unknown>;

export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: string;
  version: "1.5";
  body: CardElement[];
  actions?: CardElement[];
  refresh?: { action: CardElement; userIds?: string[] };
  msteams?: { width?: "Full" };
}

/** Teams' message size limit is about 28 KB; cards stay under it. */
export const maxCardBytes = 28 * 1024;
/** Teams refreshes automatically for at most 60 listed users; others press refresh. */
export const maxRefreshUserIds = 60;

/** The verbs a card action may carry. */
export const cardVerbs = ["sign", "checkIn", "evaluate", "comment", "refresh", "mute"] as const;
export type CardVerb = (typeof cardVerbs)[number];

/** Which card a refresh or action is about, so the bot can rebuild it for the viewer. */
export type CardRef =
  | { card: "checkIn"; planId: string; checkInId: string; week: number }
  | { card: "evaluation"; planId: string; week: number }
  | { card: "signOff"; planId: string; revision: number }
  | { card: "alert"; planId: string; kind: "escalation_alert" | "insufficient_progress_alert" }
  | { card: "abUpdate"; planId: string; week: number }
  | { card: "notice"; planId: string };

export function card(body: CardElement[], options: { actions?: CardElement[]; refresh?: AdaptiveCard["refresh"] } = {}): AdaptiveCard {
  const c: AdaptiveCard = {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    body,
    msteams: { width: "Full" },
  };
  if (options.actions?.length) c.actions = options.actions;
  if (options.refresh) c.refresh = options.refresh;
  return c;
}

/** Shortens free text so one long field cannot push a card over the size limit. */
export function clip(text: string, max = 500): string {
  const t = text.trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}

/**
 * User-written text (names, comments, targets) placed inside a Markdown TextBlock or a FactSet
 * value: backslash-escapes what Teams would render as Markdown, so it shows as typed. Characters
 * that start markup anywhere are always escaped; list, heading and numbered-list markers only at
 * the start of a line. Apply once, to the text as typed (after clip), never to our own markup.
 */
export function plainText(text: string): string {
  return text
    .replace(/[\\`*_[\]()~|<>]/g, "\\$&")
    .replace(/!(?=\\\[)/g, "\\!")
    .replace(/^([ \t]*)([-+#=])/gm, "$1\\$2")
    .replace(/^([ \t]*\d+)\./gm, "$1\\.");
}

/** User-written text shown exactly as typed: a RichTextBlock's TextRun renders no Markdown at all. */
export const verbatim = (text: string, extra: CardElement = {}): CardElement => ({
  type: "RichTextBlock",
  inlines: [{ type: "TextRun", text }],
  ...extra,
});

/** A bulleted list of user-written items, each verbatim (no Markdown list, so no Markdown inside). */
export const bullets = (items: string[]): CardElement[] =>
  items.map((item, i) => ({
    type: "RichTextBlock",
    inlines: [{ type: "TextRun", text: `• ${item}` }],
    ...(i ? { spacing: "Small" } : {}),
  }));

export const heading = (text: string): CardElement => ({ type: "TextBlock", text, size: "Large", weight: "Bolder", wrap: true, style: "heading" });
export const subheading = (text: string): CardElement => ({ type: "TextBlock", text, weight: "Bolder", wrap: true, spacing: "Medium" });
export const para = (text: string, extra: CardElement = {}): CardElement => ({ type: "TextBlock", text, wrap: true, ...extra });
export const muted = (text: string): CardElement => ({ type: "TextBlock", text, wrap: true, isSubtle: true, size: "Small" });
export const facts = (pairs: [string, string][]): CardElement => ({
  type: "FactSet",
  facts: pairs.filter(([, v]) => v !== "").map(([title, value]) => ({ title, value })),
});
export const banner = (text: string, style: "good" | "attention" | "warning" | "accent"): CardElement => ({
  type: "Container",
  style,
  bleed: true,
  items: [{ type: "TextBlock", text, wrap: true, weight: "Bolder" }],
});

export const execute = (title: string, verb: CardVerb, data: Record<string, unknown>, style?: "positive" | "destructive"): CardElement => ({
  type: "Action.Execute",
  title,
  verb,
  data,
  ...(style ? { style } : {}),
});

export const openUrl = (title: string, url: string): CardElement => ({ type: "Action.OpenUrl", title, url });

/** The tab's page for a plan: Action.OpenUrl deep link. */
export const planUrl = (publicUrl: string, planId: string) => `${publicUrl.replace(/\/$/, "")}/plans/${encodeURIComponent(planId)}`;

/** Refresh for the listed viewers (channel user ids); more than 60 → none listed, viewers press refresh. */
export function refreshFor(ref: CardRef, userIds: string[]): AdaptiveCard["refresh"] {
  const unique = [...new Set(userIds.filter(Boolean))];
  return {
    action: { type: "Action.Execute", verb: "refresh", title: "Refresh", data: { ref } },
    ...(unique.length > 0 && unique.length <= maxRefreshUserIds ? { userIds: unique } : {}),
  };
}

export const cardBytes = (c: AdaptiveCard) => Buffer.byteLength(JSON.stringify(c), "utf8");

/** English dates as schools write them, in London: "Mon, 30 Nov 2026". */
export function formatDate(iso: string | undefined): string {
  return formatWeekdayDate(iso);
}
