/**
 * A stale Sign is never a dead end (issue 12 §4), over the REAL botbuilder CloudAdapter: the
 * head holds a sign-off card for revision 1, the tutor changes the plan (revision 2) and asks
 * again; the head presses the old Sign and gets the current card, whose Sign is for revision 2;
 * nothing is signed on revision 1. Posted cards follow each change in place.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { editorContent, type Plan } from "@ectsp/shared";
import { planRecord, readJson, startTestServer, testTarget, type RunningServer } from "../../test-support/testServer.js";
import { LocalConnector } from "../../test-support/localConnector.js";
import { BotClient, cardOf, executeActions, textOf, type Persona } from "../../test-support/botClient.js";
import { demoIds } from "../demo/demoSchool.js";

let server: RunningServer;
let connector: LocalConnector;
let client: BotClient;
const helen: Persona = { id: demoIds.head, name: "Helen Carter" };
const james: Persona = { id: demoIds.tutorB, name: "James Patel" };
const daniel: Persona = { id: "person-ect-daniel", name: "Daniel Hughes" };
const laura: Persona = { id: demoIds.mentorA, name: "Laura Bennett" };

beforeAll(async () => {
  connector = new LocalConnector();
  await connector.start();
  server = await startTestServer();
  client = new BotClient({ botUrl: server.url, serviceUrl: connector.url });
  for (const p of [helen, james, daniel, laura]) if ((await client.install(p)).status !== 200) throw new Error(`installing the app for ${p.id} failed`);
});
afterAll(async () => {
  await server?.stop();
  await connector?.stop();
});

const signButton = (card: unknown) => executeActions(card).find((a) => a.verb === "sign");
/** The sign-off cards posted to a person for a plan (as the store recorded them), oldest first. */
const signOffCards = async (p: Persona, planId: string) => {
  const posted = (await server.store.listSentCards({ planId, kinds: ["sign_request", "signatures_voided"] })).filter((c) => c.recipientId === p.id);
  return connector.sent(client.personalConversation(p)).filter((a) => posted.some((c) => c.activityId === a.activityId));
};
const updatesOf = (p: Persona, activityId: string) => connector.updates(client.personalConversation(p)).filter((u) => u.activityId === activityId);
const settle = async () => {
  await server.app.bot.dispatcher.drain();
  await server.app.bot.flows.idle();
};

