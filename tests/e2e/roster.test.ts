import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestServer, type RunningServer } from "../../bot/test-support/testServer.js";
import { demoIds } from "../../bot/src/demo/demoSchool.js";
import { ensureTabBuilt, expectAccessible, launch, openSignedIn, shot, tabDist } from "./browser.js";

/**
 * The roster kept in the tab (issue 15), in real Chromium against the real server: the lead adds
 * a person and then their ECT record (start, FTE, track, mentor, tutor) and sees them in the
 * roster and the caseload; then the induction lead and the head edit the same ECT at once: the
 * first save lands, the second is refused in words, keeps what was typed and writes nothing.
 */
const T = 45_000;
let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  ensureTabBuilt();
  server = await startTestServer({ env: { TAB_DIST: tabDist } });
  browser = await launch();
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

const openAs = (name: string, path: string): Promise<Page> => openSignedIn(browser, contexts, server.url + path, name, { timeoutMs: T });

describe("the roster in Chromium", () => {
  it("the lead adds a person, then their ECT record, and sees them in the roster and the caseload", async () => {
    const lead = await openAs("Imran Malik", "/roster");
    await lead.getByRole("heading", { name: "Roster" }).waitFor();

    await lead.getByRole("button", { name: "Add a person" }).click();
    let dialog = lead.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Name" }).fill("Ruby Osei");
    await dialog.getByRole("textbox", { name: "Work email" }).fill("ruby.osei@demo.school.example");
    await dialog.getByRole("checkbox", { name: "ECT" }).check();
    await expectAccessible(lead, "roster: add a person");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "detached" });
    const people = lead.getByTestId("roster-people");
    await people.getByRole("row", { name: /Ruby Osei/ }).waitFor();
    expect(await people.getByRole("row", { name: /Ruby Osei/ }).textContent()).toContain("Not yet");

    await lead.getByRole("button", { name: "Add an ECT" }).click();
    dialog = lead.getByRole("dialog");
    await dialog.getByRole("combobox", { name: "ECT" }).selectOption({ label: "Ruby Osei" });
    await dialog.getByLabel(/Induction start date/).fill("2026-09-01");
    await dialog.getByRole("spinbutton", { name: /FTE/ }).fill("0.8");
    await dialog.getByRole("combobox", { name: "Track" }).selectOption("ect");
    await dialog.getByRole("combobox", { name: "Mentor" }).selectOption({ label: "Laura Bennett" });
    await dialog.getByRole("combobox", { name: "Induction tutor" }).selectOption({ label: "Sarah Thompson" });
    await shot(lead, "roster-01-add-ect");
    await expectAccessible(lead, "roster: add an ECT");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "detached" });

    const row = lead.getByTestId("roster-ects").getByRole("row", { name: /Ruby Osei/ });
    await row.waitFor();
    const cells = await row.getByRole("cell").allTextContents();
    expect(cells.slice(0, 3)).toEqual(["Ruby Osei", "Laura Bennett", "Sarah Thompson"]);
    expect(cells).toEqual(expect.arrayContaining(["1 Sept 2026", "0.8", "ECT", "Current"]));
    await expectAccessible(lead, "roster with the new ECT");

    // What the server holds: the record at version 1, as typed.
    const ruby = (await server.store.listPeople({ schoolId: demoIds.school })).find((p) => p.displayName === "Ruby Osei")!;
    const [record] = await server.store.listEcts({ personId: ruby.id });
    expect(record).toMatchObject({
      version: 1,
      fte: 0.8,
      track: "ect",
      mentorId: demoIds.mentorA,
      inductionTutorId: demoIds.tutorA,
      inductionStartDate: "2026-09-01",
    });

    await lead.goto(`${server.url}/`);
    await lead.getByText("Ruby Osei").first().waitFor();
  });

  it("two leads edit the same ECT: the first save lands, the second is refused in words and nothing of it is written", async () => {
    const lead = await openAs("Imran Malik", "/roster");
    const head = await openAs("Helen Carter", "/roster");
    const edit = async (page: Page) => {
      await page.getByRole("button", { name: "Edit induction details for Amy Clarke" }).click();
      return page.getByRole("dialog");
    };
    // Both open the record at the same version.
    const first = await edit(lead);
    const second = await edit(head);
    await first.getByRole("spinbutton", { name: /FTE/ }).fill("0.9");
    await second.getByRole("spinbutton", { name: /FTE/ }).fill("0.6");
    await second.getByRole("combobox", { name: "Mentor" }).selectOption({ label: "Nadia Hussain" });

    await first.getByRole("button", { name: "Save" }).click();
    await first.waitFor({ state: "detached" });
    const saved = await server.store.getEct("ect-amy");
    expect(saved?.fte).toBe(0.9);

    await second.getByRole("button", { name: "Save" }).click();
    const alert = second.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("Imran Malik changed this record while you were editing; reload to see their change.");
    // What the head typed is still there; nothing of it reached the server.
    expect(await second.getByRole("spinbutton", { name: /FTE/ }).inputValue()).toBe("0.6");
    expect(await server.store.getEct("ect-amy")).toEqual(saved);
    await shot(head, "roster-02-concurrent-edit-refused");
    await expectAccessible(head, "roster: a concurrent edit refused");

    // Reloading shows the lead's change.
    await second.getByRole("button", { name: "Reload their change" }).click();
    await second.waitFor({ state: "detached" });
    const amy = head.getByTestId("roster-ects").getByRole("row", { name: /Amy Clarke/ });
    await expect.poll(async () => (await amy.getByRole("cell").allTextContents()).includes("0.9")).toBe(true);
  });
});
