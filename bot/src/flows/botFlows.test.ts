/**
 * The bot's flows through the REAL botbuilder CloudAdapter over HTTP: activities are POSTed to
 * /api/messages of a running server (local mode, no credentials) and the bot's replies and
 * proactive sends land on a local Bot Connector service (the activities' serviceUrl).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";
import { LocalConnector } from "../../test-support/localConnector.js";
import { BotClient, cardOf, executeActions, textOf, type Persona } from "../../test-support/botClient.js";
import { checkInId } from "../scheduler/weeklyScheduler.js";
import { cardProblems } from "../../test-support/validateCard.js";

let server: RunningServer;
let connector: LocalConnector;
let client: BotClient;
let now: Date;

const amy: Persona = { id: "person-ect-amy", name: "Amy Clarke" };
const george: Persona = { id: "person-ect-george", name: "George Lam" };
const mark: Persona = { id: demoIds.otherHead, name: "Mark Ellis" };
const sarah: Persona = { id: demoIds.tutorA, name: "Sarah Thompson" };
const helen: Persona = { id: demoIds.head, name: "Helen Carter" };
const laura: Persona = { id: demoIds.mentorA, name: "Laura Bennett" };
const priya: Persona = { id: demoIds.abOfficer, name: "Priya Shah" };

// The same flows a school year apart, and in a leap year: nothing may depend on today's date.
const clockDates = ["2026-11-27T10:00:00Z", "2027-11-26T10:00:00Z", "2028-11-24T10:00:00Z"];

const startWorld = async (at: string) => {
  now = new Date(at);
  connector = new LocalConnector();
  await connector.start();
  server = await startTestServer({ now });
  client = new BotClient({ botUrl: server.url, serviceUrl: connector.url });
  // Everyone installs the app (their personal chat is where proactive cards go).
  for (const p of [amy, george, mark, sarah, helen, laura]) expect((await client.install(p)).status).toBe(200);
};
const stopWorld = async () => {
  await server?.stop();
  await connector?.stop();
};

const planOf = async (ectId: string, status: string[] = ["active", "draft"]) => {
  const [summary] = await server.store.listPlanSummaries({ ectIds: [ectId], status: status as never });
  return (await server.store.getPlan(summary!.id))!;
};
const lastCardTo = (p: Persona) => {
  const sent = connector.sent(client.personalConversation(p));
  return sent.length ? { activity: sent.at(-1)!, card: cardOf(sent.at(-1)!.activity) } : undefined;
};

describe.each(clockDates)("the bot over the real CloudAdapter, on %s", (at) => {
  beforeAll(() => startWorld(at));
  afterAll(stopWorld);

  it("greets on install and remembers each person's conversation", async () => {
    const ref = await server.store.getConversationRef(amy.id);
    expect(ref).toMatchObject({ conversationId: client.personalConversation(amy), serviceUrl: connector.url, channelUserId: amy.id });
    expect(textOf(lastCardTo(amy)!.card)).toContain("Hello Amy Clarke");
  });

  it("check-in answered → the comment lands on that week's row, the card shows it was recorded; a second submit records nothing more", async () => {
    const plan = await planOf("ect-amy");
    const stats = await server.app.bot.scheduler.tick();
    expect(stats.ran).toBe(true);
    await server.app.bot.dispatcher.drain();

    // Amy's plan started two weeks ago: this is week 3.
    const prompt = lastCardTo(amy)!;
    expect(textOf(prompt.card)).toContain("Week 3 check-in");
    const button = executeActions(prompt.card).find((a) => a.verb === "checkIn")!;
    expect(button.data).toMatchObject({ ref: { card: "checkIn", planId: plan.id, week: 3, checkInId: checkInId(plan.id, 3) } });

    const comment = "Routines are sticking; transitions are down to about two minutes.";
    const answered = await client.execute(amy, "checkIn", { ...button.data, comment }, prompt.activity.activityId);
    expect(answered.status).toBe(200);
    expect(answered.body.type).toBe("application/vnd.microsoft.card.adaptive");
    expect(textOf(answered.card)).toContain("Recorded on week 3");
    expect(executeActions(answered.card).filter((a) => a.verb === "checkIn")).toEqual([]);

    const after = (await server.store.getPlan(plan.id))!;
    expect(after.weeks.find((w) => w.week === 3)?.ectComment).toBe(comment);
    expect(after.weeks.find((w) => w.week === 1)?.ectComment).toBe(plan.weeks[0]!.ectComment); // week 1 untouched
    expect((await server.store.getCheckIn(checkInId(plan.id, 3)))?.status).toBe("answered");

    // The same card submitted again (a double click, a retry): one record.
    const again = await client.execute(amy, "checkIn", { ...button.data, comment }, prompt.activity.activityId);
    expect(textOf(again.card)).toContain("Recorded on week 3");
    const twice = (await server.store.getPlan(plan.id))!;
    expect(twice.version).toBe(after.version);
    expect((await server.store.listAudit({ planId: plan.id })).filter((a) => a.action === "recordCheckIn" && a.summary.includes("week 3"))).toHaveLength(1);

    // The answer prompts whoever leads the level to evaluate week 3, once: at Level 2 the tutor, not the mentor too.
    const prompts = (await server.store.listOutbox({ planId: plan.id })).filter((m) => m.kind === "evaluation_prompt" && m.data.week === 3);
    expect(prompts.map((m) => m.recipientId)).toEqual([demoIds.tutorA]);
  });

  it("the tutor, who leads Level 2, evaluates the week from the card", async () => {
    const plan = await planOf("ect-amy");
    await server.app.bot.dispatcher.drain();
    const prompt = lastCardTo(sarah)!;
    expect(textOf(prompt.card)).toContain("Evaluate week 3");
    expect(textOf(prompt.card)).toContain("Routines are sticking");
    const button = executeActions(prompt.card).find((a) => a.verb === "evaluate")!;
    const empty = await client.execute(sarah, "evaluate", { ...button.data, evaluation: "  " });
    expect(textOf(empty.card)).toContain("Write the evaluation of progress");
    const done = await client.execute(sarah, "evaluate", { ...button.data, evaluation: "Good progress on transitions." });
    expect(textOf(done.card)).toContain("Evaluation recorded on week 3");
    const after = (await server.store.getPlan(plan.id))!;
    expect(after.weeks.find((w) => w.week === 3)?.evaluation).toBe("Good progress on transitions.");
    expect(after.revision).toBe(plan.revision); // a running record: signatures still hold
  });

  it("sign-off: only the named signer can sign; a forwarded card signs nobody else in; everyone's card updates; signing twice records once", async () => {
    const plan = await planOf("ect-george", ["draft"]);
    const asMark = await server.as(mark.id);
    expect((await asMark(`/api/plans/${plan.id}/signature-requests`, { method: "POST" })).status).toBe(202);
    await server.app.bot.dispatcher.drain();

    const marksCard = lastCardTo(mark)!;
    const georgesCard = lastCardTo(george)!;
    expect(executeActions(marksCard.card).map((a) => a.verb)).toContain("sign");
    expect(textOf(marksCard.card)).toContain("Signatures (0 of 2)");
    const sign = executeActions(marksCard.card).find((a) => a.verb === "sign")!;
    expect(sign.data).toMatchObject({ ref: { card: "signOff", planId: plan.id, revision: plan.revision } });
    // refresh.userIds: both signers' channel ids, so each sees their own view.
    expect([...marksCard.card.refresh.userIds].sort()).toEqual([george.id, mark.id].sort());

    // Amy (no part in George's plan) presses a forwarded copy: refused, nothing recorded.
    const forwarded = await client.execute(amy, "sign", sign.data);
    expect(forwarded.status).toBe(200);
    expect(textOf(forwarded.card)).toContain("That did not work");
    expect(textOf(forwarded.card)).toContain("Nothing was changed");
    // Sarah, a tutor at another school, likewise.
    expect(textOf((await client.execute(sarah, "sign", sign.data)).card)).toContain("That did not work");
    expect((await server.store.getPlan(plan.id))!.signatures).toEqual([]);

    // Mark signs: recorded against the revision he saw, as the induction tutor.
    const signed = await client.execute(mark, "sign", sign.data, marksCard.activity.activityId);
    expect(textOf(signed.card)).toContain("Signatures (1 of 2)");
    expect(executeActions(signed.card).map((a) => a.verb)).not.toContain("sign");
    const after = (await server.store.getPlan(plan.id))!;
    expect(after.signatures).toMatchObject([{ personId: mark.id, role: "induction_tutor", revision: plan.revision }]);

    // George's posted card is updated in place: PUT to his conversation, same activity id.
    await server.app.bot.flows.idle();
    const update = connector.updates(client.personalConversation(george)).at(-1)!;
    expect(update.activityId).toBe(georgesCard.activity.activityId);
    const updated = cardOf(update.activity);
    expect(textOf(updated)).toContain("Mark Ellis: signed");
    expect(executeActions(updated).map((a) => a.verb)).toContain("sign"); // George still has to sign

    // Mark presses Sign again: one signature.
    await client.execute(mark, "sign", sign.data);
    expect((await server.store.getPlan(plan.id))!.signatures).toHaveLength(1);

    // George presses Mark's (forwarded) card: he signs as himself, never as Mark.
    const byGeorge = await client.execute(george, "sign", sign.data);
    expect(textOf(byGeorge.card)).toContain("Plan signed by everyone");
    const agreed = (await server.store.getPlan(plan.id))!;
    expect(agreed.signatures.map((s) => [s.personId, s.role]).sort()).toEqual(
      [
        [george.id, "ect"],
        [mark.id, "induction_tutor"],
      ].sort(),
    );
    expect(["agreed", "active"]).toContain(agreed.status);
  });

  it("a refresh shows each viewer their own view; a stranger's refresh is refused", async () => {
    const plan = await planOf("ect-george", ["draft", "agreed", "active"]);
    const ref = { ref: { card: "signOff", planId: plan.id, revision: plan.revision } };
    expect(textOf((await client.execute(george, "refresh", ref)).card)).toContain("Plan signed by everyone");
    expect(textOf((await client.execute(amy, "refresh", ref)).card)).toContain("You can only see plans");
  });

  it("escalation after a review → alert cards to the tutor and to the AB (in its channel), with a link to the plan", async () => {
    // Priya (AB) has not chatted with the bot, but the AB's team channel has it installed.
    const channel = { id: "19:ab-alerts@thread.tacv2", conversationType: "channel" };
    await client.message(priya, "hello", channel);
    expect((await server.store.getChannelRef(demoIds.ab))?.conversationId).toBe(channel.id);

    const plan = await planOf("ect-amy");
    const tutor = await server.as(sarah.id);
    const reviewed = await tutor(`/api/plans/${plan.id}/review`, {
      method: "PUT",
      body: JSON.stringify({
        version: plan.version,
        review: {
          date: now.toISOString().slice(0, 10),
          targetOutcomes: plan.targets.map((t) => ({ targetId: t.id, outcome: "not_met", evidence: "Not yet seen" })),
          evaluation: "Little progress on routines.",
          nextObjectives: "Routines",
          onTrack: false,
        },
      }),
    });
    expect(reviewed.status).toBe(200);
    const version = ((await reviewed.json()) as { plan: { version: number } }).plan.version;
    const head = await server.as(helen.id);
    const concluded = await head(`/api/plans/${plan.id}/conclusion`, {
      method: "POST",
      body: JSON.stringify({ version, decision: "escalate", reason: "No progress" }),
    });
    expect(concluded.status).toBe(200);
    const { successorId } = (await concluded.json()) as { successorId: string };

    await server.app.bot.dispatcher.drain();
    // Both alerts reach the tutor; they are sent side by side, so either may arrive last.
    const tutorCards = connector.sent(client.personalConversation(sarah)).map((a) => cardOf(a.activity));
    expect(tutorCards.some((c) => textOf(c).includes("Escalated to Level 3"))).toBe(true);
    const toTutor = tutorCards.find((c) => textOf(c).includes("Review: insufficient progress"))!;
    expect(toTutor).toBeDefined();
    expect(textOf(toTutor)).toContain("Amy Clarke");
    expect(textOf(toTutor)).toContain("Level 3");
    expect(textOf(toTutor)).toContain("not met");
    const links = JSON.stringify(toTutor);
    expect(links).toMatch(new RegExp(`"url":"http://localhost:\\d+/plans/${successorId}"`));

    const inChannel = connector.sent(channel.id).map((a) => textOf(cardOf(a.activity)));
    expect(inChannel.some((t) => t.includes("Escalated to Level 3"))).toBe(true);
    expect(inChannel.some((t) => t.includes("Review: insufficient progress"))).toBe(true);
    const pending = await server.store.listOutbox({ status: "pending" });
    expect(pending.filter((m) => m.kind.endsWith("_alert") && (m.planId === plan.id || m.planId === successorId))).toEqual([]);
  });

  it("an ECT's message becomes a comment on their current plan; others get help; unknown callers are told why", async () => {
    const ben: Persona = { id: "person-ect-ben", name: "Ben Okafor" };
    const erin: Persona = { id: "person-ect-erin", name: "Erin Walsh" };
    await client.install(erin);
    const reply = await client.message(erin, "Could we move our meeting to Thursday?");
    expect(reply.status).toBe(200);
    expect(textOf(lastCardTo(erin)!.card)).toContain("no support plan running");

    // George's plan is agreed and running now: his message is a comment on it.
    await client.message(george, "Thanks, I have read the plan and I'm happy with it.");
    expect(textOf(lastCardTo(george)!.card)).toContain("Added to your plan as a comment");
    const plan = await planOf("ect-george", ["active", "agreed"]);
    expect(plan.comments.at(-1)).toMatchObject({ authorId: george.id, text: "Thanks, I have read the plan and I'm happy with it." });

    await client.message(sarah, "what can you do?");
    expect(textOf(lastCardTo(sarah)!.card)).toContain("I post weekly check-ins");

    const stranger: Persona = { id: "29:someone-else", aadObjectId: "00000000-0000-0000-0000-00000000dead" };
    await client.message(stranger, "hi");
    expect(textOf(lastCardTo(stranger)!.card)).toContain("I don't know who you are");
    void ben;
  });

  it("maps Entra object ids to people, and mutes reminders but never sign-offs", async () => {
    const laurasAad = "11111111-2222-3333-4444-555555555555";
    const p = (await server.store.getPerson(laura.id))!;
    await server.store.upsertPerson({ ...p, aadObjectId: laurasAad });
    const asTeams: Persona = { id: "29:laura-teams-mri", aadObjectId: laurasAad };
    const muted = await client.execute(asTeams, "mute", { kind: "review_due" });
    expect(textOf(muted.card)).toContain("Muted");
    expect(await server.store.listReminderMutes(laura.id)).toEqual(["review_due"]);
    const refused = await client.execute(asTeams, "mute", { kind: "sign_request" });
    expect(textOf(refused.card)).toContain("cannot be muted");
    expect(await server.store.listReminderMutes(laura.id)).toEqual(["review_due"]);
  });

  it("every card the bot sent or updated in these flows is a valid Adaptive Card 1.5 under 28 KB", () => {
    const all = connector.activities.map((a) => cardOf(a.activity)).filter(Boolean);
    expect(all.length).toBeGreaterThan(20);
    for (const card of all) expect(cardProblems(card)).toEqual([]);
  });
});

describe("someone the bot could not reach opens a chat", () => {
  beforeAll(() => startWorld(clockDates[0]!));
  afterAll(stopWorld);

  it("gets what was waiting for them at once, not after the hours it was backing off", async () => {
    // Priya (the AB officer) has not installed the app: her alert has been backing off.
    const hoursAway = new Date(now.getTime() + 4 * 3_600_000).toISOString();
    await server.store.enqueue([{ kind: "plan_shared", recipientId: priya.id, dedupeKey: "waiting-for-priya", notBefore: hoursAway, data: {} }], now);
    await server.store.enqueue([{ kind: "plan_shared", recipientId: helen.id, dedupeKey: "waiting-for-helen", notBefore: hoursAway, data: {} }], now);
    expect((await client.install(priya)).status).toBe(200);
    const [waiting] = (await server.store.listOutbox({ recipientId: priya.id })).filter((m) => m.dedupeKey === "waiting-for-priya");
    expect(waiting).toBeDefined();
    expect(waiting?.status === "sent" || Date.parse(waiting?.notBefore ?? "") <= now.getTime()).toBe(true);
    // Someone the bot could already reach keeps their message's own time.
    const [helens] = (await server.store.listOutbox({ recipientId: helen.id })).filter((m) => m.dedupeKey === "waiting-for-helen");
    expect(helens?.notBefore).toBe(hoursAway);
  });
});
