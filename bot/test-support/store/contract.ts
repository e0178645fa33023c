/**
 * The Store contract: what every adapter (the embedded SQLite file, SharePoint lists via Graph)
 * must do, as vitest cases. An adapter's test file calls `storeContract(name, makeStore)`.
 *
 * `makeStore` is called before every test and must hand out an EMPTY store. Tests nevertheless
 * use random ids and filtered queries where they can, so a slow backend may reuse one store
 * across tests everywhere except the outbox-claim cases (which claim whatever is due).
 */
import { createHash, randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DomainError, PlanSummary, signatureProgress, type AuditEntry, type OutboxMessage, type Person, type Plan } from "@ectsp/shared";
import type { EvidenceRecord, InductionRecord } from "@ectsp/shared";
import { StaleVersionError, type ConversationRef, type Store } from "@ectsp/bot/store/store.js";
import { movableClock, type MovableClock } from "../movableClock.js";
import { chainContract } from "./chainContract.js";
import { outboxSharingContract } from "./outboxContract.js";
import {
  editedPlan,
  later,
  makeAudit,
  makeCheckIn,
  makeMessage,
  makePerson,
  makePlan,
  makeRichPlan,
  minutes,
  newId,
  seedWorld,
  t0,
  type World,
} from "./testData.js";

export interface StoreUnderTest {
  store: Store;
  /** Closes `store` and returns a fresh instance over the same data. */
  reopen: () => Promise<Store>;
  /**
   * Opens another instance over the same data, as a second server would. When given, the
   * concurrency cases spread their callers over both instances.
   */
  openAnother?: () => Promise<Store>;
  /** Closes every instance handed out and removes the data. */
  cleanup: () => Promise<void>;
}

const byId = <T extends { id: string }>(xs: T[]): T[] => [...xs].sort((a, b) => a.id.localeCompare(b.id));
const byKey = <T extends { outboxId: string }>(xs: T[]): T[] => [...xs].sort((a, b) => a.outboxId.localeCompare(b.outboxId));
const idsOf = (xs: { id: string }[]): string[] => xs.map((x) => x.id).sort();
/** A plan's caseload row as the store must list it, "awaiting signatures (n of m)" included. */
const summaryOf = (plan: Plan): PlanSummary => PlanSummary.parse({ ...plan, awaitingSignatures: signatureProgress(plan) });
/** Entries as the caller wrote them: without the seal the store adds (the chain cases check that). */
const unsealed = (xs: AuditEntry[]): AuditEntry[] => xs.map(({ seq: _seq, prevHash: _prev, hash: _hash, ...e }) => e);
const at = (iso: string) => new Date(iso);
const lease = minutes(1);

/**
 * `makeStore(clock)` must hand the store `clock` as its only source of time: the contract moves
 * it far from today and checks every time the store sets itself.
 */
