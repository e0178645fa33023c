import { Plan, type Person } from "@ectsp/shared";
import type { Store } from "@ectsp/bot/store/store.js";

export interface FanoutWorld {
  ectPersonIds: string[];
  planIds: string[];
  conversationOf: (personId: string) => string;
}

const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * A school with `n` ECTs, each on an active Level 2 plan that started yesterday, each with a
 * personal conversation on `serviceUrl`: the weekly fan-out's worst case (one check-in each).
 */
export async function seedFanoutWorld(store: Store, n: number, serviceUrl: string, now: Date): Promise<FanoutWorld> {
  const today = now.toISOString().slice(0, 10);
  const start = addDays(today, -1);
  const ab = { id: "ab-fanout", name: "Fan-out AB" };
  const school = { id: "school-fanout", name: "Fan-out Academy", abId: ab.id };
  await store.upsertAppropriateBody(ab);
  await store.upsertSchool(school);
  const tutor: Person = { id: "person-fanout-tutor", displayName: "Tutor", email: "tutor@fanout.example", roles: ["induction_tutor"], schoolId: school.id };
  await store.upsertPerson(tutor);
  const conversationOf = (personId: string) => `a:conv-${personId}`;
  const ectPersonIds: string[] = [];
  const plans: Plan[] = [];
  for (let i = 0; i < n; i++) {
    const personId = `person-fanout-ect-${i}`;
    const ectId = `ect-fanout-${i}`;
    ectPersonIds.push(personId);
    await store.upsertPerson({ id: personId, displayName: `ECT ${i}`, email: `ect${i}@fanout.example`, roles: ["ect"], schoolId: school.id });
    await store.upsertEct({
      id: ectId,
      personId,
      schoolId: school.id,
      abId: ab.id,
      inductionTutorId: tutor.id,
      inductionStartDate: addDays(today, -60),
      fte: 1,
      absences: [],
      extensions: [],
      track: "ect",
    });
    const conversationId = conversationOf(personId);
    await store.saveConversationRef(personId, {
      conversationId,
      serviceUrl,
      channelId: "msteams",
      channelUserId: personId,
      reference: {
        activityId: "seed",
        user: { id: personId },
        bot: { id: "28:bot", name: "Support plans" },
        conversation: { id: conversationId, conversationType: "personal" },
        channelId: "msteams",
        serviceUrl,
      },
      updatedAt: now.toISOString(),
    });
    plans.push(
      Plan.parse({
        id: `plan-fanout-${i}`,
        ectId,
        schoolId: school.id,
        abId: ab.id,
        templateId: "level_2",
        level: 2,
        status: "active",
        version: 1,
        revision: 1,
        startDate: start,
        endDate: addDays(start, 42),
        reviewDate: addDays(start, 42),
        signers: [
          { role: "induction_tutor", personId: tutor.id },
          { role: "ect", personId },
        ],
        signatures: [
          { role: "induction_tutor", personId: tutor.id, name: "Tutor", signedAt: now.toISOString(), revision: 1 },
          { role: "ect", personId, name: `ECT ${i}`, signedAt: now.toISOString(), revision: 1 },
        ],
        targets: [{ id: `t-${i}`, standards: ["7b"], text: "Establish routines" }],
        weeks: Array.from({ length: 6 }, (_, w) => ({ week: w + 1, action: `Week ${w + 1} action`, successCriteria: "Seen in lessons" })),
        createdAt: now.toISOString(),
        createdBy: tutor.id,
        updatedAt: now.toISOString(),
        updatedBy: tutor.id,
        retainUntil: addDays(today, 365 * 8),
      }),
    );
  }
  for (let i = 0; i < plans.length; i += 500) await store.commit({ create: plans.slice(i, i + 500), audit: [] });
  return { ectPersonIds, planIds: plans.map((p) => p.id), conversationOf };
}
