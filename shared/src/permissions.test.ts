import { describe, expect, it } from "vitest";
import {
  can,
  caseloadScopes,
  editAccess,
  editScope,
  mayChangePath,
  planActions,
  weekEvaluatorId,
  type Actor,
  type EditScope,
  type PlanAction,
} from "./permissions.js";
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

const plan = (
  level: number,
  status: Plan["status"] = "active",
  sharedWithMentor?: boolean,
): Pick<Plan, "level" | "status" | "signers" | "sharedWithMentor"> => ({
  level: level,
  status,
  ...(sharedWithMentor !== undefined ? { sharedWithMentor } : {}),
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

  it("scopes edits by field: the lead edits all, the mentor writes the weeks, the ECT comments", () => {
    expect(editScope(people.tutor, ect, plan(2))).toBe("all");
    expect(editScope(people.mentor, ect, plan(2))).toBe("weekly_plan");
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

/** Each level × relationship: what the viewer may change (seed 003's escalation ladder). */
const scopes: Record<string, Partial<Record<Who, EditScope>>> = {
  "1": { mentor: "all", tutor: "all", lead: "all", self: "ect_comments", head: "none", ab: "none", otherMentor: "none" },
  "2": { mentor: "weekly_plan", tutor: "all", lead: "all", self: "ect_comments", head: "none", ab: "none", otherMentor: "none" },
  "3": { mentor: "weekly_plan", tutor: "all", lead: "all", self: "ect_comments", head: "none", ab: "none", otherMentor: "none" },
  "4": { mentor: "week_evaluations", tutor: "all", lead: "all", self: "ect_comments", head: "none", ab: "none", otherMentor: "none" },
  "4 shared": { mentor: "weekly_plan", tutor: "all", lead: "all", self: "ect_comments", head: "none", ab: "none", otherMentor: "none" },
  "5": { mentor: "week_evaluations", tutor: "all", lead: "all", self: "ect_comments", head: "none", ab: "none", otherMentor: "none" },
  "5 shared": { mentor: "weekly_plan", tutor: "all", lead: "all", self: "ect_comments", head: "none", ab: "none", otherMentor: "none" },
  "6": { mentor: "week_evaluations", tutor: "all", lead: "all", self: "ect_comments", head: "all", ab: "none", otherMentor: "none" },
};

describe("what each person may change, level by level", () => {
  for (const [key, expected] of Object.entries(scopes)) {
    const level = Number(key.split(" ")[0]);
    const shared = key.endsWith("shared");
    for (const [who, scope] of Object.entries(expected) as [Who, EditScope][]) {
      it(`Level ${key}: ${who} → ${scope}`, () => {
        expect(editScope(people[who], ect, plan(level, "active", shared))).toBe(scope);
      });
    }
  }

  it("a closed plan is changed by nobody, shared or not", () => {
    for (const who of Object.keys(people) as Who[]) expect(editScope(people[who], ect, plan(4, "closed", true))).toBe("none");
  });

  it("the mentor's weekly scope covers each week's action, by whom, resources, success criteria and evaluation — nothing else", () => {
    for (const field of ["action", "byWhom", "resources", "successCriteria", "evaluation"]) expect(mayChangePath("weekly_plan", `weeks.0.${field}`)).toBe(true);
    for (const path of [
      "weeks.0.ectComment",
      "weeks.6",
      "targets.0.text",
      "targets.0.standards",
      "targets.1",
      "startDate",
      "endDate",
      "reviewDate",
      "meetings.0.outcome",
    ]) {
      expect(mayChangePath("weekly_plan", path)).toBe(false);
    }
  });

  it("nobody but the ECT writes the ECT's comment; the lead writes everything else", () => {
    expect(mayChangePath("all", "weeks.2.ectComment")).toBe(false);
    expect(mayChangePath("all", "targets.0.text")).toBe(true);
    expect(mayChangePath("ect_comments", "weeks.2.ectComment")).toBe(true);
    expect(mayChangePath("week_evaluations", "weeks.2.action")).toBe(false);
    expect(mayChangePath("none", "weeks.2.evaluation")).toBe(false);
  });
});

describe("the banner's sentence", () => {
  it("tells the mentor at Level 2 what is theirs and whose the targets are", () => {
    const access = editAccess(people.mentor, ect, { ...plan(2), templateId: "level_2" }, { lead: "Sarah Thompson" });
    expect(access).toEqual({
      scope: "weekly_plan",
      summary:
        "You can change the weekly actions, resources and success criteria, and evaluate each week. The objectives and dates are written by the induction tutor (Sarah Thompson).",
      askRole: "induction_tutor",
    });
    // The ECT additional support plan (000, at Level 2) says "target", as its form does.
    expect(editAccess(people.mentor, ect, { ...plan(2), templateId: "ect_additional_support" }).summary).toContain("The targets and dates");
  });

  it("tells the mentor at Level 4 to ask for the plan to be shared, and the tutor that they may share it", () => {
    expect(editAccess(people.mentor, ect, plan(4)).summary).toContain("ask them to share the plan with you");
    expect(editAccess(people.mentor, ect, plan(4)).mentorSharing).toEqual({ shared: false, mayChange: false });
    expect(editAccess(people.mentor, ect, plan(4, "active", true)).summary).toMatch(
      /^The induction tutor has shared this plan with you\. You can change the weekly actions/,
    );
    expect(editAccess(people.tutor, ect, plan(4)).mentorSharing).toEqual({ shared: false, mayChange: true });
    expect(editAccess(people.tutor, ect, plan(2)).mentorSharing).toBeUndefined();
  });

  it("tells whoever may change it all whether they lead it", () => {
    expect(editAccess(people.tutor, ect, plan(2)).summary).toMatch(/^You lead this plan: you can change all of it\./);
    expect(editAccess(people.mentor, ect, plan(1)).summary).toMatch(/^You lead this plan/);
    expect(editAccess(people.tutor, ect, plan(1), { lead: "Tom Reid" }).summary).toMatch(
      /^You can change all of this plan; the mentor \(Tom Reid\) leads it\./,
    );
  });

  it("tells a reader they can read only, and whom to ask", () => {
    expect(editAccess(people.head, ect, plan(2), { lead: "Sarah Thompson" }).summary).toBe(
      "You can read this plan but not change it. To change something, ask the induction tutor (Sarah Thompson).",
    );
    expect(editAccess(people.ab, ect, plan(1)).summary).toBe("You can read this plan but not change it. To change something, ask the mentor.");
    expect(editAccess(people.tutor, ect, plan(2, "closed")).summary).toContain("This plan is closed");
  });
});

describe("who is asked to evaluate each week", () => {
  it("is whoever leads the level: the mentor at Level 1, the induction tutor at 2–5, shared or not — never both", () => {
    expect(weekEvaluatorId(ect, 1)).toBe("mentor");
    for (const level of [2, 3, 4, 5]) expect(weekEvaluatorId(ect, level)).toBe("tutor");
  });

  it("falls back to the other one when nobody holds the leading role", () => {
    expect(weekEvaluatorId({ inductionTutorId: "tutor" }, 1)).toBe("tutor");
    expect(weekEvaluatorId({ mentorId: "mentor" }, 2)).toBe("mentor");
    expect(weekEvaluatorId({}, 2)).toBeUndefined();
  });
});
