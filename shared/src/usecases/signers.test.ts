import { describe, expect, it } from "vitest";
import type { Person } from "../model/people.js";
import type { SignerRole, TemplateId } from "../model/plan.js";
import { can } from "../permissions.js";
import { planStage } from "../planStates.js";
import { templateById, templates } from "../templates.js";
import { addDays } from "../timeline.js";
import { createPlan } from "./createPlan.js";
import { assignSigner } from "./assignSigner.js";
import { requestSignatures } from "./requestSignatures.js";
import { signPlan } from "./signPlan.js";
import { holdersOf } from "./signers.js";
import { keepPrinted } from "../printedFields.js";
import { DomainError } from "../errors.js";
import type { EctContext } from "./context.js";
import { amy, ctx, ectCtx, head, lead, mentor, officer, person, refusal, target, tutor } from "../../test-support/world.js";

/**
 * The roster decides who signs. Riverside's roster: Amy (ECT, or a trainee on the ITT track),
 * her tutor and mentor, the head, the lead, an AB officer, and ITT provider staff named on the
 * trainee's record — plus people who hold a role but not for Amy (another tutor, another
 * school's head, a school mentor who is not the trainee's lead subject mentor).
 */
const otherTutor = person("tutor-b", ["induction_tutor"]);
const otherHead = person("head-elsewhere", ["head"], { schoolId: "hillside" });
const courseTutor = person("itt-ct", ["itt_staff"], { schoolId: "riverside" });
const director = person("itt-dir", ["itt_staff"]);
const profMentor = person("itt-pm", ["itt_staff"]);
const lsm = person("itt-lsm", ["itt_staff"]);
const notNamedItt = person("itt-other", ["itt_staff"]);
const everyone: Person[] = [amy, tutor, mentor, head, lead, officer, otherTutor, otherHead, courseTutor, director, profMentor, lsm, notNamedItt];

const world = (track: "ect" | "itt"): EctContext =>
  ectCtx(
    track === "itt"
      ? { track, ittSigners: { course_tutor: courseTutor.id, director: director.id, professional_mentor: profMentor.id, lead_subject_mentor: lsm.id } }
      : {},
    { schoolStaff: [tutor, mentor, head, lead, otherTutor, otherHead], ittStaff: track === "itt" ? [courseTutor, director, profMentor, lsm, notNamedItt] : [] },
  );

/** Who the roster gives each signer role, for Amy. */
const expected: Record<SignerRole, string[]> = {
  ect: ["amy"],
  trainee: ["amy"],
  induction_tutor: ["tutor"],
  mentor: ["mentor"],
  head: ["head"],
  course_tutor: ["itt-ct"],
  director: ["itt-dir"],
  professional_mentor: ["itt-pm"],
  lead_subject_mentor: ["itt-lsm"],
};

/** Content every form accepts for agreement: its length, a review date, a statement, the AB meeting. */
const contentFor = (id: TemplateId) => {
  const t = templateById(id);
  const end = addDays("2026-11-30", (t.lengthWeeks?.max ?? 2) * 7);
  // Only what this form prints: the rest would be refused (printedFields.ts).
  return keepPrinted(t, {
    startDate: "2026-11-30",
    endDate: end,
    reviewDate: end,
    statementOfConcern: "Concern about behaviour management",
    targets: [{ ...target(["1a"]), reviewDate: end, timeScale: "4 weeks" }],
    meetings: [{ id: "m-ab", kind: "ab" as const, date: "2026-11-27", attendees: "AB, ECT, tutor, mentor", outline: "", outcome: "" }],
  });
};
const ready = contentFor("itt_early_support");

describe("signers come from the roster: every form, every role, every person", () => {
  for (const template of templates) {
    const c = world(template.track);
    for (const role of template.signers) {
      it(`${template.name} — ${role}: held by ${expected[role].join(", ")} only`, () => {
        expect(holdersOf(role, c).map((p) => p.id)).toEqual(expected[role]);
      });

      it(`${template.name} — ${role}: only the holder may be named and may sign`, () => {
        const plan = createPlan(ctx(tutor), c, [], { ectId: "ect-amy", templateId: template.id, content: contentFor(template.id) }).plan;
        expect(plan.signers.find((s) => s.role === role)?.personId).toBe(expected[role][0]);
        const outcome = (fn: () => unknown, ok: string) => {
          try {
            fn();
            return ok;
          } catch (e) {
            return e instanceof DomainError ? (e.violations[0]?.code ?? e.kind) : "failed";
          }
        };
        // Who may be named: a holder (a no-op here, as they are named already); yourself never;
        // anyone else is refused, naming the rule. The ECT's own line cannot be changed at all.
        const naming = everyone.map((p) => [p.id, outcome(() => assignSigner(ctx(tutor), c, plan, { version: plan.version, role, personId: p.id }), "named")]);
        const mayName = (id: string) =>
          role === "ect" || role === "trainee" || id === tutor.id ? "forbidden" : expected[role].includes(id) ? "named" : "signer-not-in-role";
        expect(naming).toEqual(everyone.map((p) => [p.id, mayName(p.id)]));
        // Who may sign: the holder only.
        const asked = requestSignatures(ctx(tutor), c, plan).plan;
        const signing = everyone.map((p) => [p.id, outcome(() => signPlan(ctx(p), c, asked, { revision: asked.revision, role }, "tab"), "signed")]);
        expect(signing).toEqual(everyone.map((p) => [p.id, expected[role].includes(p.id) ? "signed" : "forbidden"]));
      });
    }
  }
});

