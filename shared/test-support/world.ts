import type { Ect, Person } from "../src/model/people.js";
import type { Plan, SignatureMethod, Target } from "../src/model/plan.js";
import { DomainError } from "../src/errors.js";
import type { Actor } from "../src/permissions.js";
import type { EctContext, UseCaseContext } from "../src/usecases/context.js";
import { createPlan } from "../src/usecases/createPlan.js";
import { requestSignatures } from "../src/usecases/requestSignatures.js";
import { signPlan } from "../src/usecases/signPlan.js";

/** A small school for the domain's tests: Riverside Primary, its staff, Amy (an ECT) and her AB. */
export const person = (id: string, roles: Person["roles"], extra: Partial<Person> = {}): Person => ({
  id,
  displayName: id,
  email: `${id}@school.example`,
  roles,
  schoolId: "riverside",
  ...extra,
});
export const tutor = person("tutor", ["induction_tutor"]);
export const mentor = person("mentor", ["mentor"]);
export const head = person("head", ["head"]);
export const lead = person("lead", ["induction_lead"]);
export const amy = person("amy", ["ect"]);
export const officer = person("officer", ["ab_officer"], { abId: "hub" });
delete (officer as Partial<Person>).schoolId;

export const ectRecord = (overrides: Partial<Ect> = {}): Ect => ({
  id: "ect-amy",
  personId: "amy",
  schoolId: "riverside",
  abId: "hub",
  mentorId: "mentor",
  inductionTutorId: "tutor",
  inductionStartDate: "2026-09-01",
  fte: 1,
  absences: [],
  extensions: [],
  track: "ect",
  ...overrides,
});

export const ectCtx = (overrides: Partial<Ect> = {}, extra: Partial<EctContext> = {}): EctContext => ({
  ect: ectRecord(overrides),
  ectPerson: amy,
  school: { id: "riverside", name: "Riverside Primary", abId: "hub" },
  schoolStaff: [tutor, mentor, head, lead],
  abOfficers: [officer],
  ...extra,
});

let seq = 0;
export const ctx = (who: Actor, now = "2026-11-27T10:00:00.000Z"): UseCaseContext => ({ actor: who, now: new Date(now), newId: () => `id-${++seq}` });

export const target = (standards: string[], text = "A target"): Target => ({
  id: `t-${++seq}`,
  standards,
  text,
  ectActions: "",
  schoolActions: "",
  supportedBy: "",
  resources: "",
  // Empty: only some forms have a success-criteria column (printedFields.ts); the Level 2–6 forms refuse one.
  successCriteria: "",
  timeScale: "",
  observationOutcome: "",
  outcomeEntries: [],
});

export const refusal = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
};

/** Sends the plan for signature and has every signer sign it, as the people they are. */
export function agree(plan: Plan, c: EctContext, people: Person[], method: SignatureMethod = "tab", now?: string): Plan {
  let p = requestSignatures(ctx(tutor, now), c, plan).plan;
  for (const s of p.signers) {
    const who = people.find((x) => x.id === s.personId);
    if (!who) throw new Error(`No one to sign as ${s.role}`);
    p = signPlan(ctx(who, now), c, p, { revision: p.amendment?.revision ?? p.revision, role: s.role }, method).plan;
  }
  return p;
}

/** A Level 2 plan with two targets, agreed by both signers, running. */
export function runningPlan(c = ectCtx()): Plan {
  const plan = createPlan(ctx(tutor), c, [], {
    ectId: "ect-amy",
    templateId: "level_2",
    content: {
      startDate: "2026-11-23",
      endDate: "2027-01-04",
      targets: [target(["7d"], "Behaviour"), target(["4a"], "Pace")],
      weeks: [1, 2, 3, 4, 5, 6].map((week) => ({
        week,
        action: `Week ${week} action`,
        byWhom: "Mentor",
        resources: "",
        successCriteria: "",
        evaluation: "",
        ectComment: "",
      })),
    },
  }).plan;
  return agree(plan, c, [tutor, amy]);
}
