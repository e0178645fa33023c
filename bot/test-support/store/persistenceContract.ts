/**
 * What holds for the whole store rather than one port: everything written through every port
 * survives a reopen, and the store says which adapter it is.
 */
import { describe, expect, it } from "vitest";
import { StaleVersionError, type Store } from "@ectsp/bot/store/store.js";
import { at, lease, summaryOf, unsealed, useSeededStore, type MakeStore, type StoreUnderTest } from "./contractKit.js";
import { editedPlan, makeAudit, makeCheckIn, makeMessage, makeRichPlan, minutes, type World } from "./testData.js";

export function persistenceContract(name: string, makeStore: MakeStore): void {
  describe(`Persistence contract: ${name}`, () => {
    let store: Store;
    let w: World;
    let sut: StoreUnderTest;
    useSeededStore(makeStore, (ctx) => ({ store, w, sut } = ctx));

    // ------------------------------------------------------------------ persistence

    describe("persistence", () => {
      it("keeps everything across a reopen", async () => {
        const now = at("2026-11-02T09:00:00.000Z");
        const plan = makeRichPlan({ ectId: w.ectA1.id, schoolId: w.schoolA.id, abId: w.abA.id });
        const audit = makeAudit({ ectId: plan.ectId, planId: plan.id, action: "createPlan" });
        const checkIn = makeCheckIn({ planId: plan.id, ectId: plan.ectId });
        const message = makeMessage({ planId: plan.id, notBefore: now.toISOString() });
        await store.commit({ create: [plan], audit: [audit], checkIns: [checkIn], outbox: [message] });
        const v2 = editedPlan(plan);
        await store.commit({ save: [{ plan: v2, expectedVersion: 1 }], audit: [] });
        await store.claimDue({ instanceId: "instance-a", now, leaseMs: lease, limit: 10 });
        expect(await store.claimJob("nightly", "instance-a", now, minutes(30))).toBe(true);
        const outboxBefore = await store.listOutbox({ planId: plan.id });
        const count = await store.countPlans();

        const reopened = await sut.reopen();
        expect(await reopened.getPlan(plan.id)).toEqual(v2);
        expect(await reopened.countPlans()).toBe(count);
        expect(await reopened.listPlanSummaries({ ectIds: [w.ectA1.id] })).toEqual([summaryOf(v2)]);
        expect(await reopened.getEct(w.ectB1.id)).toEqual(w.ectB1);
        expect(await reopened.getPersonByAadObjectId(w.officerA.aadObjectId!)).toEqual(w.officerA);
        expect(await reopened.getSchool(w.schoolA.id)).toEqual(w.schoolA);
        expect(await reopened.getAppropriateBody(w.abB.id)).toEqual(w.abB);
        expect(unsealed(await reopened.listAudit({ planId: plan.id }))).toEqual([audit]);
        expect(await reopened.getCheckIn(checkIn.id)).toEqual(checkIn);
        expect(await reopened.listOutbox({ planId: plan.id })).toEqual(outboxBefore);
        expect(await reopened.claimDue({ instanceId: "instance-b", now, leaseMs: lease, limit: 10 })).toEqual([]);
        expect(await reopened.claimJob("nightly", "instance-b", now, minutes(30))).toBe(false);
        // And it still takes writes at the right version.
        await expect(reopened.commit({ save: [{ plan: editedPlan(v2), expectedVersion: 1 }], audit: [] })).rejects.toBeInstanceOf(StaleVersionError);
        const [v3] = await reopened.commit({ save: [{ plan: editedPlan(v2), expectedVersion: 2 }], audit: [] });
        expect(v3?.version).toBe(3);
      });
    });

    it("says which adapter it is", () => {
      expect(["sqlite", "sharepoint"]).toContain(store.kind);
    });
  });
}
