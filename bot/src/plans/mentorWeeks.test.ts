/**
 * Mentors write the plan with the tutor (issue 15, seed 003), through the API on a real SQLite
 * file: at Level 1 the mentor leads; at Levels 2–3 they write the weeks' action, by whom,
 * resources, success criteria and evaluation, never the targets or dates; at Levels 4–5 they
 * evaluate the weeks unless the tutor shares the plan with them. Every refusal writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { editorContent, type Plan } from "@ectsp/shared";
import { planRecord, readJson, startTestServer, testTarget, type Json, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const call = async (personId: string, path: string, init: RequestInit = {}) => readJson(await (await server.as(personId))(path, init));
const stored = async (planId: string) => (await server.store.getPlan(planId))!;
/** Saves the editor's whole view of the plan as `personId`, with `change` applied. */
const save = async (personId: string, planId: string, change: (content: Plan) => void) => {
  const plan = await stored(planId);
  const content = structuredClone({ ...plan, ...editorContent(plan) });
  change(content);
  return call(personId, `/api/plans/${planId}`, { method: "PUT", headers: { "if-match": `"v${plan.version}"` }, body: JSON.stringify({ content }) });
};
/** A refused request: its status and problem, and whether the plan, its audit trail and its messages are as they were. */
const refused = async (planId: string, attempt: () => Promise<{ status: number; type: string; body: Json }>) => {
  const before = await planRecord(server.store, planId);
  const res = await attempt();
  return { status: res.status, type: res.type, body: res.body, unchanged: JSON.stringify(await planRecord(server.store, planId)) === JSON.stringify(before) };
};
const share = (personId: string, planId: string, shared: boolean, version?: number) =>
  call(personId, `/api/plans/${planId}/mentor-access`, {
    method: "PUT",
    ...(version !== undefined ? { headers: { "if-match": `"v${version}"` } } : {}),
    body: JSON.stringify({ shared }),
  });

async function createPlan(by: string, ectId: string, templateId: string, content: Json = {}): Promise<string> {
  const created = await call(by, "/api/plans", {
    method: "POST",
    body: JSON.stringify({
      ectId,
      templateId,
      content: { startDate: "2026-11-30", endDate: "2027-01-11", targets: [testTarget(["7d"], "Act decisively when behaviour slips")], ...content },
    }),
  });
  expect(created.status).toBe(201);
  return created.body.plan.id as string;
}

