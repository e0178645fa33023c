/**
 * Issue 14, the measured part: how close the senders come to the per-app ceiling, in virtual time,
 * and that no change in the live instances ever takes the pair over it. The Bot Connector double
 * counts in the same virtual time, so "over the limit" is what Teams would have refused.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { movableClock } from "../../test-support/movableClock.js";
import { connectorChannel, LocalConnector } from "../../test-support/localConnector.js";
import { seedFanoutWorld } from "../../test-support/fanoutWorld.js";
import { silentLogger } from "../logger.js";
import { openSqliteStore } from "../store/sqlite/sqliteStore.js";
import type { Store } from "../store/store.js";
import { DeliveryError, type ProactiveChannel } from "../teams/platform.js";
import { OutboxDispatcher, type DispatcherOptions } from "./dispatcher.js";
import { RateLimiter, teamsGlobalRps } from "./rateLimiter.js";
import { WeeklyScheduler } from "./weeklyScheduler.js";

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const second = 1000;

/** Virtual time: sleeps wait until `runUntil` moves time to them, in order. `lateMs` wakes each one late, as timers do. */
class VirtualTime {
  now = 0;
  private timers: { at: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;
  constructor(
    private readonly advance: (ms: number) => void = () => {},
    private readonly lateMs: () => number = () => 0,
  ) {}

  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => this.timers.push({ at: this.now + Math.max(0, ms) + this.lateMs(), seq: this.seq++, resolve }));

  private async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  }

  /** Runs timers until `done` holds or `ms` of virtual time have passed. */
  async runUntil(done: () => boolean, ms: number): Promise<void> {
    const until = this.now + ms;
    for (;;) {
      await this.settle();
      if (done()) return;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const at = this.timers[0]?.at;
      if (at === undefined || at > until) {
        this.set(until);
        await this.settle();
        return;
      }
      this.set(Math.max(this.now, at));
      while (this.timers.length && this.timers[0]!.at <= this.now) this.timers.shift()!.resolve();
    }
  }

  private set(t: number): void {
    this.advance(t - this.now);
    this.now = t;
  }
}

/** A store whose claims take `claimMs` of virtual time, as a SharePoint round trip does. */
function slowClaims(store: Store, vt: VirtualTime, claimMs: number): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== "function") return v;
      if (prop !== "claimDue") return (v as (...a: unknown[]) => unknown).bind(target);
      return async (...args: unknown[]) => {
        await vt.sleep(claimMs);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

async function world(n: number, claimMs = 0, wrap: (channel: ProactiveChannel, vt: VirtualTime) => ProactiveChannel = (c) => c) {
  const dir = mkdtempSync(join(tmpdir(), "ectsp-shared-rate-"));
  const clock = movableClock("2026-11-30T07:00:00.000Z");
  const vt = new VirtualTime((ms) => clock.advance(ms));
  const store = openSqliteStore(join(dir, "s.sqlite"), { clock });
  const stopped: OutboxDispatcher[] = [];
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => store.close());
  const connector = new LocalConnector({ enforceLimits: true, now: () => vt.now });
  const fanout = await seedFanoutWorld(store, n, "http://connector.invalid/", clock.now());
  await new WeeklyScheduler({ store, clock, instanceId: "scheduler", logger: silentLogger }).tick();
  const channel: ProactiveChannel = wrap(connectorChannel(connector), vt);
  const instance = (instanceId: string, options: Partial<DispatcherOptions> = {}) => {
    const dispatcher = new OutboxDispatcher({
      store: claimMs ? slowClaims(store, vt, claimMs) : store,
      renderer: { forOutbox: async (m) => ({ type: "AdaptiveCard", $schema: "x", version: "1.5", body: [{ type: "TextBlock", text: m.recipientId }] }) },
      channel,
      clock,
      instanceId,
      logger: silentLogger,
      limiter: new RateLimiter({ now: () => vt.now }),
      sleep: vt.sleep,
      ...options,
    });
    stopped.push(dispatcher);
    return dispatcher;
  };
  const stopAll = () => Promise.all([...stopped.map((d) => d.stop()), vt.runUntil(() => false, 10 * second)]);
  const rate = (from: number, to: number) => {
    const xs = connector.sent().filter((a) => a.at >= from && a.at <= to);
    return (xs.length - 1) / ((xs.at(-1)!.at - xs[0]!.at) / second);
  };
  const exactlyOnce = () => {
    const counts = new Map<string, number>();
    for (const a of connector.sent()) counts.set(a.conversationId, (counts.get(a.conversationId) ?? 0) + 1);
    return counts.size === n && [...counts.values()].every((c) => c === 1) && fanout.ectPersonIds.every((id) => counts.get(fanout.conversationOf(id)) === 1);
  };
  return { vt, connector, instance, stopAll, rate, exactlyOnce };
}

