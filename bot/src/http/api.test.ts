import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";

type Json = Record<string, any>;

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const json = async (res: Response) => ({
  status: res.status,
  type: res.headers.get("content-type") ?? "",
  body: (await res.json()) as Json,
  etag: res.headers.get("etag"),
});

// An objective as the Level 2 form has it: standards and wording (no success-criteria column).
const target = (standards: string[], text: string) => ({
  id: crypto.randomUUID(),
  standards,
  text,
});

describe("the plan API over HTTP on a real SQLite file", () => {
  it("runs a plan from creation to escalation, refuses a stale edit, and keeps a complete audit trail", async () => {
    const tutor = await server.as(demoIds.tutorA); // Erin's tutor
    const erin = await server.as("person-ect-erin");

    // Create a Level 2 plan for Erin, who has none.
    const created = await json(
      await tutor("/api/plans", {
        method: "POST",
        body: JSON.stringify({ ectId: "ect-erin", templateId: "level_2", content: { startDate: "2026-11-30", endDate: "2027-01-11" } }),
      }),
    );
    expect(created.status).toBe(201);
    const planId = created.body.plan.id as string;
    expect(created.body.plan.status).toBe("draft");
    expect(created.body.plan.weeks).toHaveLength(6);
    expect(created.etag).toBe('"v1"');
    expect(created.body.violations.map((v: Json) => v.code)).not.toContain("target-needs-standard");

    // Edit: two targets citing standards, and week 1.
    const v1 = created.body.plan;
    const content = {
      ...structuredClone(v1),
      targets: [target(["7d"], "Act decisively when behaviour slips"), target(["4a", "4b"], "Use lesson time productively")],
    };
    content.weeks[0] = { ...content.weeks[0], action: "Observe the KS2 lead", byWhom: "Erin, Sarah Thompson", successCriteria: "Three routines listed" };
    const saved = await json(await tutor(`/api/plans/${planId}`, { method: "PUT", headers: { "if-match": '"v1"' }, body: JSON.stringify({ content }) }));
    expect(saved.status).toBe(200);
    expect(saved.body.plan.version).toBe(2);
    expect(saved.body.plan.targets[0].standards).toEqual(["7d"]);

    // A second editor still holding version 1 is refused, told what changed, and nothing is overwritten.
    const stale = await json(
      await tutor(`/api/plans/${planId}`, {
        method: "PUT",
        body: JSON.stringify({ version: 1, content: { ...v1, statementOfConcern: "written on an old copy" } }),
      }),
    );
    expect(stale.status).toBe(409);
    expect(stale.type).toContain("application/problem+json");
    expect(stale.body.currentVersion).toBe(2);
    expect(stale.body.changedSinceYourVersion.map((c: Json) => c.path)).toEqual(expect.arrayContaining(["targets.0", "weeks.0.action"]));
    const afterStale = await json(await tutor(`/api/plans/${planId}`));
    expect(afterStale.body.plan.version).toBe(2);
    expect(afterStale.body.plan.statementOfConcern).toBe("");

    // The tutor sends it for signature: it says so, and signing needs that request.
    const rev = afterStale.body.plan.revision;
    const early = await json(await erin(`/api/plans/${planId}/signatures`, { method: "POST", body: JSON.stringify({ revision: rev }) }));
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/not been sent for signature/);
    const asked = await json(await tutor(`/api/plans/${planId}/signature-requests`, { method: "POST" }));
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ reminder: false, stage: "Awaiting signatures (0 of 2)", plan: { status: "awaiting_signatures" } });

    // Both required signers sign revision 2; the plan is agreed and running.
    expect((await tutor(`/api/plans/${planId}/signatures`, { method: "POST", body: JSON.stringify({ revision: rev }) })).status).toBe(201);
    const signed = await json(await erin(`/api/plans/${planId}/signatures`, { method: "POST", body: JSON.stringify({ revision: rev }) }));
    expect(signed.status).toBe(201);
    expect(signed.body.missingSigners).toEqual([]);
    expect(["agreed", "active"]).toContain(signed.body.plan.status);

    // Review: one target met, one not.
    const plan = signed.body.plan;
    const reviewed = await json(
      await tutor(`/api/plans/${planId}/review`, {
        method: "PUT",
        body: JSON.stringify({
          version: plan.version,
          review: {
            date: "2027-01-11",
            targetOutcomes: [
              { targetId: plan.targets[0].id, outcome: "met", evidence: "Consistent in three observations" },
              { targetId: plan.targets[1].id, outcome: "not_met", evidence: "Starters still overrun" },
            ],
            evaluation: "Behaviour secure; pace not yet.",
            nextObjectives: "Pace and structure of lessons",
            onTrack: false,
          },
        }),
      }),
    );
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.plan.status).toBe("in_review");

    // Escalate: Level 3 successor with only the unmet target carried over, then the review's next objectives (issue 15).
    const concluded = await json(
      await tutor(`/api/plans/${planId}/conclusion`, {
        method: "POST",
        body: JSON.stringify({ version: reviewed.body.plan.version, decision: "escalate", reason: "Not enough progress on pace" }),
      }),
    );
    expect(concluded.status).toBe(200);
    expect(concluded.body.closed.outcome).toBe("escalated");
    const successor = await json(await tutor(`/api/plans/${concluded.body.successorId}`));
    expect(successor.body.plan.level).toBe(3);
    expect(successor.body.plan.templateId).toBe("level_3");
    expect(successor.body.plan.targets.map((t: Json) => t.text)).toEqual(["Use lesson time productively", "Pace and structure of lessons"]);
    expect(successor.body.plan.targets[0].standards).toEqual(["4a", "4b"]);
    // The ladder's dates: the day after the review (Monday 11 January 2027), six weeks at Level 3.
    expect(successor.body.plan).toMatchObject({ startDate: "2027-01-12", endDate: "2027-02-23", reviewDate: "2027-02-23" });
    expect(successor.body.plan.predecessorId).toBe(planId);

    // The audit trail names every step, in order, and holds no plan text.
    const audit = await json(await tutor(`/api/plans/${planId}/audit`));
    expect(audit.body.entries.map((e: Json) => e.action)).toEqual([
      "createPlan",
      "editPlan",
      "requestSignatures",
      "signPlan",
      "signPlan",
      "planAgreed",
      "recordReview",
      "escalatePlan",
    ]);
    expect(JSON.stringify(audit.body.entries)).not.toContain("Act decisively");

    // The AB officer was alerted about the escalation through the outbox.
    const alerts = await server.store.listOutbox({ recipientId: demoIds.abOfficer, planId: concluded.body.successorId });
    expect(alerts.map((m) => m.kind)).toContain("escalation_alert");
  });

  it("rejects malformed, invalid and oversized bodies with problem JSON and writes nothing", async () => {
    const tutor = await server.as(demoIds.tutorA);
    // Every request below concerns Farah: her plans, audit trail and messages must stay exactly as they were.
    const before = await server.store.countPlans();
    const farahBefore = {
      plans: await server.store.listPlanSummaries({ ectIds: ["ect-farah"] }),
      audit: await server.store.listAudit({ ectId: "ect-farah" }),
      outbox: (await server.store.listOutbox({})).filter((m) => m.ectId === "ect-farah"),
    };

    const malformed = await json(await tutor("/api/plans", { method: "POST", body: "{not json" }));
    expect(malformed.status).toBe(400);
    expect(malformed.type).toContain("application/problem+json");

    const invalid = await json(await tutor("/api/plans", { method: "POST", body: JSON.stringify({ ectId: "ect-farah", templateId: "level_9" }) }));
    expect(invalid.status).toBe(400);
    expect(invalid.body.violations[0].path).toBe("templateId");

    const badStandard = await json(
      await tutor("/api/plans", {
        method: "POST",
        body: JSON.stringify({ ectId: "ect-farah", templateId: "level_2", content: { targets: [target(["9z"], "x")] } }),
      }),
    );
    expect(badStandard.status).toBe(400);
    expect(badStandard.body.violations[0].message).toMatch(/Teachers' Standard/);

    const huge = await json(
      await tutor("/api/plans", {
        method: "POST",
        body: JSON.stringify({ ectId: "ect-farah", templateId: "level_2", content: { statementOfConcern: "x".repeat(400_000) } }),
      }),
    );
    expect(huge.status).toBe(413);
    expect(huge.body.detail).toMatch(/Nothing was saved/);

    expect(await server.store.countPlans()).toBe(before);
    expect({
      plans: await server.store.listPlanSummaries({ ectIds: ["ect-farah"] }),
      audit: await server.store.listAudit({ ectId: "ect-farah" }),
      outbox: (await server.store.listOutbox({})).filter((m) => m.ectId === "ect-farah"),
    }).toEqual(farahBefore);
  });

  it("keeps each person to what their role allows", async () => {
    const amy = await server.as("person-ect-amy");
    const caseload = await json(await amy("/api/caseload"));
    expect(caseload.body.rows.map((r: Json) => r.ectId)).toEqual(["ect-amy"]);

    // Amy cannot open Ben's plan.
    const tutor = await server.as(demoIds.tutorA);
    const ben = (await json(await tutor("/api/caseload"))).body.rows.find((r: Json) => r.ectId === "ect-ben");
    const refused = await json(await amy(`/api/plans/${ben.plan.id}`));
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/only see plans/);

    // Amy can comment on her own plan's week but cannot rewrite her tutor's target.
    const amyRow = caseload.body.rows[0];
    const own = await json(await amy(`/api/plans/${amyRow.plan.id}`));
    expect(own.body.editScope).toBe("ect_comments");
    const content = structuredClone(own.body.plan);
    content.targets[0].text = "An easier target";
    const tampered = await json(
      await amy(`/api/plans/${amyRow.plan.id}`, { method: "PUT", body: JSON.stringify({ version: own.body.plan.version, content }) }),
    );
    expect(tampered.status).toBe(403);
    expect(tampered.body.detail).toMatch(/written by your induction tutor/);

    // The AB officer sees both schools' ECTs, highest level first; a mentor sees only mentees.
    const ab = await json(await (await server.as(demoIds.abOfficer))("/api/caseload"));
    expect(ab.body.rows.length).toBe(7);
    expect(ab.body.rows[0].plan.level).toBe(4);
    const mentor = await json(await (await server.as(demoIds.mentorC))("/api/caseload"));
    expect(mentor.body.rows.map((r: Json) => r.ectId).sort()).toEqual(["ect-chloe", "ect-farah"]);

    // No token, a forged token: 401.
    expect((await fetch(`${server.url}/api/caseload`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/caseload`, { headers: { authorization: "Bearer x.y.z" } })).status).toBe(401);
  });

  it("lets the lead choose a signer only from those the roster gives the role, never themselves, and refuses the ECT doing so", async () => {
    const tutor = await server.as(demoIds.tutorB);
    const created = await json(
      await tutor("/api/plans", {
        method: "POST",
        body: JSON.stringify({ ectId: "ect-daniel", templateId: "at_risk_action", content: { startDate: "2026-11-30", reviewDate: "2026-12-28" } }),
      }),
    );
    expect(created.status).toBe(201);
    const planId = created.body.plan.id;
    // The head is the school's head, named from the roster; the choices are the roster's heads only.
    expect(created.body.signers.find((s: Json) => s.role === "head")).toMatchObject({
      personId: demoIds.head,
      name: "Helen Carter",
      roleLabel: "Headteacher/Principal",
    });
    expect(created.body.signerChoices.find((c: Json) => c.role === "head").people.map((p: Json) => p.id)).toEqual([demoIds.head]);
    expect(created.body).not.toHaveProperty("signerCandidates");

    const daniel = await server.as("person-ect-daniel");
    const refused = await json(
      await daniel(`/api/plans/${planId}/signers/head`, { method: "PUT", body: JSON.stringify({ version: 1, personId: demoIds.lead }) }),
    );
    expect(refused.status).toBe(403);
    const notHead = await json(
      await tutor(`/api/plans/${planId}/signers/head`, { method: "PUT", headers: { "if-match": '"v1"' }, body: JSON.stringify({ personId: demoIds.lead }) }),
    );
    expect(notHead.status).toBe(422);
    expect(notHead.type).toContain("application/problem+json");
    expect(notHead.body.violations).toMatchObject([{ path: "personId", code: "signer-not-in-role" }]);
    expect(notHead.body.violations[0].message).toMatch(/headteacher of the ECT's school/);
    const audit = await json(await tutor(`/api/plans/${planId}/audit`));
    expect(audit.body.entries.map((e: Json) => e.action)).toEqual(["createPlan"]);
  });

  it("serves its OpenAPI description and a health check", async () => {
    const doc = await json(await fetch(`${server.url}/api/openapi.json`));
    expect(doc.body.openapi).toBe("3.1.0");
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(["/api/plans", "/api/plans/{planId}", "/api/plans/{planId}/escalation", "/api/plans/{planId}/audit", "/api/caseload"]),
    );
    expect(doc.body.components.schemas.CreatePlanInput.properties.templateId.enum).toContain("level_5");
    const health = await json(await fetch(`${server.url}/healthz`));
    expect(health.body).toMatchObject({ status: "ok", store: "sqlite", mode: "local" });
  });

  it("keeps the data across a restart", async () => {
    const tutor = await server.as(demoIds.tutorB);
    const created = await json(
      await tutor("/api/plans", {
        method: "POST",
        body: JSON.stringify({ ectId: "ect-farah", templateId: "level_1", content: { startDate: "2026-11-30", endDate: "2026-12-21" } }),
      }),
    );
    expect(created.status).toBe(201);
    server = await server.restart();
    const again = await json(await (await server.as(demoIds.tutorB))(`/api/plans/${created.body.plan.id}`));
    expect(again.status).toBe(200);
    expect(again.body.plan.templateId).toBe("level_1");
  });
});