describe("Level 2: the induction tutor and the mentor write the plan together", () => {
  const mentor = demoIds.mentorB; // Erin's mentor, Tom Reid
  let planId: string;
  beforeAll(async () => {
    planId = await createPlan(demoIds.tutorA, "ect-erin", "level_2");
  });

  it("tells the mentor what they may change", async () => {
    const view = await call(mentor, `/api/plans/${planId}`);
    expect(view.body.editScope).toBe("weekly_plan");
    expect(view.body.access.summary).toBe(
      "You can change the weekly actions, resources and success criteria, and evaluate each week. The objectives and dates are written by the induction tutor (Sarah Thompson).",
    );
    expect(view.body.allowed.edit_plan).toBe(false);
  });

  it("lets the mentor write week 1's action, by whom, resources, success criteria and evaluation", async () => {
    const res = await save(mentor, planId, (c) => {
      Object.assign(c.weeks[0]!, {
        action: "Co-plan the first ten minutes of each lesson",
        byWhom: "Tom Reid",
        resources: "PD time on Tuesday",
        successCriteria: "Starters begin within two minutes",
        evaluation: "A good start",
      });
    });
    expect(res.status).toBe(200);
    const week1 = (await stored(planId)).weeks[0]!;
    expect(week1).toMatchObject({ action: "Co-plan the first ten minutes of each lesson", byWhom: "Tom Reid", resources: "PD time on Tuesday" });
    expect(week1.successCriteria).toBe("Starters begin within two minutes");
    const audit = (await call(demoIds.tutorA, `/api/plans/${planId}/audit`)).body.entries as Json[];
    expect(audit.at(-1)).toMatchObject({ action: "editPlan", actorId: mentor });
  });

  it("refuses the mentor's change to a target with a 403 naming the field, and writes nothing — not even the week change beside it", async () => {
    const attempt = await refused(planId, () =>
      save(mentor, planId, (c) => {
        c.targets[0]!.text = "Rewritten by the mentor";
        c.weeks[1]!.action = "A week 2 action";
      }),
    );
    expect(attempt).toMatchObject({ status: 403, unchanged: true });
    expect(attempt.type).toContain("application/problem+json");
    expect(attempt.body.refusedFields).toEqual([{ path: "targets.0.text", label: "Objective 1 wording" }]);
    expect(attempt.body.detail).toContain('You cannot change "Objective 1 wording"');
    expect(attempt.body.detail).toContain("The objectives and dates are written by the induction tutor");
  });

  it.each([
    ["the plan's dates", (c: Plan) => (c.endDate = "2027-01-18"), "endDate"],
    ["a target's standards", (c: Plan) => (c.targets[0]!.standards = ["4a"]), "targets.0.standards"],
    ["a new target", (c: Plan) => c.targets.push({ ...c.targets[0]!, id: crypto.randomUUID() }), "targets.1"],
    ["a removed week", (c: Plan) => c.weeks.pop(), "weeks.5"],
  ])("refuses the mentor %s, writing nothing", async (_what, change, path) => {
    const attempt = await refused(planId, () => save(mentor, planId, change));
    expect(attempt).toMatchObject({ status: 403, unchanged: true });
    expect((attempt.body.refusedFields as Json[]).map((f) => f.path)).toEqual([path]);
  });

  it("has nothing to share at Level 2: the mentor writes the weeks already (409, nothing written)", async () => {
    const plan = await stored(planId);
    const attempt = await refused(planId, () => share(demoIds.tutorA, planId, true, plan.version));
    expect(attempt).toMatchObject({ status: 409, unchanged: true });
  });
});

describe("Level 2, agreed and running: the mentor's week is a proposal, the evaluation is the record", () => {
  it("a changed week action becomes an amendment the plan runs beside; the signed week stays until the signers sign it", async () => {
    const [amy] = await server.store.listPlanSummaries({ ectIds: ["ect-amy"], status: ["active"] });
    const before = await stored(amy!.id);
    const res = await save(demoIds.mentorA, amy!.id, (c) => (c.weeks[3]!.action = "Team-teach a lesson with the mentor"));
    expect(res.status).toBe(200);
    const after = await stored(amy!.id);
    expect(after.weeks[3]!.action).toBe(before.weeks[3]!.action);
    expect(after.revision).toBe(before.revision);
    expect(after.amendment).toMatchObject({ proposedBy: demoIds.mentorA, changes: [{ path: "weeks.3.action" }] });
    expect(after.amendment!.content.weeks[3]!.action).toBe("Team-teach a lesson with the mentor");
  });

  it("an evaluation lands on the plan at once, every signature still holding", async () => {
    const [amy] = await server.store.listPlanSummaries({ ectIds: ["ect-amy"], status: ["active"] });
    const before = await stored(amy!.id);
    expect((await save(demoIds.mentorA, amy!.id, (c) => (c.weeks[1]!.evaluation = "Routines embedding"))).status).toBe(200);
    const after = await stored(amy!.id);
    expect(after.weeks[1]!.evaluation).toBe("Routines embedding");
    expect(after.signatures).toEqual(before.signatures);
  });
});

describe("Level 1: the mentor leads", () => {
  it("lets the mentor change the targets too", async () => {
    const planId = await createPlan(demoIds.mentorC, "ect-farah", "level_1", { endDate: "2026-12-21", statementOfConcern: "Pace" });
    const view = await call(demoIds.mentorC, `/api/plans/${planId}`);
    expect(view.body.editScope).toBe("all");
    const res = await save(demoIds.mentorC, planId, (c) => (c.targets[0]!.text = "Secure the pace of lessons"));
    expect(res.status).toBe(200);
    expect((await stored(planId)).targets[0]!.text).toBe("Secure the pace of lessons");
  });
});

