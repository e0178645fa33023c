/**
 * The real botbuilder channel sends each request once: botbuilder's own retries (429 after
 * Retry-After, 5xx) are taken out, so every request to the Bot Connector goes through the
 * dispatcher's pacing, and a 429 reaches the dispatcher, which waits it out itself.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LocalConnector } from "../../test-support/localConnector.js";
import { seedFanoutWorld } from "../../test-support/fanoutWorld.js";
import { silentLogger } from "../logger.js";
import { openSqliteStore } from "../store/sqlite/sqliteStore.js";
import { OutboxDispatcher } from "../scheduler/dispatcher.js";
import { RateLimiter } from "../scheduler/rateLimiter.js";
import type { AdaptiveCard } from "../cards/index.js";
import { createBotEndpoint } from "./botAdapter.js";
import { DeliveryError, type BotFlows, type ProactiveChannel } from "./platform.js";

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const now = new Date("2026-11-30T07:00:00Z");
const card: AdaptiveCard = { type: "AdaptiveCard", $schema: "x", version: "1.5", body: [] };

async function connectorAndChannel() {
  const connector = new LocalConnector();
  await connector.start();
  cleanups.push(() => connector.stop());
  const { channel } = createBotEndpoint({ credentials: {}, flows: {} as BotFlows, logger: silentLogger, clock: { now: () => now } });
  return { connector, channel };
}

const refOn = (serviceUrl: string, conversationId: string) => ({
  conversationId,
  serviceUrl,
  channelId: "msteams",
  reference: { user: { id: "u" }, bot: { id: "28:bot" }, conversation: { id: conversationId }, channelId: "msteams", serviceUrl },
  updatedAt: now.toISOString(),
});

describe("the botbuilder channel", () => {
  it("sends a request once: a 429 or a 503 comes back to the caller instead of being re-sent by the SDK", async () => {
    const { connector, channel } = await connectorAndChannel();
    const ref = refOn(connector.url, "a:conv-1");
    connector.failNext(1, 429, 1);
    const throttled = await channel.send(ref, { card }).catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(DeliveryError);
    expect(throttled).toMatchObject({ status: 429, retryAfterMs: 1000 });
    expect(connector.requests).toBe(1);
    connector.failNext(1, 503);
    await expect(channel.send(ref, { card })).rejects.toMatchObject({ status: 503 });
    expect(connector.requests).toBe(2);
    await expect(channel.send(ref, { card })).resolves.toMatchObject({ activityId: expect.stringMatching(/^act-/) as unknown });
    expect([connector.requests, connector.sent().length]).toEqual([3, 1]);
  });

  it("gives the dispatcher exactly one 429, and the connector exactly the sends the dispatcher made", async () => {
    const { connector, channel: real } = await connectorAndChannel();
    let made = 0;
    const channel: ProactiveChannel = { send: (r, m) => (made++, real.send(r, m)), update: (r, id, m) => real.update(r, id, m) };
    const dir = mkdtempSync(join(tmpdir(), "ectsp-adapter-"));
    const store = openSqliteStore(join(dir, "s.sqlite"), { clock: { now: () => now } });
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    cleanups.push(() => store.close());
    const world = await seedFanoutWorld(store, 3, connector.url, now);
    await store.enqueue(
      world.ectPersonIds.map((id, i) => ({ kind: "plan_agreed", recipientId: id, planId: world.planIds[i]!, dedupeKey: `agreed:${i}` })),
      now,
    );
    let fakeMs = 0;
    const dispatcher = new OutboxDispatcher({
      store,
      renderer: { forOutbox: async () => card },
      channel,
      clock: { now: () => now },
      instanceId: "i-1",
      logger: silentLogger,
      limiter: new RateLimiter({ now: () => fakeMs }),
      sleep: async (ms) => void (fakeMs += ms),
    });
    connector.failNext(1, 429, 1);
    const stats = await dispatcher.tick();
    expect(stats).toMatchObject({ claimed: 3, sent: 3, throttled: 1 });
    expect(made).toBe(4);
    expect(connector.requests).toBe(made);
    expect(connector.sent()).toHaveLength(3);
  });
});
