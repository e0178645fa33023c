/**
 * The PlanStore contract: plans (created, saved against the version read, listed as summaries)
 * and their weekly check-ins, each change written as one unit with its audit and messages.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DomainError, type Plan } from "@ectsp/shared";
import { StaleVersionError, type Store } from "@ectsp/bot/store/store.js";
import { at, byId, summaryOf, unsealed, useSeededStore, type MakeStore } from "./contractKit.js";
import { editedPlan, makeAudit, makeCheckIn, makeMessage, makeRichPlan, newId, type World } from "./testData.js";

export function planContract(name: string, makeStore: MakeStore): void {
  describe(`Plan contract: ${name}`, () => {
    let store: Store;
    let other: Store;
    let w: World;
    useSeededStore(makeStore, (ctx) => ({ store, other, w } = ctx));

    // ------------------------------------------------------------------ plans

    describe("plans", () => {
      it("createPlan then getPlan returns an equal plan", async () => {
        const plan = makeRichPlan({ ectId: w.ectA1.id, schoolId: w.schoolA.id, abId: w.abA.id });
        const stored = await store.commit({ create: [plan], audit: [makeAudit({ ectId: w.ectA1.id, planId: plan.id, action: "createPlan" })] });
        expect(stored).toEqual([plan]);
        expect(await store.getPlan(plan.id)).toEqual(plan);
        expect(await other.getPlan(plan.id)).toEqual(plan);
        expect(await store.getPlan(newId("plan"))).toBeUndefined();
      });

      it("refuses to create a plan that is not at version 1", async () => {
        const plan = w.planFor(w.ectA1, { version: 3 });
        await expect(store.commit({ create: [plan], audit: [] })).rejects.toThrow();
        expect(await store.getPlan(plan.id)).toBeUndefined();
      });

      it("refuses to create a plan whose id exists, and writes nothing from that change", async () => {
        const plan = w.planFor(w.ectA1);
        await store.commit({ create: [plan], audit: [] });
        const again = { ...w.planFor(w.ectA1), id: plan.id, term: "Other" };
        const audit = makeAudit({ ectId: w.ectA1.id, planId: plan.id });
        await expect(store.commit({ create: [again], audit: [audit] })).rejects.toThrow();
        expect(await store.getPlan(plan.id)).toEqual(plan);
        expect(await store.listAudit({ planId: plan.id })).toEqual([]);
      });

      it("lists plan summaries filtered by ECT ids, school, AB and status", async () => {
        const a1Draft = w.planFor(w.ectA1, { status: "draft", level: 2, templateId: "level_2" });
        const a1Closed = w.planFor(w.ectA1, {
          status: "closed",
          outcome: "on_track",
          level: 1,
          templateId: "level_1",
          successorId: a1Draft.id,
        });
        const a2Active = w.planFor(w.ectA2, { status: "active", level: 4, templateId: "level_4", reviewDate: undefined, endDate: undefined });
        const b1Review = w.planFor(w.ectB1, { status: "in_review", templateId: "itt_early_support", level: undefined, startDate: undefined });
        await store.commit({ create: [a1Draft, a1Closed, a2Active, b1Review], audit: [] });

        const summaries = async (filter: Parameters<Store["listPlanSummaries"]>[0]) => byId(await store.listPlanSummaries(filter));
        const expected = (...plans: Plan[]) => byId(plans.map(summaryOf));

        expect(await summaries({ ectIds: [w.ectA1.id, w.ectA2.id, w.ectB1.id] })).toEqual(expected(a1Draft, a1Closed, a2Active, b1Review));
        expect(await summaries({ ectIds: [w.ectA1.id] })).toEqual(expected(a1Draft, a1Closed));
        expect(await summaries({ ectIds: [] })).toEqual([]);
        expect(await summaries({ schoolId: w.schoolA.id })).toEqual(expected(a1Draft, a1Closed, a2Active));
        expect(await summaries({ abId: w.abB.id })).toEqual(expected(b1Review));
        expect(await summaries({ status: ["active", "in_review"] })).toEqual(expected(a2Active, b1Review));
        expect(await summaries({ status: [] })).toEqual([]);
        expect(await summaries({ schoolId: w.schoolA.id, status: ["draft"] })).toEqual(expected(a1Draft));
        expect(await summaries({ ectIds: [w.ectA1.id, w.ectB1.id], status: ["closed", "in_review"] })).toEqual(expected(a1Closed, b1Review));
        expect(await summaries({ abId: w.abA.id, schoolId: w.schoolB.id })).toEqual([]);
        expect(await summaries({ ectIds: [newId("ect")] })).toEqual([]);

        // A summary carries only the caseload fields, never content.
        const [summary] = await store.listPlanSummaries({ ectIds: [w.ectA2.id] });
        expect(summary).toEqual(summaryOf(a2Active));
        expect(summary).not.toHaveProperty("targets");
        expect(summary).not.toHaveProperty("signers");
      });

      it("saves at the current version: the stored plan is at version + 1 and persists", async () => {
        const plan = w.planFor(w.ectA1);
        await store.commit({ create: [plan], audit: [] });

        const v2 = editedPlan(plan, { status: "agreed" });
        const [stored] = await store.commit({
          save: [{ plan: v2, expectedVersion: 1 }],
          audit: [makeAudit({ ectId: plan.ectId, planId: plan.id, version: 2 })],
        });
        expect(stored).toEqual(v2);
        expect(stored!.version).toBe(2);
        expect(await store.getPlan(plan.id)).toEqual(v2);
        expect(await other.getPlan(plan.id)).toEqual(v2);
        expect(await store.listPlanSummaries({ ectIds: [w.ectA1.id] })).toEqual([summaryOf(v2)]);

        // The store sets the version, whatever the caller left in the plan.
        const v3 = { ...editedPlan(v2, { status: "active" }), version: 2 };
        const [stored3] = await store.commit({ save: [{ plan: v3, expectedVersion: 2 }], audit: [] });
        expect(stored3).toEqual({ ...v3, version: 3 });
        expect((await store.getPlan(plan.id))?.version).toBe(3);
        expect((await store.getPlan(plan.id))?.status).toBe("active");
      });

      it("a save at a stale version throws StaleVersionError and writes nothing else from that change", async () => {
        const plan = w.planFor(w.ectA1);
        const bystander = w.planFor(w.ectB1);
        await store.commit({ create: [plan, bystander], audit: [] });
        const v2 = editedPlan(plan);
        await store.commit({ save: [{ plan: v2, expectedVersion: 1 }], audit: [] });
        const countBefore = await store.countPlans();
        const auditBefore = await store.listAudit({ ectId: w.ectA1.id });

        const fresh = w.planFor(w.ectA2);
        const checkIn = makeCheckIn({ planId: plan.id, ectId: plan.ectId });
        const message = makeMessage({ planId: plan.id, ectId: plan.ectId });
        const staleChange = {
          create: [fresh],
          save: [{ plan: editedPlan(plan, { term: "Lost update" }), expectedVersion: 1 }],
          audit: [makeAudit({ ectId: w.ectA1.id, planId: plan.id }), makeAudit({ ectId: w.ectA2.id, planId: fresh.id })],
          outbox: [message],
          checkIns: [checkIn],
        };

        const error = await store.commit(staleChange).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(StaleVersionError);
        expect(error).toMatchObject({ planId: plan.id, expectedVersion: 1, currentVersion: 2 });

        expect(await store.getPlan(plan.id)).toEqual(v2);
        expect(await store.getPlan(bystander.id)).toEqual(bystander);
        expect(await store.getPlan(fresh.id)).toBeUndefined();
        expect(await store.countPlans()).toBe(countBefore);
        expect(await store.listAudit({ ectId: w.ectA1.id })).toEqual(auditBefore);
        expect(await store.listAudit({ ectId: w.ectA2.id })).toEqual([]);
        expect(await store.listOutbox({ recipientId: message.recipientId })).toEqual([]);
        expect(await store.getCheckIn(checkIn.id)).toBeUndefined();
        expect(await store.listCheckIns({ planId: plan.id })).toEqual([]);
      });

      it("refuses a change that saves two plans (a change has one commit point), writing nothing", async () => {
        const [a, b] = [w.planFor(w.ectA1), w.planFor(w.ectB1)];
        await store.commit({ create: [a, b], audit: [] });
        const error = await store
          .commit({
            save: [
              { plan: editedPlan(a), expectedVersion: 1 },
              { plan: editedPlan(b), expectedVersion: 1 },
            ],
            audit: [makeAudit({ ectId: w.ectA1.id, planId: a.id })],
          })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(error).toMatchObject({ kind: "invalid_state" });
        expect(await store.getPlan(a.id)).toEqual(a);
        expect(await store.getPlan(b.id)).toEqual(b);
        expect(await store.listAudit({ planId: a.id })).toEqual([]);
      });

      it("refuses to save a plan that does not exist (not_found), writing nothing", async () => {
        const ghost = w.planFor(w.ectA1);
        const audit = makeAudit({ ectId: w.ectA1.id, planId: ghost.id });
        const error = await store.commit({ save: [{ plan: editedPlan(ghost), expectedVersion: 1 }], audit: [audit] }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(DomainError);
        expect(error).toMatchObject({ kind: "not_found" });
        expect(await store.getPlan(ghost.id)).toBeUndefined();
        expect(await store.listAudit({ planId: ghost.id })).toEqual([]);
      });

      it("a plan loaded to change is one the store held; a change on a copy another instance has overtaken is refused", async () => {
        const plan = w.planFor(w.ectA1);
        await store.commit({ create: [plan], audit: [] });
        expect(await store.getPlanToChange(plan.id)).toEqual(plan);
        const v2 = editedPlan(plan, { term: "Saved on the other instance" });
        await other.commit({ save: [{ plan: v2, expectedVersion: 1 }], audit: [] });
        // Asked for the version the caller read, it is that version or none of its own making.
        expect(await store.getPlanToChange(plan.id, 2)).toEqual(v2);
        // Asked for any: the store may answer from what it held (version 1) or read (version 2) ...
        const base = (await store.getPlanToChange(plan.id)) ?? plan;
        expect([1, 2]).toContain(base.version);
        // ... and a change built on the old copy never lands over the newer one.
        const outcome = await store
          .commit({ save: [{ plan: editedPlan(base, { term: "Built on what it held" }), expectedVersion: base.version }], audit: [] })
          .then(
            () => "saved",
            (e: unknown) => (e instanceof StaleVersionError ? "refused" : e),
          );
        expect(outcome).toBe(base.version === 1 ? "refused" : "saved");
        expect((await other.getPlan(plan.id))?.version).toBe(base.version === 1 ? 2 : 3);
        expect(await store.getPlanToChange("plan-that-is-not-there")).toBeUndefined();
      });

      it("of concurrent saves from the same version exactly one wins", async () => {
        const plan = w.planFor(w.ectA1);
        await store.commit({ create: [plan], audit: [] });

        const writers = [0, 1, 2, 3].map((i) => {
          const edit = editedPlan(plan, { term: `Writer ${i}` });
          const audit = makeAudit({ ectId: plan.ectId, planId: plan.id, summary: `Writer ${i}` });
          const instance = i % 2 === 0 ? store : other;
          return { edit, audit, result: instance.commit({ save: [{ plan: edit, expectedVersion: 1 }], audit: [audit] }) };
        });
        const results = await Promise.allSettled(writers.map((x) => x.result));

        const winners = results.flatMap((r, i) => (r.status === "fulfilled" ? [writers[i]!] : []));
        expect(winners).toHaveLength(1);
        const losers = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
        expect(losers).toHaveLength(results.length - 1);
        for (const reason of losers) {
          expect(reason).toBeInstanceOf(StaleVersionError);
          expect(reason).toMatchObject({ expectedVersion: 1, currentVersion: 2 });
        }
        const winner = winners[0]!;
        expect(await store.getPlan(plan.id)).toEqual(winner.edit);
        expect(unsealed(await store.listAudit({ planId: plan.id }))).toEqual([winner.audit]);
      });

      it("counts plans", async () => {
        const before = await store.countPlans();
        const plans = [w.planFor(w.ectA1), w.planFor(w.ectA2), w.planFor(w.ectB1)];
        await store.commit({ create: plans, audit: [] });
        expect(await store.countPlans()).toBe(before + 3);
        await store.commit({ save: [{ plan: editedPlan(plans[0]!), expectedVersion: 1 }], audit: [] });
        expect(await store.countPlans()).toBe(before + 3);
      });
    });

    // ------------------------------------------------------------------ check-ins

    describe("check-ins", () => {
      const now = at("2026-11-30T06:00:00.000Z");

      it("upsert by id and filter by plan, ECT and status", async () => {
        const planA = w.planFor(w.ectA1);
        const planB = w.planFor(w.ectB1);
        const week1 = makeCheckIn({ planId: planA.id, ectId: w.ectA1.id, week: 1, dueOn: "2026-11-06" });
        const week2 = makeCheckIn({ planId: planA.id, ectId: w.ectA1.id, week: 2, dueOn: "2026-11-13" });
        const b1 = makeCheckIn({ planId: planB.id, ectId: w.ectB1.id, week: 1, dueOn: "2026-11-06" });
        await store.commit({ create: [planA, planB], audit: [], checkIns: [week1, week2, b1] });

        expect(await store.getCheckIn(week1.id)).toEqual(week1);
        expect(await store.getCheckIn(newId("checkin"))).toBeUndefined();

        const answered = {
          ...week1,
          status: "answered" as const,
          comment: "Better week",
          answeredAt: "2026-11-06T15:00:00.000Z",
          answeredBy: w.ectPersonA1.id,
        };
        await store.commit({ audit: [], checkIns: [answered] });
        expect(await store.getCheckIn(week1.id)).toEqual(answered);

        expect(byId(await store.listCheckIns({ planId: planA.id }))).toEqual(byId([answered, week2]));
        expect(await store.listCheckIns({ ectId: w.ectB1.id })).toEqual([b1]);
        expect(await store.listCheckIns({ planId: planA.id, status: "answered" })).toEqual([answered]);
        expect(await store.listCheckIns({ ectId: w.ectA1.id, status: "open" })).toEqual([week2]);
        expect(byId(await store.listCheckIns({ status: "open" }))).toEqual(expect.arrayContaining(byId([week2, b1])));
        expect(await store.listCheckIns({ planId: planB.id, ectId: w.ectA1.id })).toEqual([]);
      });

      it("openCheckIns creates only missing check-ins, never reopens an answered one, and enqueues once", async () => {
        const plan = w.planFor(w.ectA1);
        await store.commit({ create: [plan], audit: [] });
        const week1 = makeCheckIn({ id: `ci-${randomUUID()}`, planId: plan.id, ectId: plan.ectId, week: 1 });
        const prompt = makeMessage({ kind: "checkin_prompt", planId: plan.id, ectId: plan.ectId, dedupeKey: `checkin:${plan.id}:w1` });
        expect(await store.openCheckIns([week1], [prompt], now)).toEqual([week1.id]);
        expect(await store.listOutbox({ planId: plan.id })).toHaveLength(1);

        const answered = { ...week1, status: "answered" as const, comment: "Done", answeredAt: now.toISOString(), answeredBy: plan.ectId };
        await store.commit({ audit: [], checkIns: [answered] });
        const week2 = makeCheckIn({ id: `ci-${randomUUID()}`, planId: plan.id, ectId: plan.ectId, week: 2 });
        // A rerun (a restart, or a second instance) opens week 2 only and sends week 1 no second time.
        const results = await Promise.all([
          store.openCheckIns([week1, week2], [prompt, { ...prompt, dedupeKey: `checkin:${plan.id}:w2` }], now),
          other.openCheckIns([week1, week2], [prompt, { ...prompt, dedupeKey: `checkin:${plan.id}:w2` }], now),
        ]);
        expect(results.flat()).toEqual([week2.id]);
        expect(await store.getCheckIn(week1.id)).toEqual(answered);
        expect(await store.getCheckIn(week2.id)).toEqual(week2);
        expect((await store.listOutbox({ planId: plan.id })).map((m) => m.dedupeKey).sort()).toEqual([`checkin:${plan.id}:w1`, `checkin:${plan.id}:w2`]);
      });
    });
  });
}
