/**
 * Teams hosting. The SDK is loaded only when the page looks embedded (an iframe or the mobile
 * webview), and initialisation races a short timeout, so local mode never waits on it and
 * never downloads it.
 */
export type HostTheme = "light" | "dark" | "contrast";

export interface TeamsHost {
  locale?: string;
  userName?: string;
  userId?: string;
  theme: HostTheme;
  /** The tab's page a deep link points at (from page.subPageId, see deepLinkPath): "/plans/<id>". */
  deepLinkPath?: string;
  onThemeChange(handler: (theme: HostTheme) => void): void;
}

export const toHostTheme = (t: string | undefined): HostTheme => (t === "dark" ? "dark" : t === "contrast" ? "contrast" : "light");

const id = "[A-Za-z0-9][A-Za-z0-9._:-]{0,127}";
const planSubPage = new RegExp(`^(?:plans/)?(${id})$`);
const recordsSubPage = new RegExp(`^ects/(${id})/records$`);

/**
 * The page a Teams deep link's sub-page opens (the bot's cards build them, bot/src/cards/card.ts
 * tabLink): a plan id (or "plans/<id>") opens the plan, "ects/<id>/records" the ECT's induction
 * records, "retention" the induction lead's retention list. Anything else opens the home page: a sub-page is whatever the link said, never trusted.
 */
export function deepLinkPath(subPageId: string | undefined): string | undefined {
  // The lead's retention list (the daily retention card links here), before any id-shaped word is read as a plan.
  if (subPageId === "retention") return "/retention";
  const records = recordsSubPage.exec(subPageId ?? "")?.[1];
  if (records) return `/ects/${encodeURIComponent(records)}/records`;
  const plan = planSubPage.exec(subPageId ?? "")?.[1];
  return plan ? `/plans/${encodeURIComponent(plan)}` : undefined;
}

export function looksEmbedded(w: Window = window): boolean {
  try {
    if ((w as unknown as { nativeInterface?: unknown }).nativeInterface) return true;
    if (w.name === "embedded-page-container" || w.name === "extension-tab-frame") return true;
    return w.self !== w.top;
  } catch {
    return true; // cross-origin parent: we are in some host's iframe
  }
}

export async function detectTeams(timeoutMs = 1500): Promise<TeamsHost | undefined> {
  if (!looksEmbedded()) return undefined;
  const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutMs));
  const init = (async (): Promise<TeamsHost | undefined> => {
    const { app } = await import("@microsoft/teams-js");
    await app.initialize();
    const ctx = await app.getContext();
    // Not awaited: a host that never answers must not hold up the tab. The manifest asks for no
    // loading indicator, so a refused notification changes nothing the user sees; say so in the
    // console for whoever is debugging the host rather than leave an unhandled rejection.
    app.notifySuccess().catch((e: unknown) => console.warn("Teams did not accept notifySuccess; the tab carries on.", e));
    const path = deepLinkPath(ctx.page.subPageId);
    return {
      theme: toHostTheme(ctx.app.theme),
      ...(ctx.app.locale ? { locale: ctx.app.locale } : {}),
      ...(ctx.user?.displayName ? { userName: ctx.user.displayName } : {}),
      ...(ctx.user?.id ? { userId: ctx.user.id } : {}),
      ...(path ? { deepLinkPath: path } : {}),
      onThemeChange: (handler) => app.registerOnThemeChangeHandler((t) => handler(toHostTheme(t))),
    };
  })().catch(() => undefined);
  return Promise.race([init, timeout]);
}
