/**
 * Issue 14's part of the Store contract (called from reachContract.ts, inside its describe, so it runs
 * against every adapter): the outbox shared by instances. Live instances are counted through
 * their heartbeats, claims are handed back at once, a lease that ends now still holds, and the
 * dispatcher's policy (backoff for people the bot cannot reach, a stop that hands back, a crash
 * that strands little) holds on the real store.
 */
import { expect, it } from "vitest";
import type { OutboxMessage } from "@ectsp/shared";
import type { Store } from "@ectsp/bot/store/store.js";
import { OutboxDispatcher } from "@ectsp/bot/scheduler/dispatcher.js";
import { outboxPolicy } from "@ectsp/bot/scheduler/outboxPolicy.js";
import { RateLimiter } from "@ectsp/bot/scheduler/rateLimiter.js";
import { silentLogger } from "@ectsp/bot/logger.js";
import type { ProactiveChannel } from "@ectsp/bot/teams/platform.js";
import type { AdaptiveCard } from "@ectsp/bot/cards/card.js";
import type { MovableClock } from "../movableClock.js";
import { later, makeMessage, makePerson, minutes, newId, type World } from "./testData.js";

interface Ctx {
  store: Store;
  other: Store;
  w: World;
  clock: MovableClock;
}

const at = (iso: string) => new Date(iso);
const seconds = (n: number) => n * 1000;

