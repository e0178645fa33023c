import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { templateById, unprintedValues } from "@ectsp/shared";
import { planRecord, readJson, startTestServer, testTarget, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";

/**
 * Issue 16, item 6: nothing typed and lost. A body with text in a field its form does not print is
 * a 400 naming each field; nothing is written. Empty values, as the tab sends them, are accepted.
 */
type Json = Record<string, any>;

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const post = (body: unknown): RequestInit => ({ method: "POST", body: JSON.stringify(body) });

describe("a form refuses what it does not print", () => {
  // First, before the tests below add plans of their own.
  it("the demo school's plans hold nothing their forms do not print", async () => {
    const summaries = await server.store.listPlanSummaries({});
    expect(summaries.length).toBeGreaterThan(3);
    for (const s of summaries) {
      const plan = (await server.store.getPlan(s.id))!;
      // Escalated plans start from their predecessor (the next objectives as the statement of concern): not typed on this form.
      if (plan.predecessorId) continue;
      expect({ plan: s.id, unprinted: unprintedValues(templateById(plan.templateId), plan) }).toEqual({ plan: s.id, unprinted: [] });
    }
  });

  it("refuses a Level 2 plan whose objective has success criteria, naming the field; no plan is started", async () => {
    const tutor = await server.as(demoIds.tutorA);
    const before = await server.store.listPlanSummaries({ ectIds: ["ect-erin"] });
    const refused = await readJson(
      await tutor(
        "/api/plans",
        post({
          ectId: "ect-erin",
          templateId: "level_2",
          content: {
            startDate: "2026-11-30",
            endDate: "2027-01-11",
            targets: [testTarget(["7d"], "Act decisively when behaviour slips", "Seen in two observed lessons")],
            meetings: [{ id: crypto.randomUUID(), kind: "initial", outline: "Talked through the concerns", outcome: "" }],
          },
        }),
      ),
    );
    expect(refused.status).toBe(400);
    expect(refused.type).toBe("application/problem+json");
    expect(refused.body.violations.map((v: Json) => v.path)).toEqual(["targets.0.successCriteria", "meetings.0.outline"]);
    expect(refused.body.violations[1].message).toBe(
      "The Level 2 – Support plan 1 form has no place for the outline of the initial meeting: it would not be shown or printed. Leave it empty.",
    );
    expect(await server.store.listPlanSummaries({ ectIds: ["ect-erin"] })).toEqual(before);
  });

  it("accepts the same plan with those fields empty, as the tab sends them, and refuses a later save that types into one", async () => {
    const tutor = await server.as(demoIds.tutorA);
    const created = await readJson(
      await tutor(
        "/api/plans",
        post({
          ectId: "ect-erin",
          templateId: "level_2",
          content: {
            startDate: "2026-11-30",
            endDate: "2027-01-11",
            targets: [{ ...testTarget(["7d"], "Act decisively when behaviour slips"), successCriteria: "", resources: "" }],
            meetings: [{ id: crypto.randomUUID(), kind: "initial", outline: "", outcome: "" }],
          },
        }),
      ),
    );
    expect(created.status).toBe(201);
    const plan = created.body.plan as Json;
    const stored = await planRecord(server.store, plan.id);

    const content = structuredClone(plan);
    content.targets[0].successCriteria = "Seen in two observed lessons";
    content.presentAtMeeting = "Erin, Sarah Thompson";
    content.weeks[0].action = "Observe the KS2 lead";
    const saved = await readJson(
      await tutor(`/api/plans/${plan.id}`, { method: "PUT", headers: { "if-match": `"v${plan.version}"` }, body: JSON.stringify({ content }) }),
    );
    expect(saved.status).toBe(400);
    expect(saved.body.violations.map((v: Json) => v.path)).toEqual(["presentAtMeeting", "targets.0.successCriteria"]);
    // Read back: the plan, its audit and its messages are as they were; the printed week 1 was not saved either.
    expect(await planRecord(server.store, plan.id)).toEqual(stored);

    // Without the unprinted text, the same save goes through.
    content.targets[0].successCriteria = "";
    content.presentAtMeeting = "";
    const ok = await readJson(
      await tutor(`/api/plans/${plan.id}`, { method: "PUT", headers: { "if-match": `"v${plan.version}"` }, body: JSON.stringify({ content }) }),
    );
    expect(ok.status).toBe(200);
    expect(ok.body.plan.weeks[0].action).toBe("Observe the KS2 lead");
  });
});
