import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestServer, type RunningServer } from "../../bot/test-support/testServer.js";
import { ensureTabBuilt, expectAccessible, launch, openSignedIn, shot, tabDist } from "./browser.js";

/**
 * Induction records in real Chromium against the real server: the tutor attaches a PDF to a
 * target of Amy's plan, the AB officer downloads it, the tutor records a progress review (a
 * statement is asked for as soon as a standard is rated Cause for concern), the AB officer sees
 * it in the listing, and the head opens the roster. Axe on every new view.
 */
const T = 45_000;
let server: RunningServer;
let browser: Browser;
let amyPlanId = "";
const contexts: BrowserContext[] = [];
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

beforeAll(async () => {
  ensureTabBuilt();
  server = await startTestServer({ env: { TAB_DIST: tabDist } });
  browser = await launch();
  const plans = await server.store.listPlanSummaries({ ectIds: ["ect-amy"] });
  amyPlanId = plans.find((p) => p.status !== "closed")?.id ?? plans[0]!.id;
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

const openAs = (name: string, path: string): Promise<Page> => openSignedIn(browser, contexts, server.url + path, name, { timeoutMs: T, acceptDownloads: true });

describe("induction records in Chromium", () => {
  it("the tutor uploads a PDF to a target; a refused file shows the server's reason; the AB officer downloads it", async () => {
    const tutor = await openAs("Sarah Thompson", `/plans/${amyPlanId}`);
    const t1 = tutor.getByTestId("target-1");
    await t1.getByText(/^Evidence for /).waitFor();
    const input = t1.getByLabel(/^Add evidence to /);

    // A file that is not evidence: the server's refusal is shown next to the control.
    await input.setInputFiles({ name: "notes.exe", mimeType: "application/octet-stream", buffer: Buffer.from("MZ\x90\x00 not a document") });
    await t1.getByRole("button", { name: /^Upload to / }).click();
    await expect.poll(() => t1.textContent()).toMatch(/PDF, Word \(\.docx\), PNG, JPEG, GIF or WebP images, or plain text/);

    await input.setInputFiles({ name: "Lesson observation.pdf", mimeType: "application/pdf", buffer: PDF });
    await t1.getByRole("button", { name: /^Upload to / }).click();
    await t1.getByRole("link", { name: "Download Lesson observation.pdf" }).waitFor();
    expect(await t1.textContent()).toContain("added by Sarah Thompson");
    await t1.scrollIntoViewIfNeeded();
    await shot(tutor, "records-01-evidence-tutor");
    await expectAccessible(tutor, "plan editor with evidence");

    const officer = await openAs("Priya Shah", `/plans/${amyPlanId}`);
    const o1 = officer.getByTestId("target-1");
    const link = o1.getByRole("link", { name: "Download Lesson observation.pdf" });
    await link.waitFor();
    expect(await o1.getByLabel(/^Add evidence to /).count()).toBe(0); // read-only viewer: no upload
    const [download] = await Promise.all([officer.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe("Lesson observation.pdf");
    const path = await download.path();
    expect(readFileSync(path).subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("the tutor records a progress review from the records view; the AB officer sees it and the CSV link", async () => {
    const tutor = await openAs("Sarah Thompson", "/");
    await tutor.locator("[data-ect=ect-amy]").getByRole("link", { name: "Records", exact: true }).click();
    await tutor.getByRole("heading", { name: "Amy Clarke · induction records" }).waitFor();
    await tutor.getByTestId("timeline").waitFor();
    await shot(tutor, "records-02-ect-records");
    await expectAccessible(tutor, "ECT records");

    await tutor.getByRole("button", { name: "Progress review" }).click();
    const form = tutor.getByRole("form", { name: "Record a progress review" });
    const selects = form.getByLabel(/^Rating for /);
    expect(await selects.count()).toBe(9);
    for (let i = 0; i < 9; i++) await selects.nth(i).selectOption("secure");
    await form.getByLabel(/^Rating for 7\./).selectOption("cause_for_concern");
    const statement = form.getByLabel(/Statement of the areas of concern for standard 7/);
    await expect.poll(() => form.textContent()).toContain('Rated "Cause for concern": write a statement outlining the areas of concern.');
    await statement.fill("Behaviour routines after lunch are not yet consistent");
    await form.getByLabel("Target 1").fill("Use the countdown routine in every transition");
    await form.getByRole("radio", { name: "No, not on track" }).check();
    await form.getByLabel("Evidence summary").fill("Three observations and the weekly check-ins");
    // The server's clock says 27 November 2026 and refuses a review dated after it (issue 16); the browser's date may be later.
    await form.getByLabel("Date of the review").fill("2026-11-27");
    await shot(tutor, "records-03-progress-review-form");
    await expectAccessible(tutor, "progress review form");
    await form.getByRole("button", { name: "Record progress review" }).click();
    await tutor.getByTestId("record").first().waitFor();
    expect(await tutor.getByTestId("record").first().textContent()).toContain("Not on track");

    const officer = await openAs("Priya Shah", "/");
    await officer.getByRole("link", { name: "Progress reviews" }).click();
    await officer.getByRole("heading", { name: "Progress reviews" }).waitFor();
    const first = officer.getByTestId("ab-reviews").locator("tbody tr").first();
    expect(await first.getAttribute("data-ect")).toBe("ect-amy"); // not on track first
    const [csv] = await Promise.all([officer.waitForEvent("download"), officer.getByRole("link", { name: "Download as CSV" }).click()]);
    expect(readFileSync(await csv.path(), "utf8")).toContain("Amy Clarke");
    await shot(officer, "records-04-ab-reviews");
    await expectAccessible(officer, "AB reviews");

    await officer.getByRole("link", { name: "Roster" }).click();
    await officer.getByTestId("roster-ects").waitFor();
    expect(await officer.getByRole("button", { name: /^Edit/ }).count()).toBe(0);
  });

  it("the head edits an ECT's FTE on the roster", async () => {
    const head = await openAs("Helen Carter", "/roster");
    await head.getByTestId("roster-ects").waitFor();
    await shot(head, "records-05-roster");
    await expectAccessible(head, "roster");
    await head.getByRole("button", { name: "Edit induction details for Chloe Evans" }).click();
    const dialog = head.getByRole("dialog");
    await dialog.getByLabel(/^FTE/).fill("0.8");
    await shot(head, "records-06-roster-dialog");
    await expectAccessible(head, "roster dialog");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => head.locator("[data-ect=ect-chloe]").textContent()).toContain("0.8");
  });

  it("an ECT raises a concern privately: her tutor reads it, the head does not", async () => {
    const amy = await openAs("Amy Clarke", "/ects/ect-amy/records");
    await amy.getByRole("heading", { name: "Raise a concern" }).waitFor();
    await amy.getByLabel("Your concern", { exact: true }).fill("My observations keep being moved at short notice.");
    await amy.getByRole("button", { name: "Send privately" }).click();
    await amy.getByTestId("concern").getByText("My observations keep being moved at short notice.").waitFor();
    await expectAccessible(amy, "raise a concern");
    await shot(amy, "records-05-concern-ect");

    const tutor = await openAs("Sarah Thompson", "/ects/ect-amy/records");
    await tutor.getByRole("heading", { name: "Concerns raised with you" }).waitFor();
    await tutor.getByText("My observations keep being moved at short notice.").waitFor();

    const head = await openAs("Helen Carter", "/ects/ect-amy/records");
    await head.getByRole("heading", { name: /Reviews and assessments recorded/ }).waitFor();
    expect(await head.getByText("My observations keep being moved at short notice.").count()).toBe(0);
  }, 120_000);
});
