import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestServer, type RunningServer } from "../../bot/test-support/testServer.js";
import { ensureTabBuilt, expectAccessible, launch, openSignedIn, shot, tabDist } from "./browser.js";

/**
 * The AB return loop in real Chromium against the real server (issue 16 item 3): a progress
 * review signed by the ECT, the tutor and the head; the AB officer returns it with a reason and
 * comments; the tutor reads why, revises it on the form filled in; the ECT signs the revision.
 */
const T = 45_000;
let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let recordId = "";

const ratings = Object.fromEntries(["1", "2", "3", "4", "5", "6", "7", "8", "P2"].map((c) => [c, { ratingId: "secure", statement: "" }]));

beforeAll(async () => {
  ensureTabBuilt();
  server = await startTestServer({ env: { TAB_DIST: tabDist } });
  browser = await launch();
  // Arranged over the API, as the people themselves: recorded by the tutor, signed by all three.
  const tutor = await server.as("person-tutor-a");
  const res = await tutor("/api/ects/ect-amy/progress-reviews", {
    method: "POST",
    body: JSON.stringify({ date: "2026-11-27", onTrack: true, ratings, targets: [{ text: "Improve pacing", standards: [] }] }),
  });
  recordId = ((await res.json()) as { record: { id: string } }).record.id;
  for (const who of ["person-ect-amy", "person-tutor-a", "person-head"]) {
    const signed = await (await server.as(who))(`/api/ects/ect-amy/records/${recordId}/signatures`, { method: "POST", body: "{}" });
    if (signed.status !== 201) throw new Error(`Arranging the signatures failed: ${signed.status}`);
  }
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

const openAs = (name: string): Promise<Page> => openSignedIn(browser, contexts, `${server.url}/ects/ect-amy/records`, name, { timeoutMs: T });

describe("the AB return loop in Chromium", () => {
  it("the AB officer returns it, the tutor revises it, the ECT signs the revision", async () => {
    const officer = await openAs("Priya Shah");
    const signOff = officer.getByTestId("sign-off");
    await signOff.getByText("Signed by all").waitFor();
    await signOff.getByRole("button", { name: "Return to school" }).click();
    const dialog = officer.getByRole("dialog", { name: "Return the progress review to the school" });
    await dialog.waitFor();
    await dialog.getByRole("checkbox", { name: "Targets are not specific" }).check();
    await expectAccessible(officer, "return to school dialog");
    await dialog.getByLabel(/Comments for the school/).fill("Make the pacing target measurable and refer to Standard 4");
    await dialog.getByRole("button", { name: "Return to school" }).click();
    await signOff.getByText("Returned by the appropriate body").waitFor();
    await shot(officer, "records-return-01-officer");

    const tutor = await openAs("Sarah Thompson");
    const tutorSignOff = tutor.getByTestId("sign-off");
    await tutorSignOff.getByText("Make the pacing target measurable and refer to Standard 4").waitFor();
    expect(await tutorSignOff.getByRole("list", { name: "Reasons" }).textContent()).toContain("Targets are not specific");
    await tutorSignOff.getByRole("button", { name: "Revise" }).click();
    const form = tutor.getByTestId("revise-form").getByRole("form", { name: "Record a progress review" });
    const target = form.getByLabel(/^Target 1/);
    expect(await target.inputValue()).toBe("Improve pacing");
    await target.fill("Improve pacing (Standard 4): three-part lessons, checked in two observations by February");
    await expectAccessible(tutor, "revising a returned review");
    await form.getByRole("button", { name: "Save the revision" }).click();
    await tutorSignOff.getByText("Awaiting signatures (0 of 3)").waitFor();
    await tutor.getByTestId("record-history").getByText("History: 1 earlier revision").click();
    expect(await tutor.getByTestId("record-history").textContent()).toContain("Returned by Priya Shah");

    const amy = await openAs("Amy Clarke");
    const amySignOff = amy.getByTestId("sign-off");
    await amySignOff.getByText("revision 2").waitFor();
    await amySignOff.getByLabel(/Your comments before you sign/).fill("I agree with the revised target");
    await amySignOff.getByRole("button", { name: "Sign as the ECT" }).click();
    await amySignOff.getByText("Awaiting signatures (1 of 3)").waitFor();
    expect(await amySignOff.getByRole("list", { name: "Signatures" }).textContent()).toContain("The ECT: signed by Amy Clarke");
    await shot(amy, "records-return-02-ect-signed");
    await expectAccessible(amy, "ECT records with sign-off");

    // The server kept both revisions, all four signatures and the return.
    const kinds = (await server.store.listRecords({ ectIds: ["ect-amy"] })).map((r) => `${r.kind}${"revision" in r ? r.revision : ""}`);
    expect(kinds.sort()).toEqual(
      ["progress_review1", "progress_review2", "record_return", "record_signature", "record_signature", "record_signature", "record_signature"].sort(),
    );
  });
});
