import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { startTestServer, type RunningServer } from "../../bot/test-support/testServer.js";
import { erinLevel2Plan } from "./arrange.js";
import { chromiumPath, ensureTabBuilt, expectAccessible, shot, tabDist } from "./browser.js";
import { fakeTeamsHostPage } from "./fakeTeamsHost.js";

/**
 * A card's Teams deep link opens the plan (tab/src/lib/teamsHost.ts, main.tsx), in real Chromium:
 * a fake Teams host page iframes the tab and answers teams-js's postMessage protocol with a
 * context whose page.subPageId is a real plan's id. The host is served by page.route at
 * https://teams.microsoft.com, because teams-js only believes a parent on an origin it knows
 * (its fallback list of Microsoft hosts), over https. The server runs in local mode: inside the
 * host the tab still signs in with the demo persona picker (tenant mode would need a real Entra
 * token from the host, which no fake can mint), then opens the plan the link named.
 *
 * The tab is served to the browser at a public https origin too, proxied to the local server: as
 * in Teams, where the tab is a public https site. (Chromium's Local Network Access checks refuse
 * a public page framing http://localhost, so framing the local server directly cannot work.)
 *
 * The tab in the host's iframe is a third party there, and keeps its sign-in in sessionStorage.
 * Browsers give a third-party frame its own partitioned storage, but Playwright switches
 * partitioning off (ThirdPartyStoragePartitioning), and a fresh Chromium 156 profile blocks
 * third-party cookies, which then denies the frame any storage. So each test runs in its own
 * profile that allows third-party cookies, as the Teams clients' webviews let a tab keep storage.
 */
const T = 45_000;
let server: RunningServer;
const contexts: BrowserContext[] = [];
const profiles: string[] = [];

beforeAll(async () => {
  ensureTabBuilt();
  server = await startTestServer({ env: { TAB_DIST: tabDist } });
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
  await server?.stop();
});

const tabOrigin = "https://tab.ect-support-plans.example";
const hostUrl = "https://teams.microsoft.com/l/entity/ect-support-plans/caseload";

/** A browser context in which Teams (the fake host) and the tab (proxied to the local server) answer at their https origins. */
async function teamsContext(subEntityId: string) {
  const profile = mkdtempSync(join(tmpdir(), "ectsp-teams-"));
  profiles.push(profile);
  mkdirSync(join(profile, "Default"));
  // cookie_controls_mode 0: third-party cookies (and with them a third-party frame's storage) allowed.
  writeFileSync(join(profile, "Default", "Preferences"), JSON.stringify({ profile: { cookie_controls_mode: 0 } }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run"],
    viewport: { width: 1400, height: 950 },
    locale: "en-GB",
    timeout: 60_000,
  });
  contexts.push(context);
  // Nothing leaves the machine: teams-js's CDN list of origins is refused, so it uses its built-in one.
  await context.route("https://res.cdn.office.net/**", (route) => route.abort());
  await context.route(hostUrl, (route) =>
    route.fulfill({ contentType: "text/html", body: fakeTeamsHostPage({ tabUrl: `${tabOrigin}/`, subEntityId, userDisplayName: "Sarah Thompson" }) }),
  );
  await context.route(`${tabOrigin}/**`, async (route) => {
    const url = new URL(route.request().url());
    await route.fulfill({ response: await route.fetch({ url: `${server.url}${url.pathname}${url.search}` }) });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(T);
  await page.goto(hostUrl);
  return page;
}

const tabFrame = (page: Page) => page.frames().find((f) => f.url().startsWith(tabOrigin))!;

describe("a Teams deep link in Chromium", () => {
  it("opens the plan named by the link's subEntityId inside the Teams host", async () => {
    const plan = await erinLevel2Plan(server);
    const page = await teamsContext(plan.id as string);
    const tab = page.frameLocator("#tab");
    await tab.getByRole("button", { name: /^Continue as Sarah Thompson/ }).click();
    await tab.getByRole("heading", { name: /Erin Walsh · Level 2/ }).waitFor();
    // The tab went there because the host said so: it asked for the context, and is at the plan's page.
    const asked = await page.evaluate(() => (window as unknown as { received: string[] }).received);
    expect(asked).toEqual(expect.arrayContaining(["initialize", "getContext"]));
    expect(new URL(tabFrame(page).url()).pathname).toBe(`/plans/${plan.id as string}`);
    await shot(page, "deep-link-01-plan-in-teams");
    await expectAccessible(page, "plan opened from a Teams deep link");
  });

  it("a sub-page that is not a plan id opens the home page, not whatever it says", async () => {
    const page = await teamsContext("../api/roster");
    const tab = page.frameLocator("#tab");
    await tab.getByRole("button", { name: /^Continue as Sarah Thompson/ }).click();
    await tab.getByRole("heading", { name: "Caseload" }).waitFor();
    expect(new URL(tabFrame(page).url()).pathname).toBe("/");
    expect(await page.evaluate(() => (window as unknown as { received: string[] }).received)).toContain("getContext");
  });
});