describe("the per-app ceiling", () => {
  it("one instance keeps ≥ 0.97 of it over a long fan-out, even when each claim takes a 250 ms store round trip", async () => {
    const N = 3000;
    const w = await world(N, 250);
    const a = w.instance("instance-a");
    a.start();
    await w.vt.runUntil(() => w.connector.sent().length >= N, 120 * second);
    await w.stopAll();
    expect(w.exactlyOnce()).toBe(true);
    expect(w.connector.limitViolations).toBe(0);
    expect(w.connector.maxAcceptedIn(second)).toBeLessThanOrEqual(teamsGlobalRps);
    expect(w.rate(0, Infinity) / teamsGlobalRps).toBeGreaterThanOrEqual(0.97);
  }, 60_000);

  it("two instances sharing it keep ≥ 0.97 of it between them while both send", async () => {
    const N = 3000;
    const w = await world(N, 250);
    const a = w.instance("instance-a");
    const b = w.instance("instance-b");
    a.start();
    b.start(); // joins second: waits until a has made room
    await w.vt.runUntil(() => w.connector.sent().length >= N, 120 * second);
    await w.stopAll();
    expect(w.exactlyOnce()).toBe(true);
    expect(w.connector.limitViolations).toBe(0);
    expect(w.connector.maxAcceptedIn(second)).toBeLessThanOrEqual(teamsGlobalRps);
    expect(a.liveInstances).toBe(2);
    // While both send: from b's first send until the last few seconds (one may run out first).
    const all = w.connector.sent();
    expect(a.totals.sent).toBeGreaterThan(N / 4);
    expect(b.totals.sent).toBeGreaterThan(N / 4);
    const bStarted = 15 * second; // b's join delay, at the earliest
    expect(w.rate(bStarted + 2 * second, all.at(-1)!.at - 3 * second) / teamsGlobalRps).toBeGreaterThanOrEqual(0.97);
  }, 60_000);

  it("is never exceeded in any 1 s while one instance joins, one leaves and comes back within the TTL, and a third joins and leaves", async () => {
    const N = 4000;
    const w = await world(N);
    const a = w.instance("instance-a");
    const b = w.instance("instance-b");
    a.start();
    await w.vt.runUntil(() => false, 10 * second);
    b.start(); // a believes it is alone until its next heartbeat: b waits that out
    await w.vt.runUntil(() => false, 30 * second);
    expect([a.liveInstances, b.liveInstances]).toEqual([2, 2]);
    await Promise.all([a.stop(), w.vt.runUntil(() => false, 10 * second)]); // leaves: b takes the whole rate
    expect(b.liveInstances).toBe(1);
    a.start(); // back within the TTL of its old record, which it retired: it joins again, and waits
    await w.vt.runUntil(() => false, 25 * second);
    expect([a.liveInstances, b.liveInstances]).toEqual([2, 2]);
    const c = w.instance("instance-c");
    c.start(); // a third
    await w.vt.runUntil(() => false, 25 * second);
    expect(a.liveInstances).toBe(3);
    await Promise.all([c.stop(), w.vt.runUntil(() => false, 10 * second)]);
    await w.vt.runUntil(() => w.connector.sent().length >= N, 200 * second);
    await w.stopAll();
    expect(w.exactlyOnce()).toBe(true);
    expect(w.connector.maxAcceptedIn(second)).toBeLessThanOrEqual(teamsGlobalRps);
    expect(w.connector.limitViolations).toBe(0);
    expect(c.totals.sent).toBeGreaterThan(0);
  }, 90_000);
});

