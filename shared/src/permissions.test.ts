import { describe, expect, it } from "vitest";
import { can, caseloadScopes, editScope, planActions, type Actor, type PlanAction } from "./permissions.js";
import type { Ect } from "./model/people.js";
import type { Plan } from "./model/plan.js";

const ect: Ect = {
  id: "ect-1",
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
};

const actor = (id: string, roles: Actor["roles"], where: Partial<Actor> = {}): Actor => ({ id, displayName: id, roles, ...where });
const people = {
  self: actor("amy", ["ect"], { schoolId: "riverside" }),
  otherEct: actor("ben", ["ect"], { schoolId: "riverside" }),
  mentor: actor("mentor", ["mentor"], { schoolId: "riverside" }),
  otherMentor: actor("mentor-2", ["mentor"], { schoolId: "riverside" }),
  tutor: actor("tutor", ["induction_tutor"], { schoolId: "riverside" }),
  otherTutor: actor("tutor-2", ["induction_tutor"], { schoolId: "riverside" }),
  lead: actor("lead", ["induction_lead"], { schoolId: "riverside" }),
  head: actor("head", ["head"], { schoolId: "riverside" }),
  otherHead: actor("head-2", ["head"], { schoolId: "northgate" }),
  ab: actor("officer", ["ab_officer"], { abId: "hub" }),
  otherAb: actor("officer-2", ["ab_officer"], { abId: "elsewhere" }),
};
type Who = keyof typeof people;

const plan = (level: number, status: Plan["status"] = "active"): Pick<Plan, "level" | "status" | "signers"> => ({
  level: level,
  status,
  signers: [
    { role: "induction_tutor", personId: "tutor" },
    { role: "ect", personId: "amy" },
    { role: "head", personId: "head" },
  ],
});

/** The matrix for a Level 2 plan (led by the induction tutor), written out in full. */
const level2: Record<PlanAction, Who[]> = {
  read_plan: ["self", "mentor", "tutor", "lead", "head", "ab"],
  read_audit: ["self", "mentor", "tutor", "lead", "head", "ab"],
  create_plan: ["tutor", "lead"],
  edit_plan: ["tutor", "lead"],
  comment: ["self", "mentor", "tutor", "lead", "head", "ab"],
  answer_check_in: ["self"],
  evaluate_week: ["mentor", "tutor", "lead"],
  request_signatures: ["tutor", "lead"],
  sign: ["self", "tutor", "head"],
  start_plan: ["tutor", "lead"],
  review: ["tutor", "lead"],
  escalate: ["tutor", "lead", "head"],
};

describe("the permission matrix", () => {
  for (const action of planActions) {
    it(`${action} on a Level 2 plan: only ${level2[action].join(", ")}`, () => {
      const allowed = (Object.keys(people) as Who[]).filter((who) => can(people[who], action, ect, plan(2), 2));
      expect(allowed).toEqual(level2[action]);
    });
  }

  it("lets the mentor lead a Level 1 plan but not a Level 2", () => {
    for (const action of ["create_plan", "edit_plan", "review", "escalate"] as const) {
      expect(can(people.mentor, action, ect, plan(1), 1)).toBe(true);
      expect(can(people.mentor, action, ect, plan(2), 2)).toBe(false);
    }
  });

  it("lets the head start Level 6 capability procedures, and nothing else of the ladder", () => {
    expect(can(people.head, "create_plan", ect, undefined, 6)).toBe(true);
    expect(can(people.head, "create_plan", ect, undefined, 3)).toBe(false);
  });

  it("stops every change to a closed plan while it stays readable", () => {
    for (const who of Object.keys(people) as Who[]) {
      for (const action of ["edit_plan", "comment", "sign", "answer_check_in", "review", "escalate"] as const) {
        expect(can(people[who], action, ect, plan(2, "closed"))).toBe(false);
      }
    }
    expect(can(people.self, "read_plan", ect, plan(2, "closed"))).toBe(true);
  });

  it("never lets an ECT read another ECT's plan, nor another school's head or another AB", () => {
    for (const who of ["otherEct", "otherHead", "otherAb", "otherMentor", "otherTutor"] as const) {
      for (const action of planActions) expect(can(people[who], action, ect, plan(2))).toBe(false);
    }
  });

  it("scopes edits by field: the lead edits all, the mentor evaluates weeks, the ECT comments", () => {
    expect(editScope(people.tutor, ect, plan(2))).toBe("all");
    expect(editScope(people.mentor, ect, plan(2))).toBe("week_evaluations");
    expect(editScope(people.self, ect, plan(2))).toBe("ect_comments");
    expect(editScope(people.head, ect, plan(2))).toBe("none");
    expect(editScope(people.ab, ect, plan(2))).toBe("none");
  });

  it("gives a person who holds two roles both caseloads", () => {
    const headTutor = actor("ht", ["head", "induction_tutor"], { schoolId: "riverside" });
    expect(caseloadScopes(headTutor)).toEqual([{ kind: "staff", personId: "ht", schoolId: "riverside", wholeSchool: true }]);
    expect(caseloadScopes(people.ab)).toEqual([{ kind: "ab", abId: "hub" }]);
    expect(caseloadScopes(people.self)).toEqual([{ kind: "self", personId: "amy" }]);
  });
});
