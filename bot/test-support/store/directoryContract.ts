/**
 * The DirectoryStore contract: appropriate bodies, schools, people, ECTs and the roster's own
 * audit (issue 6), against every adapter.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Ect, Person } from "@ectsp/shared";
import { DirectoryVersionConflict, type Store } from "@ectsp/bot/store/store.js";
import { idsOf, useSeededStore, type MakeStore } from "./contractKit.js";
import { later, makeEct, makePerson, newId, t0, type World } from "./testData.js";

export function directoryContract(name: string, makeStore: MakeStore): void {
  describe(`Directory contract: ${name}`, () => {
    let store: Store;
    let other: Store;
    let w: World;
    useSeededStore(makeStore, (ctx) => ({ store, other, w } = ctx));

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

    // --- roster versions (issue 15) ---
    describe("roster versions: conditional writes", () => {
      const refused = async (write: Promise<unknown>, currentVersion: number | undefined) => {
        const e = await write.then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(e).toBeInstanceOf(DirectoryVersionConflict);
        const current = (e as DirectoryVersionConflict).current;
        // A record from before versions counts as 1.
        expect(current ? (current.version ?? 1) : undefined).toBe(currentVersion);
      };

      it("creates a person at version 1, changes them at version + 1, and refuses a stale or duplicate write without writing", async () => {
        const sam = makePerson({ schoolId: w.schoolA.id, displayName: "Sam Patel", roles: ["mentor"] });
        const created = await store.savePerson(sam, null);
        expect(created).toEqual({ ...sam, version: 1 });
        expect(await store.getPerson(sam.id)).toEqual({ ...sam, version: 1 });

        const renamed = await store.savePerson({ ...sam, displayName: "Sam Patel-Jones" }, 1);
        expect(renamed.version).toBe(2);
        expect(await other.getPerson(sam.id)).toEqual({ ...sam, displayName: "Sam Patel-Jones", version: 2 });

        // A writer who read version 1 is refused; so is a create over the id. Nothing of theirs lands.
        await refused(store.savePerson({ ...sam, displayName: "Stale Sam" }, 1), 2);
        await refused(other.savePerson({ ...sam, displayName: "Second Sam" }, null), 2);
        expect(await store.getPerson(sam.id)).toEqual({ ...sam, displayName: "Sam Patel-Jones", version: 2 });
        expect((await store.listPeople({ schoolId: w.schoolA.id })).find((p) => p.id === sam.id)?.displayName).toBe("Sam Patel-Jones");
        // A version for a record that is not there is refused too.
        const ghost = makePerson({ schoolId: w.schoolA.id });
        await refused(store.savePerson(ghost, 1), undefined);
        expect(await store.getPerson(ghost.id)).toBeUndefined();
      });

      it("counts a record from before versions as version 1", async () => {
        // Seeded with upsertPerson/upsertEct: no version.
        expect(w.mentorA.version).toBeUndefined();
        await refused(store.savePerson({ ...w.mentorA, displayName: "Two" }, 2), 1);
        expect((await store.savePerson({ ...w.mentorA, displayName: "Mo Mentor" }, 1)).version).toBe(2);
        expect((await store.saveEct({ ...w.ectA1, fte: 0.8 }, 1)).version).toBe(2);
        expect(await store.getEct(w.ectA1.id)).toEqual({ ...w.ectA1, fte: 0.8, version: 2 });
      });

      it("of two writers who read the same version, exactly one lands", async () => {
        const ect: Ect = makeEct({ personId: w.ectPersonA2.id, schoolId: w.schoolA.id, abId: w.abA.id, id: newId("ect") });
        await store.saveEct(ect, null);
        const results = await Promise.allSettled([store.saveEct({ ...ect, fte: 0.6 }, 1), other.saveEct({ ...ect, fte: 0.4 }, 1)]);
        const landed = results.filter((r) => r.status === "fulfilled");
        expect(landed).toHaveLength(1);
        expect(results.find((r) => r.status === "rejected")?.reason).toBeInstanceOf(DirectoryVersionConflict);
        const stored = await store.getEct(ect.id);
        expect(stored?.version).toBe(2);
        expect(stored?.fte).toBe((landed[0] as PromiseFulfilledResult<Ect>).value.fte);
      });

      it("refuses an ECT create over an existing id, and an ECT change against a stale version, writing nothing", async () => {
        await refused(store.saveEct({ ...w.ectA2, fte: 0.5 }, null), 1);
        await store.saveEct({ ...w.ectA2, endedOn: "2027-07-20", endReason: "completed_induction" }, 1);
        await refused(other.saveEct({ ...w.ectA2, mentorId: w.mentorA.id }, 1), 2);
        expect(await store.getEct(w.ectA2.id)).toEqual({ ...w.ectA2, endedOn: "2027-07-20", endReason: "completed_induction", version: 2 });
        expect(await store.listEcts({ mentorId: w.mentorA.id })).toEqual([w.ectA1]);
      });

      it("records sign-ins without a new version, and a roster write keeps them", async () => {
        const first = later(t0, 1000);
        const last = later(t0, 3_600_000);
        await store.recordSignIn(w.tutorA.id, first);
        await store.recordSignIn(w.tutorA.id, last);
        // A clock that went back does not move the last sign-in back.
        await store.recordSignIn(w.tutorA.id, t0);
        expect(await store.getPerson(w.tutorA.id)).toEqual({ ...w.tutorA, firstSignedInAt: first, lastSignedInAt: last });
        // The roster write was based on version 1 and never set the times: they stay.
        const saved = await other.savePerson({ ...w.tutorA, displayName: "Alex T" }, 1);
        expect(saved).toEqual({ ...w.tutorA, displayName: "Alex T", version: 2, firstSignedInAt: first, lastSignedInAt: last });
        expect(await store.getPerson(w.tutorA.id)).toEqual(saved);
        await store.recordSignIn(newId("person"), first);
      });
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

      it("keeps a school's ITT provider name (printed on its ITT paperwork), and clears it", async () => {
        await store.upsertSchool({ ...w.schoolA, ittProviderName: "Mid Essex ITT" });
        expect((await store.getSchool(w.schoolA.id))?.ittProviderName).toBe("Mid Essex ITT");
        await store.upsertSchool(w.schoolA);
        expect((await store.getSchool(w.schoolA.id))?.ittProviderName).toBeUndefined();
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