describe("exactly once", () => {
  it("sends a message once when its answer comes after its lease ran out (the same instance's next claim takes it again)", async () => {
    const N = 100;
    let stuck: string | undefined;
    // The first send arrives at once but its answer takes 25 s: past the 15 s lease.
    const w = await world(N, 0, (channel, vt) => ({
      ...channel,
      async send(ref, message) {
        const sent = await channel.send(ref, message);
        if ((stuck ??= ref.conversationId) === ref.conversationId) await vt.sleep(25 * second);
        return sent;
      },
    }));
    const a = w.instance("instance-a");
    a.start();
    await w.vt.runUntil(() => false, 60 * second); // polls at 10, 20, 30 s... the stuck one is claimable from 15 s
    await w.stopAll();
    expect(w.connector.sent(stuck)).toHaveLength(1);
    expect(w.exactlyOnce()).toBe(true);
    expect(a.totals.sent).toBe(N);
  });

  it("sends a message once when a claim gave it back and a newer claim holds it as the old claim ends", async () => {
    // One sender. The first message fails (503) and goes back to the store, due in 30 s; the second
    // holds the sender 35 s. At 30 s a new claim takes the first again; it waits for the sender
    // until the old claim ends at 35 s, which must not hand it back: it went out at 35 s, and the
    // claim at 40 s would have sent it again (markSent found it unclaimed). Like the bench's duplicate.
    let first: string | undefined;
    const tries = new Map<string, number>();
    const w = await world(2, 0, (channel, vt) => ({
      ...channel,
      async send(ref, message) {
        const n = (tries.get(ref.conversationId) ?? 0) + 1;
        tries.set(ref.conversationId, n);
        if ((first ??= ref.conversationId) === ref.conversationId && n === 1) throw new DeliveryError("unavailable", 503, undefined);
        const sent = await channel.send(ref, message);
        if (ref.conversationId !== first) await vt.sleep(35 * second);
        return sent;
      },
    }));
    const a = w.instance("instance-a", { concurrency: 1, attemptsPerClaim: 1 });
    a.start();
    await w.vt.runUntil(() => false, 120 * second);
    await w.stopAll();
    expect(w.connector.sent(first)).toHaveLength(1);
    expect(w.exactlyOnce()).toBe(true);
  });
});

describe("the rate limiter's share", () => {
  it("stops counting a send that has had no answer for 2 s: a lost answer does not cut the share for good", () => {
    let t = 0;
    const limiter = new RateLimiter({ now: () => t });
    let first = true;
    const admitAll = () => {
      let admitted = 0;
      for (let i = 0; i < teamsGlobalRps; i++, t += 20) {
        const a = limiter.admit();
        if (typeof a === "number") break;
        admitted++;
        if (!first) a(); // the very first one never hears back
        first = false;
      }
      return admitted;
    };
    expect(admitAll()).toBe(teamsGlobalRps);
    t = 3 * second;
    expect(admitAll()).toBe(teamsGlobalRps);
  });

  /** Two limiters sharing the limit for 60 s, their sends woken late by `lateMs` and on the way for `latencyMs`. */
  async function twoSharing(lateMs: () => number, latencyMs: () => number = () => 0) {
    const vt = new VirtualTime(undefined, lateMs);
    const connector = new LocalConnector({ enforceLimits: true, now: () => vt.now });
    const limiters = [new RateLimiter({ now: () => vt.now }), new RateLimiter({ now: () => vt.now })];
    for (const l of limiters) l.shareWith(2);
    let stop = false;
    let id = 0;
    const sender = async (l: RateLimiter) => {
      while (!stop) {
        const conversation = `c-${id++}`;
        const wait = l.reserve(conversation);
        if (wait > 0) await vt.sleep(wait);
        let admitted = l.admit();
        for (; typeof admitted === "number"; admitted = l.admit()) await vt.sleep(admitted);
        const latency = latencyMs();
        if (latency > 0) await vt.sleep(latency);
        if (connector.receive("POST", conversation, "{}").status >= 400) throw new Error("refused");
        if (latency > 0) await vt.sleep(1); // the answer's way back
        admitted();
      }
    };
    const running = limiters.flatMap((l) => Array.from({ length: 16 }, () => sender(l)));
    await vt.runUntil(() => false, 60 * second);
    stop = true;
    await vt.runUntil(() => false, 5 * second);
    await Promise.all(running);
    const sent = connector.sent().filter((a) => a.at <= 60 * second);
    return { connector, rate: (sent.length - 1) / ((sent.at(-1)!.at - sent[0]!.at) / second) };
  }

  let seed = 1;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;

  it("adds up to ≥ 0.97 of the limit and never over it, with sends woken late", async () => {
    const { connector, rate } = await twoSharing(() => random() * 4);
    expect(connector.limitViolations).toBe(0);
    expect(connector.maxAcceptedIn(second)).toBeLessThanOrEqual(teamsGlobalRps);
    expect(rate / teamsGlobalRps).toBeGreaterThanOrEqual(0.97);
  });

  it("is never over it when sends are held up on their way (1 in 20 by up to 200 ms: a stalled process, the SDK's own retry)", async () => {
    const { connector, rate } = await twoSharing(
      () => random() * 4,
      () => 2 + (random() < 0.05 ? random() * 200 : random() * 3),
    );
    expect(connector.limitViolations).toBe(0);
    expect(connector.maxAcceptedIn(second)).toBeLessThanOrEqual(teamsGlobalRps);
    expect(rate / teamsGlobalRps).toBeGreaterThanOrEqual(0.9);
  });
});
