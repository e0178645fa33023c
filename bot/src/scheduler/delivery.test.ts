/**
 * The weekly fan-out and the sender: through the real botbuilder channel to a local Bot
 * Connector service, across a crash and restart, through a 429 storm, and (with a fake clock)
 * within Teams' rate limits.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startTestServer } from "../../test-support/testServer.js";
import { movableClock } from "../../test-support/movableClock.js";
import { LocalConnector } from "../../test-support/localConnector.js";
import { seedFanoutWorld } from "../../test-support/fanoutWorld.js";
import { cardOf, textOf } from "../../test-support/botClient.js";
import { silentLogger } from "../logger.js";
import { openSqliteStore } from "../store/sqlite/sqliteStore.js";
import { DeliveryError, type ProactiveChannel } from "../teams/platform.js";
import { OutboxDispatcher } from "./dispatcher.js";
import { RateLimiter, teamsPerConversation } from "./rateLimiter.js";
import { isoWeek, planWeek } from "./weeklyScheduler.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const waitFor = async (cond: () => boolean | Promise<boolean>, ms = 60_000) => {
  const until = performance.now() + ms;
  while (!(await cond())) {
    if (performance.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** Each conversation's check-in cards, by count: exactly once means every value is 1. */
const checkInsPerConversation = (connector: LocalConnector) => {
  const counts = new Map<string, number>();
  for (const a of connector.sent()) {
    if (textOf(cardOf(a.activity)).includes("check-in")) counts.set(a.conversationId, (counts.get(a.conversationId) ?? 0) + 1);
  }
  return counts;
};

// The scheduler and the sender on a Monday morning a school year apart, and in a leap year: the
// stores, the scheduler and the dispatcher all read the one injected clock, never today's date.
const mondays = ["2026-11-30T07:00:00Z", "2027-11-29T07:00:00Z", "2028-11-27T07:00:00Z"];
// These run a few thousand real HTTP sends; on a loaded 2-core machine that takes tens of seconds.
const fanOutTimeout = 180_000;

describe.each(mondays)("weekly fan-out on %s", (monday) => {
  it(
    "restart mid-fan-out: the schedule crashes part-way, the sender dies mid-batch, another instance finishes — no check-in lost or sent twice",
    async () => {
      const N = 150;
      const connector = new LocalConnector({ enforceLimits: true });
      await connector.start();
      cleanups.push(() => connector.stop());
      const dataDir = mkdtempSync(join(tmpdir(), "ectsp-fanout-"));
      cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
      const clock = movableClock(monday);

      // Instance 1: its sender "dies" (never hears back) after 40 messages.
      let delivered = 0;
      const first = await startTestServer({
        dataDir,
        seed: false,
        clock,
        env: { INSTANCE_ID: "instance-1" },
        botOverrides: {
          channel: (real): ProactiveChannel => ({
            send: (ref, m) => (delivered++ < 40 ? real.send(ref, m) : new Promise(() => {})),
            update: (ref, id, m) => real.update(ref, id, m),
          }),
        },
      });
      const world = await seedFanoutWorld(first.store, N, connector.url, clock.now());

      // The schedule crashes after 60 plans (the process died while enqueueing).
      const today = clock.now().toISOString().slice(0, 10);
      await expect(
        first.app.bot.scheduler.run(today, clock.now(), { ran: true, plans: 0, checkInsOpened: 0, messages: 0 }, (i) => {
          if (i === 60) throw new Error("crash");
        }),
      ).rejects.toThrow("crash");
      expect(await first.store.listCheckIns({ status: "open" })).toHaveLength(60);

      void first.app.bot.dispatcher.tick(); // hangs after 40 sends, like a dead process
      await waitFor(async () => (await first.store.listOutbox({ status: "sent" })).length === 40);
      await first.stop({ keepData: true });

      // Instance 2 starts on the same data; leases lapse; the schedule runs again.
      clock.advance(61 * 60_000);
      const second = await startTestServer({ dataDir, seed: false, clock, env: { INSTANCE_ID: "instance-2" } });
      cleanups.push(() => second.stop({ keepData: true }));
      const stats = await second.app.bot.scheduler.tick();
      expect(stats.ran).toBe(true);
      expect(stats.checkInsOpened).toBe(N - 60);
      // A third instance at the same moment gets nothing to do.
      expect((await second.app.bot.scheduler.tick()).ran).toBe(false);
      await second.app.bot.dispatcher.drain();

      const counts = checkInsPerConversation(connector);
      expect(counts.size).toBe(N);
      expect([...counts.values()].every((c) => c === 1)).toBe(true);
      for (const personId of world.ectPersonIds) expect(counts.get(world.conversationOf(personId))).toBe(1);
      expect(await second.store.listCheckIns({ status: "open" })).toHaveLength(N);
      const prompts = (await second.store.listOutbox({})).filter((m) => m.kind === "checkin_prompt");
      expect(prompts).toHaveLength(N);
      expect(prompts.every((m) => m.status === "sent")).toBe(true);
      // How close the sender runs to the ceiling (and how few 429s it draws) depends on the machine's
      // load, so it is measured by `npm run bench` (botBench), not asserted here; what a user notices —
      // every check-in arrives, once — is asserted above.

      // Next day: the schedule runs again and sends nothing new for this week.
      clock.advance(24 * 3_600_000);
      await second.app.bot.scheduler.tick();
      await second.app.bot.dispatcher.drain();
      expect(checkInsPerConversation(connector).size).toBe(N);
      expect([...checkInsPerConversation(connector).values()].every((c) => c === 1)).toBe(true);
    },
    fanOutTimeout,
  );

  it(
    "429 storm: every message still arrives, exactly once",
    async () => {
      const N = 60;
      const connector = new LocalConnector();
      await connector.start();
      cleanups.push(() => connector.stop());
      const clock = movableClock(monday);
      const server = await startTestServer({ seed: false, clock });
      cleanups.push(() => server.stop());
      await seedFanoutWorld(server.store, N, connector.url, clock.now());
      expect((await server.app.bot.scheduler.tick()).checkInsOpened).toBe(N);

      let refused = 0;
      connector.failNext(20, 429, 0); // a burst of refusals
      connector.failEveryNth(3, 429, 1); // then one in three throttled, asking for a second's pause
      // Messages the sender handed back to the store come due again as time passes.
      for (let round = 0; round < 10; round++) {
        refused += (await server.app.bot.dispatcher.drain()).throttled;
        if ((await server.store.listOutbox({ status: "pending" })).length === 0) break;
        clock.advance(60_000);
      }
      connector.failEveryNth(undefined);
      expect(connector.sent().filter((a) => JSON.stringify(a.activity).includes("Sorry"))).toEqual([]);

      const counts = checkInsPerConversation(connector);
      expect(counts.size).toBe(N);
      expect([...counts.values()].every((c) => c === 1)).toBe(true);
      expect((await server.store.listOutbox({ status: "pending" })).filter((m) => m.kind === "checkin_prompt")).toEqual([]);
      // Some 429s outlasted botbuilder's own retries and reached the sender, which waited and retried.
      expect(refused).toBeGreaterThan(0);
    },
    fanOutTimeout,
  );
});

