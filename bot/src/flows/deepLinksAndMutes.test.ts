/**
 * Issue 15 through the real bot (CloudAdapter over HTTP, the dispatcher, a local Bot Connector):
 * with TEAMS_APP_ID set every card link is a Teams deep link into the personal tab, and the
 * statutory-review reminder and the AB's weekly update can be muted from the card, by the person
 * the card was sent to and nobody else.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { LocalConnector } from "../../test-support/localConnector.js";
import { BotClient, cardOf, executeActions, textOf, type Persona } from "../../test-support/botClient.js";
import { linksOf, teamsDeepLink, testTeamsAppId } from "../../test-support/cardLinks.js";
import { cardProblems } from "../../test-support/validateCard.js";
import { demoIds } from "../demo/demoSchool.js";

let server: RunningServer;
let connector: LocalConnector;
let client: BotClient;
const now = new Date("2026-11-27T10:00:00Z");

const amy: Persona = { id: "person-ect-amy", name: "Amy Clarke" };
const george: Persona = { id: "person-ect-george", name: "George Lam" };
const sarah: Persona = { id: demoIds.tutorA, name: "Sarah Thompson" };
const priya: Persona = { id: demoIds.abOfficer, name: "Priya Shah" };

beforeAll(async () => {
  connector = new LocalConnector();
  await connector.start();
  server = await startTestServer({ now, env: { TEAMS_APP_ID: testTeamsAppId } });
  client = new BotClient({ botUrl: server.url, serviceUrl: connector.url });
  for (const p of [amy, george, sarah, priya]) if ((await client.install(p)).status !== 200) throw new Error(`${p.name} could not install the app`);
});
afterAll(async () => {
  await server?.stop();
  await connector?.stop();
});

const cardsTo = (p: Persona) => connector.sent(client.personalConversation(p)).map((a) => cardOf(a.activity));
const amysPlan = async () => {
  const [summary] = await server.store.listPlanSummaries({ ectIds: ["ect-amy"], status: ["active"] });
  return summary!.id;
};
const muteOf = (card: unknown) => executeActions(card).find((a) => a.verb === "mute")!;
/** The last card a person got that says `text` (other cards, e.g. a plan closing, may come after it). */
const lastSaying = <T extends Parameters<typeof textOf>[0]>(cards: T[], text: string): T | undefined => cards.filter((c) => textOf(c).includes(text)).at(-1);

describe("with a Teams app id (TEAMS_APP_ID)", () => {
  it("the welcome card opens the personal tab, and a comment's card the ECT's plan, inside Teams", async () => {
    const [welcome] = cardsTo(sarah);
    expect(linksOf(welcome).map(teamsDeepLink)).toEqual([{ appId: testTeamsAppId, entityId: "caseload" }]);
    await client.message(amy, "This week went better: the starter ran in five minutes.");
    const recorded = cardsTo(amy).at(-1);
    expect(textOf(recorded)).toContain("Added to your plan as a comment");
    expect(linksOf(recorded).map(teamsDeepLink)).toEqual([{ appId: testTeamsAppId, entityId: "caseload", subEntityId: await amysPlan() }]);
  });

  it("the statutory-review reminder links to the ECT's records and the AB's update to the plan, in Teams, each with a mute", async () => {
    const planId = await amysPlan();
    await server.store.enqueue(
      [
        {
          kind: "statutory_review_due",
          recipientId: sarah.id,
          ectId: "ect-amy",
          dedupeKey: "t:statutory:1",
          data: { label: "Progress review 1", date: "2026-11-20", daysLeft: -7 },
        },
        { kind: "ab_weekly_update", recipientId: priya.id, planId, ectId: "ect-amy", dedupeKey: "t:ab:1", data: { week: 1 } },
      ],
      now,
    );
    await server.app.bot.dispatcher.drain();
    const reminder = lastSaying(cardsTo(sarah), "Progress review 1");
    expect(textOf(reminder)).toContain("Overdue since Fri 20 Nov 2026");
    expect(linksOf(reminder).map(teamsDeepLink)).toEqual([{ appId: testTeamsAppId, entityId: "caseload", subEntityId: "ects/ect-amy/records" }]);
    expect(muteOf(reminder).data).toEqual({ kind: "statutory_review_due", personId: sarah.id });
    const update = lastSaying(cardsTo(priya), "Weekly update");
    expect(textOf(update)).toContain("Weekly update");
    expect(linksOf(update).map(teamsDeepLink)).toEqual([{ appId: testTeamsAppId, entityId: "caseload", subEntityId: planId }]);
    expect(muteOf(update).data).toEqual({ kind: "ab_weekly_update", personId: priya.id });
    for (const c of [reminder, update]) expect(cardProblems(c)).toEqual([]);
  });

  it("someone else's Mute is refused and nothing is written; the recipient's own mutes, and the muted reminder is not sent again", async () => {
    const reminder = lastSaying(cardsTo(sarah), "Progress review 1");
    const update = lastSaying(cardsTo(priya), "Weekly update");
    // George (an ECT) presses the Mute of cards sent to Sarah and to Priya: forwarded, or the data rewritten.
    for (const card of [reminder, update]) {
      const refused = await client.execute(george, "mute", muteOf(card).data);
      expect(textOf(refused.card)).toContain("sent to someone else");
    }
    for (const p of [george, sarah, priya]) expect(await server.store.listReminderMutes(p.id)).toEqual([]);
    // A mute of a kind that may not be muted, or with a damaged person id, writes nothing either.
    expect(textOf((await client.execute(sarah, "mute", { kind: "escalation_alert", personId: sarah.id })).card)).toContain("cannot be muted");
    expect(textOf((await client.execute(sarah, "mute", { kind: "statutory_review_due", personId: "../x" })).card)).toContain("out of date or damaged");
    expect(await server.store.listReminderMutes(sarah.id)).toEqual([]);

    expect(textOf((await client.execute(sarah, "mute", muteOf(reminder).data)).card)).toContain("Muted");
    expect(textOf((await client.execute(priya, "mute", muteOf(update).data)).card)).toContain("Muted");
    expect(await server.store.listReminderMutes(sarah.id)).toEqual(["statutory_review_due"]);
    expect(await server.store.listReminderMutes(priya.id)).toEqual(["ab_weekly_update"]);
    expect(await server.store.listReminderMutes(george.id)).toEqual([]);

    // Muted: the next ones are not sent.
    const [sarahBefore, priyaBefore] = [cardsTo(sarah).length, cardsTo(priya).length];
    await server.store.enqueue(
      [
        {
          kind: "statutory_review_due",
          recipientId: sarah.id,
          ectId: "ect-amy",
          dedupeKey: "t:statutory:2",
          data: { label: "Progress review 1", date: "2026-11-20", daysLeft: -14 },
        },
        { kind: "ab_weekly_update", recipientId: priya.id, planId: await amysPlan(), ectId: "ect-amy", dedupeKey: "t:ab:2", data: { week: 2 } },
      ],
      now,
    );
    await server.app.bot.dispatcher.drain();
    expect([cardsTo(sarah).length, cardsTo(priya).length]).toEqual([sarahBefore, priyaBefore]);
  });
});