export function storeContract(name: string, makeStore: (clock: MovableClock) => Promise<StoreUnderTest>): void {
  describe(`Store contract: ${name}`, () => {
    let clock: MovableClock;
    let sut: StoreUnderTest;
    let store: Store;
    let w: World;
    /** A second instance over the same data when the adapter offers one; otherwise the same store. */
    let other: Store;

    beforeEach(async () => {
      clock = movableClock(t0);
      sut = await makeStore(clock);
      store = sut.store;
      other = sut.openAnother ? await sut.openAnother() : store;
      w = await seedWorld(store);
    });

    afterEach(async () => {
      await sut.cleanup();
    });

    // ------------------------------------------------------------------ directory

    describe("directory", () => {
      it("round-trips appropriate bodies and schools; upserting again updates", async () => {
        expect(await store.getAppropriateBody(w.abA.id)).toEqual(w.abA);
        expect(await store.getSchool(w.schoolB.id)).toEqual(w.schoolB);

        const renamedAb = { ...w.abA, name: "North and East Teaching School Hub" };
        await store.upsertAppropriateBody(renamedAb);
        expect(await store.getAppropriateBody(w.abA.id)).toEqual(renamedAb);

        const moved = { ...w.schoolA, name: "Hillside Primary Academy", abId: w.abB.id };
        await store.upsertSchool(moved);
        expect(await store.getSchool(w.schoolA.id)).toEqual(moved);

        const schools = await store.listSchools();
        expect(schools.filter((s) => s.id === w.schoolA.id)).toEqual([moved]);
        expect(idsOf(schools)).toEqual(expect.arrayContaining(idsOf([w.schoolA, w.schoolB])));

        expect(await store.getAppropriateBody(newId("ab"))).toBeUndefined();
        expect(await store.getSchool(newId("school"))).toBeUndefined();
      });

      it("round-trips people; upserting again updates, and lookup by Entra id follows the change", async () => {
        expect(await store.getPerson(w.tutorA.id)).toEqual(w.tutorA);
        expect(await store.getPersonByAadObjectId(w.tutorA.aadObjectId!)).toEqual(w.tutorA);

        const newAad = randomUUID();
        const updated: Person = { ...w.tutorA, displayName: "Alex Tutor-Smith", roles: ["induction_tutor", "mentor"], aadObjectId: newAad };
        await store.upsertPerson(updated);
        expect(await store.getPerson(w.tutorA.id)).toEqual(updated);
        expect((await store.getPersonByAadObjectId(newAad))?.id).toBe(w.tutorA.id);
        expect(await store.getPersonByAadObjectId(w.tutorA.aadObjectId!)).toBeUndefined();

        // A local demo person with no Entra id yet.
        const local = makePerson({ schoolId: w.schoolA.id, displayName: "Demo Person" });
        await store.upsertPerson(local);
        expect(await store.getPerson(local.id)).toEqual(local);
        expect(await store.getPerson(newId("person"))).toBeUndefined();
        expect(await store.getPersonByAadObjectId(randomUUID())).toBeUndefined();
      });

      it("refuses two people with the same Entra object id", async () => {
        const clash = makePerson({ schoolId: w.schoolA.id, aadObjectId: w.mentorA.aadObjectId! });
        await expect(store.upsertPerson(clash)).rejects.toThrow();
        expect(await store.getPerson(clash.id)).toBeUndefined();
        expect((await store.getPersonByAadObjectId(w.mentorA.aadObjectId!))?.id).toBe(w.mentorA.id);
      });

      it("lists people by school and by AB", async () => {
        expect(idsOf(await store.listPeople({ schoolId: w.schoolA.id }))).toEqual(idsOf([w.mentorA, w.tutorA, w.headA, w.ectPersonA1, w.ectPersonA2]));
        expect(idsOf(await store.listPeople({ schoolId: w.schoolB.id }))).toEqual(idsOf([w.mentorB, w.tutorB, w.ectPersonB1]));
        expect(await store.listPeople({ abId: w.abA.id })).toEqual([w.officerA]);
        expect(await store.listPeople({ abId: w.abB.id })).toEqual([]);
        expect(await store.listPeople({ schoolId: w.schoolA.id, abId: w.abA.id })).toEqual([]);
        const everyone = await store.listPeople();
        expect(idsOf(everyone)).toEqual(
          expect.arrayContaining(idsOf([w.mentorA, w.tutorA, w.headA, w.mentorB, w.tutorB, w.officerA, w.ectPersonA1, w.ectPersonA2, w.ectPersonB1])),
        );
        expect(everyone.find((p) => p.id === w.headA.id)).toEqual(w.headA);
      });

      it("round-trips ECTs and filters them by school, AB, mentor, tutor and person", async () => {
        expect(await store.getEct(w.ectB1.id)).toEqual(w.ectB1);
        expect(await store.getEct(newId("ect"))).toBeUndefined();

        expect(idsOf(await store.listEcts({ schoolId: w.schoolA.id }))).toEqual(idsOf([w.ectA1, w.ectA2]));
        expect(await store.listEcts({ abId: w.abB.id })).toEqual([w.ectB1]);
        expect(await store.listEcts({ mentorId: w.mentorA.id })).toEqual([w.ectA1]);
        expect(idsOf(await store.listEcts({ inductionTutorId: w.tutorA.id }))).toEqual(idsOf([w.ectA1, w.ectA2]));
        expect(await store.listEcts({ personId: w.ectPersonA2.id })).toEqual([w.ectA2]);
        expect(await store.listEcts({ schoolId: w.schoolA.id, mentorId: w.mentorA.id })).toEqual([w.ectA1]);
        expect(await store.listEcts({ schoolId: w.schoolB.id, mentorId: w.mentorA.id })).toEqual([]);
        expect(idsOf(await store.listEcts())).toEqual(expect.arrayContaining(idsOf([w.ectA1, w.ectA2, w.ectB1])));

        // Upserting again updates: ECT A2 gets mentor A.
        const mentored = {
          ...w.ectA2,
          mentorId: w.mentorA.id,
          extensions: [{ source: "automatic" as const, terms: 0.5, reason: "Absence", decidedOn: "2027-01-10" }],
        };
        await store.upsertEct(mentored);
        expect(await store.getEct(w.ectA2.id)).toEqual(mentored);
        expect(idsOf(await store.listEcts({ mentorId: w.mentorA.id }))).toEqual(idsOf([w.ectA1, w.ectA2]));
        expect(await store.listEcts({ inductionTutorId: w.mentorA.id })).toEqual([]);
      });
    });

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
          save: [
            { plan: editedPlan(bystander), expectedVersion: 1 }, // would succeed on its own
            { plan: editedPlan(plan, { term: "Lost update" }), expectedVersion: 1 },
          ],
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

        // The store offers no way to remove or rewrite anything.
        const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(store));
        expect(methods.filter((m) => /^(delete|remove|purge|update(Audit|Plan)|clear)/i.test(m))).toEqual([]);
      });
    });

    // ------------------------------------------------------------------ check-ins

    describe("check-ins", () => {
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
    });

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

    // ------------------------------------------------------------------ records (issue 7)

    describe("records (issue 7): evidence and induction records", () => {
      const evidenceFor = (plan: Plan, bytes: Uint8Array, overrides: Partial<EvidenceRecord> = {}): EvidenceRecord => ({
        id: newId("evidence"),
        ectId: plan.ectId,
        planId: plan.id,
        targetId: "target-1",
        fileName: "Observation notes.txt",
        kind: "text",
        contentType: "text/plain; charset=utf-8",
        size: bytes.length,
        sha256: createHash("sha256").update(bytes).digest("hex"),
        uploadedAt: t0,
        uploadedBy: w.tutorA.id,
        uploadedByName: w.tutorA.displayName,
        ...overrides,
      });

      it("keeps a file with its record and audit, reads it back, and hides it on a soft delete", async () => {
        const plan = makePlan({ ectId: w.ectA1.id, schoolId: w.schoolA.id, abId: w.abA.id });
        await store.commit({ create: [plan], audit: [] });
        const small = new TextEncoder().encode("Observed 3 lessons: routines consistent.\n");
        // Over 4 MB: SharePoint sends it through an upload session in fragments.
        const large = new Uint8Array(4 * 1024 * 1024 + 700 * 1024).map((_, i) => 65 + (i % 26));
        const a = evidenceFor(plan, small);
        const b = evidenceFor(plan, large, { uploadedAt: later(t0, 1000), targetId: "target-2" });
        await store.addEvidence(a, small, [makeAudit({ ectId: plan.ectId, planId: plan.id, action: "attachEvidence" })]);
        await store.addEvidence(b, large, [makeAudit({ ectId: plan.ectId, planId: plan.id, action: "attachEvidence" })]);

        expect(await other.getEvidence(a.id)).toEqual(a);
        expect((await other.listEvidence({ planId: plan.id })).map((e) => e.id)).toEqual([a.id, b.id]);
        expect((await other.listEvidence({ planId: plan.id, targetId: "target-2" })).map((e) => e.id)).toEqual([b.id]);
        expect(Buffer.from((await other.readEvidenceContent(a.id))!).equals(Buffer.from(small))).toBe(true);
        expect(Buffer.from((await other.readEvidenceContent(b.id))!).equals(Buffer.from(large))).toBe(true);

        const gone = { ...a, deletedAt: later(t0, 5000), deletedBy: w.tutorA.id };
        await store.markEvidenceDeleted(gone, [makeAudit({ ectId: plan.ectId, planId: plan.id, action: "deleteEvidence" })]);
        expect((await other.listEvidence({ planId: plan.id })).map((e) => e.id)).toEqual([b.id]);
        expect((await other.listEvidence({ planId: plan.id, includeDeleted: true })).map((e) => e.id)).toEqual([a.id, b.id]);
        expect(await other.getEvidence(a.id)).toEqual(gone);
        expect(await other.readEvidenceContent(a.id)).toBeDefined(); // kept for retention
        await expect(store.markEvidenceDeleted(gone, [])).rejects.toBeInstanceOf(DomainError);
        expect((await store.listAudit({ planId: plan.id })).map((e) => e.action)).toEqual(["attachEvidence", "attachEvidence", "deleteEvidence"]);
      });

      it("leaves nothing behind when the record cannot be written", async () => {
        const plan = makePlan({ ectId: w.ectA1.id, schoolId: w.schoolA.id, abId: w.abA.id });
        const taken = makeAudit({ ectId: plan.ectId, planId: plan.id });
        await store.commit({ create: [plan], audit: [taken] });
        const bytes = new TextEncoder().encode("notes");
        const e = evidenceFor(plan, bytes);
        // The audit entry's id is taken: the whole unit fails.
        await expect(store.addEvidence(e, bytes, [{ ...taken }])).rejects.toThrow();
        expect(await store.getEvidence(e.id)).toBeUndefined();
        expect(await store.readEvidenceContent(e.id)).toBeUndefined();
        expect(await store.listEvidence({ planId: plan.id, includeDeleted: true })).toEqual([]);
        expect(unsealed(await store.listAudit({ planId: plan.id }))).toEqual([taken]);
      });

      it("appends induction records and lists them by ECT and kind", async () => {
        const base = { schoolId: w.schoolA.id, abId: w.abA.id, recordedBy: w.tutorA.id, recordedByName: w.tutorA.displayName };
        const review: InductionRecord = {
          ...base,
          id: newId("record"),
          kind: "progress_review",
          ectId: w.ectA1.id,
          scaleId: "progress_review_2025",
          recordedAt: t0,
          review: {
            ectId: w.ectA1.id,
            date: "2026-11-02",
            onTrack: true,
            evidenceSummary: "",
            ratings: { "1": { ratingId: "secure", statement: "" } },
            targets: [{ text: "Keep going", standards: ["1a"] }],
          },
        };
        const concern: InductionRecord = {
          ...base,
          id: newId("record"),
          kind: "concern",
          ectId: w.ectA1.id,
          contact: "induction_tutor",
          about: "induction",
          text: "Private words",
          visibleTo: [w.tutorA.id],
          recordedAt: later(t0, 1000),
        };
        await store.addRecords([review, concern], [makeAudit({ ectId: w.ectA1.id, action: "recordProgressReview" })], [makeMessage({ ectId: w.ectA1.id })]);
        expect(await other.getInductionRecord(review.id)).toEqual(review);
        expect((await other.listRecords({ ectIds: [w.ectA1.id] })).map((r) => r.id)).toEqual([review.id, concern.id]);
        expect((await other.listRecords({ ectIds: [w.ectA1.id], kind: "concern" })).map((r) => r.id)).toEqual([concern.id]);
        expect(await other.listRecords({ ectIds: [w.ectB1.id] })).toEqual([]);
        expect(await other.listRecords({ ectIds: [] })).toEqual([]);
        await expect(store.addRecords([review], [])).rejects.toThrow();
      });
    });

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

    // --- issue 12: the hash-chained audit, awaiting signatures, ITT signers ---
    chainContract(() => ({ store, other, w, sut }));

    // --- issue 14: the outbox shared by instances ---
    describe("outbox shared by instances", () => {
      outboxSharingContract(() => ({ store, other, w, clock }));
    });

    // --- roster (issue 6) ---
    describe("roster: directory audit and AB webhooks", () => {
      it("appends directory audit entries once each, listed by school or AB in time order", async () => {
        const entry = (at: string, extra: Record<string, string>) => ({
          id: newId("dir-audit"),
          at,
          actorId: w.schoolA.id,
          actorName: "Lead",
          action: "roster_person_updated",
          subjectId: newId("person"),
          summary: "roles",
          ...extra,
        });
        const second = entry(later(t0, 60_000), { schoolId: w.schoolA.id });
        const first = entry(t0, { schoolId: w.schoolA.id });
        const abLevel = entry(t0, { abId: w.abA.id });
        await store.appendDirectoryAudit([second, first, abLevel]);
        await store.appendDirectoryAudit([{ ...first, summary: "rewritten" }]);
        expect(await store.listDirectoryAudit({ schoolId: w.schoolA.id })).toEqual([first, second]);
        expect(await store.listDirectoryAudit({ abId: w.abA.id })).toEqual([abLevel]);
        expect(await store.listDirectoryAudit({ schoolId: w.schoolB.id })).toEqual([]);
      });

      it("keeps an appropriate body's alert webhook URL, and removes it", async () => {
        const url = "https://prod-00.uksouth.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=xyz";
        await store.upsertAppropriateBody({ ...w.abB, alertWebhookUrl: url });
        expect((await store.getAppropriateBody(w.abB.id))?.alertWebhookUrl).toBe(url);
        await store.upsertAppropriateBody({ id: w.abB.id, name: w.abB.name });
        expect((await store.getAppropriateBody(w.abB.id))?.alertWebhookUrl).toBeUndefined();
      });

      it("keeps a school's linked appropriate bodies and its own alert webhook for each, and replaces them", async () => {
        const url = "https://prod-00.uksouth.logic.azure.com/workflows/def/triggers/manual/paths/invoke?sig=school";
        const set = { ...w.schoolA, linkedAbIds: [w.abB.id], alertWebhooks: [{ abId: w.abB.id, url }] };
        await store.upsertSchool(set);
        expect(await store.getSchool(w.schoolA.id)).toEqual(set);
        const cleared = { ...w.schoolA, linkedAbIds: [], alertWebhooks: [] };
        await store.upsertSchool(cleared);
        expect(await store.getSchool(w.schoolA.id)).toEqual(cleared);
      });
    });
  });
}