describe("Level 4: the mentor writes the weeks only when the tutor shares the plan", () => {
  let level4: RunningServer;
  let planId: string;
  const mentor = demoIds.mentorB;
  const tutor = demoIds.tutorA;
  // Erin already has a Level 2 plan on the first server: her Level 4 plan is on a server of its own.
  beforeAll(async () => {
    level4 = server;
    server = await startTestServer();
    planId = await createPlan(tutor, "ect-erin", "level_4", { endDate: "2027-01-11" });
  });
  afterAll(async () => {
    await server.stop();
    server = level4;
  });

  it("unshared: the mentor evaluates the weeks and is told whom to ask for more", async () => {
    const view = await call(mentor, `/api/plans/${planId}`);
    expect(view.body.editScope).toBe("week_evaluations");
    expect(view.body.access.summary).toContain("ask them to share the plan with you");
    expect((await save(mentor, planId, (c) => (c.weeks[0]!.evaluation = "Settling in"))).status).toBe(200);
  });

  it("unshared: refuses the mentor's week action and target, writing nothing", async () => {
    for (const change of [(c: Plan) => (c.weeks[0]!.action = "Mentor's action"), (c: Plan) => (c.targets[0]!.text = "Mentor's target")]) {
      const attempt = await refused(planId, () => save(mentor, planId, change));
      expect(attempt).toMatchObject({ status: 403, unchanged: true });
    }
  });

  it.each([
    ["the mentor", mentor],
    ["the ECT", "person-ect-erin"],
    ["the head of another school", demoIds.otherHead],
    ["the AB officer", demoIds.abOfficer],
  ])("refuses %s sharing the plan (403, nothing written)", async (_who, as) => {
    const plan = await stored(planId);
    const attempt = await refused(planId, () => share(as, planId, true, plan.version));
    expect(attempt).toMatchObject({ status: 403, unchanged: true });
    expect(attempt.type).toContain("application/problem+json");
  });

  it("asks for the version read, and refuses a stale one (428, 409; nothing written)", async () => {
    const plan = await stored(planId);
    expect(await refused(planId, () => share(tutor, planId, true))).toMatchObject({ status: 428, unchanged: true });
    expect(await refused(planId, () => share(tutor, planId, true, plan.version - 1))).toMatchObject({ status: 409, unchanged: true });
    const extra = await refused(planId, () =>
      call(tutor, `/api/plans/${planId}/mentor-access`, {
        method: "PUT",
        headers: { "if-match": `"v${plan.version}"` },
        body: JSON.stringify({ shared: "yes" }),
      }),
    );
    expect(extra).toMatchObject({ status: 400, unchanged: true });
  });

  it("shared by the tutor (audited, no signature touched): the mentor writes the weeks, still not the targets", async () => {
    const before = await stored(planId);
    const shared = await share(tutor, planId, true, before.version);
    expect(shared.status).toBe(200);
    expect(shared.body.plan).toMatchObject({ sharedWithMentor: true, revision: before.revision, version: before.version + 1 });
    expect(shared.body.access.mentorSharing).toEqual({ shared: true, mayChange: true });
    const audit = (await call(tutor, `/api/plans/${planId}/audit`)).body.entries as Json[];
    expect(audit.at(-1)).toMatchObject({ action: "sharePlanWithMentor", actorId: tutor });

    const view = await call(mentor, `/api/plans/${planId}`);
    expect(view.body.editScope).toBe("weekly_plan");
    expect(view.body.access.summary).toContain("has shared this plan with you");
    expect((await save(mentor, planId, (c) => (c.weeks[0]!.action = "Joint planning with the mentor"))).status).toBe(200);
    expect((await stored(planId)).weeks[0]!.action).toBe("Joint planning with the mentor");
    const target = await refused(planId, () => save(mentor, planId, (c) => (c.targets[0]!.text = "Mentor's target")));
    expect(target).toMatchObject({ status: 403, unchanged: true });
  });

  it("unshared again: the mentor's week action is refused once more", async () => {
    const plan = await stored(planId);
    expect((await share(tutor, planId, false, plan.version)).body.plan.sharedWithMentor).toBe(false);
    const attempt = await refused(planId, () => save(mentor, planId, (c) => (c.weeks[1]!.action = "Another action")));
    expect(attempt).toMatchObject({ status: 403, unchanged: true });
  });
});
