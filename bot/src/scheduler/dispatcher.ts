import { schoolDate, type OutboxMessage, type Person } from "@ectsp/shared";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { ConversationRef, Store } from "../store/store.js";
import { isMutable, type AdaptiveCard } from "../cards/index.js";
import { DeliveryError, type ProactiveChannel } from "../teams/platform.js";
import type { AppInstaller } from "../teams/installer.js";
import type { WebhookSender } from "../teams/webhookSender.js";
import { RateLimiter } from "./rateLimiter.js";
import {
  claimSize,
  hasFailedForGood,
  joinDelayMs,
  outboxPolicy,
  transientBackoffMs,
  transientRetryMs,
  unreachableRetryMs,
  type OutboxPolicy,
} from "./outboxPolicy.js";

/** Builds the card an outbox message sends (undefined: nothing to send any more). */
export interface OutboxRenderer {
  forOutbox(message: OutboxMessage, today: string): Promise<AdaptiveCard | undefined>;
}

export interface DispatcherOptions {
  store: Store;
  renderer: OutboxRenderer;
  channel: ProactiveChannel;
  clock: Clock;
  instanceId: string;
  logger: Logger;
  /** Paces sends; its `globalRps` is the per-app limit, which the live instances share. */
  limiter?: RateLimiter;
  /** How long a claim holds; another instance takes over a message whose sender died. */
  leaseMs?: number;
  /** A fixed claim size (default: a few seconds' work at this instance's share of the rate). */
  batchSize?: number;
  /** Sends in flight at once (they still go out at the limiter's pace). */
  concurrency?: number;
  /** Tries within one claim for throttling and transient errors before handing back to the store. */
  attemptsPerClaim?: number;
  /** After this many claims a message has failed for good. */
  maxClaims?: number;
  sleep?: (ms: number) => Promise<void>;
  /** The first wait when the recipient has no conversation with the bot yet (later ones follow outboxPolicy's ladder). */
  noConversationRetryMs?: number;
  /** Installs the app for a recipient who has no conversation with the bot (issue 6). */
  installer?: AppInstaller;
  /** Posts AB alerts to the AB's channel webhook when the bot cannot reach the AB (issue 6). */
  webhook?: WebhookSender;
  /** Overrides of outboxPolicy (tests and the bench). */
  policy?: Partial<OutboxPolicy>;
}

/** Where a message goes: a bot conversation, or an AB's channel webhook. */
type Route = { ref: ConversationRef } | { webhookUrl: string; abId: string };

export interface DispatchStats {
  claimed: number;
  sent: number;
  skipped: number;
  retryLater: number;
  failed: number;
  throttled: number;
  /** Claimed but not sent: handed straight back to the store (a stop, or the lease running out). */
  handedBack: number;
}

const emptyStats = (): DispatchStats => ({ claimed: 0, sent: 0, skipped: 0, retryLater: 0, failed: 0, throttled: 0, handedBack: 0 });
const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A claimed message: waiting (safe to hand back), or on the wire (only the answer tells). */
type Held = "waiting" | "sending";

