/**
 * Factories for valid test records (each goes through its zod schema, so defaults are filled and
 * anything invalid fails at the factory, not deep in a test). Ids are random, so tests can share
 * a store without colliding. No test framework imports here: the build compiles this file.
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { AppropriateBody, AuditEntry, CheckIn, Ect, Person, Plan, School, type NewOutboxMessage } from "@ectsp/shared";
import type { Store } from "@ectsp/bot/store/store.js";

export const newId = (prefix = "id"): string => `${prefix}-${randomUUID()}`;

/** A fixed instant the factories use unless told otherwise. */
export const t0 = "2026-11-02T09:00:00.000Z";

/** `base` moved on by `ms` milliseconds, as an ISO string. */
export const later = (base: string | Date, ms: number): string => new Date(new Date(base).getTime() + ms).toISOString();

export const minutes = (n: number) => n * 60_000;

export function makeAb(overrides: Partial<AppropriateBody> = {}): AppropriateBody {
  return AppropriateBody.parse({ id: newId("ab"), name: "North Teaching School Hub", ...overrides });
}

export function makeSchool(overrides: Partial<School> & Pick<School, "abId">): School {
  return School.parse({ id: newId("school"), name: "Hillside Primary", ...overrides });
}

export function makePerson(overrides: Partial<Person> = {}): Person {
  const id = overrides.id ?? newId("person");
  return Person.parse({
    id,
    displayName: "Sam Taylor",
    email: `${id}@school.example`,
    roles: ["ect"],
    ...overrides,
  });
}

export function makeEct(overrides: Partial<z.input<typeof Ect>> & Pick<Ect, "personId" | "schoolId" | "abId">): Ect {
  return Ect.parse({
    id: newId("ect"),
    inductionStartDate: "2026-09-01",
    fte: 1,
    ...overrides,
  });
}

type PlanOverrides = Partial<z.input<typeof Plan>> & Pick<Plan, "ectId" | "schoolId" | "abId">;

/** A minimal valid draft Level 2 plan at version 1. */
export function makePlan(overrides: PlanOverrides): Plan {
  return Plan.parse({
    id: newId("plan"),
    templateId: "level_2",
    level: 2,
    status: "draft",
    version: 1,
    revision: 1,
    signers: [{ role: "ect", personId: "person-ect" }, { role: "induction_tutor" }],
    startDate: "2026-11-02",
    endDate: "2026-12-11",
    reviewDate: "2026-12-11",
    term: "Autumn 2026",
    createdAt: t0,
    createdBy: "person-tutor",
    updatedAt: t0,
    updatedBy: "person-tutor",
    retainUntil: "2034-09-01",
    ...overrides,
  });
}

/** A plan with every part filled: targets, weeks, meetings, signatures, comments, review. */
export function makeRichPlan(overrides: PlanOverrides): Plan {
  const targetId = newId("target");
  return makePlan({
    templateId: "level_3",
    level: 3,
    status: "active",
    term: "Autumn 2026",
    initialMeetingDate: "2026-11-02",
    presentAtMeeting: "ECT, induction tutor, mentor",
    statementOfConcern: "Behaviour management in Year 9 lessons is not yet secure.",
    relatedStandards: ["7", "7a", "7d"],
    targets: [
      {
        id: targetId,
        standards: ["7a", "7d"],
        text: "Establish a consistent routine for the start of lessons",
        ectActions: "Plan entry routines; rehearse with the class",
        schoolActions: "Mentor to model routines in a joint lesson",
        supportedBy: "Mentor",
        resources: "PD time on Thursday afternoons",
        successCriteria: "Lessons start calmly within three minutes",
        timeScale: "Six weeks",
        reviewDate: "2026-12-11",
        outcomeEntries: [{ date: "2026-11-16", text: "Routine in place for two classes" }],
        outcomeAtReview: "partially",
      },
    ],
    weeks: [1, 2, 3, 4, 5, 6].map((week) => ({
      week,
      action: `Week ${week} action`,
      byWhom: "Mentor",
      resources: "",
      successCriteria: "",
      evaluation: week === 1 ? "Good start" : "",
      ectComment: week === 1 ? "Felt more confident" : "",
      ...(week === 1 ? { ectCommentAt: "2026-11-06T15:30:00.000Z" } : {}),
    })),
    meetings: [{ id: newId("meeting"), kind: "initial", date: "2026-11-02", attendees: "ECT, tutor", outline: "Agreed targets" }],
    signatures: [{ role: "ect", personId: "person-ect", name: "Sam Taylor", signedAt: "2026-11-03T10:00:00.000Z", revision: 1 }],
    comments: [{ id: newId("comment"), authorId: "person-tutor", authorName: "Alex Tutor", at: "2026-11-04T12:00:00+01:00", text: "Well done", week: 1 }],
    review: {
      date: "2026-12-11",
      targetOutcomes: [{ targetId, outcome: "partially_met", evidence: "Observation notes" }],
      onTrack: false,
      recordedBy: "person-tutor",
      recordedAt: "2026-12-11T16:00:00.000Z",
    },
    ...overrides,
  });
}

/** The saved form of a plan: some content changed, version moved on by one as the use cases do. */
export function editedPlan(plan: Plan, changes: Partial<Plan> = {}, at = later(plan.updatedAt, minutes(5))): Plan {
  return Plan.parse({ ...plan, term: `${plan.term} (edited)`, ...changes, version: plan.version + 1, updatedAt: at });
}

