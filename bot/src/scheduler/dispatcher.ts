import { schoolDate, type OutboxMessage } from "@ectsp/shared";
import type { ConversationRef } from "../store/store.js";
import { isMutable } from "../cards/index.js";
import { DeliveryError } from "../teams/platform.js";
import { RateLimiter } from "./rateLimiter.js";
import { emptyStats, type DispatcherOptions, type DispatchStats } from "./dispatchOptions.js";
import { InstanceShare } from "./instanceShare.js";
import { RouteFinder } from "./routes.js";
import { SenderPool } from "./senderPool.js";
import { claimSize, hasFailedForGood, outboxPolicy, transientBackoffMs, transientRetryMs, unreachableRetryMs, type OutboxPolicy } from "./outboxPolicy.js";

export type { DispatcherOptions, DispatchStats, OutboxRenderer } from "./dispatchOptions.js";

/** Where a message goes: a bot conversation, or an AB's channel webhook. */
type Route = { ref: ConversationRef } | { webhookUrl: string; abId: string };

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A claimed message in the claim delivering it: waiting (safe to hand back), or on the wire (only
 * the answer tells). Keyed by message id, but a claim only ever ends or hands back its own entry:
 * a message it gave back may already be in a newer claim, which must keep it.
 */
interface Hold {
  state: "waiting" | "sending";
}

/** One claim being delivered. */
interface Claim {
  claimed: number;
  /** As many as asked for: more may be due. */
  full: boolean;
  /** Every message has a sender: time to claim the next, which is then in hand before this one runs dry. */
  picked: Promise<void>;
  done: Promise<DispatchStats>;
}

/**
 * Sends what the outbox holds. Each claim takes a few seconds' worth of due messages through the
 * store (a short lease, so several instances never send the same message and a crash strands
 * little), renders each card, sends it proactively at this instance's share of the rate Teams
 * allows, and marks it sent — or hands it back with a time to retry. 429s wait for their
 * Retry-After; 5xx back off exponentially with jitter, within what is left of the lease.
 *
 * The live instances share the per-app limit: each renews its record in the store and paces
 * itself to limit / (live instances). `start` runs the loop, which claims the next batch while the
 * current one is still sending; `stop` drains (see there).
 *
 * Delivery is once per dedupe key under normal operation and across restarts; the one window
 * that can repeat a message is a crash between the channel accepting it and `markSent` (the Bot
 * Connector has no idempotency key to close it).
 */
export class OutboxDispatcher {
  readonly limiter: RateLimiter;
  readonly policy: OutboxPolicy;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly attemptsPerClaim: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly routes: RouteFinder;
  private readonly senders: SenderPool;
  private readonly share: InstanceShare;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private beating: Promise<void> | undefined;
  /** Claims being made or delivered: a stop waits for them (and for a direct `tick`). */
  private readonly delivering = new Set<Promise<unknown>>();

  /** Everything sent, skipped, handed back... since this dispatcher was made (the bench reads it). */
  readonly totals: DispatchStats = emptyStats();
  private readonly held = new Map<string, Hold>();
  /** Wakes whatever the dispatcher is waiting on (a stop, or `wake`). */
  private readonly wakers = new Set<() => void>();

  constructor(private readonly o: DispatcherOptions) {
    this.limiter = o.limiter ?? new RateLimiter();
    this.policy = { ...outboxPolicy, ...o.policy, ...(o.maxClaims !== undefined ? { maxClaims: o.maxClaims } : {}) };
    this.leaseMs = o.leaseMs ?? this.policy.leaseMs;
    this.concurrency = o.concurrency ?? 64;
    this.attemptsPerClaim = o.attemptsPerClaim ?? 6;
    this.sleep = o.sleep ?? realSleep;
    this.routes = new RouteFinder(o);
    this.senders = new SenderPool(this.concurrency);
    this.share = new InstanceShare({ ...o, limiter: this.limiter, policy: this.policy });
  }

  /** How many live instances this one last counted (itself included). */
  get liveInstances(): number {
    return this.limiter.sharedBy;
  }

  /** Renews this instance's record and takes its share of the rate: limit / live instances. */
  heartbeat(): Promise<number> {
    return this.share.heartbeat();
  }

  /** Claims one batch of due messages and delivers it. */
  async tick(): Promise<DispatchStats> {
    const claim = await this.claim();
    return claim ? await claim.done : emptyStats();
  }