export function outboxSharingContract(ctx: () => Ctx): void {
  const now = at("2026-11-30T07:00:00.000Z");
  const lease = seconds(20);

  it("counts live instances through their heartbeats; a lapsed or retired one stops counting", async () => {
    const { store, other } = ctx();
    const a = newId("instance");
    const b = newId("instance");
    const until = (from: Date, ms: number) => new Date(from.getTime() + ms);
    expect(await store.heartbeatInstance(a, now, until(now, seconds(30)))).toBe(1);
    expect(await other.heartbeatInstance(b, at(later(now, 1000)), until(now, seconds(31)))).toBe(2);
    // Renewing is not joining again.
    expect(await store.heartbeatInstance(a, at(later(now, seconds(10))), until(now, seconds(40)))).toBe(2);
    // b stopped renewing: once its record lapses (31 s) only a counts; a live until exactly now does not count.
    expect(await store.heartbeatInstance(a, at(later(now, seconds(31))), until(now, seconds(61)))).toBe(1);
    // b comes back, then retires on a graceful stop: at once it no longer counts.
    expect(await other.heartbeatInstance(b, at(later(now, seconds(35))), until(now, seconds(65)))).toBe(2);
    await other.retireInstance(b, at(later(now, seconds(36))));
    expect(await store.heartbeatInstance(a, at(later(now, seconds(37))), until(now, seconds(67)))).toBe(1);
  });

  it("wakeRecipient brings forward what waits for someone the bot can now reach, and nobody else's, nor a live claim", async () => {
    const { store, other } = ctx();
    const soon = at(later(now, minutes(15)));
    const forAmy = [
      makeMessage({ recipientId: "amy-wake", notBefore: soon.toISOString() }),
      makeMessage({ recipientId: "amy-wake", notBefore: soon.toISOString() }),
    ];
    const forBen = makeMessage({ recipientId: "ben-wake", notBefore: soon.toISOString() });
    await store.enqueue([...forAmy, forBen], now);
    expect(await store.claimDue({ instanceId: "instance-a", now, leaseMs: lease, limit: 10 })).toEqual([]);
    // One of Amy's is due and held by a live claim: its holder is sending it already.
    const held = makeMessage({ recipientId: "amy-wake", notBefore: now.toISOString() });
    await store.enqueue([held], now);
    expect((await other.claimDue({ instanceId: "instance-b", now, leaseMs: lease, limit: 10 })).map((m) => m.dedupeKey)).toEqual([held.dedupeKey]);

    expect(await store.wakeRecipient("amy-wake", now)).toBe(2);
    const claimed = await store.claimDue({ instanceId: "instance-a", now, leaseMs: lease, limit: 10 });
    expect(claimed.map((m) => m.dedupeKey).sort()).toEqual(forAmy.map((m) => m.dedupeKey).sort());
    expect((await store.listOutbox({ recipientId: "ben-wake" }))[0]?.notBefore).toBe(soon.toISOString());
    // Nothing left waiting: waking again changes nothing.
    expect(await store.wakeRecipient("amy-wake", now)).toBe(0);
  });

  it("releaseClaims hands the holder's unsent claims back at once: another instance claims them without waiting for the lease", async () => {
    const { store, other } = ctx();
    const messages = Array.from({ length: 4 }, () => makeMessage({ notBefore: now.toISOString() }));
    await store.enqueue(messages, now);
    const held = await store.claimDue({ instanceId: "instance-a", now, leaseMs: lease, limit: 10 });
    expect(held).toHaveLength(4);
    expect(await other.claimDue({ instanceId: "instance-b", now, leaseMs: lease, limit: 10 })).toEqual([]);
    await store.markSent(held[0]!.id, "instance-a", now);

    // Only the holder can hand back; a sent message stays sent.
    expect(await other.releaseClaims("instance-b")).toBe(0);
    expect(await store.releaseClaims("instance-a", [held[1]!.id])).toBe(1);
    const first = await other.claimDue({ instanceId: "instance-b", now, leaseMs: lease, limit: 10 });
    expect(first.map((m) => m.id)).toEqual([held[1]!.id]);
    expect(first[0]).toMatchObject({ claimedBy: "instance-b" });

    expect(await store.releaseClaims("instance-a")).toBe(2);
    const rest = await other.claimDue({ instanceId: "instance-b", now: at(later(now, 1)), leaseMs: lease, limit: 10 });
    expect(rest.map((m) => m.id).sort()).toEqual([held[2]!.id, held[3]!.id].sort());
    const listed = new Map((await store.listOutbox({})).map((m) => [m.id, m]));
    expect(listed.get(held[0]!.id)).toMatchObject({ status: "sent", claimedBy: "instance-a" });
    expect(await store.releaseClaims("instance-a", [])).toBe(0);
  });

  it("a claim ending exactly now still holds; a moment later it has lapsed (the policy's rule, in both stores)", async () => {
    const { store, other } = ctx();
    await store.enqueue([makeMessage({ notBefore: now.toISOString() })], now);
    expect(await store.claimDue({ instanceId: "instance-a", now, leaseMs: lease, limit: 1 })).toHaveLength(1);
    expect(await other.claimDue({ instanceId: "instance-b", now: at(later(now, lease)), leaseMs: lease, limit: 1 })).toEqual([]);
    expect(await other.claimDue({ instanceId: "instance-b", now: at(later(now, lease + 1)), leaseMs: lease, limit: 1 })).toHaveLength(1);
  });

  // --- the dispatcher on this store -------------------------------------------------------

  const card: AdaptiveCard = { type: "AdaptiveCard", $schema: "x", version: "1.5", body: [] };
  const ref = (conversationId: string) => ({
    conversationId,
    serviceUrl: "http://connector.invalid/",
    channelId: "msteams",
    reference: {},
    updatedAt: now.toISOString(),
  });

  /** A dispatcher on `store` whose sleeps move the test's clock (and its limiter's time) on. */
  function dispatcherOn(store: Store, instanceId: string, channel: ProactiveChannel, clock: MovableClock) {
    let mono = 0;
    return new OutboxDispatcher({
      store,
      renderer: { forOutbox: async () => card },
      channel,
      clock,
      instanceId,
      logger: silentLogger,
      limiter: new RateLimiter({ now: () => mono }),
      sleep: async (ms) => {
        mono += ms;
        clock.advance(ms);
      },
    });
  }

  it("a message for someone the bot cannot reach yet backs off: tried again at 5 min, then 15 min, then an hour — not every poll", async () => {
    const { store, clock } = ctx();
    clock.set(now);
    const nobody = makePerson({ roles: ["ect"] });
    await store.upsertPerson(nobody);
    await store.enqueue([makeMessage({ recipientId: nobody.id, notBefore: now.toISOString() })], now);
    const never: ProactiveChannel = { send: () => Promise.reject(new Error("unreachable")), update: async () => {} };
    const d = dispatcherOn(store, "instance-a", never, clock);
    const claimsAt: number[] = [];
    // Poll every 10 s of clock time for 90 minutes, as an idle instance does.
    for (let t = 0; t <= minutes(90); t += outboxPolicy.pollMs) {
      clock.set(new Date(now.getTime() + t));
      if ((await d.tick()).claimed > 0) claimsAt.push(t);
    }
    expect(claimsAt).toEqual([0, minutes(5), minutes(5) + minutes(15), minutes(5) + minutes(15) + minutes(60)]);
    const [m] = await store.listOutbox({ recipientId: nobody.id });
    expect(m).toMatchObject({ status: "pending", attempts: 4 });
    expect(m!.lastError).toMatch(/No conversation/);
  });

  it("a stop hands its unsent claims back at once: another instance sends them without waiting for the lease", async () => {
    const { store, other, w, clock } = ctx();
    clock.set(now);
    const people = [w.ectA1, w.ectA2, w.ectB1].map((e) => e.personId);
    for (const p of people) await store.saveConversationRef(p, ref(`conv-${p}`));
    const messages = people.map((recipientId) => makeMessage({ recipientId, notBefore: now.toISOString() }));
    await store.enqueue(messages, now);

    // Instance a's sends hang on the wire until released; only the first ever gets that far.
    const sentBy = { a: [] as string[], b: [] as string[] };
    let releaseWire: (() => void) | undefined;
    const hanging: ProactiveChannel = {
      send: (r) => {
        sentBy.a.push(r.conversationId);
        return new Promise((resolve) => (releaseWire = () => resolve({ activityId: "a-1" })));
      },
      update: async () => {},
    };
    const a = dispatcherOn(store, "instance-a", hanging, clock);
    // One send at a time, so the others wait (for the limiter) while the first is on the wire.
    (a as unknown as { concurrency: number }).concurrency = 1;
    const ticking = a.tick();
    while (!releaseWire) await new Promise((r) => setImmediate(r));
    const holding = (await store.listOutbox({ status: "pending" })).filter((m) => m.claimedBy === "instance-a");
    expect(holding).toHaveLength(3);

    // The stop's grace for the send on the wire passes (the injected sleep), then it returns.
    const stopped = a.stop();
    releaseWire();
    await stopped;
    await ticking;

    const b = dispatcherOn(other, "instance-b", { send: async (r) => (sentBy.b.push(r.conversationId), { activityId: "b" }), update: async () => {} }, clock);
    // No lease has lapsed: b takes them because they were handed back.
    expect(clock.now().getTime()).toBeLessThan(Math.min(...holding.map((m) => Date.parse(m.claimedUntil!))));
    const stats = await b.tick();
    expect(stats.claimed).toBe(2);
    expect(sentBy.a).toHaveLength(1);
    expect(sentBy.b.sort()).toEqual(
      people
        .filter((p) => `conv-${p}` !== sentBy.a[0])
        .map((p) => `conv-${p}`)
        .sort(),
    );
    const all = await store.listOutbox({});
    const mine = all.filter((m) => messages.some((x) => x.dedupeKey === m.dedupeKey));
    expect(mine.map((m: OutboxMessage) => m.status)).toEqual(["sent", "sent", "sent"]);
  });

  it("a crashed instance's claims are sent by another within 30 s of clock time", async () => {
    const { store, other, w, clock } = ctx();
    clock.set(now);
    const people = [w.ectA1, w.ectA2].map((e) => e.personId);
    for (const p of people) await store.saveConversationRef(p, ref(`conv-${p}`));
    await store.enqueue(
      people.map((recipientId) => makeMessage({ recipientId, notBefore: now.toISOString() })),
      now,
    );
    // Instance a claims and dies (its sends never answer, it never hands back).
    const dead: ProactiveChannel = { send: () => new Promise(() => {}), update: async () => {} };
    void dispatcherOn(store, "instance-a", dead, clock).tick();
    while ((await store.listOutbox({ status: "pending" })).filter((m) => m.claimedBy === "instance-a").length < 2) {
      await new Promise((r) => setImmediate(r));
    }
    const sent: { conversationId: string; atMs: number }[] = [];
    const b = dispatcherOn(
      other,
      "instance-b",
      { send: async (r) => (sent.push({ conversationId: r.conversationId, atMs: clock.now().getTime() }), { activityId: "b" }), update: async () => {} },
      clock,
    );
    // b polls every 10 s, as an idle instance does.
    for (let t = 0; t <= seconds(60) && sent.length < 2; t += outboxPolicy.pollMs) {
      clock.set(new Date(now.getTime() + t));
      await b.tick();
    }
    expect(sent).toHaveLength(2);
    // The lease (20 s) plus at most one idle poll (10 s); the second send waits its turn at the rate.
    for (const s of sent) expect(s.atMs - now.getTime()).toBeLessThanOrEqual(seconds(31));
    expect(outboxPolicy.leaseMs + outboxPolicy.pollMs).toBeLessThanOrEqual(seconds(30));
  });
}
