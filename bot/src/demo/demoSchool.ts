import { randomUUID } from "node:crypto";
import { schoolDate, type Ect, type Person } from "@ectsp/shared";
import type { Store } from "../store/store.js";
import { PlanService } from "../app/planService.js";
import type { PlanDeps } from "../plans/deps.js";
import { createPlan } from "../plans/createPlan.js";
import { editPlan } from "../plans/editPlan.js";
import { requestSignatures } from "../plans/requestSignatures.js";
import { signPlan } from "../plans/signPlan.js";
import { recordCheckIn } from "../plans/recordCheckIn.js";
import { recordReview } from "../plans/recordReview.js";
import { concludeReview } from "../plans/concludeReview.js";

/** The start of the academic year `yearsAgo` years before `today` (1 September). */
function septemberOf(today: Date, yearsAgo: number): string {
  const day = schoolDate(today);
  const year = Number(day.slice(5, 7)) >= 9 ? Number(day.slice(0, 4)) : Number(day.slice(0, 4)) - 1;
  return `${year - yearsAgo}-09-01`;
}

const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

export const demoIds = {
  ab: "ab-essex-hub",
  school: "school-riverside",
  otherSchool: "school-northgate",
  head: "person-head",
  lead: "person-lead",
  tutorA: "person-tutor-a",
  tutorB: "person-tutor-b",
  mentorA: "person-mentor-a",
  mentorB: "person-mentor-b",
  mentorC: "person-mentor-c",
  abOfficer: "person-ab-officer",
  otherHead: "person-northgate-head",
  otherTutor: "person-northgate-tutor",
  ects: ["ect-amy", "ect-ben", "ect-chloe", "ect-daniel", "ect-erin", "ect-farah", "ect-george"],
} as const;

const person = (id: string, displayName: string, roles: Person["roles"], where: { schoolId?: string; abId?: string }): Person => ({
  id,
  displayName,
  email: `${id.replace("person-", "")}@demo.school.example`,
  roles,
  ...where,
});

/**
 * A demo school for local mode: a head, an induction lead, two induction tutors, mentors,
 * six ECTs in ECT1 and ECT2, an AB officer, and plans at different levels — each written
 * through the server's use cases (bot/src/plans), so its audit trail is what a real school would
 * see: plans are sent for signature before anyone signs.
 */
