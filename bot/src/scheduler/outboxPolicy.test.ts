/** The outbox policy on its own (the stores' contract and sharedOutbox.test.ts check it in use). */
import { describe, expect, it } from "vitest";
import {
  claimOrder,
  claimSize,
  claimStamp,
  dedupeMessages,
  hasFailedForGood,
  holdsClaim,
  isClaimable,
  joinDelayMs,
  newOutboxMessage,
  outboxPolicy,
  shareOfRate,
  transientRetryMs,
  unreachableRetryMs,
} from "./outboxPolicy.js";

const minute = 60_000;
const hour = 60 * minute;

describe("outboxPolicy", () => {
  it("a crash delays a message by at most the lease plus one idle poll: ≤ 30 s", () => {
    expect(outboxPolicy.leaseMs + outboxPolicy.pollMs).toBeLessThanOrEqual(30_000);
    // A live instance renews well inside its record's life, and a dead one's share returns within a minute.
    expect(outboxPolicy.heartbeatEveryMs * 2).toBeLessThanOrEqual(outboxPolicy.instanceTtlMs);
    expect(outboxPolicy.instanceTtlMs + outboxPolicy.heartbeatEveryMs).toBeLessThanOrEqual(60_000);
    // A claim's work fits its lease with room to spare.
    expect(outboxPolicy.claimWindowMs).toBeLessThan(outboxPolicy.leaseMs - outboxPolicy.leaseMarginMs);
    expect(outboxPolicy.stopGraceMs).toBeLessThan(10_000);
  });

  it("is due when pending, at or after notBefore, and not under a live claim", () => {
    const now = 1_000_000;
    expect(isClaimable({ status: "pending", notBeforeMs: now, claimedUntilMs: null }, now)).toBe(true);
    expect(isClaimable({ status: "pending", notBeforeMs: now + 1, claimedUntilMs: null }, now)).toBe(false);
    expect(isClaimable({ status: "pending", notBeforeMs: 0, claimedUntilMs: now }, now)).toBe(false);
    expect(isClaimable({ status: "pending", notBeforeMs: 0, claimedUntilMs: now - 1 }, now)).toBe(true);
    expect(isClaimable({ status: "sent", notBeforeMs: 0, claimedUntilMs: null }, now)).toBe(false);
    expect(isClaimable({ status: "failed", notBeforeMs: 0, claimedUntilMs: undefined }, now)).toBe(false);
    expect(
      [
        { notBeforeMs: 5, seq: 1 },
        { notBeforeMs: 1, seq: 9 },
        { notBeforeMs: 1, seq: 2 },
      ].sort(claimOrder),
    ).toEqual([
      { notBeforeMs: 1, seq: 2 },
      { notBeforeMs: 1, seq: 9 },
      { notBeforeMs: 5, seq: 1 },
    ]);
    expect(claimStamp(2, "i-1", 100, 20_000)).toEqual({ claimedBy: "i-1", claimedUntilMs: 20_100, attempts: 3 });
    expect(holdsClaim({ status: "pending", claimedBy: "i-1" }, "i-1")).toBe(true);
    expect(holdsClaim({ status: "sent", claimedBy: "i-1" }, "i-1")).toBe(false);
    expect(holdsClaim({ status: "pending", claimedBy: "i-2" }, "i-1")).toBe(false);
  });

  it("dedupes by key, case-insensitively, the first one winning; a new message is pending and untried", () => {
    const m = (dedupeKey: string, week: number) => ({ kind: "checkin_prompt" as const, recipientId: "p", dedupeKey, data: { week } });
    expect(dedupeMessages([m("a", 1), m("A", 2), m("b", 3)]).map((x) => x.data.week)).toEqual([1, 3]);
    const now = new Date("2026-11-30T07:00:00.000Z");
    expect(newOutboxMessage(m("k", 1), now, "id-1")).toMatchObject({
      id: "id-1",
      status: "pending",
      attempts: 0,
      createdAt: now.toISOString(),
      notBefore: now.toISOString(),
    });
  });

  it("backs off from people the bot cannot reach: minutes, then hours, for about a week", () => {
    expect([1, 2, 3, 4, 5, 6, 9].map((a) => unreachableRetryMs(a))).toEqual([5 * minute, 15 * minute, hour, 4 * hour, 12 * hour, 12 * hour, 12 * hour]);
    // The local demo's short first wait, then the same ladder (never every 10 s).
    expect([1, 2, 3].map((a) => unreachableRetryMs(a, outboxPolicy, 10_000))).toEqual([10_000, 5 * minute, 15 * minute]);
    let waited = 0;
    for (let a = 1; !hasFailedForGood({ attempts: a }); a++) waited += unreachableRetryMs(a);
    expect(waited / (24 * hour)).toBeGreaterThan(5);
    expect(waited / (24 * hour)).toBeLessThan(9);
    // Transient failures through a whole claim: at least Retry-After, longer each claim, capped at an hour.
    expect([1, 2, 3].map((a) => transientRetryMs(a))).toEqual([30_000, 60_000, 120_000]);
    expect(transientRetryMs(30)).toBe(hour);
    expect(transientRetryMs(1, 90_000)).toBe(90_000);
  });

  it("shares the per-app rate between live instances, claims a few seconds' work, and waits on joining", () => {
    expect(shareOfRate(50, 2)).toBe(25);
    expect(shareOfRate(50, 0)).toBe(50);
    expect(claimSize(47.5)).toBe(95);
    expect(claimSize(0.1)).toBe(1);
    expect(claimSize(10_000)).toBe(outboxPolicy.maxClaim);
    expect(joinDelayMs()).toBeGreaterThan(outboxPolicy.heartbeatEveryMs + outboxPolicy.claimWindowMs);
  });
});
