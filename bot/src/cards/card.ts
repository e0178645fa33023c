/**
 * Adaptive Card building blocks. Cards are plain JSON (schema 1.5, what Teams renders) built
 * by pure functions from domain data; nothing here knows about the messaging platform.
 *
 * Universal Actions: buttons are `Action.Execute` (Teams sends an `adaptiveCard/action` invoke
 * and shows the card the bot returns), and each card carries a `refresh` so that each viewer
 * listed in `refresh.userIds` (at most 60, Teams' limit) automatically gets their own view —
 * the signer sees "Sign", everybody else the status.
 */
import { addDays, formatWeekdayDate } from "@ectsp/shared";

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

/** Where card links point: the app's public URL, and the Teams app's manifest id once the app is in Teams. */
export interface PlanLinks {
  publicUrl: string;
  /** TEAMS_APP_ID: with it every link is a Teams deep link; without it (local mode) the tab's own URL. */
  teamsAppId?: string;
}

/** The personal tab plans open in: the first static tab of appPackage/manifest.json (a test checks they agree). */
export const planTabEntityId = "caseload";

/** A page of the tab a card links to: a plan, an ECT's induction records, the lead's retention list, or (none) the tab's home. */
export type TabPage = { plan: string } | { ectRecords: string } | { view: "retention" };

/** The sub-page (and local path) of a page: what tab/src/lib/teamsHost.ts deepLinkPath reads back. */
const subPageOf = (page: TabPage): string => ("plan" in page ? page.plan : "ectRecords" in page ? `ects/${page.ectRecords}/records` : page.view);

/**
 * Every link a card has into the app: "Open the plan", the review, the records, "Open my plans".
 * With a Teams app id it is a deep link into the personal tab with the page as its sub-page (the
 * tab reads `page.subPageId`, tab/src/lib/teamsHost.ts), because a browser outside Teams cannot
 * use Teams single sign-on. Without one (local mode), the tab's own URL. The sub-page of a plan is
 * its id; the tab has no review page of its own, so the review links to the plan.
 */
export function tabLink(links: PlanLinks, page?: TabPage): string {
  const path = !page
    ? ""
    : "plan" in page
      ? `plans/${encodeURIComponent(page.plan)}`
      : "ectRecords" in page
        ? `ects/${encodeURIComponent(page.ectRecords)}/records`
        : page.view;
  if (links.teamsAppId) {
    const tab = `https://teams.microsoft.com/l/entity/${encodeURIComponent(links.teamsAppId)}/${planTabEntityId}`;
    if (!page) return tab;
    const subEntityId = subPageOf(page);
    // Parentheses escaped too: the digest puts links inside Markdown "[name](link)".
    const context = encodeURIComponent(JSON.stringify({ subEntityId })).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    return `${tab}?context=${context}`;
  }
  const root = links.publicUrl.replace(/\/$/, "");
  return path ? `${root}/${path}` : root;
}

/** The link to a plan (and to its review): see tabLink. */
export const planLink = (links: PlanLinks, planId: string) => tabLink(links, { plan: planId });

/** The link to an ECT's induction records (progress reviews, formal assessments): see tabLink. */
export const recordsLink = (links: PlanLinks, ectId: string) => tabLink(links, { ectRecords: ectId });

/** Refresh for the listed viewers (channel user ids); more than 60 → none listed, viewers press refresh. */
export function refreshFor(ref: CardRef, userIds: string[]): AdaptiveCard["refresh"] {
  const unique = [...new Set(userIds.filter(Boolean))];
  return {
    action: { type: "Action.Execute", verb: "refresh", title: "Refresh", data: { ref } },
    ...(unique.length > 0 && unique.length <= maxRefreshUserIds ? { userIds: unique } : {}),
  };
}

export const cardBytes = (c: AdaptiveCard) => Buffer.byteLength(JSON.stringify(c), "utf8");

/** Every date on every card, as schools write them, in London: "Mon 7 Dec 2026" (an instant shows its London day). */
export function formatDate(iso: string | undefined): string {
  // Intl writes "Mon, 7 Dec 2026"; cards drop the comma so every card reads the same.
  return formatWeekdayDate(iso).replace(/^(\p{L}+),/u, "$1");
}

/**
 * A date something is due by, as a school day: a due date on a weekend shows the Friday before,
 * so nobody is asked for something on a day school is closed.
 */
export function formatDueDate(iso: string | undefined): string {
  if (!iso || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return formatDate(iso);
  const weekday = new Date(`${iso}T00:00:00Z`).getUTCDay(); // a calendar date: no zone moves it
  return formatDate(weekday === 6 ? addDays(iso, -1) : weekday === 0 ? addDays(iso, -2) : iso);
}