describe("the sender", () => {
  const ref = (id: string) => ({ conversationId: id, serviceUrl: "http://x/", channelId: "msteams", reference: {}, updatedAt: "2026-11-30T07:00:00.000Z" });

  async function dispatcherWith(channel: ProactiveChannel, n: number, options: { sleep?: (ms: number) => Promise<void>; limiter?: RateLimiter } = {}) {
    const dir = mkdtempSync(join(tmpdir(), "ectsp-sender-"));
    const now = new Date("2026-11-30T07:00:00Z");
    const store = openSqliteStore(join(dir, "s.sqlite"), { clock: { now: () => now } });
    cleanups.push(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const world = await seedFanoutWorld(store, n, "http://x/", now);
    await store.enqueue(
      world.ectPersonIds.map((id, i) => ({ kind: "plan_agreed", recipientId: id, planId: world.planIds[i]!, dedupeKey: `agreed:${i}` })),
      now,
    );
    const dispatcher = new OutboxDispatcher({
      store,
      renderer: { forOutbox: async () => ({ type: "AdaptiveCard", $schema: "x", version: "1.5", body: [] }) },
      channel,
      clock: { now: () => now },
      instanceId: "i-1",
      logger: silentLogger,
      sleep: options.sleep ?? (async () => {}),
      ...(options.limiter ? { limiter: options.limiter } : {}),
    });
    return { store, dispatcher };
  }

  it("waits out a 429's Retry-After, backs off on 5xx, and gives a message back to the store when it keeps failing", async () => {
    const attempts = new Map<string, number>();
    const slept: number[] = [];
    const channel: ProactiveChannel = {
      async send(r) {
        const n = (attempts.get(r.conversationId) ?? 0) + 1;
        attempts.set(r.conversationId, n);
        if (r.conversationId.endsWith("-0") && n <= 2) throw new DeliveryError("throttled", 429, 2_000);
        if (r.conversationId.endsWith("-1") && n <= 1) throw new DeliveryError("bad gateway", 502, undefined);
        if (r.conversationId.endsWith("-2")) throw new DeliveryError("unavailable", 503, undefined);
        if (r.conversationId.endsWith("-3")) throw new DeliveryError("forbidden", 403, undefined);
        return { activityId: `a-${r.conversationId}` };
      },
      async update() {},
    };
    let fakeNow = 0;
    const sleepers: { until: number; resolve: () => void }[] = [];
    const limiter = new RateLimiter({ now: () => fakeNow });
    const { store, dispatcher } = await dispatcherWith(channel, 5, {
      limiter,
      // Sends wait side by side, as real timers do: each sleep ends `ms` after it began, and the
      // earliest to end wakes first (below). Adding every sleep up, as if they ran one after
      // another, could use up the lease with the backoffs' random jitter: the test failed now and then.
      sleep: (ms) =>
        new Promise<void>((resolve) => {
          slept.push(ms);
          sleepers.push({ until: fakeNow + ms, resolve });
        }),
    });
    const ticking = dispatcher.tick();
    let finished = false;
    void ticking.finally(() => (finished = true));
    while (!finished) {
      await new Promise((r) => setTimeout(r, 1)); // let every send reach its next wait
      sleepers.sort((a, b) => a.until - b.until);
      const next = sleepers.shift();
      if (!next) continue;
      fakeNow = Math.max(fakeNow, next.until);
      next.resolve();
    }
    const stats = await ticking;
    expect(stats).toMatchObject({ claimed: 5, sent: 3, throttled: 2, retryLater: 1, failed: 1 });
    expect(attempts.get("a:conv-person-fanout-ect-0")).toBe(3);
    expect(slept.some((ms) => ms >= 1_900)).toBe(true); // the Retry-After was respected
    const byRecipient = new Map((await store.listOutbox({})).map((m) => [m.recipientId, m]));
    expect(byRecipient.get("person-fanout-ect-2")).toMatchObject({ status: "pending", lastError: "unavailable" }); // back to the store, later
    expect(byRecipient.get("person-fanout-ect-3")).toMatchObject({ status: "failed" }); // 403: the user removed the app
    expect((await store.listSentCards({ planId: "plan-fanout-0" }))[0]).toMatchObject({ activityId: "a-a:conv-person-fanout-ect-0" });
  });

  it("keeps every conversation within Teams' per-thread limits and the app within 50 RPS (fake clock)", async () => {
    let fakeNow = 0;
    const times = new Map<string, number[]>();
    const all: number[] = [];
    const channel: ProactiveChannel = {
      async send(r) {
        (times.get(r.conversationId) ?? times.set(r.conversationId, []).get(r.conversationId)!).push(fakeNow);
        all.push(fakeNow);
        return { activityId: "x" };
      },
      async update() {},
    };
    const limiter = new RateLimiter({ now: () => fakeNow });
    // 70 messages to one conversation (an AB channel) and 400 to 400 different people.
    const sleepers: { until: number; resolve: () => void }[] = [];
    const sleep = (ms: number) => new Promise<void>((resolve) => sleepers.push({ until: fakeNow + ms, resolve }));
    const sends: Promise<void>[] = [];
    const go = async (conv: string) => {
      const wait = limiter.reserve(conv);
      if (wait > 0) await sleep(wait);
      await channel.send(ref(conv), {});
    };
    for (let i = 0; i < 70; i++) sends.push(go("channel"));
    for (let i = 0; i < 400; i++) sends.push(go(`p-${i}`));
    while (sleepers.length) {
      sleepers.sort((a, b) => a.until - b.until);
      const next = sleepers.shift()!;
      fakeNow = Math.max(fakeNow, next.until);
      next.resolve();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(sends);
    const maxIn = (xs: number[], windowMs: number) => {
      let best = 0;
      for (let i = 0, j = 0; i < xs.length; i++) {
        while (xs[i]! - xs[j]! >= windowMs) j++;
        best = Math.max(best, i - j + 1);
      }
      return best;
    };
    const channelTimes = times.get("channel")!;
    for (const w of teamsPerConversation) expect(maxIn(channelTimes, w.ms)).toBeLessThanOrEqual(w.max);
    const sorted = [...all].sort((a, b) => a - b);
    expect(maxIn(sorted, 1000)).toBeLessThanOrEqual(50);
    // ...while not wasting the ceiling: 400 one-off sends go at close to 50/s.
    const others = [...times.entries()]
      .filter(([k]) => k !== "channel")
      .flatMap(([, v]) => v)
      .sort((a, b) => a - b);
    const rate = (others.length - 1) / ((others.at(-1)! - others[0]!) / 1000);
    expect(rate).toBeGreaterThan(40);
  });
});

describe("calendar helpers", () => {
  it("isoWeek and planWeek", () => {
    expect(isoWeek("2026-11-30")).toBe("2026-W49");
    expect(isoWeek("2027-01-01")).toBe("2026-W53");
    expect(isoWeek("2026-01-01")).toBe("2026-W01");
    expect(planWeek({ startDate: "2026-11-02", weeks: Array.from({ length: 6 }, (_, i) => ({ week: i + 1 })) as never }, "2026-11-16")).toBe(3);
    expect(planWeek({ startDate: "2026-11-02", weeks: [] }, "2026-11-16")).toBeUndefined();
  });
});