export function makeAudit(overrides: Partial<AuditEntry> & Pick<AuditEntry, "ectId">): AuditEntry {
  return AuditEntry.parse({
    id: newId("audit"),
    at: t0,
    actorId: "person-tutor",
    actorName: "Alex Tutor",
    action: "savePlan",
    summary: "Changed week 1 evaluation",
    ...overrides,
  });
}

export function makeCheckIn(overrides: Partial<CheckIn> & Pick<CheckIn, "planId" | "ectId">): CheckIn {
  return CheckIn.parse({ id: newId("checkin"), week: 1, dueOn: "2026-11-06", status: "open", ...overrides });
}

export function makeMessage(overrides: Partial<NewOutboxMessage> = {}): NewOutboxMessage {
  const recipientId = overrides.recipientId ?? newId("person");
  return {
    kind: "checkin_prompt",
    recipientId,
    dedupeKey: newId("dedupe"),
    data: { week: 1 },
    ...overrides,
  };
}

/** A small directory: two ABs, a school under each, staff, and three ECTs. */
export interface World {
  abA: AppropriateBody;
  abB: AppropriateBody;
  schoolA: School;
  schoolB: School;
  mentorA: Person;
  tutorA: Person;
  headA: Person;
  mentorB: Person;
  tutorB: Person;
  officerA: Person;
  ectPersonA1: Person;
  ectPersonA2: Person;
  ectPersonB1: Person;
  /** School A, mentor A, tutor A. */
  ectA1: Ect;
  /** School A, no mentor yet, tutor A. */
  ectA2: Ect;
  /** School B, mentor B, tutor B. */
  ectB1: Ect;
  /** A valid plan for the ECT, with overrides. */
  planFor(ect: Ect, overrides?: Partial<z.input<typeof Plan>>): Plan;
}

export function makeWorld(): World {
  const abA = makeAb({ name: "North Teaching School Hub" });
  const abB = makeAb({ name: "South Appropriate Body" });
  const schoolA = makeSchool({ abId: abA.id, name: "Hillside Primary" });
  const schoolB = makeSchool({ abId: abB.id, name: "Riverside Academy" });
  const staff = (school: School, displayName: string, roles: Person["roles"]) =>
    makePerson({ displayName, roles, schoolId: school.id, aadObjectId: randomUUID() });
  const mentorA = staff(schoolA, "Morgan Mentor", ["mentor"]);
  const tutorA = staff(schoolA, "Alex Tutor", ["induction_tutor"]);
  const headA = staff(schoolA, "Harper Head", ["head", "induction_lead"]);
  const mentorB = staff(schoolB, "Jordan Mentor", ["mentor"]);
  const tutorB = staff(schoolB, "Casey Tutor", ["induction_tutor", "head"]);
  const officerA = makePerson({ displayName: "Robin Officer", roles: ["ab_officer"], abId: abA.id, aadObjectId: randomUUID() });
  const ectPersonA1 = staff(schoolA, "Sam Taylor", ["ect"]);
  const ectPersonA2 = staff(schoolA, "Ali Khan", ["ect"]);
  const ectPersonB1 = staff(schoolB, "Jo Evans", ["ect"]);
  const ectA1 = makeEct({ personId: ectPersonA1.id, schoolId: schoolA.id, abId: abA.id, mentorId: mentorA.id, inductionTutorId: tutorA.id });
  const ectA2 = makeEct({ personId: ectPersonA2.id, schoolId: schoolA.id, abId: abA.id, inductionTutorId: tutorA.id, fte: 0.6 });
  const ectB1 = makeEct({
    personId: ectPersonB1.id,
    schoolId: schoolB.id,
    abId: abB.id,
    mentorId: mentorB.id,
    inductionTutorId: tutorB.id,
    absences: [{ from: "2026-10-05", to: "2026-10-09", days: 5, leaveType: "counting" }],
  });
  const planFor = (ect: Ect, overrides: Partial<z.input<typeof Plan>> = {}) =>
    makePlan({
      ectId: ect.id,
      schoolId: ect.schoolId,
      abId: ect.abId,
      signers: [
        { role: "ect", personId: ect.personId },
        ect.inductionTutorId ? { role: "induction_tutor", personId: ect.inductionTutorId } : { role: "induction_tutor" },
      ],
      createdBy: ect.inductionTutorId ?? "person-tutor",
      updatedBy: ect.inductionTutorId ?? "person-tutor",
      ...overrides,
    });
  return {
    abA,
    abB,
    schoolA,
    schoolB,
    mentorA,
    tutorA,
    headA,
    mentorB,
    tutorB,
    officerA,
    ectPersonA1,
    ectPersonA2,
    ectPersonB1,
    ectA1,
    ectA2,
    ectB1,
    planFor,
  };
}

/** Writes the world's directory to a store, parents first (the embedded store checks references). */
export async function seedWorld(store: Store, world: World = makeWorld()): Promise<World> {
  for (const ab of [world.abA, world.abB]) await store.upsertAppropriateBody(ab);
  for (const school of [world.schoolA, world.schoolB]) await store.upsertSchool(school);
  for (const person of [
    world.mentorA,
    world.tutorA,
    world.headA,
    world.mentorB,
    world.tutorB,
    world.officerA,
    world.ectPersonA1,
    world.ectPersonA2,
    world.ectPersonB1,
  ]) {
    await store.upsertPerson(person);
  }
  for (const ect of [world.ectA1, world.ectA2, world.ectB1]) await store.upsertEct(ect);
  return world;
}
