/**
 * An ECT whose induction record the lead has ended (completed, left, moved) is asked for nothing
 * more by the schedule: no check-in, no evaluation prompt, no statutory-review reminder, while
 * everyone else's week goes on as before. Injected clock; the roster API ends the record.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { movableClock, testInstant } from "../../test-support/movableClock.js";
import { readJson, startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";

const clock = movableClock(testInstant); // Friday 27 November 2026
let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer({ clock });
});
afterAll(async () => {
  await server?.stop();
});

describe("the weekly schedule and ended induction records", () => {
  it("sends nothing about an ECT whose record has ended, and the others' week goes on", async () => {
    const [amyPlan] = await server.store.listPlanSummaries({ ectIds: ["ect-amy"], status: ["active"] });
    expect(amyPlan).toBeDefined();
    const amy = await server.store.getEct("ect-amy");
    const as = await server.as(demoIds.lead);
    const ended = await readJson(
      await as("/api/roster/ects/ect-amy/ending", {
        method: "PUT",
        headers: { "if-match": `"v${amy?.version ?? 1}"` },
        body: JSON.stringify({ endedOn: "2026-11-27", reason: "left_school" }),
      }),
    );
    expect(ended.status).toBe(200);
    const before = new Set((await server.store.listOutbox({})).map((m) => m.id));

    const stats = await server.app.bot.scheduler.tick();
    expect(stats.ran).toBe(true);
    const sent = (await server.store.listOutbox({})).filter((m) => !before.has(m.id));
    // Other ECTs' plans and reminders still go out from the same run…
    expect(sent.some((m) => m.ectId !== "ect-amy")).toBe(true);
    // …but nothing about Amy: no check-in for her plan's week 3, no prompt, no reminder.
    expect(sent.filter((m) => m.ectId === "ect-amy" || m.planId === amyPlan!.id)).toEqual([]);
    expect(await server.store.listCheckIns({ planId: amyPlan!.id })).not.toContainEqual(expect.objectContaining({ week: 3 }));
  });
});
