/**
 * Weekly evaluation prompts go to whoever leads the level (issue 15, seed 003): the induction
 * tutor at Levels 2–5, whether or not a Level 4–5 plan is shared with the mentor — never to both.
 * The scheduler runs on the injected clock; the ECT's check-in answer prompts the same person.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutboxMessage } from "@ectsp/shared";
import { movableClock, testInstant } from "../../test-support/movableClock.js";
import { readJson, startTestServer, testTarget, type Json, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";

const day = 86_400_000;
const clock = movableClock(testInstant); // Friday 27 November 2026
let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer({ clock });
});
afterAll(async () => {
  await server?.stop();
});

const call = async (personId: string, path: string, init: RequestInit = {}) => readJson(await (await server.as(personId))(path, init));
const prompts = async (planId: string): Promise<OutboxMessage[]> => (await server.store.listOutbox({ planId })).filter((m) => m.kind === "evaluation_prompt");
const tick = async () => expect((await server.app.bot.scheduler.tick()).ran).toBe(true);

/** Farah's Level 4 plan, agreed and running since Monday 16 November (week 2 on the test clock). */
async function farahLevel4(): Promise<Json> {
  const tutor = demoIds.tutorB;
  const created = await call(tutor, "/api/plans", {
    method: "POST",
    body: JSON.stringify({
      ectId: "ect-farah",
      templateId: "level_4",
      content: {
        startDate: "2026-11-16",
        endDate: "2026-12-28",
        reviewDate: "2026-12-28",
        targets: [testTarget(["4a"], "Use lesson time productively")],
        meetings: [
          { id: crypto.randomUUID(), kind: "ab", date: "2026-11-13", attendees: "AB, ECT, mentor, tutor", outline: "Concerns", outcome: "Plan agreed" },
        ],
      },
    }),
  });
  expect(created.status).toBe(201);
  const planId = created.body.plan.id as string;
  expect((await call(tutor, `/api/plans/${planId}/signature-requests`, { method: "POST" })).status).toBe(202);
  let plan: Json = {};
  for (const signer of [tutor, "person-ect-farah"]) {
    const signed = await call(signer, `/api/plans/${planId}/signatures`, { method: "POST", body: JSON.stringify({ revision: 1 }) });
    expect(signed.status).toBe(201);
    plan = signed.body.plan as Json;
  }
  expect(plan.status).toBe("active");
  return plan;
}

describe("weekly evaluation prompts", () => {
  it("Level 2: last week's evaluation is asked of the induction tutor only, not the mentor too", async () => {
    const [amy] = await server.store.listPlanSummaries({ ectIds: ["ect-amy"], status: ["active"] });
    await tick(); // Amy's plan started two weeks ago: week 3 opens, week 2 is to evaluate
    // Week 1's came when Amy answered its check-in (the demo seed); week 2's now, from the schedule.
    const sent = await prompts(amy!.id);
    expect(sent.map((m) => [m.recipientId, m.data.week])).toEqual([
      [demoIds.tutorA, 1],
      [demoIds.tutorA, 2],
    ]);
    expect(sent.some((m) => m.recipientId === demoIds.mentorA)).toBe(false);
  });

  it("Level 4, shared with the mentor or not: the induction tutor only", async () => {
    const plan = await farahLevel4();
    const shared = await call(demoIds.tutorB, `/api/plans/${plan.id}/mentor-access`, {
      method: "PUT",
      headers: { "if-match": `"v${plan.version}"` },
      body: JSON.stringify({ shared: true }),
    });
    expect(shared.status).toBe(200);
    clock.advance(day); // the next day's run (today's was claimed before the plan existed)
    await tick();
    expect((await prompts(plan.id as string)).map((m) => [m.recipientId, m.data.week])).toEqual([[demoIds.tutorB, 1]]);
  });

  it("the ECT's answer to the check-in prompts the same one person", async () => {
    const [farah] = await server.store.listPlanSummaries({ ectIds: ["ect-farah"], status: ["active"] });
    const before = (await prompts(farah!.id)).length;
    const answered = await call("person-ect-farah", `/api/plans/${farah!.id}/check-ins`, {
      method: "POST",
      body: JSON.stringify({ week: 2, comment: "Starters are shorter now." }),
    });
    expect(answered.status).toBe(201);
    const after = (await prompts(farah!.id)).slice(before);
    expect(after.map((m) => [m.recipientId, m.data.week])).toEqual([[demoIds.tutorB, 2]]);
  });
});