/**
 * Sends what the outbox holds. Each tick claims a few seconds' worth of due messages through the
 * store (a short lease, so several instances never send the same message and a crash strands
 * little), renders each card, sends it proactively at this instance's share of the rate Teams
 * allows, and marks it sent — or hands it back with a time to retry. 429s wait for their
 * Retry-After; 5xx back off exponentially with jitter, within what is left of the lease.
 *
 * The live instances share the per-app limit: each renews its record in the store and paces
 * itself to limit / (live instances). `start` runs the loop; `stop` drains (see there).
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
  private lastHeartbeatMs: number | undefined;
  /** Clock ms before which this instance sends nothing: it joined while others were live. */
  private sendFromMs = 0;
  private lastClaimLimit = Infinity;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private ticking: Promise<unknown> | undefined;
  private readonly held = new Map<string, Held>();
  /** Wakes whatever the dispatcher is waiting on (a stop, or `wake`). */
  private readonly wakers = new Set<() => void>();

  constructor(private readonly o: DispatcherOptions) {
    this.limiter = o.limiter ?? new RateLimiter();
    this.policy = { ...outboxPolicy, ...o.policy, ...(o.maxClaims !== undefined ? { maxClaims: o.maxClaims } : {}) };
    this.leaseMs = o.leaseMs ?? this.policy.leaseMs;
    this.concurrency = o.concurrency ?? 64;
    this.attemptsPerClaim = o.attemptsPerClaim ?? 6;
    this.sleep = o.sleep ?? realSleep;
  }

  /** How many live instances this one last counted (itself included). */
  get liveInstances(): number {
    return this.limiter.sharedBy;
  }

  /** Renews this instance's record and takes its share of the rate: limit / live instances. */
  async heartbeat(): Promise<number> {
    const now = this.o.clock.now();
    const live = await this.o.store.heartbeatInstance(this.o.instanceId, now, new Date(now.getTime() + this.policy.instanceTtlMs));
    // Joining while others run (or coming back after our record lapsed, so they took our share):
    // they still pace to the old share until their next heartbeat.
    const joining = this.lastHeartbeatMs === undefined || now.getTime() - this.lastHeartbeatMs >= this.policy.instanceTtlMs;
    if (joining && live > 1) this.sendFromMs = now.getTime() + joinDelayMs(this.policy);
    this.lastHeartbeatMs = now.getTime();
    this.limiter.shareWith(live);
    return live;
  }

  private async heartbeatIfDue(): Promise<void> {
    const nowMs = this.o.clock.now().getTime();
    if (this.lastHeartbeatMs !== undefined && nowMs - this.lastHeartbeatMs < this.policy.heartbeatEveryMs) return;
    try {
      await this.heartbeat();
    } catch (error) {
      // The store is unreachable: keep the share we had (claims fail the same way meanwhile).
      this.o.logger.warn("instance heartbeat failed", { error: error instanceof Error ? error.name : "unknown" });
      if (this.lastHeartbeatMs === undefined) throw error;
    }
  }

  /** Claims one batch of due messages and delivers it. */
  async tick(): Promise<DispatchStats> {
    const run = this.tickOnce();
    this.ticking = run;
    try {
      return await run;
    } finally {
      if (this.ticking === run) this.ticking = undefined;
    }
  }

  private async tickOnce(): Promise<DispatchStats> {
    const stats = emptyStats();
    if (this.stopping) return stats;
    await this.heartbeatIfDue();
    const now = this.o.clock.now();
    if (now.getTime() < this.sendFromMs || this.stopping) return stats;
    const limit = this.o.batchSize ?? claimSize(this.limiter.targetRps, this.policy);
    this.lastClaimLimit = limit;
    const batch = await this.o.store.claimDue({ instanceId: this.o.instanceId, now, leaseMs: this.leaseMs, limit });
    stats.claimed = batch.length;
    if (batch.length === 0) return stats;
    // The lease in the limiter's time: no send starts within the margin of its end.
    const deadline = this.limiter.now() + this.leaseMs - this.policy.leaseMarginMs;
    for (const m of batch) this.held.set(m.id, "waiting");
    let next = 0;
    const worker = async () => {
      while (next < batch.length && !this.stopping) {
        const message = batch[next++]!;
        await this.deliver(message, stats, deadline);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(this.concurrency, batch.length) }, worker));
    } finally {
      // Whatever was not sent (a stop, the lease running low) goes back at once, not at lease end.
      const unsent = batch.filter((m) => this.held.get(m.id) === "waiting").map((m) => m.id);
      for (const m of batch) if (this.held.get(m.id) === "waiting") this.held.delete(m.id);
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
   * Runs until `stop`: claims again as soon as a full claim is sent, and otherwise looks again
   * after `pollMs` (an idle instance queries the outbox once per poll), renewing its record as due.
   */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
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
        // A full claim: more may be due, so claim again at once. Otherwise idle until the next poll.
        busy = (await this.tick()).claimed >= this.lastClaimLimit;
      } catch (error) {
        this.o.logger.error("outbox tick failed", { error: error instanceof Error ? error.name : "unknown" });
      }
      if (this.stopping) break;
      if (busy) continue;
      const nowMs = this.o.clock.now().getTime();
      await this.pause(this.sendFromMs > nowMs ? Math.min(this.policy.pollMs, this.sendFromMs - nowMs) : this.policy.pollMs);
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
    const inFlight = Promise.all([this.loop, this.ticking]).then(() => true);
    const finished = await Promise.race([inFlight, this.sleep(this.policy.stopGraceMs).then(() => false)]);
    if (!finished) {
      const waiting = [...this.held].filter(([, h]) => h === "waiting").map(([id]) => id);
      for (const id of waiting) this.held.delete(id);
      if (waiting.length) await this.handBack(waiting);
      this.o.logger.warn("stopped with sends in flight", { abandoned: [...this.held.values()].filter((h) => h === "sending").length });
    }
    try {
      await this.o.store.retireInstance(this.o.instanceId, this.o.clock.now());
    } catch (error) {
      this.o.logger.warn("retiring the instance failed", { error: error instanceof Error ? error.name : "unknown" });
    }
    this.loop = undefined;
  }

  private async target(m: OutboxMessage): Promise<{ ref?: ConversationRef; person?: Person; webhook?: { url: string; abId: string } }> {
    const recipientId = m.recipientId;
    const ref = await this.o.store.getConversationRef(recipientId);
    if (ref) return { ref };
    // An AB officer the bot has never chatted with is reached in the AB's alert channel.
    const person = await this.o.store.getPerson(recipientId);
    if (person?.abId && person.roles.includes("ab_officer")) {
      const channel = await this.o.store.getChannelRef(person.abId);
      if (channel) return { ref: channel, person };
      // An AB outside the tenant: the same card through the webhook the ECT's school set for this
      // AB (Workflows). Per school and AB, so it never carries another school's ECTs.
      const ect = this.o.webhook && m.ectId ? await this.o.store.getEct(m.ectId) : undefined;
      const school = ect && ect.abId === person.abId ? await this.o.store.getSchool(ect.schoolId) : undefined;
      const hook = school?.alertWebhooks?.find((w) => w.abId === person.abId);
      if (hook) return { person, webhook: { url: hook.url, abId: person.abId } };
    }
    return person ? { person } : {};
  }

  /**
   * No conversation yet: install the app for them through Graph and use the chat it opens.
   * Undefined when there is no installer or they cannot have the app; a DeliveryError when
   * installing failed (the caller retries it like a send).
   */
  private async installFor(person: Person | undefined): Promise<ConversationRef | undefined> {
    if (!person || !this.o.installer) return undefined;
    const ref = await this.o.installer.install(person);
    if (ref) await this.o.store.saveConversationRef(person.id, ref);
    return ref;
  }

  /** Whether a send may start now: not stopping, and enough of the lease left for it to finish. */
  private maySend(deadline: number, wait = 0): boolean {
    return !this.stopping && this.limiter.now() + wait <= deadline;
  }

  private async deliver(m: OutboxMessage, stats: DispatchStats, deadline: number): Promise<void> {
    const { store, instanceId, clock, logger } = this.o;
    const log = { messageId: m.id, kind: m.kind, ...(m.planId ? { planId: m.planId } : {}) };
    const done = () => this.held.delete(m.id);
    try {
      if (isMutable(m.kind) && (await store.listReminderMutes(m.recipientId)).includes(m.kind)) {
        stats.skipped++;
        await store.markSent(m.id, instanceId, clock.now());
        done();
        return;
      }
      const found = await this.target(m);
      let route: Route | undefined = found.ref ? { ref: found.ref } : found.webhook ? { webhookUrl: found.webhook.url, abId: found.webhook.abId } : undefined;
      if (!route) {
        if (this.stopping) return; // handed back unsent
        try {
          const installed = await this.installFor(found.person);
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
        for (let late = this.limiter.admit(); late > 0 && !this.stopping; late = this.limiter.admit()) await this.pause(late);
        // The last check before the wire, with no await after it: once stopping, nothing new goes out.
        if (!this.maySend(deadline)) {
          if (this.stopping) return; // handed back unsent by the tick (or the stop)
          await this.giveBack(m, m.lastError ?? "Waiting for the rate limit", 0, stats, false);
          done();
          return;
        }
        this.held.set(m.id, "sending");
        try {
          let activityId = "";
          let conversationId = "";
          if ("ref" in route) {
            ({ activityId } = await this.o.channel.send(route.ref, { card }));
            conversationId = route.ref.conversationId;
          } else {
            await this.o.webhook!.post(route.webhookUrl, card);
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
          this.held.set(m.id, "waiting");
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
