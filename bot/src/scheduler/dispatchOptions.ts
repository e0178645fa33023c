/** What the outbox dispatcher is given, and what it counts (split out of dispatcher.ts). */
import type { OutboxMessage } from "@ectsp/shared";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { Store } from "../store/store.js";
import type { AdaptiveCard } from "../cards/index.js";
import type { ProactiveChannel } from "../teams/platform.js";
import type { AppInstaller } from "../teams/installer.js";
import type { WebhookSender } from "../teams/webhookSender.js";
import type { RateLimiter } from "./rateLimiter.js";
import type { OutboxPolicy } from "./outboxPolicy.js";

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
  /** Sends in flight at once, across the claims being delivered (they still go out at the limiter's pace). */
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

export const emptyStats = (): DispatchStats => ({ claimed: 0, sent: 0, skipped: 0, retryLater: 0, failed: 0, throttled: 0, handedBack: 0 });