  /** Claims a batch and starts delivering it (undefined: nothing claimed, as stopping or still joining). */
  private claim(): Promise<Claim | undefined> {
    return this.track(this.claimNext());
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.delivering.add(p);
    const untrack = () => this.delivering.delete(p);
    p.then(untrack, untrack);
    return p;
  }

  private async claimNext(): Promise<Claim | undefined> {
    if (this.stopping) return undefined;
    await this.share.heartbeatIfDue();
    const now = this.o.clock.now();
    if (now.getTime() < this.share.sendFromMs || this.stopping) return undefined;
    const limit = this.o.batchSize ?? claimSize(this.limiter.targetRps, this.policy);
    this.senders.resize(Math.min(this.concurrency, limit));
    const claimed = await this.o.store.claimDue({ instanceId: this.o.instanceId, now, leaseMs: this.leaseMs, limit });
    // One this instance is still delivering (its lease ran out while it was on the wire) stays with
    // that delivery: sending it again here would deliver it twice. This claim just renewed its lease.
    const batch = claimed.filter((m) => !this.held.has(m.id));
    const stats = emptyStats();
    stats.claimed = batch.length;
    let picked!: () => void;
    const allPicked = new Promise<void>((resolve) => (picked = resolve));
    const done = this.deliverClaim(batch, stats, picked).finally(() => {
      picked();
      for (const k of Object.keys(stats) as (keyof DispatchStats)[]) this.totals[k] += stats[k];
    });
    void this.track(done).catch(() => {}); // logged by whoever awaits it
    return { claimed: batch.length, full: claimed.length > 0 && claimed.length >= limit, picked: allPicked, done };
  }

  private async deliverClaim(batch: OutboxMessage[], stats: DispatchStats, picked: () => void): Promise<DispatchStats> {
    if (batch.length === 0) return stats;
    // The lease in the limiter's time: no send starts within the margin of its end.
    const deadline = this.limiter.now() + this.leaseMs - this.policy.leaseMarginMs;
    const holds = new Map<string, Hold>(batch.map((m) => [m.id, { state: "waiting" }]));
    for (const [id, hold] of holds) this.held.set(id, hold);
    const sends: Promise<void>[] = [];
    try {
      for (const m of batch) {
        if (this.stopping || !(await this.senders.acquire())) break;
        if (this.stopping) {
          this.senders.release();
          break;
        }
        sends.push(this.deliver(m, holds.get(m.id)!, stats, deadline).finally(() => this.senders.release()));
      }
      picked();
      await Promise.all(sends);
    } finally {
      // Whatever was not sent (a stop, the lease running low) goes back at once, not at lease end.
      const unsent = batch.filter((m) => this.held.get(m.id) === holds.get(m.id) && holds.get(m.id)!.state === "waiting").map((m) => m.id);
      for (const id of unsent) this.held.delete(id);
      if (unsent.length) stats.handedBack += await this.handBack(unsent);
    }
    return stats;
  }

  private async handBack(ids: string[]): Promise<number> {
    try {
      return await this.o.store.releaseClaims(this.o.instanceId, ids);
    } catch (error) {
      // Their claims lapse instead: another instance takes them after the (short) lease.
      this.o.logger.warn("handing back claims failed", { count: ids.length, error: error instanceof Error ? error.name : "unknown" });
      return 0;
    }
  }

  /** Ticks until nothing is due (tests and the bench; `start` runs the loop on its own). */
  async drain(maxTicks = 10_000): Promise<DispatchStats> {
    const total = emptyStats();
    for (let i = 0; i < maxTicks; i++) {
      const s = await this.tick();
      for (const k of Object.keys(total) as (keyof DispatchStats)[]) total[k] += s[k];
      if (s.claimed === 0) break;
    }
    return total;
  }

