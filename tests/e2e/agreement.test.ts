import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestServer, type RunningServer } from "../../bot/test-support/testServer.js";
import { ensureTabBuilt, expectAccessible, launch, openSignedIn, shot, tabDist } from "./browser.js";
import { TARGET_1, TARGET_2, erinActiveLevel2Plan } from "./arrange.js";

/**
 * What is signed stays signed, in real Chromium against the real server: the tutor's review is a
 * judgement with nothing chosen for her, and a change to a running plan's agreement is an
 * amendment shown beside the agreed text, while the running record is written as before.
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

const openAs = (path: string, name: string): Promise<Page> => openSignedIn(browser, contexts, server.url + path, name, { timeoutMs: T });

describe("the agreement in Chromium", () => {
  it("the tutor's review starts with no outcome chosen", async () => {
    const plan = await erinActiveLevel2Plan(server);
    expect(plan.status).toBe("active");
    const page = await openAs(`/plans/${plan.id}`, "Sarah Thompson");
    await expect.poll(() => page.getByTestId("plan-stage").textContent()).toBe("Active");
    const review = page.locator("[data-section=review]");
    await review.getByTestId("review-target-2").waitFor();

    // Nothing is chosen for her: no outcome for any target, and no answer to "on track".
    expect(await review.getByRole("radio").count()).toBeGreaterThanOrEqual(8);
    expect(await review.locator("input[type=radio]:checked").count()).toBe(0);
    await shot(page, "20-review-empty");

    // Saving now is refused in the form, target by target, and nothing reaches the plan.
    await review.getByRole("button", { name: "Record the review" }).click();
    const incomplete = review.getByTestId("review-incomplete");
    await incomplete.waitFor();
    expect(await incomplete.textContent()).toContain("Objective 1: choose met, partially met or not met and give the evidence for the outcome.");
    expect(await incomplete.textContent()).toContain("Objective 2: choose met, partially met or not met and give the evidence for the outcome.");

    // One target judged with evidence, the other only judged: still told what is missing.
    await review.getByTestId("review-target-1").getByRole("radio", { name: "Partially met" }).check();
    await review.getByLabel("Evidence for objective 1").fill("Two of three observations consistent");
    await review.getByTestId("review-target-2").getByRole("radio", { name: "Not met" }).check();
    await review.getByRole("button", { name: "Record the review" }).click();
    await expect.poll(() => incomplete.textContent()).toContain("Objective 2: give the evidence for the outcome.");
    expect(await incomplete.textContent()).not.toContain("Objective 1");
    await expectAccessible(page, "review with a target missing its evidence");

    const stored = await server.store.getPlan(plan.id);
    expect(stored?.review).toBeUndefined();
    expect(stored).toMatchObject({ status: "active", version: plan.version });

    // The server refuses the same review when it reaches it directly, naming the rule.
    const as = await server.as("person-tutor-a");
    const res = await as(`/api/plans/${plan.id}/review`, {
      method: "PUT",
      headers: { "if-match": `"v${plan.version}"` },
      body: JSON.stringify({ review: { targetOutcomes: [{ targetId: plan.targets[0].id, outcome: "met", evidence: "" }] } }),
    });
    expect(res.status).toBe(422);
    const codes = ((await res.json()) as { violations: { code: string }[] }).violations.map((v) => v.code);
    expect(codes).toEqual(expect.arrayContaining(["target-evidence-missing", "target-outcome-missing"]));
    expect((await server.store.getPlan(plan.id))?.review).toBeUndefined();

    // With every target judged and evidenced, it is recorded.
    await review.getByLabel("Evidence for objective 2").fill("Starters still overrun");
    await review.getByRole("button", { name: "Record the review" }).click();
    await page.getByTestId("conclude").waitFor();
    expect((await server.store.getPlan(plan.id))?.review?.targetOutcomes.map((o) => o.outcome)).toEqual(["partially_met", "not_met"]);
  }, 180_000);

  it("an amendment shows beside the agreed text", async () => {
    const plan = await erinActiveLevel2Plan(server);
    const page = await openAs(`/plans/${plan.id}`, "Sarah Thompson");
    const objective = page.getByTestId("target-1").getByLabel("Objective", { exact: true });
    expect(await objective.inputValue()).toBe(TARGET_1);

    const proposed = "Act decisively when behaviour slips, using the school's policy and logging each incident";
    await objective.fill(proposed);
    await expect.poll(() => page.getByTestId("save-effect").textContent()).toContain("saving proposes an amendment");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => page.getByTestId("save-state").textContent()).toBe("All changes saved");

    // The banner: who proposed it and when; it is only proposed until sent for signature.
    const amendment = page.getByTestId("amendment");
    const banner = amendment.getByTestId("amendment-banner");
    await expect.poll(() => banner.textContent()).toMatch(/^Amendment proposed by Sarah Thompson on 27 Nov 2026: not yet sent for signature/);
    expect(await page.getByTestId("plan-stage").textContent()).toBe("Active · amendment proposed, not yet sent for signature");

    // Each change with the agreed wording beside the proposed one, under "Agreed" and "Proposed".
    const changes = amendment.getByTestId("amendment-changes");
    expect(await changes.getByRole("columnheader").allTextContents()).toEqual(["Change", "Agreed", "Proposed"]);
    const row = changes.locator("tr[data-path='targets.0.text']");
    expect(await row.getByRole("rowheader").textContent()).toBe("Objective 1 wording");
    expect(await row.locator("[data-part=agreed]").textContent()).toBe(TARGET_1);
    expect(await row.locator("[data-part=proposed]").textContent()).toBe(proposed);
    // In the form, the proposal is in the field and the agreed text is labelled under it.
    expect(await objective.inputValue()).toBe(proposed);
    expect(await page.getByTestId("target-1").locator("[data-agreed]").textContent()).toBe(`Agreed: ${TARGET_1}`);
    await shot(page, "21-amendment");
    await expectAccessible(page, "amendment beside the agreed text");
    // Readable in the other themes too (the rest of the test runs in high contrast).
    for (const theme of ["dark", "contrast"]) {
      await page.evaluate((t) => localStorage.setItem("ectsp:theme", t), theme);
      await page.reload();
      await amendment.getByTestId("amendment-changes").waitFor();
      await expectAccessible(page, `amendment (${theme})`);
    }

    // The plan runs on what was signed; the proposal waits beside it.
    let stored = await server.store.getPlan(plan.id);
    expect(stored?.status).toBe("active");
    expect(stored?.targets.map((t) => t.text)).toEqual([TARGET_1, TARGET_2]);
    expect(stored?.amendment?.content.targets[0]?.text).toBe(proposed);
    expect(stored?.amendment?.changes.map((c) => c.label)).toEqual(["Objective 1 wording"]);

    // The running record is written as before and asks for no signatures.
    await page.getByLabel("Week 1: Evaluation of progress").fill("Routines seen in two lessons");
    await expect.poll(() => page.getByTestId("save-effect").textContent()).toContain("no new signatures needed");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => page.getByTestId("save-state").textContent()).toBe("All changes saved");
    stored = await server.store.getPlan(plan.id);
    expect(stored?.weeks[0]?.evaluation).toBe("Routines seen in two lessons");
    expect(stored?.amendment?.content.targets[0]?.text).toBe(proposed);
    expect(stored?.signatures.filter((s) => s.revision === stored?.revision)).toHaveLength(2);

    // Asked for once, it awaits the same signers; after that the button only reminds, and says when it was asked.
    await amendment.getByRole("button", { name: "Ask for signatures on the amendment" }).click();
    await amendment.getByRole("button", { name: "Send a reminder" }).waitFor();
    expect(await amendment.getByTestId("asked").textContent()).toMatch(/^Asked for signatures 27 November 2026.*; sign by 4 Dec 2026\./);
    await expect
      .poll(() => banner.textContent())
      .toMatch(/^Amendment proposed by Sarah Thompson on 27 Nov 2026: awaiting signatures \(0 of 2\)Sent to the signers\./);
    expect(await page.getByTestId("plan-stage").textContent()).toBe("Active · amendment awaiting signatures (0 of 2)");
    expect(await page.getByTestId("signatures-stage").textContent()).toBe("Active · amendment awaiting signatures (0 of 2)");
    // The caseload says the same.
    await page.getByRole("link", { name: "Caseload" }).click();
    await expect.poll(() => page.locator("[data-ect=ect-erin]").textContent()).toContain("Active · amendment awaiting signatures (0 of 2)");
    await page.getByRole("link", { name: "Erin Walsh" }).click();

    // Withdrawn: the plan is as agreed, the proposal gone.
    await amendment.getByRole("button", { name: "Withdraw amendment" }).click();
    await amendment.getByRole("button", { name: "Yes, withdraw it" }).click();
    await expect.poll(() => page.getByTestId("amendment").count()).toBe(0);
    expect(await objective.inputValue()).toBe(TARGET_1);
    expect(await page.getByTestId("plan-stage").textContent()).toBe("Active");
    stored = await server.store.getPlan(plan.id);
    expect(stored?.amendment).toBeUndefined();
    expect(stored?.targets[0]?.text).toBe(TARGET_1);
  }, 180_000);
});
