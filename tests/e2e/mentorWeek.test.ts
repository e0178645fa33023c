import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Browser, BrowserContext } from "playwright-core";
import { startTestServer, type RunningServer } from "../../bot/test-support/testServer.js";
import { ensureTabBuilt, expectAccessible, launch, openSignedIn, shot, tabDist } from "./browser.js";
import { TARGET_1, erinLevel2Plan } from "./arrange.js";

/**
 * Issue 15 in real Chromium: Erin's mentor (Tom Reid) writes a week of her Level 2 plan with the
 * induction tutor — the banner says what he may change, the targets are not his to edit, his
 * week 1 action survives a reload, each box grows with its text, and at 640 px each week is a
 * card. Each test starts its own server and arranges its plan through the API.
 */
const T = 45_000;
const MENTOR = "Tom Reid";
const COMMENT = "Transitions are down to two minutes; the starter still overruns.";
const ACTION = "Co-plan the first ten minutes of each lesson with Erin; Tom drops in on Tuesday";
let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  ensureTabBuilt();
  browser = await launch();
}, 180_000);

beforeEach(async () => {
  server = await startTestServer({ env: { TAB_DIST: tabDist } });
}, 60_000);

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
  await server?.stop();
});

afterAll(async () => {
  await browser?.close();
});

describe("the mentor writes the weeks at Level 2", () => {
  it("mentor edits a Level 2 week: sees the banner, edits week 1's action, saves, and it is there after reload; the targets are not editable", async () => {
    const plan = await erinLevel2Plan(server);
    const page = await openSignedIn(browser, contexts, `${server.url}/plans/${plan.id}`, MENTOR, { timeoutMs: T });
    await page.getByRole("heading", { name: /Erin Walsh · Level 2/ }).waitFor();

    const banner = page.getByTestId("permission-banner");
    await banner.getByText("You can change the weekly actions, resources and success criteria").waitFor();
    expect(await banner.textContent()).toContain("The objectives and dates are written by the induction tutor (Sarah Thompson).");

    // The targets are read, not written: the objective is text, with no box and no add/remove.
    const target1 = page.getByTestId("target-1");
    await target1.getByText(TARGET_1).waitFor();
    // (The evidence upload is a file input: the mentor attaches evidence, as before.)
    expect(await target1.locator("textarea, input:not([type=file]), [role=combobox]").count()).toBe(0);
    expect(await page.getByRole("button", { name: /Add objective/ }).count()).toBe(0);
    expect(await page.getByLabel("End of support plan date").count()).toBe(0);

    const action = page.getByLabel("Week 1: Action to be taken");
    expect(await action.inputValue()).toBe("Observe the KS2 lead's transitions");
    await action.fill(`${ACTION}\nThen: feedback within a day.\nThen: a second drop-in on Thursday.\nThen: review together on Friday.`);
    // The box grows with its text: nothing scrolls inside it.
    const fits = await action.evaluate((el: HTMLTextAreaElement) => el.scrollHeight <= el.clientHeight + 1);
    expect(fits).toBe(true);
    await shot(page, "mentor-week-editing");
    await expectAccessible(page, "mentor's Level 2 plan");

    await page.getByRole("region", { name: "Save" }).getByRole("button", { name: "Save" }).click();
    await page.getByTestId("save-state").getByText("All changes saved").waitFor();

    await page.reload();
    await page.getByRole("heading", { name: /Erin Walsh · Level 2/ }).waitFor();
    expect(await page.getByLabel("Week 1: Action to be taken").inputValue()).toContain(ACTION);
    const stored = await server.store.getPlan(plan.id as string);
    expect(stored?.weeks[0]?.action).toContain(ACTION);
    expect(stored?.targets[0]?.text).toBe(TARGET_1);
  });

  it("at 640 px each week is a card with its labels beside the values, and the ECT's comment sits in its week with who wrote it and when", async () => {
    const drafted = await erinLevel2Plan(server);
    // Erin writes her comment on week 1 (the test clock: 27 November 2026, 10:00 GMT).
    const content = structuredClone(drafted);
    content.weeks[0].ectComment = COMMENT;
    const asErin = await server.as("person-ect-erin");
    const commented = await asErin(`/api/plans/${drafted.id}`, {
      method: "PUT",
      headers: { "if-match": `"v${drafted.version}"` },
      body: JSON.stringify({ content }),
    });
    expect(commented.status).toBe(200);
    const plan = drafted;
    const page = await openSignedIn(browser, contexts, `${server.url}/plans/${plan.id}`, MENTOR, { timeoutMs: T, width: 640 });
    await page.getByRole("heading", { name: /Erin Walsh · Level 2/ }).waitFor();

    const week1 = page.getByRole("region", { name: "Week 1" });
    await week1.waitFor();
    // A card: its fields stack in one column, each under its own visible label.
    const label = week1.locator("label", { hasText: "Action to be taken" });
    expect(await label.isVisible()).toBe(true);
    const boxes = await week1.locator("textarea").evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().left)));
    expect(new Set(boxes).size).toBe(1);
    const weekBox = await week1.boundingBox();
    const week2Box = await page.getByRole("region", { name: "Week 2" }).boundingBox();
    expect(weekBox && week2Box && week2Box.y >= weekBox.y + weekBox.height).toBe(true);
    // The ECT's comment is in week 1's card, saying who wrote it and when; not in week 2's.
    const comment = page.getByTestId("week-1-comment");
    await comment.getByText(COMMENT).waitFor();
    expect(await comment.textContent()).toMatch(/Written by Erin Walsh, 27 November 2026 at 10:00/);
    expect(await page.getByRole("region", { name: "Week 2" }).getByText(COMMENT).count()).toBe(0);
    // Nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await shot(page, "mentor-week-cards-640");
    await expectAccessible(page, "weekly plan as cards at 640 px");
  });
});
