import type { AdaptiveCard } from "@ectsp/bot/cards/card.js";

/** A Teams app id for tests (any GUID). */
export const testTeamsAppId = "3f0b8a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";

/** Every link a card carries: Action.OpenUrl and selectAction urls, and links inside Markdown text. */
export function linksOf(card: AdaptiveCard | Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== "object") return;
    const o = x as Record<string, unknown>;
    if (o.type === "Action.OpenUrl" && typeof o.url === "string") out.push(o.url);
    if (o.type === "TextBlock" && typeof o.text === "string") for (const m of o.text.matchAll(/\]\(([^)\s]+)\)/g)) out.push(m[1]!);
    Object.values(o).forEach(walk);
  };
  walk(card);
  return out;
}

/**
 * Where a Teams deep link goes, parsed as Teams would: undefined when the link is anything but
 * https://teams.microsoft.com/l/entity/<appId>/<entityId>[?context={"subEntityId": ...}].
 */
export function teamsDeepLink(url: string): { appId: string; entityId: string; subEntityId?: string } | undefined {
  const u = new URL(url);
  const m = /^\/l\/entity\/([^/]+)\/([^/]+)$/.exec(u.pathname);
  if (u.protocol !== "https:" || u.host !== "teams.microsoft.com" || !m) return undefined;
  const context = u.searchParams.get("context");
  const parsed = context ? (JSON.parse(context) as { subEntityId?: unknown }) : {};
  return {
    appId: decodeURIComponent(m[1]!),
    entityId: decodeURIComponent(m[2]!),
    ...(typeof parsed.subEntityId === "string" ? { subEntityId: parsed.subEntityId } : {}),
  };
}
