/**
 * The DirectoryStore contract: appropriate bodies, schools, people, ECTs and the roster's own
 * audit (issue 6), against every adapter.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Person } from "@ectsp/shared";
import type { Store } from "@ectsp/bot/store/store.js";
import { idsOf, useSeededStore, type MakeStore } from "./contractKit.js";
import { later, makePerson, newId, t0, type World } from "./testData.js";

export function directoryContract(name: string, makeStore: MakeStore): void {
  describe(`Directory contract: ${name}`, () => {
    let store: Store;
    let w: World;
    useSeededStore(makeStore, (ctx) => ({ store, w } = ctx));

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
