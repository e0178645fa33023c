/**
 * Issue 14: the outbox shared by instances, in virtual time. Two dispatchers on one store and one
 * Bot Connector double that enforces Teams' limits (counting in the same virtual time) share the
 * per-app rate; a dead instance's share and claims return; a stop hands back at once; an idle
 * instance costs one outbox query per 10 s. Nothing here sleeps for real or reads the machine's
 * clock: every sleep, the injected clock, the limiters and the double move together.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { movableClock, type MovableClock } from "../../test-support/movableClock.js";
import { connectorChannel, LocalConnector } from "../../test-support/localConnector.js";
import { seedFanoutWorld, type FanoutWorld } from "../../test-support/fanoutWorld.js";
import { silentLogger } from "../logger.js";
import { openSqliteStore } from "../store/sqlite/sqliteStore.js";
import type { Store } from "../store/store.js";
import type { ProactiveChannel } from "../teams/platform.js";
import type { AdaptiveCard } from "../cards/card.js";
import { OutboxDispatcher } from "./dispatcher.js";
import { outboxPolicy } from "./outboxPolicy.js";
import { RateLimiter, teamsGlobalRps } from "./rateLimiter.js";
import { WeeklyScheduler } from "./weeklyScheduler.js";
import { BotWorker } from "./worker.js";

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const monday = "2026-11-30T07:00:00.000Z";
const second = 1000;

/** Virtual time: sleeps wait for `advance`, which runs every timer due in order. */
class VirtualTime {
  now = 0;
  private timers: { at: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;
  constructor(readonly clock: MovableClock) {}

  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.timers.push({ at: this.now + Math.max(0, ms), seq: this.seq++, resolve });
    });

  /** Lets everything that can run without time passing run (the store is synchronous underneath). */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  }

  /** Moves time to the next timer (and runs it); false when none is left or `until` is reached. */
  async step(until: number): Promise<boolean> {
    await this.settle();
    if (this.timers.length === 0) return false;
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const at = this.timers[0]!.at;
    if (at > until) return false;
    this.set(Math.max(this.now, at));
    while (this.timers.length && this.timers[0]!.at <= this.now) this.timers.shift()!.resolve();
    await this.settle();
    return true;
  }

  /** Runs timers until `done` holds or `ms` of virtual time have passed. */
  async runUntil(done: () => boolean | Promise<boolean>, ms: number): Promise<void> {
    const until = this.now + ms;
    while (!(await done())) {
      if (!(await this.step(until))) {
        this.set(until);
        await this.settle();
        return;
      }
    }
  }

  private set(t: number): void {
    this.clock.advance(t - this.now);
    this.now = t;
  }
}

const card = (text: string): AdaptiveCard => ({ type: "AdaptiveCard", $schema: "x", version: "1.5", body: [{ type: "TextBlock", text }] });

/** A store that counts outbox queries and can freeze (a process that died: nothing it asks for ever answers). */
function instrumented(store: Store) {
  const counts = { claimDue: 0 };
  let frozen = false;
  const proxy: Store = new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== "function") return v;
      return (...args: unknown[]) => {
        if (frozen) return new Promise(() => {});
        if (prop === "claimDue") counts.claimDue++;
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, counts, freeze: () => (frozen = true), frozen: () => frozen };
}

