import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestServer, type RunningServer } from "../../bot/test-support/testServer.js";
import { demoIds } from "../../bot/src/demo/demoSchool.js";
import { ensureTabBuilt, expectAccessible, launch, openSignedIn, shot, tabDist } from "./browser.js";
import { TARGET_2, erinActiveLevel2Plan } from "./arrange.js";

/**
 * Issue 15 in real Chromium against the real server: escalation starts the next plan, not a
 * blank page. The dialog shows what the successor starts with before the tutor confirms, and the
 * successor opens with the ladder's dates and the objectives, the evidence beside those carried.
 */
const T = 45_000;
const NEXT_1 = "Pace and structure of lessons";
const NEXT_2 = "Questioning that checks understanding";
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

const openAs = (path: string, name: string): Promise<Page> => openSignedIn(browser, contexts, server.url + path, name, { timeoutMs: T });

/** Erin's agreed Level 2 plan, reviewed on Friday 8 January 2027: the first target met, the second not, two next objectives. */
async function reviewedLevel2Plan(): Promise<{ id: string }> {
  const plan = await erinActiveLevel2Plan(server);
  const as = await server.as(demoIds.tutorA);
  const res = await as(`/api/plans/${plan.id}/review`, {
    method: "PUT",
    body: JSON.stringify({
      version: plan.version,
      review: {
        date: "2027-01-08",
        targetOutcomes: [
          { targetId: plan.targets[0].id, outcome: "met", evidence: "Consistent in three observations" },
          { targetId: plan.targets[1].id, outcome: "not_met", evidence: "Starters still overrun by ten minutes" },
        ],
        evaluation: "Behaviour secure; pace not yet.",
        nextObjectives: `- ${NEXT_1}\n- ${NEXT_2}`,
        onTrack: false,
      },
    }),
  });
  expect(res.status).toBe(200);
  return { id: plan.id as string };
}

describe("escalation in Chromium", () => {
  it("the escalated successor opens with the ladder's dates and the objectives, the evidence beside those carried over", async () => {
    const { id } = await reviewedLevel2Plan();
    const page = await openAs(`/plans/${id}`, "Sarah Thompson");
    await page.getByRole("heading", { name: /Erin Walsh · Level 2/ }).waitFor();
    await page.getByRole("button", { name: "Escalate now" }).click();
    const dialog = page.getByRole("dialog", { name: "Escalate Erin Walsh's plan now" });

    // Before confirming: the review was on a Friday, so the Level 3 plan starts on Monday and runs six weeks.
    const preview = dialog.getByTestId("successor-preview");
    expect(await preview.getByTestId("successor-start").textContent()).toBe("11 Jan 2027");
    expect(await preview.getByTestId("successor-end").textContent()).toContain("22 Feb 2027");
    expect(await preview.getByTestId("successor-review").textContent()).toBe("22 Feb 2027");
    expect(await preview.getByTestId("successor-objective-1").textContent()).toContain(TARGET_2);
    expect(await preview.getByTestId("successor-objective-1").textContent()).toContain("Not met at review: Starters still overrun by ten minutes");
    expect(await preview.getByTestId("successor-objective-2").textContent()).toContain(NEXT_1);
    expect(await preview.getByTestId("successor-objective-3").textContent()).toContain(NEXT_2);
    await dialog.getByLabel("Reason for escalating").fill("Pace has not improved over six weeks");
    await shot(page, "30-escalate-preview");
    await expectAccessible(page, "escalation dialog with the successor's preview");
    await dialog.getByRole("button", { name: "Escalate to Level 3" }).click();

    // The successor: the same dates and objectives, as the dialog said.
    await page.getByRole("heading", { name: /Erin Walsh · Level 3/ }).waitFor();
    const successorId = new URL(page.url()).pathname.split("/")[2] as string;
    expect(successorId).not.toBe(id);
    expect(await page.getByLabel("Start date of plan").inputValue()).toBe("2027-01-11");
    expect(await page.getByLabel("End of support plan date").inputValue()).toBe("2027-02-22");
    expect(await page.getByLabel("Review date", { exact: true }).inputValue()).toBe("2027-02-22");
    const objective = (n: number) => page.getByTestId(`target-${n}`).getByLabel("Objective", { exact: true }).inputValue();
    expect([await objective(1), await objective(2), await objective(3)]).toEqual([TARGET_2, NEXT_1, NEXT_2]);
    await expect
      .poll(() => page.getByTestId("target-1").getByTestId("carried-evidence-1").textContent())
      .toContain("Not met at review: Starters still overrun by ten minutes");
    expect(await page.getByTestId("target-2").getByTestId("carried-evidence-2").count()).toBe(0);
    const saved = await server.store.getPlan(successorId);
    expect(saved?.targets.map((t) => t.standards)).toEqual([["4a"], [], []]);
    await shot(page, "31-escalated-successor");
    await expectAccessible(page, "escalated successor");
  }, 120_000);
});
