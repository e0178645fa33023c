import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";

/**
 * Rules as strong as the seeds, over HTTP (the test clock: 27 November 2026): a weekly plan with
 * fewer weekly rows than it runs weeks is refused for signature, nothing written; seed 001's
 * advised 4 weeks only warns.
 */
type Json = Record<string, any>;

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as Json });
// Neither the Level 2 nor the at-risk form has a column for a target's success criteria (printedFields.ts).
const objective = (standards: string[], text: string) => ({ id: crypto.randomUUID(), standards, text });
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ week: i + 1 }));

describe("plan lengths and weekly rows, over HTTP", () => {
  it("refuses to send a Level 2 plan with 3 of its 6 weeks for signature, says how many it needs, and writes nothing", async () => {
    const tutor = await server.as(demoIds.tutorA);
    const created = await json(
      await tutor("/api/plans", {
        method: "POST",
        body: JSON.stringify({
          ectId: "ect-erin",
          templateId: "level_2",
          // 30 November 2026 to 11 January 2027: six weeks, three weekly rows.
          content: { startDate: "2026-11-30", endDate: "2027-01-11", targets: [objective(["7d"], "Act decisively when behaviour slips")], weeks: rows(3) },
        }),
      }),
    );
    // A draft may be saved short of weeks; the plan view says what is missing.
    expect(created.status).toBe(201);
    const planId = created.body.plan.id as string;
    expect(created.body.plan.weeks).toHaveLength(3);
    expect(created.body.violations.filter((v: Json) => v.code === "weeks-missing")).toMatchObject([{ path: "weeks", severity: "incomplete" }]);

    const refused = await json(await tutor(`/api/plans/${planId}/signature-requests`, { method: "POST", body: JSON.stringify({}) }));
    expect(refused.status).toBe(422);
    expect(refused.body.violations).toEqual([
      {
        path: "weeks",
        code: "weeks-missing",
        message:
          "A Level 2 plan running 6 weeks needs a weekly row for each of its 6 weeks; this one has 3 of them. Add weeks 4, 5 and 6, or change the end date.",
        severity: "incomplete",
      },
    ]);

    // Read back: still the draft as created, never asked for, nothing audited but its creation.
    const after = await json(await tutor(`/api/plans/${planId}`));
    expect(after.body.plan).toMatchObject({ status: "draft", version: created.body.plan.version });
    expect(after.body.plan.signatureRequest).toBeUndefined();
    const audit = await json(await tutor(`/api/plans/${planId}/audit`));
    expect(audit.body.entries.map((e: Json) => e.action)).toEqual(["createPlan"]);

    // With all six weeks it is sent.
    const content = { ...after.body.plan, weeks: rows(6) };
    const saved = await json(
      await tutor(`/api/plans/${planId}`, { method: "PUT", headers: { "if-match": `"v${after.body.plan.version}"` }, body: JSON.stringify({ content }) }),
    );
    expect(saved.status).toBe(200);
    expect(saved.body.violations).toEqual([]);
    const sent = await json(await tutor(`/api/plans/${planId}/signature-requests`, { method: "POST", body: JSON.stringify({}) }));
    expect(sent.status).toBe(202);
    expect(sent.body.plan.status).toBe("awaiting_signatures");
  });

  it("saves a six-week at-risk action plan (seed 001 advises 4 weeks) with a warning, and lets it be sent for signature", async () => {
    const tutor = await server.as(demoIds.tutorB);
    const created = await json(
      await tutor("/api/plans", {
        method: "POST",
        body: JSON.stringify({
          ectId: "ect-daniel",
          templateId: "at_risk_action",
          content: { startDate: "2026-11-30", reviewDate: "2027-01-11", targets: [objective(["5b"], "Adapt teaching for pupils with SEND")] },
        }),
      }),
    );
    expect(created.status).toBe(201);
    expect(created.body.violations).toEqual([
      {
        path: "reviewDate",
        code: "plan-length",
        message:
          "4-week plans are advised for the Additional support action plan (at-risk ECT); this one runs 6 weeks. Review it 4 weeks after the start (2026-12-28) unless there is a reason to run longer or shorter.",
        severity: "warning",
      },
    ]);
    const sent = await json(await tutor(`/api/plans/${created.body.plan.id}/signature-requests`, { method: "POST", body: JSON.stringify({}) }));
    expect(sent.status).toBe(202);
    expect(sent.body.plan.status).toBe("awaiting_signatures");
    // The warning stays on the plan for everyone to see.
    expect(sent.body.violations.map((v: Json) => [v.code, v.severity])).toEqual([["plan-length", "warning"]]);
  });
});