describe("the issue's attack: a tutor signing as the head", () => {
  it("cannot name himself, nor anyone the roster does not make head, and the plan is not agreed without the head", () => {
    const c = world("ect");
    const plan = createPlan(ctx(tutor), c, [], { ectId: "ect-amy", templateId: "at_risk_action", content: contentFor("at_risk_action") }).plan;
    expect(refusal(() => assignSigner(ctx(tutor), c, plan, { version: plan.version, role: "head", personId: "tutor" })).kind).toBe("forbidden");
    expect(refusal(() => assignSigner(ctx(tutor), c, plan, { version: plan.version, role: "head", personId: "head-elsewhere" })).kind).toBe("validation");
    // Even a forged signer list does not let him sign as head: the roster is checked at signing.
    const forged = { ...requestSignatures(ctx(tutor), c, plan).plan };
    forged.signers = forged.signers.map((s) => (s.role === "head" ? { role: s.role, personId: "tutor" } : s));
    const e = refusal(() => signPlan(ctx(tutor), c, forged, { revision: forged.revision }, "tab"));
    expect(e.kind).toBe("forbidden");
    expect(e.message).toMatch(/Only a headteacher of the ECT's school/);
    // The tutor and the ECT sign; without the head, the plan is not agreed.
    let p = requestSignatures(ctx(tutor), c, plan).plan;
    p = signPlan(ctx(tutor), c, p, { revision: p.revision }, "tab").plan;
    p = signPlan(ctx(amy), c, p, { revision: p.revision }, "card").plan;
    expect(p.status).toBe("awaiting_signatures");
    expect(planStage(p)).toBe("Awaiting signatures (2 of 3)");
  });
});

describe("two roles, one person", () => {
  it("signs once for both only where the roster gives them both", () => {
    const headTutor = person("ht", ["head", "induction_tutor"]);
    const c = ectCtx({ inductionTutorId: "ht" }, { schoolStaff: [headTutor, mentor, lead] });
    const plan = createPlan(ctx(lead), c, [], { ectId: "ect-amy", templateId: "at_risk_action", content: contentFor("at_risk_action") }).plan;
    expect(plan.signers.filter((s) => s.personId === "ht").map((s) => s.role)).toEqual(["induction_tutor", "head"]);
    const asked = requestSignatures(ctx(lead), c, plan).plan;
    const r = signPlan(ctx(headTutor), c, asked, { revision: asked.revision }, "tab");
    expect(r.signedRoles).toEqual(["induction_tutor", "head"]);
    expect(r.audit[0]?.summary).toMatch(/as Induction tutor and Headteacher\/Principal/);
  });
});

describe("ITT provider staff", () => {
  it("named on the trainee's record read and sign that trainee's plan, and nothing more", () => {
    const c = world("itt");
    const plan = createPlan(ctx(tutor), c, [], { ectId: "ect-amy", templateId: "itt_early_support", content: ready }).plan;
    for (const action of ["read_plan", "sign"] as const) expect(can(lsm, action, c.ect, plan), action).toBe(true);
    for (const action of ["edit_plan", "comment", "review", "escalate", "request_signatures"] as const)
      expect(can(lsm, action, c.ect, plan), action).toBe(false);
    expect(can(notNamedItt, "read_plan", c.ect, plan)).toBe(false);
  });

  it("follow the roster: a named signer who no longer holds the role is replaced when signatures are asked for", () => {
    const c = world("itt");
    const plan = createPlan(ctx(tutor), c, [], { ectId: "ect-amy", templateId: "itt_early_support", content: ready }).plan;
    const moved = world("itt");
    moved.ect = { ...moved.ect, ittSigners: { ...moved.ect.ittSigners, lead_subject_mentor: notNamedItt.id } };
    const asked = requestSignatures(ctx(tutor), moved, plan).plan;
    expect(asked.signers.find((s) => s.role === "lead_subject_mentor")?.personId).toBe(notNamedItt.id);
    expect(refusal(() => signPlan(ctx(lsm), moved, asked, { revision: asked.revision }, "tab")).kind).toBe("forbidden");
  });
});
