import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { Store } from "../store/store.js";
import { joinDelayMs, type OutboxPolicy } from "./outboxPolicy.js";
import type { RateLimiter } from "./rateLimiter.js";

/**
 * This instance's record among the live ones (issue 14): renewing it, and pacing the limiter to
 * limit / live instances. An instance that joins while others are live sends nothing until
 * `sendFromMs`, when every other one has renewed (and so lowered its own share).
 */
export class InstanceShare {
  private lastHeartbeatMs: number | undefined;
  /** Clock ms before which this instance sends nothing: it joined while others were live. */
  sendFromMs = 0;

  constructor(private readonly o: { store: Store; instanceId: string; clock: Clock; logger: Logger; limiter: RateLimiter; policy: OutboxPolicy }) {}

  /** Renews this instance's record and takes its share of the rate: limit / live instances. */
  async heartbeat(): Promise<number> {
    const { clock, policy } = this.o;
    const now = clock.now();
    const live = await this.o.store.heartbeatInstance(this.o.instanceId, now, new Date(now.getTime() + policy.instanceTtlMs));
    // Joining while others run (or coming back after our record lapsed, so they took our share):
    // they still pace to the old share until their next heartbeat.
    const joining = this.lastHeartbeatMs === undefined || now.getTime() - this.lastHeartbeatMs >= policy.instanceTtlMs;
    if (joining && live > 1) this.sendFromMs = now.getTime() + joinDelayMs(policy);
    this.lastHeartbeatMs = now.getTime();
    this.o.limiter.shareWith(live);
    return live;
  }

  async heartbeatIfDue(): Promise<void> {
    if (this.dueInMs() > 0) return;
    try {
      await this.heartbeat();
    } catch (error) {
      // The store is unreachable: keep the share we had (claims fail the same way meanwhile).
      this.o.logger.warn("instance heartbeat failed", { error: error instanceof Error ? error.name : "unknown" });
      if (this.lastHeartbeatMs === undefined) throw error;
    }
  }

  /** The record was retired (a stop): coming back is joining again, whatever the TTL says. */
  retired(): void {
    this.lastHeartbeatMs = undefined;
  }

  /** How long until the next renewal is due (0: now). */
  dueInMs(): number {
    if (this.lastHeartbeatMs === undefined) return 0;
    return Math.max(0, this.lastHeartbeatMs + this.o.policy.heartbeatEveryMs - this.o.clock.now().getTime());
  }
}
