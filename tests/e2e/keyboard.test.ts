import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestServer, type RunningServer } from "../../bot/test-support/testServer.js";
import { ensureTabBuilt, launch, openSignedIn, tabDist } from "./browser.js";
import { erinLevel2Plan } from "./arrange.js";

/**
 * Issue 15 in real Chromium: the editor by keyboard. Save is a few Tab presses from the editor's
 * heading (a "Skip to Save" link right after it), and Ctrl+S saves from inside any field as
 * clicking Save does, without the browser's own save dialog.
 */
const T = 45_000;
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

const focused = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.trim() ?? "");

describe("the editor by keyboard in Chromium", () => {
  it("from the heading, Save is reached in at most 5 Tab presses (Skip to Save, then Enter)", async () => {
    const plan = await erinLevel2Plan(server);
    const page = await openSignedIn(browser, contexts, `${server.url}/plans/${plan.id}`, "Sarah Thompson", { timeoutMs: T, width: 1024 });
    const heading = page.getByRole("heading", { level: 1, name: /Erin Walsh · Level 2/ });
    await heading.focus();
    let presses = 0;
    while (presses < 5 && !(await focused(page)).startsWith("Skip to Save")) {
      await page.keyboard.press("Tab");
      presses += 1;
    }
    expect(await focused(page)).toBe("Skip to Save (Ctrl+S)");
    expect(presses).toBeLessThanOrEqual(5);
    // Shown once focused, so a sighted keyboard user sees where they are.
    const box = await page.getByRole("link", { name: /Skip to Save/ }).boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("plan-save");
    expect(await focused(page)).toBe("Save");
  }, 90_000);

  it("Ctrl+S in a field saves the plan, as clicking Save does, and the browser's own save is prevented", async () => {
    const plan = await erinLevel2Plan(server);
    const page = await openSignedIn(browser, contexts, `${server.url}/plans/${plan.id}`, "Sarah Thompson", { timeoutMs: T, width: 1366 });
    const week2 = page.getByLabel("Week 2: Action to be taken");
    await week2.fill("Team-teach two lessons with the phase lead");
    await page.getByTestId("save-state").getByText("Unsaved changes", { exact: false }).waitFor();
    // Listening after the tab's own handler: what the browser would do next is already decided.
    await page.evaluate(() =>
      window.addEventListener("keydown", (e) => ((window as unknown as { saveKeyPrevented: boolean }).saveKeyPrevented = e.defaultPrevented)),
    );
    await week2.press("Control+s");
    await page.getByTestId("save-state").getByText("All changes saved").waitFor();
    expect(await page.evaluate(() => (window as unknown as { saveKeyPrevented: boolean }).saveKeyPrevented)).toBe(true);
    await page.getByText("Saved", { exact: true }).first().waitFor(); // the same toast as clicking Save
    const stored = await server.store.getPlan(plan.id);
    expect(stored?.weeks[1]?.action).toBe("Team-teach two lessons with the phase lead");
    expect(stored?.version).toBe(plan.version + 1);
    // Focus stays where the user was typing.
    expect(await week2.evaluate((el) => el === document.activeElement)).toBe(true);
  }, 90_000);
});