async function world(n: number) {
  const dir = mkdtempSync(join(tmpdir(), "ectsp-shared-outbox-"));
  const clock = movableClock(monday);
  const vt = new VirtualTime(clock);
  const store = openSqliteStore(join(dir, "s.sqlite"), { clock });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => store.close());
  const connector = new LocalConnector({ enforceLimits: true, now: () => vt.now });
  const fanout: FanoutWorld | undefined = n > 0 ? await seedFanoutWorld(store, n, "http://connector.invalid/", clock.now()) : undefined;
  const instance = (instanceId: string, channel: ProactiveChannel = connectorChannel(connector)) => {
    const s = instrumented(store);
    // A frozen (dead) instance sends nothing more either.
    const dies: ProactiveChannel = {
      send: (r, m) => (s.frozen() ? new Promise(() => {}) : channel.send(r, m)),
      update: (r, id, m) => (s.frozen() ? new Promise(() => {}) : channel.update(r, id, m)),
    };
    const dispatcher = new OutboxDispatcher({
      store: s.store,
      renderer: { forOutbox: async (m) => card(`Week ${String(m.data.week ?? "")} check-in ${m.recipientId}`) },
      channel: dies,
      clock,
      instanceId,
      logger: silentLogger,
      limiter: new RateLimiter({ now: () => vt.now }),
      sleep: vt.sleep,
    });
    cleanups.push(() => {
      s.freeze(); // whatever it still awaits never resumes against a closed store
    });
    return { dispatcher, ...s };
  };
  return { store, clock, vt, connector, fanout, instance };
}

/** Check-in prompts per conversation, as the double received them. */
const perConversation = (connector: LocalConnector) => {
  const counts = new Map<string, number>();
  for (const a of connector.sent()) counts.set(a.conversationId, (counts.get(a.conversationId) ?? 0) + 1);
  return counts;
};