export async function seedDemoSchool(store: Store, today: Date): Promise<void> {
  const ecT1Start = septemberOf(today, 0);
  const ecT2Start = septemberOf(today, 1);
  const S = demoIds.school;
  await store.upsertAppropriateBody({ id: demoIds.ab, name: "Essex Teaching School Hub (Appropriate Body)" });
  // The ITT provider its trainees' early support paperwork is headed with (seed 002).
  await store.upsertSchool({ id: S, name: "Riverside Primary Academy", abId: demoIds.ab, ittProviderName: "Mid Essex ITT" });
  await store.upsertSchool({ id: demoIds.otherSchool, name: "Northgate High School", abId: demoIds.ab });

  const staff: Person[] = [
    person(demoIds.head, "Helen Carter", ["head"], { schoolId: S }),
    person(demoIds.lead, "Imran Malik", ["induction_lead"], { schoolId: S }),
    person(demoIds.tutorA, "Sarah Thompson", ["induction_tutor"], { schoolId: S }),
    person(demoIds.tutorB, "James Patel", ["induction_tutor"], { schoolId: S }),
    person(demoIds.mentorA, "Laura Bennett", ["mentor"], { schoolId: S }),
    person(demoIds.mentorB, "Tom Reid", ["mentor"], { schoolId: S }),
    person(demoIds.mentorC, "Nadia Hussain", ["mentor"], { schoolId: S }),
    person(demoIds.abOfficer, "Priya Shah", ["ab_officer"], { abId: demoIds.ab }),
    person(demoIds.otherHead, "Mark Ellis", ["head", "induction_tutor"], { schoolId: demoIds.otherSchool }),
  ];
  const ectPeople = [
    ["ect-amy", "Amy Clarke", ecT1Start, demoIds.tutorA, demoIds.mentorA, S],
    ["ect-ben", "Ben Okafor", ecT2Start, demoIds.tutorA, demoIds.mentorB, S],
    ["ect-chloe", "Chloe Evans", ecT1Start, demoIds.tutorB, demoIds.mentorC, S],
    ["ect-daniel", "Daniel Hughes", ecT2Start, demoIds.tutorB, demoIds.mentorA, S],
    ["ect-erin", "Erin Walsh", ecT1Start, demoIds.tutorA, demoIds.mentorB, S],
    ["ect-farah", "Farah Ahmed", ecT2Start, demoIds.tutorB, demoIds.mentorC, S],
    ["ect-george", "George Lam", ecT2Start, demoIds.otherHead, undefined, demoIds.otherSchool],
  ] as const;
  for (const p of staff) await store.upsertPerson(p);
  for (const [id, name, start, tutor, mentor, school] of ectPeople) {
    await store.upsertPerson(person(`person-${id}`, name, ["ect"], { schoolId: school }));
    const ect: Ect = {
      id,
      personId: `person-${id}`,
      schoolId: school,
      abId: demoIds.ab,
      inductionTutorId: tutor,
      ...(mentor ? { mentorId: mentor } : {}),
      inductionStartDate: start,
      fte: id === "ect-farah" ? 0.8 : 1,
      absences: [],
      extensions: [],
      track: "ect",
    };
    await store.upsertEct(ect);
  }

  const service = new PlanService(store, { now: () => today }, randomUUID);
  // No bot runs while seeding: nothing is posted, so there are no cards to keep current.
  const deps: PlanDeps = { service };
  const who = async (personId: string): Promise<Person> => (await store.getPerson(personId)) as Person;
  /** The lead sends the plan for signature, then each signer signs it in the app. */
  const agree = async (planId: string, lead: Person, signers: Person[]) => {
    let { plan } = await requestSignatures(deps, lead, planId);
    for (const signer of signers) ({ plan } = await signPlan(deps, signer, planId, { revision: plan.revision }, "tab"));
    return plan;
  };
  const todayIso = schoolDate(today);
  const weekAgo = (n: number) => addDays(todayIso, -7 * n);

  // Amy (ECT1): a Level 2 support plan, agreed and two weeks in, with her comment on week 1.
  {
    const tutor = await who(demoIds.tutorA);
    const amy = await who("person-ect-amy");
    let { plan } = await createPlan(deps, tutor, {
      ectId: "ect-amy",
      templateId: "level_2",
      content: {
        startDate: weekAgo(2),
        endDate: addDays(weekAgo(2), 42),
        reviewDate: addDays(weekAgo(2), 42),
        targets: [
          {
            id: randomUUID(),
            standards: ["7b", "7d"],
            text: "Establish consistent routines for transitions and use the school's behaviour policy fairly",
            ectActions: "",
            schoolActions: "",
            supportedBy: "",
            resources: "",
            successCriteria: "",
            timeScale: "",
            observationOutcome: "",
            outcomeEntries: [],
          },
          {
            id: randomUUID(),
            standards: ["4a"],
            text: "Plan lessons that use time productively, with a clear starter and plenary",
            ectActions: "",
            schoolActions: "",
            supportedBy: "",
            resources: "",
            successCriteria: "",
            timeScale: "",
            observationOutcome: "",
            outcomeEntries: [],
          },
        ],
      },
    });
    const weeks = plan.weeks.map((w) =>
      w.week === 1
        ? {
            ...w,
            action: "Observe the KS2 lead's Year 4 class at transitions (Sarah to arrange)",
            byWhom: "Amy, Sarah Thompson",
            resources: "1 hour PD time",
            successCriteria: "Amy lists three routines to adopt",
            evaluation: "Amy identified clear routines and began using a countdown",
          }
        : w.week === 2
          ? {
              ...w,
              action: "Introduce the routines; mentor drop-in on Thursday",
              byWhom: "Amy, Laura Bennett",
              resources: "Mentor meeting",
              successCriteria: "Routines used in every lesson observed",
            }
          : w,
    );
    ({ plan } = await editPlan(deps, tutor, plan.id, { version: plan.version, content: { ...plan, weeks } }));
    plan = await agree(plan.id, tutor, [tutor, amy]);
    await recordCheckIn(deps, amy, plan.id, {
      week: 1,
      comment: "The countdown helped after lunch. I'd like to see another transition in a different class.",
    });
  }

  // Ben (ECT2): escalated from Level 3 to Level 4, cause for concern, with the AB meeting booked.
  {
    const tutor = await who(demoIds.tutorA);
    let { plan } = await createPlan(deps, tutor, {
      ectId: "ect-ben",
      templateId: "level_3",
      content: {
        startDate: weekAgo(7),
        endDate: addDays(weekAgo(7), 35),
        targets: [
          {
            id: randomUUID(),
            standards: ["6b", "6d"],
            text: "Use formative assessment to check understanding before moving on",
            ectActions: "",
            schoolActions: "",
            supportedBy: "",
            resources: "",
            successCriteria: "",
            timeScale: "",
            observationOutcome: "",
            outcomeEntries: [],
          },
          {
            id: randomUUID(),
            standards: ["2a"],
            text: "Track pupils' progress and act on gaps",
            ectActions: "",
            schoolActions: "",
            supportedBy: "",
            resources: "",
            successCriteria: "",
            timeScale: "",
            observationOutcome: "",
            outcomeEntries: [],
          },
        ],
      },
    });
    plan = await agree(plan.id, tutor, [tutor, await who("person-ect-ben")]);
    const [t1, t2] = plan.targets;
    ({ plan } = await recordReview(deps, tutor, plan.id, {
      version: plan.version,
      review: {
        date: weekAgo(1),
        notes: "",
        targetOutcomes: [
          { targetId: t1?.id ?? "", outcome: "partially_met", evidence: "Hinge questions seen in 2 of 4 observations" },
          { targetId: t2?.id ?? "", outcome: "met", evidence: "Tracker up to date; gaps addressed in marking" },
        ],
        evaluation: "Some progress on tracking; checking understanding is not yet consistent.",
        nextObjectives: "Consistent formative assessment in every lesson.",
        onTrack: false,
        finalOutcome: "",
      },
    }));
    await concludeReview(deps, tutor, plan.id, {
      version: plan.version,
      decision: "escalate",
      reason: "ECT2 with two terms left; progress on assessment is too slow.",
    });
  }

  // Chloe (ECT1): a Level 1 light-touch plan her mentor is drafting.
  {
    await createPlan(deps, await who(demoIds.mentorC), {
      ectId: "ect-chloe",
      templateId: "level_1",
      content: {
        startDate: todayIso,
        endDate: addDays(todayIso, 21),
        statementOfConcern: "Subject knowledge in Year 5 fractions is not yet secure, so explanations confuse some pupils.",
        relatedStandards: ["3a"],
        targets: [
          {
            id: randomUUID(),
            standards: ["3a"],
            text: "Secure subject knowledge for the fractions unit",
            ectActions: "",
            schoolActions: "Mentor to co-plan two lessons; maths lead to share the unit's misconceptions",
            supportedBy: "",
            resources: "NCETM fractions materials",
            successCriteria: "Explanations use the agreed models without errors",
            timeScale: "",
            observationOutcome: "",
            outcomeEntries: [],
          },
        ],
      },
    });
  }

  // Daniel (ECT2): a Level 2 plan that ended with him back on track.
  {
    const tutor = await who(demoIds.tutorB);
    let { plan } = await createPlan(deps, tutor, {
      ectId: "ect-daniel",
      templateId: "level_2",
      content: {
        startDate: weekAgo(10),
        endDate: addDays(weekAgo(10), 35),
        targets: [
          {
            id: randomUUID(),
            standards: ["5b"],
            text: "Adapt teaching for pupils with SEND in the class",
            ectActions: "",
            schoolActions: "",
            supportedBy: "",
            resources: "",
            successCriteria: "",
            timeScale: "",
            observationOutcome: "",
            outcomeEntries: [],
          },
        ],
      },
    });
    plan = await agree(plan.id, tutor, [tutor, await who("person-ect-daniel")]);
    ({ plan } = await recordReview(deps, tutor, plan.id, {
      version: plan.version,
      review: {
        date: weekAgo(5),
        notes: "",
        targetOutcomes: [{ targetId: plan.targets[0]?.id ?? "", outcome: "met", evidence: "Adaptations seen in three observations" }],
        evaluation: "Daniel now plans adaptations routinely.",
        nextObjectives: "",
        onTrack: true,
        finalOutcome: "",
      },
    }));
    await concludeReview(deps, tutor, plan.id, { version: plan.version, decision: "on_track", reason: "" });
  }

  // George (ECT2 at Northgate): a Level 2 support plan, ready to send for signature (local
  // start-up sends it: main.ts).
  {
    await createPlan(deps, await who(demoIds.otherHead), {
      ectId: "ect-george",
      templateId: "ect_additional_support",
      content: {
        initialMeetingDate: todayIso,
        presentAtMeeting: "George Lam, Mark Ellis",
        startDate: todayIso,
        endDate: addDays(todayIso, 35),
        targets: [
          {
            id: randomUUID(),
            standards: ["8d"],
            text: "Use feedback from observations to improve practice",
            ectActions: "Write three reflections after observed lessons",
            schoolActions: "Weekly feedback meeting with the induction tutor",
            supportedBy: "",
            resources: "",
            successCriteria: "Feedback points visibly acted on in the next observation",
            timeScale: "",
            reviewDate: addDays(todayIso, 35),
            observationOutcome: "",
            outcomeEntries: [],
          },
        ],
      },
    });
  }
}
