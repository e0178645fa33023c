/**
 * Reaching people the bot has never talked to (issue 6): installing the app for them through
 * Graph (against the Graph double, over HTTPS with the real credential and middleware), and an
 * AB outside the tenant receiving its alerts through a channel webhook (a local HTTPS receiver).
 */
import { movableClock, testInstant } from "../../test-support/movableClock.js";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutboxMessage, Person } from "@ectsp/shared";
import { GraphDouble } from "../../test-support/graph/graphDouble.js";
import { TrustingTransport } from "../../test-support/graph/doubleKit.js";
import { doubleCert, doubleKey } from "../../test-support/graph/doubleTls.js";
import { openSqliteStore } from "../store/sqlite/sqliteStore.js";
import type { ConversationRef, Store } from "../store/store.js";
import { makeAb, makePerson, makeSchool, makeEct } from "../../test-support/store/testData.js";
import { OutboxDispatcher } from "../scheduler/dispatcher.js";
import { RateLimiter } from "../scheduler/rateLimiter.js";
import { silentLogger } from "../logger.js";
import type { AdaptiveCard } from "../cards/card.js";
import { GraphAppInstaller } from "./installer.js";
import { HttpWebhookSender, adaptiveCardContentType } from "./webhookSender.js";
import { DeliveryError, type ProactiveChannel } from "./platform.js";

const catalogId = "e3c9a7b0-5f5b-4c1e-9d0a-1b2c3d4e5f60";
const card: AdaptiveCard = {
  type: "AdaptiveCard",
  $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
  version: "1.5",
  body: [{ type: "TextBlock", text: "Escalation alert" }],
};

/**
 * The personal-scope installation endpoints, as Graph documents them: POST installedApps (201,
 * no body; 409 when installed; 404 for a user not in the tenant), GET installedApps with
 * $expand=teamsApp and a teamsApp/id filter, GET installedApps/{id}/chat.
 */
function addTeamsInstallRoutes(double: GraphDouble, users: Map<string, string>) {
  const installed = new Map<string, { installationId: string; chatId: string }>();
  const error = (status: number, code: string, message: string) => ({ status, body: { error: { code, message, innerError: { date: testInstant } } } });
  double.addRoutes((method, pathAndQuery, body) => {
    const url = new URL(pathAndQuery, "https://x");
    const m = /^\/users\/([^/]+)\/teamwork\/installedApps(?:\/([^/]+)(\/chat)?)?$/.exec(url.pathname);
    if (!m) return undefined;
    const user = users.get(decodeURIComponent(m[1]!).toLowerCase());
    if (!user) return error(404, "NotFound", "User not found");
    const mine = installed.get(user);
    if (method === "POST" && !m[2]) {
      const bind = (body as Record<string, unknown>)["teamsApp@odata.bind"];
      if (typeof bind !== "string" || !bind.endsWith(`/v1.0/appCatalogs/teamsApps/${catalogId}`)) return error(404, "NotFound", "App not found in the catalog");
      if (mine) return error(409, "Conflict", "App is already installed.");
      installed.set(user, { installationId: `inst-${user}`, chatId: `19:${user}_bot@unq.gbl.spaces` });
      return { status: 201 };
    }
    if (method === "GET" && !m[2]) {
      expect(url.searchParams.get("$filter")).toBe(`teamsApp/id eq '${catalogId}'`);
      return {
        status: 200,
        body: {
          value: mine
            ? [
                {
                  id: mine.installationId,
                  teamsApp: { id: catalogId, externalId: "manifest-id", displayName: "ECT support plans", distributionMethod: "organization" },
                },
              ]
            : [],
        },
      };
    }
    if (method === "GET" && m[3] && mine && m[2] === mine.installationId) {
      return { status: 200, body: { id: mine.chatId, topic: null, chatType: "oneOnOne", tenantId: double.tenantId } };
    }
    return error(404, "NotFound", "Not found");
  });
  return { install: (user: string) => installed.set(user, { installationId: `inst-${user}`, chatId: `19:${user}_bot@unq.gbl.spaces` }) };
}

interface Received {
  body: any;
  contentType: string | undefined;
}

