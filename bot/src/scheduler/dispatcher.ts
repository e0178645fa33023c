import { schoolDate, type OutboxMessage, type Person } from "@ectsp/shared";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { ConversationRef, Store } from "../store/store.js";
import { isMutable, type AdaptiveCard } from "../cards/index.js";
import { DeliveryError, type ProactiveChannel } from "../teams/platform.js";
import type { AppInstaller } from "../teams/installer.js";
import type { WebhookSender } from "../teams/webhookSender.js";
import { RateLimiter } from "./rateLimiter.js";

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
  limiter?: RateLimiter;
  /** How long a claim holds; another instance takes over a message whose sender died. */
  leaseMs?: number;
  batchSize?: number;
  /** Sends in flight at once (they still go out at the limiter's pace). */
  concurrency?: number;
  /** Tries within one claim for throttling and transient errors before handing back to the store. */
  attemptsPerClaim?: number;
  /** After this many claims a message has failed for good. */
  maxClaims?: number;
  sleep?: (ms: number) => Promise<void>;
  /** When the recipient has no conversation with the bot yet, try again after this long (default 1 h). */
  noConversationRetryMs?: number;
  /** Installs the app for a recipient who has no conversation with the bot (issue 6). */
  installer?: AppInstaller;
  /** Posts AB alerts to the AB's channel webhook when the bot cannot reach the AB (issue 6). */
  webhook?: WebhookSender;
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
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const backoffMs = (attempt: number) => Math.min(30_000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
const hour = 3_600_000;

/**
 * Sends what the outbox holds. Each tick claims due messages through the store (a lease, so
 * several instances never send the same message), renders each card, sends it proactively
 * through the platform at the pace Teams allows, and marks it sent — or hands it back with a
 * time to retry. 429s wait for their Retry-After; 5xx back off exponentially with jitter.
 *
 * Delivery is once per dedupe key under normal operation and across restarts; the one window
 * that can repeat a message is a crash between the channel accepting it and `markSent` (the Bot
 * Connector has no idempotency key to close it).
 */
export class OutboxDispatcher {
  readonly limiter: RateLimiter;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly attemptsPerClaim: number;
  private readonly maxClaims: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly o: DispatcherOptions) {
    this.limiter = o.limiter ?? new RateLimiter();
    this.leaseMs = o.leaseMs ?? 5 * 60_000;
    this.batchSize = o.batchSize ?? 200;
    this.concurrency = o.concurrency ?? 64;
    this.attemptsPerClaim = o.attemptsPerClaim ?? 6;
    this.maxClaims = o.maxClaims ?? 24 * 7;
    this.sleep = o.sleep ?? realSleep;
  }

  /** Claims one batch of due messages and delivers it. */
  async tick(): Promise<DispatchStats> {
    const stats: DispatchStats = { claimed: 0, sent: 0, skipped: 0, retryLater: 0, failed: 0, throttled: 0 };
    const batch = await this.o.store.claimDue({ instanceId: this.o.instanceId, now: this.o.clock.now(), leaseMs: this.leaseMs, limit: this.batchSize });
    stats.claimed = batch.length;
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const message = batch[next++]!;
        await this.deliver(message, stats);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, batch.length) }, worker));
    return stats;
  }

  /** Ticks until nothing is due (tests and the bench; the worker loop ticks on its own). */
  async drain(maxTicks = 10_000): Promise<DispatchStats> {
    const total: DispatchStats = { claimed: 0, sent: 0, skipped: 0, retryLater: 0, failed: 0, throttled: 0 };
    for (let i = 0; i < maxTicks; i++) {
      const s = await this.tick();
      for (const k of Object.keys(total) as (keyof DispatchStats)[]) total[k] += s[k];
      if (s.claimed === 0) break;
    }
    return total;
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

  private async deliver(m: OutboxMessage, stats: DispatchStats): Promise<void> {
    const { store, instanceId, clock, logger } = this.o;
    const log = { messageId: m.id, kind: m.kind, ...(m.planId ? { planId: m.planId } : {}) };
    try {
      if (isMutable(m.kind) && (await store.listReminderMutes(m.recipientId)).includes(m.kind)) {
        stats.skipped++;
        await store.markSent(m.id, instanceId, clock.now());
        return;
      }
      const found = await this.target(m);
      let route: Route | undefined = found.ref ? { ref: found.ref } : found.webhook ? { webhookUrl: found.webhook.url, abId: found.webhook.abId } : undefined;
      if (!route) {
        try {
          const installed = await this.installFor(found.person);
          if (installed) route = { ref: installed };
        } catch (error) {
          const e = error instanceof DeliveryError ? error : new DeliveryError("installing the app failed", undefined, undefined);
          logger.warn("installing the app failed", { ...log, status: e.status });
          // Throttled or down: soon. Refused (e.g. permission not granted yet): as if not installed.
          await this.giveBack(m, e.message, e.transient ? (e.retryAfterMs ?? backoffMs(0)) : (this.o.noConversationRetryMs ?? hour), stats);
          return;
        }
      }
      if (!route) {
        // Not installed yet: try again in an hour, for a week.
        await this.giveBack(m, "No conversation with the recipient yet (the app is not installed for them)", this.o.noConversationRetryMs ?? hour, stats);
        return;
      }
      const key = "ref" in route ? route.ref.conversationId : `webhook:${route.abId}`;
      const card = await this.o.renderer.forOutbox(m, schoolDate(clock.now()));
      if (!card) {
        stats.skipped++;
        await store.markSent(m.id, instanceId, clock.now());
        return;
      }
      for (let attempt = 0; ; attempt++) {
        const wait = this.limiter.reserve(key);
        if (wait > 0) await this.sleep(wait);
        for (let late = this.limiter.admit(); late > 0; late = this.limiter.admit()) await this.sleep(late);
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
          return;
        } catch (error) {
          const e = error instanceof DeliveryError ? error : new DeliveryError(error instanceof Error ? error.message : "send failed", undefined, undefined);
          if (!e.transient) {
            stats.failed++;
            logger.warn("message failed", { ...log, status: e.status });
            await store.markFailed(m.id, instanceId, e.message, clock.now());
            return;
          }
          if (e.status === 429) {
            stats.throttled++;
            this.limiter.pause(key, e.retryAfterMs ?? backoffMs(attempt));
          } else {
            await this.sleep(backoffMs(attempt));
          }
          if (attempt + 1 >= this.attemptsPerClaim) {
            await this.giveBack(m, e.message, e.retryAfterMs ?? backoffMs(attempt), stats);
            return;
          }
        }
      }
    } catch (error) {
      // Rendering or the store failed: leave the claim to lapse so the message is tried again.
      stats.retryLater++;
      logger.error("dispatch failed", { ...log, error: error instanceof Error ? error.name : "unknown" });
    }
  }

  private async giveBack(m: OutboxMessage, reason: string, afterMs: number, stats: DispatchStats): Promise<void> {
    const now = this.o.clock.now();
    if (m.attempts >= this.maxClaims) {
      stats.failed++;
      await this.o.store.markFailed(m.id, this.o.instanceId, reason, now);
      return;
    }
    stats.retryLater++;
    await this.o.store.markFailed(m.id, this.o.instanceId, reason, now, new Date(now.getTime() + afterMs));
  }
}
