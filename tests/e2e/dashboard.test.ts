import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestServer, type RunningServer } from "../../bot/test-support/testServer.js";
import { demoIds } from "../../bot/src/demo/demoSchool.js";
import { ensureTabBuilt, expectAccessible, launch, openSignedIn, shot, tabDist } from "./browser.js";
import { erinLevel3Plan } from "./arrange.js";

/**
 * Issue 15 in real Chromium against the real server: the AB officer opens the dashboard from the
 * header, its three charts draw (SVG), and each chart's table, reached by keyboard, lists the same
 * numbers the API gives for the plans arranged here (the demo's Levels 1, 2 and 4, and Erin's
 * Level 2 escalated to Level 3). Then Erin's induction journey: six terms and her two plans'
 * levels, in the chart and its table. Axe on both.
 */
const T = 45_000;
let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
type Json = Record<string, any>;
let dashboard: Json;
let journey: Json;

beforeAll(async () => {
  ensureTabBuilt();
  server = await startTestServer({ env: { TAB_DIST: tabDist } });
  browser = await launch();
  await erinLevel3Plan(server);
  const officer = await server.as(demoIds.abOfficer);
  dashboard = (await (await officer("/api/ab/dashboard")).json()) as Json;
  journey = (await (await officer("/api/ects/ect-erin/journey")).json()) as Json;
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

/** The table's body as text, row by row: what a screen reader user reads. */
const tableRows = (page: Page, testId: string) =>
  page
    .getByTestId(testId)
    .locator("tbody tr")
    .evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll("th,td"), (c) => (c.textContent ?? "").trim())));

/** Presses Tab until the named control has focus (the charts' own bars are stops too); fails if it never comes. */
async function tabTo(page: Page, name: RegExp): Promise<void> {
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? "");
    if (name.test(focused)) return;
  }
  throw new Error(`Tab never reached ${String(name)}`);
}

describe("the AB dashboard in Chromium", () => {
  it("draws the three charts, and their tables, reached by keyboard, say what the API says", async () => {
    const page = await openSignedIn(browser, contexts, server.url + "/", "Priya Shah", { timeoutMs: T });
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Dashboard" }).click();
    await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
    for (const id of ["levels", "terms", "time"]) {
      await page.getByRole("heading", { level: 2, name: (await page.getByTestId(id).locator("h2").textContent()) ?? "" }).waitFor();
      await page.getByTestId(`${id}-chart`).locator("svg").first().waitFor();
    }

    // Keyboard only: from the top of the page to the first chart's table.
    await page.getByRole("heading", { level: 1, name: "Dashboard" }).click();
    await tabTo(page, /^Show as a table: ECTs by level, per school$/);
    await page.keyboard.press("Enter");
    await page.getByTestId("levels-table").waitFor();
    const levels = dashboard.levelsBySchool as Json[];
    expect(await tableRows(page, "levels-table")).toEqual(
      levels.map((s) => [s.schoolName, ...["1", "2", "3", "4", "5", "6", "none"].map((k) => String(s.counts[k])), String(s.ects)]),
    );
    // What was arranged: Riverside has Chloe at 1, Amy at 2, Erin at 3 and Ben at 4.
    expect(levels.find((s) => s.schoolName === "Riverside Primary Academy")?.counts).toMatchObject({ "1": 1, "2": 1, "3": 1, "4": 1, none: 2 });

    await page.getByRole("button", { name: "Show as a table: plans opened and closed per term" }).click();
    expect(await tableRows(page, "terms-table")).toEqual(
      (dashboard.terms as Json[]).map((t) => [t.term, ...[t.opened, t.closed.on_track, t.closed.continued, t.closed.escalated, t.closed.total].map(String)]),
    );
    await page.getByRole("button", { name: "Show as a table: time at each level" }).click();
    const time = await tableRows(page, "time-table");
    expect(time.map((r) => r[0])).toEqual((dashboard.timeAtLevel as Json[]).map((l) => expect.stringMatching(new RegExp(`^Level ${l.level} – `))));
    expect(time.map((r) => [r[1], r[2]])).toEqual(
      (dashboard.timeAtLevel as Json[]).map((l) => [
        `${l.medianDays} day${l.medianDays === 1 ? "" : "s"}`,
        `${l.totalDays} day${l.totalDays === 1 ? "" : "s"}`,
      ]),
    );

    await shot(page, "dashboard-01-ab");
    await expectAccessible(page, "AB dashboard");
  });

  it("shows Erin's induction journey: six terms and her plans' levels, in the chart and its table", async () => {
    const page = await openSignedIn(browser, contexts, server.url + "/ects/ect-erin/records", "Priya Shah", { timeoutMs: T });
    const section = page.getByTestId("journey");
    await section.getByRole("heading", { level: 2, name: "Induction journey" }).waitFor();
    await page.getByTestId("journey-chart").locator("svg").first().waitFor();
    expect(await section.textContent()).toContain("of 6 FTE terms served");

    await section.getByRole("button", { name: "Show as a table: induction journey" }).click();
    const terms = await tableRows(page, "journey-terms");
    expect(terms.map((r) => r[0])).toEqual(["Term 1", "Term 2", "Term 3", "Term 4", "Term 5", "Term 6"]);
    expect(terms.map((r) => r[3])).toEqual((journey.terms as Json[]).map((t) => t.schoolTerms.join(", ")));
    const plans = await tableRows(page, "journey-plans");
    // The Level 3 plan starts the school day after the Level 2 plan's review (arranged for January).
    expect(plans.map((r) => [r[0], r[3]])).toEqual([
      ["Level 2 – Support plan 1", "Closed: escalated"],
      ["Level 3 – Support plan 2", "Open, starting 12 Jan 2027"],
    ]);
    await shot(page, "dashboard-02-journey");
    await expectAccessible(page, "ECT records with the induction journey");
  });
});
