import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestServer, type RunningServer } from "../../bot/test-support/testServer.js";
import { demoIds } from "../../bot/src/demo/demoSchool.js";
import { axe, ensureTabBuilt, launch, shot, tabDist } from "./browser.js";

/**
 * The caseload in real Chromium on the demo school (today is Friday 27 November 2026): the AB
 * officer's one list across both schools in order of seriousness, its school filter and stat
 * tiles; a tutor told why a row needs attention; each row's level read once.
 */
const T = 45_000;
type Json = Record<string, any>;
let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function call(personId: string, path: string, init: RequestInit = {}): Promise<Json> {
  const res = await (await server.as(personId))(path, init);
  const body = (await res.json()) as Json;
  if (!res.ok) throw new Error(`arrange: ${init.method ?? "GET"} ${path} as ${personId} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/** A plan with one target, sent for signature and signed by `signers`, through the tab's API. */
async function arrangePlan(tutor: string, ectId: string, templateId: string, dates: { startDate: string; endDate: string }, signers: string[]) {
  const created = (await call(tutor, "/api/plans", { method: "POST", body: JSON.stringify({ ectId, templateId, content: dates }) })).plan;
  const content = {
    ...structuredClone(created),
    targets: [{ id: crypto.randomUUID(), standards: ["4a"], text: "Use lesson time productively" }],
  };
  let plan = (
    await call(tutor, `/api/plans/${created.id}`, { method: "PUT", headers: { "if-match": `"v${created.version}"` }, body: JSON.stringify({ content }) })
  ).plan;
  plan = (await call(tutor, `/api/plans/${plan.id}/signature-requests`, { method: "POST", body: "{}" })).plan;
  for (const who of signers)
    plan = (await call(who, `/api/plans/${plan.id}/signatures`, { method: "POST", body: JSON.stringify({ revision: plan.revision }) })).plan;
}

beforeAll(async () => {
  ensureTabBuilt();
  browser = await launch();
}, 180_000);

beforeEach(async () => {
  server = await startTestServer({ env: { TAB_DIST: tabDist } });
  // Erin: a Level 2 plan that ended on 23 November, agreed, not yet reviewed: its review is overdue.
  await arrangePlan(demoIds.tutorA, "ect-erin", "level_2", { startDate: "2026-10-12", endDate: "2026-11-23" }, [demoIds.tutorA, "person-ect-erin"]);
  // Farah: the at-risk action plan (Level 4), signed by her and her tutor, waiting on the head.
  await arrangePlan(demoIds.tutorB, "ect-farah", "at_risk_action", { startDate: "2026-11-30", endDate: "2026-12-28" }, [demoIds.tutorB, "person-ect-farah"]);
}, 60_000);

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
  await server?.stop();
});

afterAll(async () => {
  await browser?.close();
});

async function openAs(name: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: "en-GB" });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(T);
  page.setDefaultNavigationTimeout(T);
  await page.goto(server.url + "/");
  await page.getByRole("button", { name: new RegExp(`^Continue as ${name}`) }).click();
  await page.getByText(name, { exact: true }).first().waitFor();
  return page;
}

/** The ECTs' names down the caseload, top to bottom. */
const order = (page: Page) => page.getByTestId("caseload-table").locator("tbody tr th[scope=row] > :first-child").allTextContents();

describe("the caseload in Chromium", () => {
  it("the AB officer's caseload: highest level first, overdue reviews first, across both schools; the school filter and a tile narrow it", async () => {
    const page = await openAs("Priya Shah");
    await page.getByRole("heading", { name: "ECTs your appropriate body covers" }).waitFor();
    await page.locator("[data-ect=ect-farah]").waitFor();
    expect(await order(page)).toEqual([
      "Ben Okafor", // Level 4
      "Farah Ahmed", // Level 4
      "Erin Walsh", // Level 2, review overdue
      "Amy Clarke", // Level 2
      "George Lam", // Level 2, Northgate
      "Chloe Evans", // Level 1
      "Daniel Hughes", // no open plan
    ]);
    // One list, school a column: no heading per school.
    expect(await page.getByRole("heading", { level: 2 }).count()).toBe(0);
    const table = page.getByTestId("caseload-table");
    expect(await table.getByRole("columnheader", { name: "School" }).count()).toBe(1);
    expect(await page.locator("[data-ect=ect-george]").getByRole("cell", { name: "Northgate High School", exact: true }).count()).toBe(1);
    expect(await page.locator("[data-ect=ect-erin]").getByTestId("caseload-reasons").textContent()).toBe("Review overdue since 23 Nov 2026");
    await shot(page, "caseload-01-ab-order");
    expect(await axe(page)).toEqual([]);

    await page.getByRole("combobox", { name: "School" }).click();
    await page.getByRole("option", { name: "Northgate High School" }).click();
    await expect.poll(() => order(page)).toEqual(["George Lam"]);
    await page.getByRole("combobox", { name: "School" }).click();
    await page.getByRole("option", { name: "All schools" }).click();
    await expect.poll(() => order(page)).toHaveLength(7);

    const level4 = page.getByRole("button", { name: /at Level 4 or above$/ });
    expect(await level4.getAttribute("aria-pressed")).toBe("false");
    await level4.click();
    expect(await level4.getAttribute("aria-pressed")).toBe("true");
    await expect.poll(() => order(page)).toEqual(["Ben Okafor", "Farah Ahmed"]);
    await shot(page, "caseload-02-ab-tile");
    expect(await axe(page)).toEqual([]);
    await page.getByRole("button", { name: "Show all ECTs" }).click();
    expect(await level4.getAttribute("aria-pressed")).toBe("false");
    await expect.poll(() => order(page)).toHaveLength(7);
  }, 120_000);

  it("a tutor's row awaiting the head's signature says so, and each row's level is read once", async () => {
    const page = await openAs("James Patel");
    await page.getByRole("heading", { name: "Caseload" }).waitFor();
    const farah = page.getByRole("row", { name: /^Farah Ahmed/ });
    await farah.waitFor();
    expect(await farah.getByTestId("caseload-reasons").textContent()).toBe("Awaiting the head's signature");
    expect(await farah.getByRole("cell", { name: "Level 4 Additional support action plan (at-risk ECT)", exact: true }).count()).toBe(1);

    // Chloe's Level 1 plan: "Level 1" once, as the screen reader reads the row.
    const chloe = page.getByRole("row", { name: /^Chloe Evans/ });
    const levelCell = chloe.getByRole("cell", { name: "Level 1 Light touch support", exact: true });
    expect(await levelCell.count()).toBe(1);
    // The row's accessible name, as a screen reader announces it (the snapshot's first line).
    const rowName = (await chloe.ariaSnapshot()).split("\n")[0] ?? "";
    expect(rowName.match(/Level 1/g)).toHaveLength(1);
    expect(rowName).toContain("Level 1 Light touch support Draft");
    expect(await chloe.getByTestId("caseload-reasons").textContent()).toBe("Draft not yet sent for signature");
    await shot(page, "caseload-03-tutor-reasons");
    expect(await axe(page)).toEqual([]);
  }, 120_000);

  it("the AB officer's progress-review list shows each ECT's level", async () => {
    const page = await openAs("Priya Shah");
    await page.getByRole("link", { name: "Progress reviews" }).click();
    const table = page.getByTestId("ab-reviews");
    await table.waitFor();
    expect(await table.getByRole("columnheader", { name: "Level" }).count()).toBe(1);
    const farah = table.locator("[data-ect=ect-farah]").getByTestId("ab-review-level");
    await expect.poll(() => farah.textContent()).toBe("Level 4 – Additional support action plan (at-risk ECT)");
    expect(await table.locator("[data-ect=ect-daniel]").getByTestId("ab-review-level").textContent()).toBe("No open plan");
    await shot(page, "caseload-04-ab-reviews-level");
    expect(await axe(page)).toEqual([]);
  }, 120_000);
});