  /**
   * Runs until `stop`: claims the next batch as soon as every message of a full claim has a
   * sender (so the store round trip overlaps the sending), and otherwise looks again after
   * `pollMs` (an idle instance queries the outbox once per poll). Renews its record on its own
   * beat, whatever the sends are waiting for, so the others learn of it within `heartbeatEveryMs`.
   */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.beating = this.beat();
    this.loop = this.run();
  }

  /** Looks for due messages now (new ones were enqueued here). */
  wake(): void {
    for (const w of [...this.wakers]) w();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let busy = false;
      try {
        const claim = await this.claim();
        busy = claim?.full ?? false;
        if (claim)
          claim.done.catch((error: unknown) => this.o.logger.error("outbox delivery failed", { error: error instanceof Error ? error.name : "unknown" }));
        if (claim && busy) await claim.picked;
      } catch (error) {
        this.o.logger.error("outbox tick failed", { error: error instanceof Error ? error.name : "unknown" });
      }
      if (this.stopping) break;
      if (busy) continue;
      const nowMs = this.o.clock.now().getTime();
      await this.pause(this.share.sendFromMs > nowMs ? Math.min(this.policy.pollMs, this.share.sendFromMs - nowMs) : this.policy.pollMs);
    }
  }

  private async beat(): Promise<void> {
    while (!this.stopping) {
      await this.share.heartbeatIfDue().catch(() => {}); // logged there; the claims see the same store
      await this.pause(Math.max(1, this.share.dueInMs()));
    }
  }

  /** Sleeps `ms`, or less if woken (a stop, or `wake`). */
  private async pause(ms: number): Promise<void> {
    if (this.stopping) return;
    let waker: (() => void) | undefined;
    const woken = new Promise<void>((resolve) => (waker = resolve));
    this.wakers.add(waker!);
    try {
      await Promise.race([this.sleep(ms), woken]);
    } finally {
      this.wakers.delete(waker!);
    }
  }

  /**
   * Drains within `stopGraceMs` and a store round trip: claims nothing more, wakes every send
   * that is waiting (for the limiter or a backoff) so it hands its message back unsent, gives
   * sends already on the wire the grace to finish (then abandons them: their claims lapse, as
   * they may have arrived), hands back every claim not sent so another instance can take it at
   * once, and retires this instance's record so the others take its share.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    this.senders.refuseWaiting();
    // Retire only once the beat has ended: a renewal landing after it would count this instance again.
    const inFlight = Promise.all([this.loop, this.beating, ...this.delivering]).then(() => true);
    const finished = await Promise.race([inFlight, this.sleep(this.policy.stopGraceMs).then(() => false)]);
    if (!finished) {
      const waiting = [...this.held].filter(([, h]) => h.state === "waiting").map(([id]) => id);
      for (const id of waiting) this.held.delete(id);
      if (waiting.length) await this.handBack(waiting);
      this.o.logger.warn("stopped with sends in flight", { abandoned: [...this.held.values()].filter((h) => h.state === "sending").length });
    }
    try {
      await this.o.store.retireInstance(this.o.instanceId, this.o.clock.now());
      this.share.retired();
    } catch (error) {
      this.o.logger.warn("retiring the instance failed", { error: error instanceof Error ? error.name : "unknown" });
    }
    this.loop = undefined;
    this.beating = undefined;
  }

  /** Whether a send may start now: not stopping, and enough of the lease left for it to finish. */
  private maySend(deadline: number, wait = 0): boolean {
    return !this.stopping && this.limiter.now() + wait <= deadline;
  }

  private async deliver(m: OutboxMessage, hold: Hold, stats: DispatchStats, deadline: number): Promise<void> {
    const { store, instanceId, clock, logger } = this.o;
    const log = { messageId: m.id, kind: m.kind, ...(m.planId ? { planId: m.planId } : {}) };
    const done = () => this.held.get(m.id) === hold && this.held.delete(m.id);
    try {
      if (isMutable(m.kind) && (await store.listReminderMutes(m.recipientId)).includes(m.kind)) {
        stats.skipped++;
        await store.markSent(m.id, instanceId, clock.now());
        done();
        return;
      }
      const found = await this.routes.target(m);
      let route: Route | undefined = found.ref ? { ref: found.ref } : found.webhook ? { webhookUrl: found.webhook.url, abId: found.webhook.abId } : undefined;
      if (!route) {
        if (this.stopping) return; // handed back unsent
        try {
          const installed = await this.routes.installFor(found.person);
          if (installed) route = { ref: installed };
        } catch (error) {
          const e = error instanceof DeliveryError ? error : new DeliveryError("installing the app failed", undefined, undefined);
          logger.warn("installing the app failed", { ...log, status: e.status });
          // Throttled or down: soon. Refused (e.g. permission not granted yet): as if not installed.
          await this.giveBack(m, e.message, e.transient ? transientRetryMs(m.attempts, e.retryAfterMs) : this.unreachableRetry(m), stats);
          done();
          return;
        }
      }
      if (!route) {
        // Not installed yet: minutes, then hours (outboxPolicy), for about a week.
        await this.giveBack(m, "No conversation with the recipient yet (the app is not installed for them)", this.unreachableRetry(m), stats);
        done();
        return;
      }
      const key = "ref" in route ? route.ref.conversationId : `webhook:${route.abId}`;
      const card = await this.o.renderer.forOutbox(m, schoolDate(clock.now()));
      if (!card) {
        stats.skipped++;
        await store.markSent(m.id, instanceId, clock.now());
        done();
        return;
      }
      for (let attempt = 0; ; attempt++) {
        const wait = this.limiter.reserve(key);
        // Past the lease (a long Retry-After): hand it back due when the wait ends, not sent late.
        if (!this.stopping && !this.maySend(deadline, wait)) {
          await this.giveBack(m, m.lastError ?? "Waiting for the rate limit", wait, stats, false);
          done();
          return;
        }
        if (wait > 0) await this.pause(wait);
        let admitted = this.limiter.admit();
        for (; typeof admitted === "number" && !this.stopping; admitted = this.limiter.admit()) await this.pause(admitted);
        const answered = typeof admitted === "number" ? () => {} : admitted;
        // The last check before the wire, with no await after it: once stopping, nothing new goes out.
        if (!this.maySend(deadline)) {
          answered(); // it never left
          if (this.stopping) return; // handed back unsent by the tick (or the stop)
          await this.giveBack(m, m.lastError ?? "Waiting for the rate limit", 0, stats, false);
          done();
          return;
        }
        hold.state = "sending";
        try {
          let activityId = "";
          let conversationId = "";
          try {
            if ("ref" in route) {
              ({ activityId } = await this.o.channel.send(route.ref, { card }));
              conversationId = route.ref.conversationId;
            } else {
              await this.o.webhook!.post(route.webhookUrl, card);
            }
          } finally {
            answered();
          }
          const now = clock.now();
          if (activityId) {
            await store.recordSentCard({
              outboxId: m.id,
              kind: m.kind,
              recipientId: m.recipientId,
              ...(m.planId ? { planId: m.planId } : {}),
              conversationId,
              activityId,
              sentAt: now.toISOString(),
            });
          }
          await store.markSent(m.id, instanceId, now);
          stats.sent++;
          done();
          return;
        } catch (error) {
          const e = error instanceof DeliveryError ? error : new DeliveryError(error instanceof Error ? error.message : "send failed", undefined, undefined);
          if (!e.transient) {
            stats.failed++;
            logger.warn("message failed", { ...log, status: e.status });
            await store.markFailed(m.id, instanceId, e.message, clock.now());
            done();
            return;
          }
          const backoff = e.retryAfterMs ?? transientBackoffMs(attempt);
          if (e.status === 429) {
            stats.throttled++;
            this.limiter.pause(key, backoff);
          }
          // Out of tries, out of lease, or stopping: back to the store, due when the backoff ends.
          if (attempt + 1 >= this.attemptsPerClaim || !this.maySend(deadline, backoff)) {
            await this.giveBack(m, e.message, attempt + 1 >= this.attemptsPerClaim ? transientRetryMs(m.attempts, e.retryAfterMs) : backoff, stats);
            done();
            return;
          }
          hold.state = "waiting";
          if (e.status !== 429) await this.pause(backoff);
        }
      }
    } catch (error) {
      // Rendering or the store failed: leave the claim to lapse so the message is tried again.
      done(); // not handed back: the short lease spaces the next try
      stats.retryLater++;
      logger.error("dispatch failed", { ...log, error: error instanceof Error ? error.name : "unknown" });
    }
  }

  private unreachableRetry(m: OutboxMessage): number {
    return unreachableRetryMs(m.attempts, this.policy, this.o.noConversationRetryMs);
  }

  /**
   * Back to the store, due again `afterMs` from now — or failed for good when it has been tried
   * often enough (`counts`: false for a hand-back that was no try at all, e.g. the lease ran low).
   */
  private async giveBack(m: OutboxMessage, reason: string, afterMs: number, stats: DispatchStats, counts = true): Promise<void> {
    const now = this.o.clock.now();
    if (counts && hasFailedForGood(m, this.policy)) {
      stats.failed++;
      await this.o.store.markFailed(m.id, this.o.instanceId, reason, now);
      return;
    }
    if (counts) stats.retryLater++;
    else stats.handedBack++;
    await this.o.store.markFailed(m.id, this.o.instanceId, reason, now, new Date(now.getTime() + afterMs));
  }
}