/** A channel webhook receiver: answers with the queued statuses, then 202. */
async function startReceiver() {
  const received: Received[] = [];
  const answers: { status: number; retryAfter?: string }[] = [];
  const server: Server = createServer({ cert: doubleCert, key: doubleKey }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const next = answers.shift() ?? { status: 202 };
      if (next.status < 300) received.push({ body: JSON.parse(Buffer.concat(chunks).toString("utf8")), contentType: req.headers["content-type"] });
      res.writeHead(next.status, next.retryAfter ? { "retry-after": next.retryAfter } : {});
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  // A name (the policy refuses IP addresses), which the test's resolver maps to 127.0.0.1.
  const port = (server.address() as AddressInfo).port;
  const url = `https://localhost:${port}/workflows/abc/triggers/manual/paths/invoke?sig=secret`;
  return { url, port, received, answers, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

let double: GraphDouble;
let store: Store;
let dataDir: string;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const sent: { ref: ConversationRef }[] = [];
let fakeNow = 0;
const sleeps: number[] = [];
const channel: ProactiveChannel = {
  async send(ref) {
    sent.push({ ref });
    return { activityId: `act-${sent.length}` };
  },
  async update() {},
};

const ab = makeAb({ name: "Far Hub" });
const school = makeSchool({ abId: ab.id });
const mentor = makePerson({ displayName: "Mo Mentor", roles: ["mentor"], schoolId: school.id, aadObjectId: "aad-mentor" });
const newcomer = makePerson({ displayName: "Nia New", roles: ["ect"], schoolId: school.id, email: "nia.new@school.example" });
const hasApp = makePerson({ displayName: "Hal Has", roles: ["induction_tutor"], schoolId: school.id, aadObjectId: "aad-has" });
const outsider = makePerson({ displayName: "Out Sider", roles: ["mentor"], schoolId: school.id, aadObjectId: "aad-unknown" });
const officer = makePerson({ displayName: "Abi Officer", roles: ["ab_officer"], abId: ab.id, email: "abi@farhub.example" });

const reachClock = movableClock(testInstant);
let seq = 0;
// Nia's induction record: alerts about her reach the AB through the webhook her school set for it.
const niaEct = makeEct({ personId: newcomer.id, schoolId: school.id, abId: ab.id });
const message = async (recipient: Person): Promise<OutboxMessage> => {
  const dedupeKey = `reach-${++seq}`;
  await store.enqueue([{ kind: "escalation_alert", recipientId: recipient.id, dedupeKey, ectId: niaEct.id }], reachClock.now());
  return (await store.listOutbox({ recipientId: recipient.id })).find((m) => m.dedupeKey === dedupeKey)!;
};

const dispatcher = () =>
  new OutboxDispatcher({
    store,
    renderer: { forOutbox: async () => card },
    channel,
    clock: reachClock,
    instanceId: "reach-test",
    logger: silentLogger,
    limiter: new RateLimiter({ now: () => fakeNow }),
    sleep: async (ms) => {
      sleeps.push(ms);
      fakeNow += ms;
    },
    installer: new GraphAppInstaller(
      {
        teamsAppCatalogId: catalogId,
        botAppId: "bot-app-id",
        tenantId: double.tenantId,
        serviceUrl: "https://smba.trafficmanager.net/teams/",
        clientId: double.clientId,
        clientSecret: double.clientSecret,
        graphBaseUrl: double.url,
        authorityHost: double.url,
      },
      { transport: new TrustingTransport(double.certificate), credentialOptions: { tlsOptions: { ca: double.certificate } }, retryDelaySeconds: 0 },
      reachClock,
    ),
    // The production policy, widened for this test only: the receiver's name, its port, loopback.
    webhook: new HttpWebhookSender({
      clock: reachClock,
      ca: doubleCert,
      allowHosts: ["localhost"],
      extraPorts: [receiver.port],
      allowLoopback: true,
      resolve: async () => [{ address: "127.0.0.1", family: 4 }],
    }),
  });

beforeAll(async () => {
  double = await new GraphDouble().start();
  const tenantUsers = addTeamsInstallRoutes(
    double,
    new Map([
      ["aad-mentor", "mentor"],
      ["nia.new@school.example", "nia"],
      ["aad-has", "has"],
    ]),
  );
  tenantUsers.install("has");
  receiver = await startReceiver();
  dataDir = mkdtempSync(join(tmpdir(), "ectsp-reach-"));
  store = openSqliteStore(join(dataDir, "store.db"), { clock: reachClock });
  await store.upsertAppropriateBody(ab);
  await store.upsertSchool({ ...school, alertWebhooks: [{ abId: ab.id, url: receiver.url }] });
  for (const p of [mentor, newcomer, hasApp, outsider, officer]) await store.upsertPerson(p);
  await store.upsertEct(niaEct);
});
afterAll(async () => {
  await store?.close();
  await double?.stop();
  await receiver?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("proactive install through Graph", () => {
  it("installs the app for a recipient with no conversation, then sends the card to the chat it opened", async () => {
    const m = await message(mentor);
    double.resetCounts();
    const stats = await dispatcher().tick();
    expect(stats).toMatchObject({ claimed: 1, sent: 1 });
    expect(double.log.map((l) => `${l.method} ${l.status}`)).toEqual(["POST 201", "GET 200", "GET 200"]);
    const ref = await store.getConversationRef(mentor.id);
    expect(ref).toMatchObject({ conversationId: "19:mentor_bot@unq.gbl.spaces", channelId: "msteams", serviceUrl: "https://smba.trafficmanager.net/teams/" });
    expect(ref!.reference).toMatchObject({ conversation: { id: "19:mentor_bot@unq.gbl.spaces", conversationType: "personal" }, bot: { id: "28:bot-app-id" } });
    expect(sent.at(-1)!.ref.conversationId).toBe(ref!.conversationId);
    expect((await store.listOutbox({ recipientId: mentor.id })).find((x) => x.id === m.id)?.status).toBe("sent");

    // The next message uses the stored conversation: no Graph calls.
    await message(mentor);
    double.resetCounts();
    expect((await dispatcher().tick()).sent).toBe(1);
    expect(double.httpRequests).toBe(0);
  });

  it("finds someone who has never signed in by their UPN, and treats 409 (installed already) as installed", async () => {
    await message(newcomer);
    await message(hasApp);
    double.resetCounts();
    expect(await dispatcher().tick()).toMatchObject({ claimed: 2, sent: 2 });
    expect(
      double.log
        .filter((l) => l.method === "POST")
        .map((l) => l.status)
        .sort(),
    ).toEqual([201, 409]);
    expect((await store.getConversationRef(newcomer.id))?.conversationId).toBe("19:nia_bot@unq.gbl.spaces");
    expect((await store.getConversationRef(hasApp.id))?.conversationId).toBe("19:has_bot@unq.gbl.spaces");
  });

  it("hands a message back to try later when the user is not in the tenant or Graph refuses", async () => {
    const m = await message(outsider);
    expect(await dispatcher().tick()).toMatchObject({ claimed: 1, sent: 0, retryLater: 1 });
    const after = (await store.listOutbox({ recipientId: outsider.id })).find((x) => x.id === m.id)!;
    expect(after.status).toBe("pending");
    expect(after.lastError).toMatch(/not installed/);

    // Throttled past the Graph client's retries: a transient failure, tried again soon.
    const installer = new GraphAppInstaller(
      {
        teamsAppCatalogId: catalogId,
        botAppId: "b",
        tenantId: double.tenantId,
        serviceUrl: "https://s/",
        clientId: double.clientId,
        clientSecret: double.clientSecret,
        graphBaseUrl: double.url,
        authorityHost: double.url,
        maxRetries: 1,
      },
      { transport: new TrustingTransport(double.certificate), credentialOptions: { tlsOptions: { ca: double.certificate } }, retryDelaySeconds: 0 },
      reachClock,
    );
    double.inject({ status: 429, count: 2, retryAfterSeconds: 0, match: (r) => r.path.includes("/teamwork/") });
    const error = await installer.install(outsider).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).status).toBe(429);
    expect((error as DeliveryError).transient).toBe(true);
    double.clearFaults();
  });
});

describe("an AB outside the tenant: alerts through its channel webhook", () => {
  it("posts the same Adaptive Card as a message attachment to the AB's webhook", async () => {
    const before = receiver.received.length;
    const m = await message(officer);
    expect(await dispatcher().tick()).toMatchObject({ claimed: 1, sent: 1 });
    const got = receiver.received.slice(before);
    expect(got).toHaveLength(1);
    expect(got[0]!.contentType).toBe("application/json");
    expect(got[0]!.body).toEqual({ type: "message", attachments: [{ contentType: adaptiveCardContentType, contentUrl: null, content: card }] });
    expect((await store.listOutbox({ recipientId: officer.id })).find((x) => x.id === m.id)?.status).toBe("sent");
    // No Teams conversation was made up for them.
    expect(await store.getConversationRef(officer.id)).toBeUndefined();
  });

  it("waits for Retry-After on 429 and backs off on 5xx, like any send; a 4xx fails the message", async () => {
    const before = receiver.received.length;
    sleeps.length = 0;
    receiver.answers.push({ status: 429, retryAfter: "7" }, { status: 502 });
    await message(officer);
    expect(await dispatcher().tick()).toMatchObject({ sent: 1, throttled: 1 });
    expect(receiver.received.length - before).toBe(1);
    expect(Math.max(...sleeps)).toBeGreaterThanOrEqual(7000);

    receiver.answers.push({ status: 400 });
    const bad = await message(officer);
    expect(await dispatcher().tick()).toMatchObject({ sent: 0, failed: 1 });
    const failed = (await store.listOutbox({ recipientId: officer.id })).find((x) => x.id === bad.id)!;
    expect(failed.status).toBe("failed");
    expect(failed.lastError).not.toContain("sig=secret");
  });
});
