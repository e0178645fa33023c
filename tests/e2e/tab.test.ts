import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestServer, type RunningServer } from "../../bot/test-support/testServer.js";
import { ensureTabBuilt, expectAccessible, launch, shot, tabDist } from "./browser.js";
import { TARGET_2, agreePlan, erinLevel2Plan, erinLevel3Plan } from "./arrange.js";

/**
 * The tab in real Chromium against the real server on a temp SQLite store: a tutor writes a
 * Level 2 plan, a second editor saves first, the ECT comments, the review escalates to Level 3.
 * One browser for the file; each person gets their own context (own sessionStorage). Every test
 * starts its own server on a fresh demo school and arranges what it needs through the API
 * (./arrange.ts), so the tests pass in any order and alone.
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

async function open(path = "/", opts: { theme?: string } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: "en-GB" });
  contexts.push(context);
  if (opts.theme) await context.addInitScript((t) => localStorage.setItem("ectsp:theme", t), opts.theme);
  const page = await context.newPage();
  page.setDefaultTimeout(T);
  page.setDefaultNavigationTimeout(T);
  await page.goto(server.url + path);
  return page;
}

async function signIn(page: Page, name: string): Promise<void> {
  await page.getByRole("button", { name: new RegExp(`^Continue as ${name}`) }).click();
  await page.getByText(name, { exact: true }).first().waitFor();
}

describe("the tab in Chromium", () => {
  it("a tutor creates a Level 2 plan with two targets citing standards, fills week 1 and saves", async () => {
    const page = await open("/");
    await page.getByRole("heading", { name: "Choose who you are" }).waitFor();
    await shot(page, "01-persona-picker");
    await expectAccessible(page, "persona picker");
    await signIn(page, "Sarah Thompson");

    await page.getByRole("heading", { name: "Caseload" }).waitFor();
    await page.locator("[data-ect=ect-amy]").waitFor();
    await shot(page, "02-caseload-tutor");
    await expectAccessible(page, "caseload");

    await page.getByRole("button", { name: "Start a plan for Erin Walsh" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("radio", { name: "Level 2 – Support plan 1" }).check();
    await dialog.getByLabel("Start date").fill("2026-11-30");
    await shot(page, "03-new-plan-dialog");
    await expectAccessible(page, "new plan dialog");
    await dialog.getByRole("button", { name: "Start plan" }).click();

    await page.waitForURL(/\/plans\/[^/]+$/);
    const planId = new URL(page.url()).pathname.split("/")[2] as string;
    await page.getByRole("heading", { name: /Erin Walsh · Level 2/ }).waitFor();
    await page.getByLabel("End of support plan date").fill("2027-01-11");

    // Rules show as the tutor types: a target with no standard is flagged before any save.
    await page.getByRole("button", { name: "Add objective" }).click();
    await expect.poll(() => page.getByTestId("rules-summary").textContent()).toContain("Objective 1: link it to at least one Teachers' Standard");

    const t1 = page.getByTestId("target-1");
    await t1.getByLabel("Objective", { exact: true }).fill("Act decisively when behaviour slips, using the school's policy");
    await t1.getByRole("button", { name: "Choose standards for objective 1" }).click();
    const picker = page.getByRole("dialog", { name: "Teachers' Standards for objective 1" });
    await picker.getByLabel("Search by code or words").fill("7d");
    await picker.getByRole("checkbox", { name: /^7d / }).check();
    await shot(page, "05-standards-picker");
    await expectAccessible(page, "standards picker");
    await picker.getByRole("button", { name: "Use 1 standard" }).click();
    await expect.poll(() => t1.textContent()).toContain("maintain good relationships with pupils");

    await page.getByRole("button", { name: "Add objective" }).click();
    const t2 = page.getByTestId("target-2");
    await t2.getByLabel("Objective", { exact: true }).fill(TARGET_2);
    await t2.getByRole("button", { name: "Choose standards for objective 2" }).click();
    const picker2 = page.getByRole("dialog", { name: "Teachers' Standards for objective 2" });
    // Keyboard only: type words, tab to the first match, tick it with Space.
    await picker2.getByLabel("Search by code or words").fill("lesson time");
    await picker2.getByRole("checkbox", { name: /^4a / }).waitFor();
    expect(await picker2.getByRole("checkbox").count()).toBe(1);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Space");
    await picker2.getByRole("button", { name: /^Use 1 standard/ }).click();
    await expect.poll(() => page.getByText(/link it to at least one Teachers' Standard/).count()).toBe(0);

    await page.getByLabel("Week 1: Action to be taken").fill("Observe the KS2 lead's transitions");
    await page.getByLabel("Week 1: By whom").fill("Erin, Sarah Thompson");
    await page.getByLabel("Week 1: Success criteria").fill("Three routines listed");

    // Unsaved changes survive a reload.
    await page.reload();
    await page.getByTestId("draft-restored").waitFor();
    expect(await page.getByLabel("Week 1: Action to be taken").inputValue()).toBe("Observe the KS2 lead's transitions");

    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => page.getByTestId("save-state").textContent()).toBe("All changes saved");
    await shot(page, "04-plan-editor-tutor");
    await expectAccessible(page, "plan editor");

    const stored = await server.store.getPlan(planId);
    expect(stored?.targets.map((t) => t.standards)).toEqual([["7d"], ["4a"]]);
    expect(stored?.weeks[0]?.action).toBe("Observe the KS2 lead's transitions");
  }, 240_000);

  it("a second editor saves first; the first gets the conflict view and loses nothing", async () => {
    const { id: planId } = await erinLevel2Plan(server);
    const first = await open(`/plans/${planId}`);
    await signIn(first, "Sarah Thompson");
    await first.getByLabel("Week 2: Action to be taken").waitFor();

    const second = await open(`/plans/${planId}`);
    await signIn(second, "Sarah Thompson");
    await second.getByLabel("Week 2: Action to be taken").fill("Introduce the routines; mentor drop-in");
    await second.getByLabel("Week 1: Success criteria").fill("Three routines listed and two in use");
    await second.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => second.getByTestId("save-state").textContent()).toBe("All changes saved");

    const mine = "Practise the routines with the mentor in an empty classroom";
    await first.getByLabel("Week 3: Action to be taken").fill(mine);
    await first.getByLabel("Week 1: Success criteria").fill("Three routines listed and practised");
    await first.getByRole("button", { name: "Save", exact: true }).click();

    const conflict = first.getByTestId("conflict");
    await conflict.waitFor();
    expect(await conflict.getByTestId("changed-by-them").textContent()).toContain("Week 2");
    // Nothing typed is lost: my text is still in the form, and theirs is there too.
    expect(await first.getByLabel("Week 3: Action to be taken").inputValue()).toBe(mine);
    expect(await first.getByLabel("Week 2: Action to be taken").inputValue()).toBe("Introduce the routines; mentor drop-in");
    await conflict.getByRole("radio", { name: /^Keep my text: Three routines listed and practised/ }).waitFor();
    await shot(first, "06-conflict");
    await expectAccessible(first, "conflict view");

    await conflict.getByRole("button", { name: "Save the merged version" }).click();
    await expect.poll(() => first.getByTestId("save-state").textContent()).toBe("All changes saved");
    const stored = await server.store.getPlan(planId);
    expect(stored?.weeks[2]?.action).toBe(mine);
    expect(stored?.weeks[0]?.successCriteria).toBe("Three routines listed and practised");
    expect(stored?.weeks[1]?.action).toBe("Introduce the routines; mentor drop-in");

    // The tutor sends the version both worked on for signature, then signs it.
    await first.getByRole("button", { name: "Request signatures" }).click();
    await expect.poll(() => first.getByTestId("signatures-stage").textContent()).toBe("Awaiting signatures (0 of 2)");
    expect(await first.getByTestId("plan-stage").textContent()).toBe("Awaiting signatures (0 of 2)");
    // Once asked, asking again only reminds.
    await first.getByRole("button", { name: "Send a reminder" }).waitFor();
    expect(await first.getByRole("button", { name: "Request signatures" }).count()).toBe(0);
    await first.getByRole("button", { name: "Sign as Induction tutor" }).click();
    await expect.poll(() => first.getByTestId("signatures-stage").textContent()).toBe("Awaiting signatures (1 of 2)");
    const tutorLine = first.getByTestId("signers").locator("[data-role=induction_tutor]");
    await tutorLine.getByText("Signed", { exact: true }).waitFor();
    expect(await tutorLine.textContent()).toMatch(/in the app · agreed version \d+/);
    expect(await tutorLine.locator("[data-digest]").getAttribute("data-digest")).toMatch(/^[0-9a-f]{64}$/);
  }, 180_000);

  it("the ECT sees the plan, cannot edit the tutor's fields, and adds her comment", async () => {
    const { id: planId } = await erinLevel2Plan(server, ["tutor"]);
    const page = await open("/");
    await signIn(page, "Erin Walsh");
    await page.getByRole("heading", { name: "My support plans" }).waitFor();
    await page.getByRole("link", { name: "Erin Walsh" }).click();
    await page.getByRole("heading", { name: /Erin Walsh · Level 2/ }).waitFor();

    const t1 = page.getByTestId("target-1");
    await t1.getByText("Act decisively when behaviour slips", { exact: false }).waitFor();
    expect(await page.getByRole("textbox", { name: "Objective", exact: true }).count()).toBe(0);
    expect(await page.getByLabel("Week 1: Action to be taken").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Add objective" }).count()).toBe(0);

    await page.getByLabel("Week 1: ECT's comment on progress").fill("The countdown worked after lunch.");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => page.getByTestId("save-state").textContent()).toBe("All changes saved");
    await page.getByLabel("Add a comment").fill("Could I see a transition in Year 6 too?");
    await page.getByRole("button", { name: "Post comment" }).click();
    await page.getByText("Could I see a transition in Year 6 too?", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Sign as ECT" }).click();
    await expect.poll(() => page.getByTestId("signers").getByText("Signed", { exact: true }).count()).toBe(2);
    // Agreed (it starts on 30 November): the seal of the agreed version is shown with its full digest.
    await expect.poll(() => page.getByTestId("plan-stage").textContent()).toBe("Agreed");
    expect(await page.getByTestId("agreed-seal").locator("[data-digest]").getAttribute("data-digest")).toMatch(/^[0-9a-f]{64}$/);
    await shot(page, "07-ect-view");
    await expectAccessible(page, "ECT view");

    const stored = await server.store.getPlan(planId);
    expect(stored?.weeks[0]?.ectComment).toBe("The countdown worked after lunch.");
    expect(stored?.targets[0]?.text).toBe("Act decisively when behaviour slips, using the school's policy");
  }, 180_000);

  it("the review escalates to Level 3 with the unmet target carried over; the history reads", async () => {
    const { id: planId } = await erinLevel2Plan(server, ["tutor", "ect"]);
    const page = await open(`/plans/${planId}`);
    await signIn(page, "Sarah Thompson");
    const review = page.locator("[data-section=review]");
    await review.waitFor();
    await review.getByTestId("review-target-1").getByRole("radio", { name: "Met", exact: true }).check();
    await review.getByLabel("Evidence for objective 1").fill("Consistent in three observations");
    await review.getByTestId("review-target-2").getByRole("radio", { name: "Not met" }).check();
    await review.getByLabel("Evidence for objective 2").fill("Starters still overrun");
    await review.getByLabel("Evaluation").fill("Behaviour secure; pace not yet.");
    await review.getByLabel("Next objectives").fill("Pace and structure of lessons");
    await review.getByRole("radio", { name: "No", exact: true }).check();
    await review.getByRole("button", { name: "Record the review" }).click();

    const conclude = page.getByTestId("conclude");
    await conclude.waitFor();
    await conclude.getByRole("radio", { name: /Not enough progress/ }).check();
    await conclude.getByText("Level 3 – Support plan 2").waitFor();
    await conclude.getByLabel("Reason").fill("Not enough progress on pace");
    await shot(page, "08-review");
    await expectAccessible(page, "review");
    await conclude.getByRole("button", { name: "Start the Level 3 plan" }).click();

    await page.getByRole("heading", { name: /Erin Walsh · Level 3 – Support plan 2/ }).waitFor();
    const successorId = new URL(page.url()).pathname.split("/")[2];
    expect(successorId).not.toBe(planId);
    // The unmet target carried over, then the review's next objective (issue 15).
    expect(await page.locator("[data-testid^=target-]").count()).toBe(2);
    expect(await page.getByTestId("target-1").getByLabel("Objective", { exact: true }).inputValue()).toBe(TARGET_2);
    expect(await page.getByTestId("target-2").getByLabel("Objective", { exact: true }).inputValue()).toBe("Pace and structure of lessons");
    await shot(page, "09-successor-level-3");

    await page.goto(`${server.url}/plans/${planId}/history`);
    await page.getByRole("heading", { name: /History of Erin Walsh/ }).waitFor();
    for (const what of ["Started the plan", "Edited the plan", "Signed", "Recorded the review", "Escalated"]) {
      await page.getByRole("cell", { name: what, exact: true }).first().waitFor();
    }
    await shot(page, "10-history");
    await expectAccessible(page, "history");
  }, 180_000);

  it("the AB officer's caseload is one list across schools, Levels 2–5 first (caseload.test.ts has the full order)", async () => {
    const page = await open("/");
    await signIn(page, "Priya Shah");
    await page.getByRole("heading", { name: "ECTs your appropriate body covers" }).waitFor();
    await page.locator("[data-ect=ect-george]").waitFor();
    expect(await page.getByTestId("caseload-table").count()).toBe(1);
    const first = page.getByTestId("caseload-table").locator("tbody tr").first();
    expect(await first.getAttribute("data-ect")).toBe("ect-ben"); // Level 4
    await shot(page, "11-caseload-ab");
    await expectAccessible(page, "AB caseload");
  }, 120_000);

  it("renders the dark and high-contrast themes", async () => {
    for (const theme of ["dark", "contrast"]) {
      const page = await open("/", { theme });
      await signIn(page, "Sarah Thompson");
      await page.locator("[data-ect=ect-amy]").waitFor();
      const bg = await page.evaluate(() => getComputedStyle(document.querySelector(".fui-FluentProvider > div") as Element).backgroundColor);
      const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number);
      expect((r ?? 255) + (g ?? 255) + (b ?? 255)).toBeLessThan(200); // a dark background
      await shot(page, `12-caseload-${theme}`);
      await expectAccessible(page, `caseload (${theme})`);
      await page.getByRole("link", { name: "Amy Clarke" }).click();
      await page.getByRole("heading", { name: /Amy Clarke · Level 2/ }).waitFor();
      await shot(page, `13-plan-${theme}`);
      await expectAccessible(page, `plan editor (${theme})`);
    }
  }, 180_000);

  it("Escalate now: the tutor escalates the Level 3 plan straight to Level 4 with a reason", async () => {
    // A plan is escalated once agreed: the Level 3 plan is signed by the tutor and Erin first.
    const { id: level3 } = await agreePlan(server, await erinLevel3Plan(server));
    const page = await open(`/plans/${level3}`);
    await signIn(page, "Sarah Thompson");
    await page.getByRole("heading", { name: /Erin Walsh · Level 3/ }).waitFor();
    await page.getByRole("button", { name: "Escalate now" }).click();
    const dialog = page.getByRole("dialog", { name: "Escalate Erin Walsh's plan now" });
    await dialog.getByRole("radio", { name: /^Level 4 / }).check();
    await dialog.getByLabel("Reason for escalating").fill("No progress on pace after two plans");
    await shot(page, "14-escalate-now");
    await expectAccessible(page, "escalate now dialog");
    await dialog.getByRole("button", { name: "Escalate to Level 4" }).click();

    await page.getByRole("heading", { name: /Erin Walsh · Level 4/ }).waitFor();
    const level4 = new URL(page.url()).pathname.split("/")[2] as string;
    expect(level4).not.toBe(level3);
    const closed = await server.store.getPlan(level3);
    expect(closed).toMatchObject({ status: "closed", outcome: "escalated", successorId: level4, outcomeReason: "No progress on pace after two plans" });
    expect((await server.store.getPlan(level4))?.level).toBe(4);
    expect(await page.getByTestId("target-1").getByLabel("Objective", { exact: true }).inputValue()).toBe(TARGET_2);
    // The successor says where it came from and why; the closed plan says how it ended and why.
    await expect
      .poll(() => page.getByTestId("plan-origin").textContent())
      .toContain("Escalated from the Level 3 plan because: No progress on pace after two plans");
    await page.goto(`${server.url}/plans/${level3}`);
    await expect.poll(() => page.getByTestId("plan-outcome").textContent()).toContain("Escalated to Level 4 because: No progress on pace after two plans");
    await expectAccessible(page, "closed plan with its outcome");
  }, 120_000);

  it("tenant mode outside Teams: no persona picker, a clear sign-in message", async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: "en-GB" });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(T);
    const apiCalls: string[] = [];
    page.on("request", (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith("/api/") && path !== "/api/auth/config") apiCalls.push(path);
    });
    await page.route("**/api/auth/config", (route) =>
      route.fulfill({
        json: {
          mode: "tenant",
          clientId: "client-123",
          tenantId: "tenant-1",
          authority: "https://login.microsoftonline.com/tenant-1",
          scopes: ["api://tab.example.org/client-123/access_as_user"],
        },
      }),
    );
    await page.goto(server.url + "/");
    await page.getByRole("heading", { name: "You are not signed in" }).waitFor();
    expect(await page.getByRole("alert").textContent()).toContain("Open this app in Microsoft Teams");
    expect(await page.getByRole("heading", { name: "Choose who you are" }).count()).toBe(0);
    expect(apiCalls).toEqual([]);
    await expectAccessible(page, "tenant sign-in message");
  }, 60_000);

  it("the channel tab's configuration page renders at /config without sign-in", async () => {
    const page = await open("/config");
    await page.getByRole("heading", { name: "Add ECT support plans to this channel" }).waitFor();
    expect(await page.getByLabel(/Tab name/).inputValue()).toBe("ECT support plans");
    await shot(page, "15-channel-config");
    await expectAccessible(page, "channel tab config");
  }, 60_000);
});
