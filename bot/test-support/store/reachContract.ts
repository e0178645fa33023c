/**
 * The ReachStore contract: the outbox claimed through the store so instances never double-send,
 * scheduled jobs, and the bot's reach (conversation references, alert channels, reminder mutes,
 * posted cards); outboxContract.ts adds the outbox shared by instances (issue 14).
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { OutboxMessage } from "@ectsp/shared";
import type { ConversationRef, Store } from "@ectsp/bot/store/store.js";
import type { MovableClock } from "../movableClock.js";
import { outboxSharingContract } from "./outboxContract.js";
import { at, byKey, lease, useSeededStore, type MakeStore } from "./contractKit.js";
import { editedPlan, later, makeCheckIn, makeMessage, makePlan, minutes, newId, type World } from "./testData.js";

export function reachContract(name: string, makeStore: MakeStore): void {
  describe(`Reach contract: ${name}`, () => {
    let store: Store;
    let other: Store;
    let w: World;
    let clock: MovableClock;
    useSeededStore(makeStore, (ctx) => ({ store, other, w, clock } = ctx));

    // ------------------------------------------------------------------ outbox

    describe("outbox", () => {
      const now = at("2026-11-02T09:00:00.000Z");

      it("stamps every message it creates with the injected clock's time, never the machine's", async () => {
        // A leap day years away: a store that read the machine's clock would stamp today instead.
        clock.set("2032-02-29T23:30:00.000Z");
        const stamped = "2032-02-29T23:30:00.000Z";
        const plan = makePlan({ ectId: w.ectA1.id, schoolId: w.ectA1.schoolId, abId: w.ectA1.abId });
        const viaCommit = makeMessage({ ectId: w.ectA1.id, planId: plan.id });
        const viaRecords = makeMessage({ ectId: w.ectA1.id });
        const checkIn = makeCheckIn({ planId: plan.id, ectId: w.ectA1.id });
        const viaCheckIns = makeMessage({ ectId: w.ectA1.id, planId: plan.id });
        const viaEnqueue = makeMessage();
        await store.commit({ create: [plan], audit: [], outbox: [viaCommit] });
        await store.addRecords([], [], [viaRecords]);
        await store.openCheckIns([checkIn], [viaCheckIns], clock.now());
        await store.enqueue([viaEnqueue], clock.now());
        const rows = await store.listOutbox({});
        for (const key of [viaCommit, viaRecords, viaCheckIns, viaEnqueue].map((m) => m.dedupeKey)) {
          const row = rows.find((r) => r.dedupeKey === key);
          expect(row, key).toBeDefined();
          expect([row!.createdAt, row!.notBefore]).toEqual([stamped, stamped]);
        }
        // Due at the clock's time, not before it.
        expect(await store.claimDue({ instanceId: "i1", now: at("2032-02-29T23:29:59.000Z"), leaseMs: lease, limit: 10 })).toEqual([]);
        const claimed = await store.claimDue({ instanceId: "i1", now: clock.now(), leaseMs: lease, limit: 10 });
        expect(claimed.map((m) => m.dedupeKey).sort()).toEqual([viaCommit, viaRecords, viaCheckIns, viaEnqueue].map((m) => m.dedupeKey).sort());
      });

      it("enqueue fills in a new message; the same dedupe key again is ignored", async () => {
        const m = makeMessage({ planId: newId("plan"), ectId: w.ectA1.id, data: { week: 2, level: null, urgent: true } });
        await store.enqueue([m], now);
        const [stored, ...rest] = await store.listOutbox({ recipientId: m.recipientId });
        expect(rest).toEqual([]);
        expect(stored).toMatchObject({
          kind: m.kind,
          recipientId: m.recipientId,
          planId: m.planId,
          ectId: m.ectId,
          dedupeKey: m.dedupeKey,
          data: m.data,
          status: "pending",
          attempts: 0,
        });
        expect(typeof stored!.id).toBe("string");
        expect(new Date(stored!.createdAt).getTime()).toBe(now.getTime());
        expect(new Date(stored!.notBefore).getTime()).toBe(now.getTime());
        expect(stored!.claimedBy).toBeUndefined();
        expect(stored!.sentAt).toBeUndefined();

        await store.enqueue(
          [
            { ...m, data: { week: 9 } },
            { ...m, kind: "checkin_reminder" },
          ],
          at(later(now, 1000)),
        );
        expect(await store.listOutbox({ recipientId: m.recipientId })).toEqual([stored]);
      });

      it("commit enqueues its messages with the change, deduplicated", async () => {
        const plan = w.planFor(w.ectA1);
        const m = makeMessage({ kind: "plan_shared", planId: plan.id, ectId: plan.ectId, notBefore: "2026-11-03T08:00:00.000Z" });
        await store.commit({ create: [plan], audit: [], outbox: [m, { ...m }] });
        const first = await store.listOutbox({ planId: plan.id });
        expect(first).toHaveLength(1);
        expect(first[0]).toMatchObject({ dedupeKey: m.dedupeKey, notBefore: m.notBefore, status: "pending", attempts: 0 });

        // A retried request carries the same key: the commit succeeds and sends nothing new.
        await store.commit({ save: [{ plan: editedPlan(plan), expectedVersion: 1 }], audit: [], outbox: [{ ...m, data: { retried: true } }] });
        expect(await store.listOutbox({ planId: plan.id })).toEqual(first);
      });

      it("claimDue claims only due messages, oldest first, up to the limit", async () => {
        const m1 = makeMessage({ notBefore: later(now, minutes(2)) });
        const m2 = makeMessage({ notBefore: now.toISOString() });
        const m3 = makeMessage({ notBefore: later(now, minutes(30)) });
        const m4 = makeMessage({ notBefore: later(now, minutes(3)) });
        await store.enqueue([m1, m2, m3, m4], now);

        const claimAt = at(later(now, minutes(5)));
        const claimed = await store.claimDue({ instanceId: "instance-a", now: claimAt, leaseMs: lease, limit: 2 });
        expect(claimed.map((m) => m.dedupeKey)).toEqual([m2.dedupeKey, m1.dedupeKey]);
        for (const m of claimed) {
          expect(m.status).toBe("pending");
          expect(m.claimedBy).toBe("instance-a");
          expect(new Date(m.claimedUntil!).getTime()).toBe(claimAt.getTime() + lease);
          expect(m.attempts).toBe(1);
        }
        const listed = await store.listOutbox({ recipientId: m2.recipientId });
        expect(listed).toEqual([claimed[0]]);

        const next = await store.claimDue({ instanceId: "instance-a", now: claimAt, leaseMs: lease, limit: 10 });
        expect(next.map((m) => m.dedupeKey)).toEqual([m4.dedupeKey]);
        expect(await store.claimDue({ instanceId: "instance-b", now: claimAt, leaseMs: lease, limit: 10 })).toEqual([]);
        expect(await store.claimDue({ instanceId: "instance-b", now: claimAt, leaseMs: lease, limit: 0 })).toEqual([]);
      });

      it("two instances claiming at once never get the same message", async () => {
        const total = 25;
        await store.enqueue(
          Array.from({ length: total }, () => makeMessage({ notBefore: now.toISOString() })),
          now,
        );
        const seen: OutboxMessage[] = [];
        for (let round = 0; round < 10; round++) {
          const batches = await Promise.all([
            store.claimDue({ instanceId: "instance-a", now, leaseMs: lease, limit: 4 }),
            other.claimDue({ instanceId: "instance-b", now, leaseMs: lease, limit: 4 }),
            store.claimDue({ instanceId: "instance-c", now, leaseMs: lease, limit: 3 }),
          ]);
          const got = batches.flat();
          if (got.length === 0) break;
          seen.push(...got);
        }
        const ids = seen.map((m) => m.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toHaveLength(total);
        expect(seen.every((m) => m.attempts === 1)).toBe(true);
      });

      it("sequential claims by two instances are disjoint", async () => {
        await store.enqueue(
          Array.from({ length: 5 }, () => makeMessage({ notBefore: now.toISOString() })),
          now,
        );
        const a = await store.claimDue({ instanceId: "instance-a", now, leaseMs: lease, limit: 3 });
        const b = await other.claimDue({ instanceId: "instance-b", now, leaseMs: lease, limit: 3 });
        const again = await store.claimDue({ instanceId: "instance-a", now: at(later(now, 1000)), leaseMs: lease, limit: 3 });
        expect(a).toHaveLength(3);
        expect(b).toHaveLength(2);
        expect(again).toEqual([]);
        expect(new Set([...a, ...b].map((m) => m.id)).size).toBe(5);
        expect(b.every((m) => m.claimedBy === "instance-b")).toBe(true);
      });

      it("a live claim holds; once the lease has expired another instance may claim", async () => {
        const m = makeMessage({ notBefore: now.toISOString() });
        await store.enqueue([m], now);
        const [claimed] = await store.claimDue({ instanceId: "instance-a", now, leaseMs: lease, limit: 1 });
        expect(claimed?.claimedBy).toBe("instance-a");

        expect(await other.claimDue({ instanceId: "instance-b", now: at(later(now, lease - 1000)), leaseMs: lease, limit: 1 })).toEqual([]);
        const takeoverAt = at(later(now, lease + 1000));
        const [taken] = await other.claimDue({ instanceId: "instance-b", now: takeoverAt, leaseMs: lease, limit: 1 });
        expect(taken).toMatchObject({ id: claimed!.id, claimedBy: "instance-b", attempts: 2 });
        expect(new Date(taken!.claimedUntil!).getTime()).toBe(takeoverAt.getTime() + lease);
      });

      it("markSent by the claim holder stops redelivery; from anyone else it is a no-op", async () => {
        const m = makeMessage({ notBefore: now.toISOString() });
        await store.enqueue([m], now);
        const [claimed] = await store.claimDue({ instanceId: "instance-a", now, leaseMs: lease, limit: 1 });

        await other.markSent(claimed!.id, "instance-b", now);
        expect((await store.listOutbox({ recipientId: m.recipientId }))[0]).toMatchObject({ status: "pending", claimedBy: "instance-a" });

        const sentAt = at(later(now, 2000));
        await store.markSent(claimed!.id, "instance-a", sentAt);
        const [sent] = await store.listOutbox({ recipientId: m.recipientId });
        expect(sent).toMatchObject({ id: claimed!.id, status: "sent", attempts: 1 });
        expect(new Date(sent!.sentAt!).getTime()).toBe(sentAt.getTime());
        expect(await store.listOutbox({ status: "sent", recipientId: m.recipientId })).toEqual([sent]);
        expect(await store.listOutbox({ status: "pending", recipientId: m.recipientId })).toEqual([]);

        // Long after the lease, nobody gets it again.
        expect(await other.claimDue({ instanceId: "instance-b", now: at(later(now, minutes(60))), leaseMs: lease, limit: 10 })).toEqual([]);
        await store.markSent(claimed!.id, "instance-a", sentAt); // repeating is harmless
        expect(await store.listOutbox({ recipientId: m.recipientId })).toEqual([sent]);
      });

      it("a late markSent from an instance whose lease was taken over is a no-op", async () => {
        const m = makeMessage({ notBefore: now.toISOString() });
        await store.enqueue([m], now);
        const [claimed] = await store.claimDue({ instanceId: "instance-a", now, leaseMs: lease, limit: 1 });
        const takeoverAt = at(later(now, lease + 1000));
        await other.claimDue({ instanceId: "instance-b", now: takeoverAt, leaseMs: lease, limit: 1 });

        await store.markSent(claimed!.id, "instance-a", takeoverAt);
        await store.markFailed(claimed!.id, "instance-a", "late failure", takeoverAt);
        expect((await store.listOutbox({ recipientId: m.recipientId }))[0]).toMatchObject({ status: "pending", claimedBy: "instance-b" });

        await other.markSent(claimed!.id, "instance-b", takeoverAt);
        expect((await store.listOutbox({ recipientId: m.recipientId }))[0]).toMatchObject({ status: "sent", attempts: 2 });
      });

      it("markFailed with retryAt reschedules; without it the message has failed for good", async () => {
        const retried = makeMessage({ notBefore: now.toISOString() });
        const dead = makeMessage({ notBefore: now.toISOString() });
        await store.enqueue([retried, dead], now);
        const claimed = await store.claimDue({ instanceId: "instance-a", now, leaseMs: lease, limit: 10 });
        const idOf = (key: string) => claimed.find((m) => m.dedupeKey === key)!.id;

        const retryAt = at(later(now, minutes(10)));
        await other.markFailed(idOf(retried.dedupeKey), "instance-b", "not the holder", now, retryAt); // no-op
        await store.markFailed(idOf(retried.dedupeKey), "instance-a", "Bot Framework 502", now, retryAt);
        await store.markFailed(idOf(dead.dedupeKey), "instance-a", "x".repeat(2000), now);

        const [r] = await store.listOutbox({ recipientId: retried.recipientId });
        expect(r).toMatchObject({ status: "pending", lastError: "Bot Framework 502", attempts: 1 });
        expect(new Date(r!.notBefore).getTime()).toBe(retryAt.getTime());
        const [d] = await store.listOutbox({ recipientId: dead.recipientId });
        expect(d).toMatchObject({ status: "failed", attempts: 1 });
        expect(d!.lastError!.length).toBeGreaterThan(0);
        expect(d!.lastError!.length).toBeLessThanOrEqual(500);
        expect(await store.listOutbox({ status: "failed", recipientId: dead.recipientId })).toEqual([d]);

        // Not due before retryAt (even though the first lease has long expired) ...
        expect(await other.claimDue({ instanceId: "instance-b", now: at(later(now, minutes(5))), leaseMs: lease, limit: 10 })).toEqual([]);
        // ... then due again, for any instance; the failed one never comes back.
        const again = await other.claimDue({ instanceId: "instance-b", now: retryAt, leaseMs: lease, limit: 10 });
        expect(again.map((m) => m.id)).toEqual([idOf(retried.dedupeKey)]);
        expect(again[0]).toMatchObject({ claimedBy: "instance-b", attempts: 2 });
        expect(await store.claimDue({ instanceId: "instance-a", now: at(later(now, minutes(600))), leaseMs: lease, limit: 10 })).toEqual(
          expect.not.arrayContaining([expect.objectContaining({ id: idOf(dead.dedupeKey) })]),
        );
      });

      it("lists by status, recipient and plan", async () => {
        const planId = newId("plan");
        const recipient = newId("person");
        const a = makeMessage({ recipientId: recipient, planId, notBefore: now.toISOString() });
        const b = makeMessage({ recipientId: recipient, notBefore: later(now, minutes(90)) });
        const c = makeMessage({ planId, notBefore: now.toISOString() });
        await store.enqueue([a, b, c], now);
        const key = (xs: OutboxMessage[]) => xs.map((m) => m.dedupeKey).sort();

        expect(key(await store.listOutbox({ recipientId: recipient }))).toEqual([a.dedupeKey, b.dedupeKey].sort());
        expect(key(await store.listOutbox({ planId }))).toEqual([a.dedupeKey, c.dedupeKey].sort());
        expect(key(await store.listOutbox({ planId, recipientId: recipient }))).toEqual([a.dedupeKey]);
        const claimed = await store.claimDue({ instanceId: "instance-a", now, leaseMs: lease, limit: 10 });
        await store.markSent(claimed.find((m) => m.dedupeKey === a.dedupeKey)!.id, "instance-a", now);
        expect(key(await store.listOutbox({ recipientId: recipient, status: "sent" }))).toEqual([a.dedupeKey]);
        expect(key(await store.listOutbox({ recipientId: recipient, status: "pending" }))).toEqual([b.dedupeKey]);
        expect(key(await store.listOutbox({ status: "failed", planId }))).toEqual([]);
      });
    });

    // ------------------------------------------------------------------ jobs

    describe("jobs", () => {
      const now = at("2026-11-30T06:00:00.000Z");

      it("exactly one instance claims a job at once", async () => {
        const job = `weekly-checkins:${newId("week")}`;
        const results = await Promise.all([0, 1, 2, 3, 4].map((i) => (i % 2 === 0 ? store : other).claimJob(job, `instance-${i}`, now, minutes(30))));
        expect(results.filter(Boolean)).toHaveLength(1);
        const holder = `instance-${results.indexOf(true)}`;

        expect(await store.claimJob(job, holder, at(later(now, minutes(1))), minutes(30))).toBe(false); // not re-entrant
        expect(await other.claimJob(job, "instance-9", at(later(now, minutes(29))), minutes(30))).toBe(false);
        expect(await store.claimJob(`${job}:other`, "instance-9", now, minutes(30))).toBe(true); // names are independent
      });

      it("once the lease has expired another instance may claim, and then holds it", async () => {
        const job = `ab-weekly:${newId("week")}`;
        expect(await store.claimJob(job, "instance-a", now, minutes(10))).toBe(true);
        expect(await other.claimJob(job, "instance-b", at(later(now, minutes(5))), minutes(10))).toBe(false);
        expect(await other.claimJob(job, "instance-b", at(later(now, minutes(10) + 1000)), minutes(10))).toBe(true);
        expect(await store.claimJob(job, "instance-a", at(later(now, minutes(11))), minutes(10))).toBe(false);
        expect(await store.claimJob(job, "instance-a", at(later(now, minutes(21))), minutes(10))).toBe(true);
      });
    });

    // ------------------------------------------------------------------ the bot's reach

    describe("bot reach", () => {
      const now = at("2026-11-30T06:00:00.000Z");
      const ref = (conversationId: string, extra: Partial<ConversationRef> = {}): ConversationRef => ({
        conversationId,
        serviceUrl: "https://smba.trafficmanager.net/uk/",
        channelId: "msteams",
        tenantId: randomUUID(),
        channelUserId: `29:${randomUUID()}`,
        aadObjectId: randomUUID(),
        reference: { conversation: { id: conversationId, conversationType: "personal" }, bot: { id: "28:bot" }, nested: [1, "two", null] },
        updatedAt: now.toISOString(),
        ...extra,
      });

      it("keeps one conversation reference per person; saving again replaces it", async () => {
        expect(await store.getConversationRef(w.ectPersonA1.id)).toBeUndefined();
        const first = ref(`a:${randomUUID()}`);
        await store.saveConversationRef(w.ectPersonA1.id, first);
        expect(await store.getConversationRef(w.ectPersonA1.id)).toEqual(first);
        const second = ref(`a:${randomUUID()}`, { updatedAt: later(now, minutes(5)) });
        await store.saveConversationRef(w.ectPersonA1.id, second);
        expect(await other.getConversationRef(w.ectPersonA1.id)).toEqual(second);
        expect(await store.getConversationRef(w.tutorA.id)).toBeUndefined();
        const minimal: ConversationRef = {
          conversationId: "c-1",
          serviceUrl: "http://localhost:1/",
          channelId: "msteams",
          reference: {},
          updatedAt: now.toISOString(),
        };
        await store.saveConversationRef(w.tutorA.id, minimal);
        expect(await store.getConversationRef(w.tutorA.id)).toEqual(minimal);
      });

      it("keeps one alert channel per appropriate body", async () => {
        expect(await store.getChannelRef(w.abA.id)).toBeUndefined();
        const channel = ref(`19:${randomUUID()}@thread.tacv2`, { channelUserId: undefined });
        delete channel.channelUserId;
        await store.saveChannelRef(w.abA.id, channel);
        expect(await store.getChannelRef(w.abA.id)).toEqual(channel);
        expect(await store.getChannelRef(w.abB.id)).toBeUndefined();
        const moved = ref(`19:${randomUUID()}@thread.tacv2`);
        await store.saveChannelRef(w.abA.id, moved);
        expect(await store.getChannelRef(w.abA.id)).toEqual(moved);
      });

      it("mutes and unmutes reminder kinds per person", async () => {
        expect(await store.listReminderMutes(w.tutorA.id)).toEqual([]);
        await store.setReminderMute(w.tutorA.id, "review_due", true, now);
        await store.setReminderMute(w.tutorA.id, "checkin_reminder", true, now);
        await store.setReminderMute(w.tutorA.id, "review_due", true, now); // again: no change
        expect([...(await store.listReminderMutes(w.tutorA.id))].sort()).toEqual(["checkin_reminder", "review_due"]);
        expect(await store.listReminderMutes(w.tutorB.id)).toEqual([]);
        await store.setReminderMute(w.tutorA.id, "review_due", false, at(later(now, 1000)));
        expect(await other.listReminderMutes(w.tutorA.id)).toEqual(["checkin_reminder"]);
      });

      it("records posted cards and lists them by plan and kind", async () => {
        const planId = newId("plan");
        const card = (kind: OutboxMessage["kind"], recipientId: string) => ({
          outboxId: newId("msg"),
          kind,
          recipientId,
          planId,
          conversationId: `a:${randomUUID()}`,
          activityId: `1:${randomUUID()}`,
          sentAt: now.toISOString(),
        });
        const sign1 = card("sign_request", w.tutorA.id);
        const sign2 = card("sign_request", w.ectPersonA1.id);
        const prompt = card("checkin_prompt", w.ectPersonA1.id);
        for (const c of [sign1, sign2, prompt]) await store.recordSentCard(c);
        await store.recordSentCard({ ...sign1, activityId: "1:replaced" });
        expect(byKey(await store.listSentCards({ planId, kinds: ["sign_request"] }))).toEqual(byKey([{ ...sign1, activityId: "1:replaced" }, sign2]));
        expect(await store.listSentCards({ planId })).toHaveLength(3);
        expect(await store.listSentCards({ planId, kinds: [] })).toEqual([]);
        expect(await store.listSentCards({ planId: newId("plan") })).toEqual([]);
      });
    });

    // --- issue 14: the outbox shared by instances ---
    describe("outbox shared by instances", () => {
      outboxSharingContract(() => ({ store, other, w, clock }));
    });
  });
}
