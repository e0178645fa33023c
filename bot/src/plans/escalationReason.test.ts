/**
 * The reason typed for an escalation is kept (issue 12 §6): on the closed plan, in its
 * successor's view, on the alert card the AB officer receives (over the real CloudAdapter, to a
 * local Bot Connector), and named but not quoted in the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "@ectsp/shared";
import { readJson, startTestServer, type Json, type RunningServer } from "../../test-support/testServer.js";
import { LocalConnector } from "../../test-support/localConnector.js";
import { BotClient, cardOf, textOf, type Persona } from "../../test-support/botClient.js";
import { demoIds } from "../demo/demoSchool.js";

let server: RunningServer;
let connector: LocalConnector;
let client: BotClient;
const priya: Persona = { id: demoIds.abOfficer, name: "Priya Shah" };
const reason = "Routines have not improved after three weeks of coaching; behaviour logs show no change.";

beforeAll(async () => {
  connector = new LocalConnector();
  await connector.start();
  server = await startTestServer();
  client = new BotClient({ botUrl: server.url, serviceUrl: connector.url });
  if ((await client.install(priya)).status !== 200) throw new Error("installing the app for the AB officer failed");
});
afterAll(async () => {
  await server?.stop();
  await connector?.stop();
});

describe("an escalation's reason", () => {
  let planId: string;
  let successorId: string;

  it("is stored on the closed plan and shown with its successor", async () => {
    const tutor = await server.as(demoIds.tutorA);
    const [summary] = await server.store.listPlanSummaries({ ectIds: ["ect-amy"], status: ["active"] });
    planId = summary!.id;
    const escalated = await readJson(
      await tutor(`/api/plans/${planId}/escalation`, { method: "POST", body: JSON.stringify({ version: summary!.version, reason }) }),
    );
    expect(escalated.status).toBe(201);
    successorId = escalated.body.successorId;

    const closed = await readJson(await tutor(`/api/plans/${planId}`));
    expect(closed.body.plan).toMatchObject({ status: "closed", outcome: "escalated", outcomeReason: reason, successorId });
    const successor = await readJson(await tutor(`/api/plans/${successorId}`));
    expect(successor.body.plan.level).toBe(3);
    expect(successor.body.predecessor).toEqual({ id: planId, templateId: "level_2", level: 2, outcome: "escalated", outcomeReason: reason });
    // The ECT reads it too: it is their record.
    const amy = await readJson(await (await server.as("person-ect-amy"))(`/api/plans/${successorId}`));
    expect(amy.body.predecessor.outcomeReason).toBe(reason);
  });

  it("is recorded in the audit trail by its digest, never its words", async () => {
    const entries = (await readJson(await (await server.as(demoIds.tutorA))(`/api/plans/${planId}/audit`))).body.entries as Json[];
    const entry = entries.find((e) => e.action === "escalatePlan")!;
    expect(entry.summary).toContain(`Reason recorded on the plan (SHA-256 ${sha256Hex(reason)})`);
    expect(JSON.stringify(entries)).not.toContain("Routines have not improved");
  });

  it("is carried on the AB officer's alert card", async () => {
    await server.app.bot.dispatcher.drain();
    const alerts = connector
      .sent(client.personalConversation(priya))
      .map((a) => cardOf(a.activity))
      .filter((card) => textOf(card).includes("Escalated to Level 3"));
    expect(alerts).toHaveLength(1);
    expect(JSON.stringify(alerts[0])).toContain(reason);
  });

  it("a review's conclusion is kept the same way: the demo's Level 4 plan shows why Ben's Level 3 plan ended", async () => {
    const lead = await server.as(demoIds.lead);
    const [level4] = await server.store.listPlanSummaries({ ectIds: ["ect-ben"], status: ["draft"] });
    const view = await readJson(await lead(`/api/plans/${level4!.id}`));
    expect(view.body.predecessor).toMatchObject({
      templateId: "level_3",
      outcome: "escalated",
      outcomeReason: "ECT2 with two terms left; progress on assessment is too slow.",
    });
  });
});
