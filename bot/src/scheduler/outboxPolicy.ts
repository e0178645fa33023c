/**
 * The outbox's policy, written once (issue 14): which messages are due and in what order, how a
 * claim is stamped and how long it holds, how a message is deduplicated, when it is tried again
 * and when it has failed for good, and how the per-app rate is shared between live instances.
 * Pure: no I/O and no clock of its own (times come in as epoch ms). The store adapters use it for
 * what they decide and keep only the atomic part (the claim, the compare-and-set) to themselves;
 * the dispatcher uses it for what it sends and when.
 */
import { OutboxMessage, type NewOutboxMessage } from "@ectsp/shared";

const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;

export const outboxPolicy = {
  /**
   * How long a claim holds. Short, so a crashed instance strands its messages for at most this
   * plus one idle poll (≤ 30 s), or plus a few seconds when the survivor is busy (the bench
   * measures it); the dispatcher claims only a few seconds' work, books at most about a claim's
   * worth of sends ahead and starts no send in the last `leaseMarginMs`, so a live instance never
   * needs longer.
   */
  leaseMs: 15 * second,
  /** No send starts this close to the end of its claim: a slow send must finish inside the lease. */
  leaseMarginMs: 5 * second,
  /** A claim is this much work at the instance's share of the rate. */
  claimWindowMs: 2 * second,
  maxClaim: 200,
  /** An idle instance looks for due messages this often: one outbox query per 10 s. */
  pollMs: 10 * second,
  /** Each instance renews its "instances" record this often... */
  heartbeatEveryMs: 10 * second,
  /** ...and counts as live until this long after its last renewal (a dead one's share returns within a minute). */
  instanceTtlMs: 30 * second,
  /** A stop waits this long for sends already on the wire, then abandons them (their claims lapse). */
  stopGraceMs: 5 * second,
  /**
   * People the bot cannot reach yet (no conversation, app not installed): minutes, then hours.
   * About a week of tries in all (see maxClaims).
   */
  unreachableLadderMs: [5 * minute, 15 * minute, hour, 4 * hour, 12 * hour] as readonly number[],
  /** After this many claims a message has failed for good (~a week on the unreachable ladder). */
  maxClaims: 20,
};

export type OutboxPolicy = typeof outboxPolicy;

/** What a claim decision reads of a stored message (adapters map their rows to this). */
export interface ClaimState {
  status: OutboxMessage["status"];
  notBeforeMs: number;
  claimedUntilMs: number | null | undefined;
}

/** Due, pending and not held by a live claim. A claim that ends exactly now still holds. */
export function isClaimable(m: ClaimState, nowMs: number): boolean {
  return m.status === "pending" && m.notBeforeMs <= nowMs && (typeof m.claimedUntilMs !== "number" || m.claimedUntilMs < nowMs);
}

/** Claim order: oldest due first, then write order. */
export function claimOrder(a: { notBeforeMs: number; seq: number }, b: { notBeforeMs: number; seq: number }): number {
  return a.notBeforeMs - b.notBeforeMs || a.seq - b.seq;
}

/** What a claim writes onto a message. */
export function claimStamp(
  previousAttempts: number,
  instanceId: string,
  nowMs: number,
  leaseMs: number,
): { claimedBy: string; claimedUntilMs: number; attempts: number } {
  return { claimedBy: instanceId, claimedUntilMs: nowMs + leaseMs, attempts: previousAttempts + 1 };
}

/** Whether `instanceId` holds the message (only the holder may mark it sent, failed or hand it back). */
export function holdsClaim(m: { status: string; claimedBy: string | null | undefined }, instanceId: string): boolean {
  return m.status === "pending" && m.claimedBy === instanceId;
}

/**
 * Dedupe keys compare case-insensitively (SharePoint's unique columns do); within one write the
 * first message with a key wins, and a key already stored wins over a new one.
 */
export const dedupeKeyOf = (key: string): string => key.toLowerCase();

export function dedupeMessages<T extends { dedupeKey: string }>(messages: readonly T[]): T[] {
  const seen = new Set<string>();
  return messages.filter((m) => {
    const k = dedupeKeyOf(m.dedupeKey);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A message as first stored: pending, never tried, due at `notBefore` (default: now). */
export function newOutboxMessage(m: NewOutboxMessage, now: Date, id: string): OutboxMessage {
  const createdAt = now.toISOString();
  return OutboxMessage.parse({
    id,
    kind: m.kind,
    recipientId: m.recipientId,
    ...(m.planId !== undefined ? { planId: m.planId } : {}),
    ...(m.ectId !== undefined ? { ectId: m.ectId } : {}),
    dedupeKey: m.dedupeKey,
    data: m.data ?? {},
    createdAt,
    notBefore: m.notBefore ?? createdAt,
    status: "pending",
    attempts: 0,
  });
}

/**
 * How long to wait before the next try for someone the bot cannot reach yet, after the
 * `attempts`-th claim (1 = the first). `firstMs` shortens the first wait only (the local demo:
 * a persona opens the Agents Playground just after start-up); after it the ladder applies.
 */
export function unreachableRetryMs(attempts: number, policy: OutboxPolicy = outboxPolicy, firstMs?: number): number {
  const ladder = firstMs !== undefined && firstMs < policy.unreachableLadderMs[0]! ? [firstMs, ...policy.unreachableLadderMs] : policy.unreachableLadderMs;
  return ladder[Math.min(ladder.length - 1, Math.max(0, attempts - 1))]!;
}

/**
 * Backoff for throttling and transient errors: exponential with jitter, within a claim (attempt
 * 0, 1, ...) capped at 30 s; the jitter keeps instances that failed together from retrying together.
 */
export function transientBackoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.min(30 * second, 500 * 2 ** attempt) * (0.5 + random() / 2);
}

/**
 * When to try again a message that kept failing transiently (5xx, throttling) through a claim,
 * after its `attempts`-th claim: at least the Retry-After, and longer each claim (30 s, 1 min,
 * 2 min … 1 h), so an outage of hours does not use up its tries in minutes.
 */
export function transientRetryMs(attempts: number, retryAfterMs?: number): number {
  return Math.max(retryAfterMs ?? 0, Math.min(hour, 30 * second * 2 ** Math.max(0, attempts - 1)));
}

/** When a message handed back has been tried often enough: failed for good instead. */
export function hasFailedForGood(m: { attempts: number }, policy: OutboxPolicy = outboxPolicy): boolean {
  return m.attempts >= policy.maxClaims;
}

/** The share of the per-app rate one of `liveInstances` may use. */
export function shareOfRate(appRps: number, liveInstances: number): number {
  return appRps / Math.max(1, Math.floor(liveInstances));
}

/** How many messages to claim at once at `rps`: a few seconds' work, at least one. */
export function claimSize(rps: number, policy: OutboxPolicy = outboxPolicy): number {
  return Math.max(1, Math.min(policy.maxClaim, Math.ceil((rps * policy.claimWindowMs) / 1000)));
}

/**
 * After joining while others are live, wait until every one of them has renewed its record (and
 * so lowered its own share) and spent the sends it had booked at the old share: only then does
 * the sum of the shares stay under the per-app limit.
 */
export function joinDelayMs(policy: OutboxPolicy = outboxPolicy): number {
  return policy.heartbeatEveryMs + 2 * policy.claimWindowMs + second;
}

/** An instance's record: live until `liveUntilMs`. */
export function isLive(instance: { liveUntilMs: number }, nowMs: number): boolean {
  return instance.liveUntilMs > nowMs;
}