describe("a stale sign-off card answers with the current one", () => {
  let planId: string;
  let firstCard: { activityId: string; sign: { data: Record<string, unknown> } };

  it("the head receives a sign-off card for revision 1", async () => {
    const tutor = await server.as(james.id);
    const created = await readJson(
      await tutor("/api/plans", {
        method: "POST",
        body: JSON.stringify({
          ectId: "ect-daniel",
          templateId: "at_risk_action",
          content: { startDate: "2026-11-30", reviewDate: "2026-12-28", targets: [testTarget(["5b"], "Adapt teaching for pupils with SEND")] },
        }),
      }),
    );
    expect(created.status).toBe(201);
    planId = created.body.plan.id;
    expect((await tutor(`/api/plans/${planId}/signature-requests`, { method: "POST" })).status).toBe(202);
    await settle();
    const posted = (await signOffCards(helen, planId)).at(-1)!;
    const sign = signButton(cardOf(posted.activity))!;
    expect(sign.data).toMatchObject({ ref: { card: "signOff", planId, revision: 1 } });
    firstCard = { activityId: posted.activityId, sign };
  });

  it("the tutor changes the plan: revision 2, asked again; the card already posted is updated in place", async () => {
    const tutor = await server.as(james.id);
    const plan = (await server.store.getPlan(planId))!;
    const content = structuredClone({ ...plan, ...editorContent(plan) });
    content.targets[0]!.text = "Adapt teaching for the pupils on the SEND register, planned weekly";
    const edited = await readJson(
      await tutor(`/api/plans/${planId}`, { method: "PUT", headers: { "if-match": `"v${plan.version}"` }, body: JSON.stringify({ content }) }),
    );
    expect(edited.body.plan).toMatchObject({ revision: 2, status: "draft" });
    await settle();
    expect(updatesOf(helen, firstCard.activityId).length).toBeGreaterThan(0);

    expect((await tutor(`/api/plans/${planId}/signature-requests`, { method: "POST" })).status).toBe(202);
    await settle();
    // Every copy she holds (the first request, and the notice that the plan changed) now shows
    // the Sign for revision 2.
    const copies = await signOffCards(helen, planId);
    expect(copies.length).toBeGreaterThanOrEqual(2);
    for (const copy of copies) {
      const latest = updatesOf(helen, copy.activityId).at(-1) ?? copy;
      expect(signButton(cardOf(latest.activity))?.data).toMatchObject({ ref: { revision: 2 } });
    }
  });

  it("the head presses the old Sign: the current card comes back with a Sign for revision 2, and nothing is signed", async () => {
    const before = await planRecord(server.store, planId);
    const pressed = await client.execute(helen, "sign", firstCard.sign.data, firstCard.activityId);
    expect(pressed.status).toBe(200);
    expect(textOf(pressed.card)).not.toContain("That did not work");
    expect(signButton(pressed.card)?.data).toMatchObject({ ref: { card: "signOff", planId, revision: 2 } });
    expect(await planRecord(server.store, planId)).toEqual(before);
    expect(before.plan!.signatures).toEqual([]);
  });

  it("someone with no part in the plan pressing a forwarded stale card is refused, and shown nothing of the plan", async () => {
    const amy: Persona = { id: "person-ect-amy", name: "Amy Clarke" };
    const before = await planRecord(server.store, planId);
    const pressed = await client.execute(amy, "sign", firstCard.sign.data);
    expect(textOf(pressed.card)).toContain("That did not work");
    expect(textOf(pressed.card)).not.toContain("Daniel");
    expect(signButton(pressed.card)).toBeUndefined();
    expect(await planRecord(server.store, planId)).toEqual(before);
  });

  it("pressing that Sign signs revision 2 from the card (whatever the card's data says of the method); the others' cards follow", async () => {
    const danielsCard = (await signOffCards(daniel, planId)).at(-1)!;
    const stale = await client.execute(helen, "sign", firstCard.sign.data, firstCard.activityId);
    const sign = signButton(stale.card)!;
    const signed = await client.execute(helen, "sign", { ...sign.data, method: "tab" }, firstCard.activityId);
    expect(signed.status).toBe(200);
    expect(signButton(signed.card)).toBeUndefined();
    const plan = (await server.store.getPlan(planId))!;
    expect(plan.signatures).toMatchObject([{ role: "head", personId: helen.id, revision: 2, method: "card" }]);
    expect(plan.signatures[0]!.digest).toMatch(/^[0-9a-f]{64}$/);

    await settle();
    const update = updatesOf(daniel, danielsCard.activityId).at(-1)!;
    expect(textOf(cardOf(update.activity))).toContain("Helen Carter");
    expect(signButton(cardOf(update.activity))?.data).toMatchObject({ ref: { revision: 2 } });
  });

  it("once everyone has signed, the old card still answers with the current card, and signs nothing", async () => {
    for (const p of [james, daniel]) {
      const res = await (await server.as(p.id))(`/api/plans/${planId}/signatures`, { method: "POST", body: JSON.stringify({ revision: 2 }) });
      expect(res.status).toBe(201);
    }
    const before = await planRecord(server.store, planId);
    expect(before.plan!.status).toBe("agreed");
    const pressed = await client.execute(helen, "sign", firstCard.sign.data, firstCard.activityId);
    expect(textOf(pressed.card)).not.toContain("That did not work");
    expect(signButton(pressed.card)).toBeUndefined();
    expect(await planRecord(server.store, planId)).toEqual(before);
  });
});

describe("a week evaluated from its card while an amendment waits", () => {
  it("lands on the plan, leaves the amendment as proposed and every signature valid", async () => {
    const [summary] = await server.store.listPlanSummaries({ ectIds: ["ect-amy"], status: ["active"] });
    const plan: Plan = (await server.store.getPlan(summary!.id))!;
    const content = structuredClone({ ...plan, ...editorContent(plan) });
    content.targets[0]!.text = "Transitions under ninety seconds";
    const tutor = await server.as(demoIds.tutorA);
    const proposed = await readJson(
      await tutor(`/api/plans/${plan.id}`, { method: "PUT", headers: { "if-match": `"v${plan.version}"` }, body: JSON.stringify({ content }) }),
    );
    expect(proposed.body.plan.amendment.revision).toBe(plan.revision + 1);

    const done = await client.execute(laura, "evaluate", { ref: { card: "evaluation", planId: plan.id, week: 2 }, evaluation: "Routines embedding well" });
    expect(textOf(done.card)).toContain("Evaluation recorded on week 2");
    const after = (await server.store.getPlan(plan.id))!;
    expect(after.weeks.find((w) => w.week === 2)?.evaluation).toBe("Routines embedding well");
    expect(after.amendment?.content.targets[0]!.text).toBe("Transitions under ninety seconds");
    expect(after.targets[0]!.text).toBe(plan.targets[0]!.text);
    expect(after.revision).toBe(plan.revision);
    expect(after.signatures.filter((s) => s.revision === after.revision)).toHaveLength(2);
  });
});