describe("two instances sharing one outbox and the per-app limit", () => {
  it("deliver 2,000 check-ins exactly once each, and the double never sees more than 50 in any second", async () => {
    const N = 2000;
    const w = await world(N);
    const scheduler = new WeeklyScheduler({ store: w.store, clock: w.clock, instanceId: "scheduler", logger: silentLogger });
    expect((await scheduler.tick()).checkInsOpened).toBe(N);

    const a = w.instance("instance-a");
    const b = w.instance("instance-b");
    a.dispatcher.start();
    // b joins once a is sending at the whole rate.
    await w.vt.runUntil(() => w.connector.sent().length >= 100, 10 * second);
    expect(a.dispatcher.liveInstances).toBe(1);
    b.dispatcher.start();
    await w.vt.runUntil(() => w.connector.sent().length >= N, 200 * second);
    await Promise.all([a.dispatcher.stop(), b.dispatcher.stop(), w.vt.runUntil(() => false, 10 * second)]);

    const counts = perConversation(w.connector);
    expect(counts.size).toBe(N);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    for (const personId of w.fanout!.ectPersonIds) expect(counts.get(w.fanout!.conversationOf(personId))).toBe(1);
    expect((await w.store.listOutbox({ status: "pending" })).filter((m) => m.kind === "checkin_prompt")).toEqual([]);
    // The limit, counted by the double in its own (virtual) time: never over, never refused.
    expect(w.connector.maxAcceptedIn(second)).toBeLessThanOrEqual(teamsGlobalRps);
    expect(w.connector.limitViolations).toBe(0);
    // Both sent a fair part once b had joined, and they did share: neither alone could reach 2,000 this fast.
    const byInstance = (await w.store.listOutbox({ status: "sent" })).reduce(
      (m, x) => m.set(x.claimedBy!, (m.get(x.claimedBy!) ?? 0) + 1),
      new Map<string, number>(),
    );
    expect(byInstance.get("instance-b")).toBeGreaterThan(N / 4);
    const span = (w.connector.sent().at(-1)!.at - w.connector.sent()[0]!.at) / second;
    expect(N / span).toBeGreaterThan(0.85 * teamsGlobalRps);
  }, 60_000);

  it("when one instance stops heartbeating, the other takes the whole rate within a minute, and sends its claims within ~30 s", async () => {
    const N = 2000;
    const w = await world(N);
    await new WeeklyScheduler({ store: w.store, clock: w.clock, instanceId: "scheduler", logger: silentLogger }).tick();
    const a = w.instance("instance-a");
    const b = w.instance("instance-b");
    await a.dispatcher.heartbeat();
    await b.dispatcher.heartbeat(); // b joined second: it waits for a to make room
    await a.dispatcher.heartbeat();
    expect(a.dispatcher.liveInstances).toBe(2);
    a.dispatcher.start();
    b.dispatcher.start();
    await w.vt.runUntil(() => w.connector.sent().length >= 600, 120 * second);
    expect(a.dispatcher.liveInstances).toBe(2);
    expect(a.dispatcher.limiter.targetRps).toBeLessThan(teamsGlobalRps / 2 + 1);

    // b dies: it never answers, renews or hands back again.
    b.freeze();
    const diedAt = w.vt.now;
    const stranded = (await w.store.listOutbox({ status: "pending" })).filter((m) => m.claimedBy === "instance-b").map((m) => m.id);
    expect(stranded.length).toBeGreaterThan(0);
    await w.vt.runUntil(() => a.dispatcher.liveInstances === 1, 60 * second);
    expect(a.dispatcher.liveInstances).toBe(1);
    expect(w.vt.now - diedAt).toBeLessThanOrEqual(60 * second);
    expect(a.dispatcher.limiter.targetRps).toBeGreaterThan(0.9 * teamsGlobalRps);
    const tookOverAt = w.vt.now;

    await w.vt.runUntil(() => w.connector.sent().length >= N, 120 * second);
    await Promise.all([a.dispatcher.stop(), w.vt.runUntil(() => false, 10 * second)]);
    // b's stranded claims went out (from a) within ~30 s of its death: the lease, then a's next claim.
    const sent = new Map((await w.store.listOutbox({ status: "sent" })).map((m) => [m.id, m]));
    for (const id of stranded) {
      const m = sent.get(id)!;
      expect(m.claimedBy).toBe("instance-a");
      expect(Date.parse(m.sentAt!) - (Date.parse(monday) + diedAt)).toBeLessThanOrEqual(32 * second);
    }
    expect(perConversation(w.connector).size).toBe(N);
    expect([...perConversation(w.connector).values()].every((c) => c === 1)).toBe(true);
    expect(w.connector.maxAcceptedIn(second)).toBeLessThanOrEqual(teamsGlobalRps);
    // After the takeover (and the sends booked before it) a alone runs near the whole limit.
    const late = w.connector.sent().filter((x) => x.at > tookOverAt + outboxPolicy.claimWindowMs);
    expect(late.length).toBeGreaterThan(100);
    expect((late.length - 1) / ((late.at(-1)!.at - late[0]!.at) / second)).toBeGreaterThan(0.9 * teamsGlobalRps);
  }, 60_000);

  it("a stop hands back its claims at once (the other takes them before the lease ends) and returns within 10 s", async () => {
    const N = 300;
    const w = await world(N);
    await new WeeklyScheduler({ store: w.store, clock: w.clock, instanceId: "scheduler", logger: silentLogger }).tick();
    // a's channel: every send takes 8 s to answer, as a backing-off Bot Connector might.
    const real = connectorChannel(w.connector);
    const slow: ProactiveChannel = { send: (r, m) => w.vt.sleep(8 * second).then(() => real.send(r, m)), update: (r, id, m) => real.update(r, id, m) };
    const a = w.instance("instance-a", slow);
    a.dispatcher.start();
    await w.vt.runUntil(async () => (await w.store.listOutbox({ status: "pending" })).some((m) => m.claimedBy === "instance-a"), 5 * second);
    const held = (await w.store.listOutbox({ status: "pending" })).filter((m) => m.claimedBy === "instance-a");
    expect(held.length).toBeGreaterThan(10);
    const leaseEnds = Math.min(...held.map((m) => Date.parse(m.claimedUntil!)));

    const stopAt = w.vt.now;
    let stopped = false;
    const stopping = a.dispatcher.stop().then(() => (stopped = true));
    await w.vt.runUntil(() => stopped, 15 * second);
    await stopping;
    expect(w.vt.now - stopAt).toBeLessThanOrEqual(10 * second);
    // What a had not put on the wire is claimable at once; what it had is sent, or its claim lapses.
    const stillHeld = (await w.store.listOutbox({ status: "pending" })).filter(
      (m) => m.claimedBy === "instance-a" && Date.parse(m.claimedUntil!) > w.clock.now().getTime(),
    );
    const b = w.instance("instance-b");
    expect(w.clock.now().getTime()).toBeLessThan(leaseEnds);
    let stats: Awaited<ReturnType<OutboxDispatcher["tick"]>> | undefined;
    void b.dispatcher.tick().then((x) => (stats = x)); // a retired: b is alone, no join delay
    await w.vt.runUntil(() => stats !== undefined, 30 * second);
    if (!stats) throw new Error("b's tick did not finish");
    expect(b.dispatcher.liveInstances).toBe(1);
    expect(stats.claimed).toBeGreaterThan(0);
    const taken = new Set((await w.store.listOutbox({})).filter((m) => m.claimedBy === "instance-b").map((m) => m.id));
    expect(held.filter((m) => taken.has(m.id)).length).toBeGreaterThanOrEqual(held.length - stillHeld.length - (N - held.length));
    expect(held.some((m) => taken.has(m.id))).toBe(true);
  }, 60_000);

  it("an idle instance queries the outbox at most once per 10 s, and an unreachable recipient's message is claimed at 0, 5 and 20 min — not every poll", async () => {
    const w = await world(0);
    const idle = w.instance("instance-idle");
    await w.store.enqueue([{ kind: "plan_shared", recipientId: "person-nobody", dedupeKey: "unreachable-1" }], w.clock.now());
    idle.dispatcher.start();
    const claimedAt: number[] = [];
    let lastAttempts = 0;
    const hour = 3_600 * second;
    for (let t = 0; t < hour; t += 30 * second) {
      await w.vt.runUntil(() => false, 30 * second);
      const [m] = await w.store.listOutbox({ recipientId: "person-nobody" });
      if (m!.attempts > lastAttempts) {
        lastAttempts = m!.attempts;
        claimedAt.push(w.vt.now / second);
      }
    }
    await Promise.all([idle.dispatcher.stop(), w.vt.runUntil(() => false, 10 * second)]);
    // Claimed at once, then 5 min later, then 15 min after that (seen at the end of each 30 s step).
    expect(claimedAt).toEqual([30, 5 * 60, 20 * 60]);
    // An hour idle: at most one outbox query per poll.
    expect(idle.counts.claimDue).toBeLessThanOrEqual(hour / outboxPolicy.pollMs + 1);
    expect(idle.counts.claimDue).toBeGreaterThan(hour / outboxPolicy.pollMs / 2);
  }, 60_000);

  it("the server's worker: the schedule wakes the sender at once, and a stop drains it within 10 s, handing back what it holds", async () => {
    const N = 400;
    const w = await world(N);
    const a = w.instance("instance-a");
    const worker = new BotWorker({
      dispatcher: a.dispatcher,
      scheduler: new WeeklyScheduler({ store: w.store, clock: w.clock, instanceId: "instance-a", logger: silentLogger }),
      logger: silentLogger,
      sleep: w.vt.sleep,
    });
    worker.start();
    // The schedule enqueues N prompts and wakes the sender: the first go out without waiting for a poll.
    await w.vt.runUntil(() => w.connector.sent().length >= 50, 5 * second);
    expect(w.connector.sent().length).toBeGreaterThanOrEqual(50);
    expect(w.vt.now).toBeLessThan(outboxPolicy.pollMs);
    const stopAt = w.vt.now;
    let stopped = false;
    void worker.stop().then(() => (stopped = true));
    await w.vt.runUntil(() => stopped, 15 * second);
    expect(stopped).toBe(true);
    expect(w.vt.now - stopAt).toBeLessThanOrEqual(10 * second);
    // Nothing is left claimed by the stopped instance, and its record no longer counts.
    expect((await w.store.listOutbox({ status: "pending" })).filter((m) => m.claimedBy === "instance-a")).toEqual([]);
    expect(await w.store.heartbeatInstance("instance-b", w.clock.now(), new Date(w.clock.now().getTime() + 30 * second))).toBe(1);
    const sentOnce = [...perConversation(w.connector).values()].every((c) => c === 1);
    expect(sentOnce).toBe(true);
  }, 60_000);
});
