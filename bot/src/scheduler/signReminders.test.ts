/**
 * The weekly schedule and plans sent for signature: a signer who has not signed is reminded a
 * week after the request, once a week, and no more once they have signed; a draft nobody asked
 * anyone to sign reminds nobody.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutboxMessage } from "@ectsp/shared";
import { movableClock, testInstant } from "../../test-support/movableClock.js";
import { readJson, startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";

const day = 86_400_000;
const clock = movableClock(testInstant);
let server: RunningServer;
let planId: string;

beforeAll(async () => {
  server = await startTestServer({ clock });
  const [george] = await server.store.listPlanSummaries({ ectIds: ["ect-george"], status: ["draft"] });
  planId = george!.id;
});
afterAll(async () => {
  await server?.stop();
});

const reminders = async (): Promise<OutboxMessage[]> => (await server.store.listOutbox({})).filter((m) => m.dedupeKey.startsWith("sign-reminder:"));
const tick = async () => {
  const stats = await server.app.bot.scheduler.tick();
  expect(stats.ran).toBe(true);
};

describe("reminders to sign", () => {
  it("a draft nobody has sent for signature reminds nobody", async () => {
    await tick();
    expect(await reminders()).toEqual([]);
  });

  it("a request is not followed by a reminder the same week", async () => {
    const asked = await readJson(await (await server.as(demoIds.otherHead))(`/api/plans/${planId}/signature-requests`, { method: "POST" }));
    expect(asked.status).toBe(202);
    clock.advance(day);
    await tick();
    expect(await reminders()).toEqual([]);
  });

  it("a week on, each signer who has not signed is reminded once that week; the tutor's digest lists the plan", async () => {
    clock.advance(6 * day);
    await tick();
    expect((await server.app.bot.scheduler.tick()).ran).toBe(false); // the same day again: claimed already
    clock.advance(day);
    await tick(); // the next day: deduplicated
    clock.advance(2 * day);
    await tick(); // Monday, a new calendar week but not a week since the reminder: nothing
    const sent = await reminders();
    expect(sent.map((m) => [m.recipientId, m.data.role, m.data.revision, m.data.reminder]).sort()).toEqual(
      [
        ["person-ect-george", "ect", 1, true],
        [demoIds.otherHead, "induction_tutor", 1, true],
      ].sort(),
    );
    expect((await server.store.listOutbox({ recipientId: demoIds.otherHead })).some((m) => m.kind === "tutor_digest")).toBe(true);
  });

  it("once a signer has signed, only the others are reminded the week after", async () => {
    const signed = await readJson(
      await (
        await server.as(demoIds.otherHead)
      )(`/api/plans/${planId}/signatures`, { method: "POST", body: JSON.stringify({ revision: 1 }) }),
    );
    expect(signed.status).toBe(201);
    const before = (await reminders()).length;
    clock.advance(7 * day);
    await tick();
    const after = (await reminders()).slice(before);
    expect(after.map((m) => m.recipientId)).toEqual(["person-ect-george"]);
  });
});
