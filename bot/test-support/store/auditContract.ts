/**
 * The AuditStore contract: the plan audit is append-only and read in chain order; chainContract.ts
 * adds the hash chain on every path that appends (issue 12).
 */
import { describe, expect, it } from "vitest";
import type { Store } from "@ectsp/bot/store/store.js";
import { chainContract } from "./chainContract.js";
import { unsealed, useSeededStore, type MakeStore, type StoreUnderTest } from "./contractKit.js";
import { editedPlan, later, makeAudit, minutes, newId, t0, type World } from "./testData.js";

export function auditContract(name: string, makeStore: MakeStore): void {
  describe(`Audit contract: ${name}`, () => {
    let store: Store;
    let other: Store;
    let w: World;
    let sut: StoreUnderTest;
    useSeededStore(makeStore, (ctx) => ({ store, other, w, sut } = ctx));

    // ------------------------------------------------------------------ audit

    describe("audit", () => {
      it("lists a plan's entries in the order appended, an ECT's chains merged by time, filtered by plan and by ECT", async () => {
        const plan = w.planFor(w.ectA1);
        const otherPlan = w.planFor(w.ectB1);
        await store.commit({ create: [plan, otherPlan], audit: [] });

        const late = makeAudit({ ectId: w.ectA1.id, planId: plan.id, at: later(t0, minutes(10)), action: "savePlan" });
        const early = makeAudit({ ectId: w.ectA1.id, planId: plan.id, at: later(t0, minutes(5)), action: "signPlan" });
        // 10:07 at +01:00 is 09:07Z: between the two, though it sorts last as text.
        const ectLevel = makeAudit({ ectId: w.ectA1.id, at: "2026-11-02T10:07:00+01:00", action: "assignMentor" });
        const elsewhere = makeAudit({ ectId: w.ectB1.id, planId: otherPlan.id, at: later(t0, minutes(1)) });

        await store.commit({ audit: [late] });
        await store.commit({ audit: [early, elsewhere] });
        await store.commit({ audit: [ectLevel] });

        // The chain's order is the order appended (what the hashes vouch for), even where the
        // clock of a later entry reads earlier.
        expect(unsealed(await store.listAudit({ planId: plan.id }))).toEqual([late, early]);
        // The ECT's own chain (09:07) and the plan's (first entry 09:10) merged by time, each in its order.
        expect(unsealed(await store.listAudit({ ectId: w.ectA1.id }))).toEqual([ectLevel, late, early]);
        expect(unsealed(await store.listAudit({ ectId: w.ectB1.id }))).toEqual([elsewhere]);
        expect(await store.listAudit({ ectId: w.ectA1.id, planId: otherPlan.id })).toEqual([]);
        expect(await store.listAudit({ planId: newId("plan") })).toEqual([]);
      });

      it("is append-only: later writes never change earlier entries, and entries at one instant keep their order", async () => {
        const plan = w.planFor(w.ectA1);
        const first = [1, 2, 3].map((i) => makeAudit({ ectId: plan.ectId, planId: plan.id, at: t0, summary: `Entry ${i}` }));
        await store.commit({ create: [plan], audit: first });
        const stored = await store.listAudit({ planId: plan.id });
        expect(unsealed(stored)).toEqual(first);

        const next = makeAudit({ ectId: plan.ectId, planId: plan.id, at: later(t0, 1), summary: "Entry 4" });
        await store.commit({ save: [{ plan: editedPlan(plan), expectedVersion: 1 }], audit: [next] });
        const after = await other.listAudit({ planId: plan.id });
        expect(unsealed(after)).toEqual([...first, next]);
        expect(after.slice(0, 3)).toEqual(stored); // seals included: nothing earlier was rewritten

        // The store offers no way to remove or rewrite anything, but the retention deletion (issue
        // 16, item 9), which removes an ECT's records past their date and only ever appends to the
        // audit (retentionContract.ts checks the trail still verifies after it).
        const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(store));
        expect(methods.filter((m) => /^(delete|remove|purge|update(Audit|Plan)|clear)/i.test(m))).toEqual(["deleteEctRecords"]);
      });
    });

    // --- issue 12: the hash-chained audit, awaiting signatures, ITT signers ---
    chainContract(() => ({ store, other, w, sut }));
  });
}
