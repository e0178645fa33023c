/**
 * Signers come from the roster (issue 12 §3), through the API on a real SQLite file: for every
 * signer role on the forms, who may be named (a holder ✓, a non-holder 422, yourself 403, the
 * ECT's own signature 403) and who may sign (the holder ✓, anyone else 403), and the issue's
 * scenarios: a tutor naming himself head, the same on Level 6, ITT provider staff on a trainee's
 * record, and a person the roster gives two roles signing once for both.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SignerRole } from "@ectsp/shared";
import { planRecord, readJson, startTestServer, testTarget, type Json, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const put = (body: unknown, headers: Record<string, string> = {}) => ({ method: "PUT", body: JSON.stringify(body), headers });
const post = (body?: unknown) => ({ method: "POST", ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });

/** ITT provider staff the lead adds to the roster (seed 002's signers). */
const itt = {
  trainee: "person-trainee-isla",
  courseTutor: "person-itt-course-tutor",
  director: "person-itt-director",
  leadSubjectMentor: "person-itt-lsm",
};

async function createPlan(as: string, ectId: string, templateId: string, content: Json): Promise<Json> {
  const created = await readJson(await (await server.as(as))("/api/plans", post({ ectId, templateId, content })));
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

const currentVersion = async (planId: string) => (await server.store.getPlan(planId))!.version;

/** Names someone in a role as `as`; asserts the answer and, on a refusal, that nothing was written. */
async function name(as: string, planId: string, role: SignerRole, personId: string, expected: 200 | 403 | 422) {
  const before = await planRecord(server.store, planId);
  const res = await readJson(
    await (
      await server.as(as)
    )(`/api/plans/${planId}/signers/${role}`, put({ personId }, { "if-match": `"v${before.plan!.version}"` })),
  );
  expect(res.status, `${as} naming ${personId} as ${role}: ${JSON.stringify(res.body)}`).toBe(expected);
  if (expected === 200) expect(res.body.signers.find((s: Json) => s.role === role).personId).toBe(personId);
  else {
    expect(res.type).toContain("application/problem+json");
    expect(await planRecord(server.store, planId)).toEqual(before);
  }
  return res.body;
}

/** Signs as `as`; on a refusal, asserts nothing was written. */
async function sign(as: string, planId: string, expected: 201 | 403 | 409, extra: Json = {}) {
  const before = await planRecord(server.store, planId);
  const res = await readJson(await (await server.as(as))(`/api/plans/${planId}/signatures`, post({ revision: before.plan!.revision, ...extra })));
  expect(res.status, `${as} signing: ${JSON.stringify(res.body)}`).toBe(expected);
  if (expected !== 201) expect(await planRecord(server.store, planId)).toEqual(before);
  return res.body;
}

const ask = async (as: string, planId: string) => readJson(await (await server.as(as))(`/api/plans/${planId}/signature-requests`, post()));

describe("signers come from the roster", () => {
  it("the issue's scenario: a tutor cannot name himself head on an at-risk action plan, and the plan is not agreed without the head", async () => {
    const view = await createPlan(demoIds.tutorB, "ect-daniel", "at_risk_action", {
      startDate: "2026-11-30",
      reviewDate: "2026-12-28",
      targets: [testTarget(["7d"], "Act decisively when behaviour slips")],
    });
    const planId = view.plan.id as string;
    // PUT /signers/head naming himself: refused, nothing written.
    const refused = await name(demoIds.tutorB, planId, "head", demoIds.tutorB, 403);
    expect(refused.detail).toMatch(/Nobody names themselves/);

    expect((await ask(demoIds.tutorB, planId)).status).toBe(202);
    // His one signature counts for the induction tutor only.
    const tutorSigned = await sign(demoIds.tutorB, planId, 201);
    expect(tutorSigned.signers.find((s: Json) => s.role === "induction_tutor").signature).toMatchObject({ personId: demoIds.tutorB, method: "tab" });
    expect(tutorSigned.signers.find((s: Json) => s.role === "head")).not.toHaveProperty("signature");
    // Signing as the head by naming the role: he does not hold it.
    expect((await sign(demoIds.tutorB, planId, 403, { role: "head" })).detail).toMatch(/not one of the people who must sign/);
    const ectSigned = await sign("person-ect-daniel", planId, 201);
    expect(ectSigned.plan.status).toBe("awaiting_signatures");
    expect(ectSigned.stage).toBe("Awaiting signatures (2 of 3)");
    expect(ectSigned.missingSigners).toEqual([{ role: "head", personId: demoIds.head }]);

    const agreed = await sign(demoIds.head, planId, 201);
    expect(agreed.plan.status).toBe("agreed");
    expect(agreed.validSignatures.map((s: Json) => [s.role, s.personId]).sort()).toEqual(
      [
        ["ect", "person-ect-daniel"],
        ["head", demoIds.head],
        ["induction_tutor", demoIds.tutorB],
      ].sort(),
    );
    // Each signature is sealed with the digest of the agreement it signed.
    for (const s of agreed.validSignatures) expect(s.digest).toBe(agreed.agreedDigest);
  });

  it("the same on Level 6: the tutor cannot sign as the head, and the plan waits for the head", async () => {
    const view = await createPlan(demoIds.tutorB, "ect-farah", "level_6", {
      startDate: "2026-11-30",
      targets: [testTarget(["4a"], "Lessons use time productively")],
    });
    const planId = view.plan.id as string;
    await name(demoIds.tutorB, planId, "head", demoIds.tutorB, 403);
    await name(demoIds.tutorB, planId, "head", demoIds.mentorA, 422);
    expect((await ask(demoIds.tutorB, planId)).status).toBe(202);
    const half = await sign(demoIds.tutorB, planId, 201);
    expect(half.stage).toBe("Awaiting signatures (1 of 2)");
    // Not agreed without the head: it cannot be reviewed or escalated yet.
    const before = await planRecord(server.store, planId);
    const tutor = await server.as(demoIds.tutorB);
    const escalated = await readJson(await tutor(`/api/plans/${planId}/escalation`, post({ version: await currentVersion(planId), reason: "Not agreed yet" })));
    expect(escalated.status).toBe(409);
    expect(escalated.body.detail).toMatch(/once it has been agreed/);
    expect(await planRecord(server.store, planId)).toEqual(before);
    const agreed = await sign(demoIds.head, planId, 201);
    expect(agreed.plan.status).toBe("agreed");
  });

  describe("an ITT trainee's plan: the ITT roles are the provider's staff named on the trainee's record", () => {
    let planId: string;

    it("the lead adds ITT provider staff to the roster and names them on the trainee's record; the record refuses anyone else", async () => {
      const lead = await server.as(demoIds.lead);
      const person = (id: string, displayName: string, roles: string[]) =>
        lead(`/api/roster/people/${id}`, put({ displayName, email: `${id}@itt.example`, roles }));
      expect((await person(itt.trainee, "Isla Ward", ["ect"])).status).toBe(201);
      expect((await person(itt.courseTutor, "Dr Ruth Adeyemi", ["itt_staff"])).status).toBe(201);
      expect((await person(itt.director, "Owen Price", ["itt_staff"])).status).toBe(201);

      const record = (ittSigners: Json, track = "itt") =>
        lead(
          "/api/roster/ects/ect-isla",
          put({
            personId: itt.trainee,
            mentorId: demoIds.mentorA,
            inductionTutorId: demoIds.tutorA,
            inductionStartDate: "2026-09-01",
            fte: 1,
            track,
            ittSigners,
          }),
        );
      // A school mentor is not ITT provider staff; nobody off the roster; and only a trainee has ITT signers.
      const notItt = await readJson(await record({ course_tutor: demoIds.mentorB }));
      expect(notItt.status).toBe(422);
      expect(notItt.body.violations).toMatchObject([{ path: "ittSigners.course_tutor", code: "not-itt-staff" }]);
      expect((await readJson(await record({ director: "person-nobody" }))).body.violations).toMatchObject([{ code: "not-on-roster" }]);
      const notTrainee = await readJson(await record({ course_tutor: itt.courseTutor }, "ect"));
      expect(notTrainee.status).toBe(422);
      expect(notTrainee.body.violations).toMatchObject([{ code: "itt-signers-need-itt-track" }]);
      expect(await server.store.getEct("ect-isla")).toBeUndefined();

      // The director also holds the professional mentor's role for this trainee.
      const ok = await readJson(await record({ course_tutor: itt.courseTutor, director: itt.director, professional_mentor: itt.director }));
      expect(ok.status).toBe(201);
      expect(ok.body.ect.ittSigners).toEqual({ course_tutor: itt.courseTutor, director: itt.director, professional_mentor: itt.director });

      const view = await createPlan(demoIds.tutorA, "ect-isla", "itt_early_support", {
        startDate: "2026-11-30",
        reviewDate: "2026-12-11",
        statementOfConcern: "Lessons lack structure",
        targets: [testTarget(["4a"], "Plan lessons with a clear structure")],
      });
      planId = view.plan.id;
      expect(view.signers.map((s: Json) => [s.role, s.personId ?? null])).toEqual([
        ["trainee", itt.trainee],
        ["course_tutor", itt.courseTutor],
        ["director", itt.director],
        ["professional_mentor", itt.director],
        ["mentor", demoIds.mentorA],
        ["lead_subject_mentor", null],
      ]);
      expect(view.signers.find((s: Json) => s.role === "director").alsoSignsAs).toEqual(["professional_mentor"]);
      // Not every role is filled: asking is refused, and says which.
      const asked = await ask(demoIds.tutorA, planId);
      expect(asked.status).toBe(409);
      expect(asked.body.detail).toMatch(/Lead subject mentor/);
    });

    it("a lead subject mentor added to the roster as ITT staff and named on the record sees the trainee, and is who signs", async () => {
      const lead = await server.as(demoIds.lead);
      // Before they are named, they see nobody and cannot open the plan.
      expect(
        (await lead(`/api/roster/people/${itt.leadSubjectMentor}`, put({ displayName: "Nia Rowe", email: "lsm@itt.example", roles: ["itt_staff"] }))).status,
      ).toBe(201);
      const lsm = await server.as(itt.leadSubjectMentor);
      expect((await readJson(await lsm("/api/caseload"))).body.rows).toEqual([]);
      expect((await lsm(`/api/plans/${planId}`)).status).toBe(403);

      const named = await lead(
        "/api/roster/ects/ect-isla",
        put(
          {
            personId: itt.trainee,
            mentorId: demoIds.mentorA,
            inductionTutorId: demoIds.tutorA,
            inductionStartDate: "2026-09-01",
            fte: 1,
            track: "itt",
            ittSigners: {
              course_tutor: itt.courseTutor,
              director: itt.director,
              professional_mentor: itt.director,
              lead_subject_mentor: itt.leadSubjectMentor,
            },
          },
          // Issue 15: a change to the roster names the version it was based on.
          { "if-match": '"v1"' },
        ),
      );
      expect(named.status).toBe(200);
      const rows = (await readJson(await lsm("/api/caseload"))).body.rows;
      expect(rows.map((r: Json) => r.ectId)).toEqual(["ect-isla"]);
      expect(rows[0].plan).toMatchObject({ id: planId, status: "draft", stage: "Draft" });
      const opened = await readJson(await lsm(`/api/plans/${planId}`));
      expect(opened.status).toBe(200);
      expect(opened.body.allowed).toMatchObject({ read_plan: true, sign: false, edit_plan: false, comment: false, request_signatures: false });
    });

    it.each<[SignerRole, string, string]>([
      ["mentor", demoIds.mentorA, demoIds.mentorB],
      ["course_tutor", itt.courseTutor, demoIds.head], // school staff do not hold ITT roles
      ["director", itt.director, itt.courseTutor], // ITT staff, but named for another role
      ["professional_mentor", itt.director, demoIds.mentorA],
      ["lead_subject_mentor", itt.leadSubjectMentor, demoIds.tutorB],
    ])("naming the %s: the holder ✓, a non-holder 422, yourself 403", async (role, holder, nonHolder) => {
      await name(demoIds.tutorA, planId, role, holder, 200);
      const refused = await name(demoIds.tutorA, planId, role, nonHolder, 422);
      expect(refused.violations).toMatchObject([{ path: "personId", code: "signer-not-in-role" }]);
      await name(demoIds.tutorA, planId, role, demoIds.tutorA, 403);
    });

    it("the trainee's own signature cannot be reassigned", async () => {
      expect((await name(demoIds.tutorA, planId, "trainee", demoIds.mentorA, 403)).detail).toMatch(/signs their own plan/);
    });

    it("who may sign: each holder; school staff cannot sign an ITT role; the person holding two roles signs once for both", async () => {
      expect((await ask(demoIds.tutorA, planId)).status).toBe(202);
      // The school's head is no signer of this form.
      await sign(demoIds.head, planId, 403);
      await sign(demoIds.tutorA, planId, 403);
      await sign(itt.trainee, planId, 201);
      await sign(itt.courseTutor, planId, 201);
      await sign(demoIds.mentorA, planId, 201);
      const lsm = await sign(itt.leadSubjectMentor, planId, 201);
      expect(lsm.stage).toBe("Awaiting signatures (4 of 6)");

      const both = await sign(itt.director, planId, 201);
      expect(both.plan.status).toBe("agreed");
      const director = both.plan.signatures.filter((s: Json) => s.personId === itt.director);
      expect(director.map((s: Json) => s.role).sort()).toEqual(["director", "professional_mentor"]);
      expect(new Set(director.map((s: Json) => s.signedAt)).size).toBe(1);
      const audit = (await server.store.listAudit({ planId })).filter((e) => e.action === "signPlan" && e.actorId === itt.director);
      expect(audit).toHaveLength(1);
      expect(audit[0]!.summary).toContain("as Director and Professional mentor");
    });
  });

  it.each<{ form: string; templateId: string; role: SignerRole; holder: string; nonHolder: string }>([
    { form: "at-risk action plan", templateId: "at_risk_action", role: "head", holder: demoIds.head, nonHolder: demoIds.tutorB },
    { form: "at-risk action plan", templateId: "at_risk_action", role: "induction_tutor", holder: demoIds.tutorA, nonHolder: demoIds.tutorB },
  ])(
    "on an $form, the lead naming the $role: the holder ✓, a non-holder 422, yourself 403, the ECT's signature 403",
    async ({ templateId, role, holder, nonHolder }) => {
      const [existing] = await server.store.listPlanSummaries({ ectIds: ["ect-erin"], status: ["draft"] });
      const planId =
        existing?.id ??
        ((
          await createPlan(demoIds.tutorA, "ect-erin", templateId, {
            startDate: "2026-11-30",
            reviewDate: "2026-12-28",
            targets: [testTarget(["1a"], "High expectations")],
          })
        ).plan.id as string);
      const named = await name(demoIds.lead, planId, role, holder, 200);
      expect(named.signerChoices.find((c: Json) => c.role === role).people.map((p: Json) => p.id)).toEqual([holder]);
      expect((await name(demoIds.lead, planId, role, nonHolder, 422)).violations).toMatchObject([{ code: "signer-not-in-role" }]);
      expect((await name(demoIds.lead, planId, role, demoIds.lead, 403)).detail).toMatch(/Nobody names themselves/);
      expect((await name(demoIds.lead, planId, "ect", holder, 403)).detail).toMatch(/signs their own plan/);
    },
  );
});
