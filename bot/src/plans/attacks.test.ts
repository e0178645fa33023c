/**
 * The callers who should be refused, for every route issue 12 adds or changes: withdrawing an
 * amendment, asking again (a reminder), signing as someone who is no signer or with a method of
 * one's choosing, and ITT provider staff doing more than read and sign. Each refusal is problem
 * JSON and leaves the plan, its audit trail and its messages exactly as they were.
 */
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { editorContent } from "@ectsp/shared";
import { planRecord, readJson, startTestServer, testTarget, type Json, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";

let server: RunningServer;
let planId: string;
let ittPlanId: string;
const erin = "person-ect-erin";
const ittStaff = "person-itt-course-tutor";

const call = async (as: string, path: string, init: RequestInit = {}) => readJson(await (await server.as(as))(path, init));
const post = (body?: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers,
  ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
});
const ifMatch = async (id: string) => ({ "if-match": `"v${(await server.store.getPlan(id))!.version}"` });

/**
 * Runs a request and reports how it was answered: its status, whether as problem JSON with a
 * reason, and whether the plan, its audit trail and its messages are exactly as they were.
 */
async function attempt(id: string, run: () => Promise<{ status: number; type: string; body: Json }>) {
  const before = await planRecord(server.store, id);
  const res = await run();
  const after = await planRecord(server.store, id);
  return {
    status: res.status,
    problem: res.type.includes("application/problem+json") && typeof res.body.detail === "string",
    unchanged: isDeepStrictEqual(before, after),
    body: res.body,
  };
}
const refusedWith = (status: number) => ({ status, problem: true, unchanged: true });

/** Setting up: a step that must succeed (outside a test, so it throws rather than expects). */
function must<T extends { status: number; body: Json }>(res: T, status: number): T {
  if (res.status !== status) throw new Error(`set-up step answered ${res.status}, not ${status}: ${JSON.stringify(res.body)}`);
  return res;
}

beforeAll(async () => {
  server = await startTestServer();
  // Erin's Level 2 plan: agreed, running, with an amendment proposed and sent for signature.
  const created = await call(
    demoIds.tutorA,
    "/api/plans",
    post({
      ectId: "ect-erin",
      templateId: "level_2",
      content: { startDate: "2026-11-23", endDate: "2027-01-04", targets: [testTarget(["7d"], "Act decisively when behaviour slips")] },
    }),
  );
  planId = must(created, 201).body.plan.id;
  must(await call(demoIds.tutorA, `/api/plans/${planId}/signature-requests`, post()), 202);
  for (const who of [demoIds.tutorA, erin]) must(await call(who, `/api/plans/${planId}/signatures`, post({ revision: 1 })), 201);
  const plan = (await server.store.getPlan(planId))!;
  const content = structuredClone({ ...plan, ...editorContent(plan) });
  content.targets[0]!.text = "Act decisively when behaviour slips, using the agreed script";
  const proposed = await call(demoIds.tutorA, `/api/plans/${planId}`, { method: "PUT", headers: await ifMatch(planId), body: JSON.stringify({ content }) });
  must(proposed, 200);
  must(await call(demoIds.tutorA, `/api/plans/${planId}/signature-requests`, post()), 202);

  // An ITT trainee whose course tutor is ITT provider staff named on the record.
  const put = (body: unknown): RequestInit => ({ method: "PUT", body: JSON.stringify(body) });
  must(await call(demoIds.lead, "/api/roster/people/person-trainee-isla", put({ displayName: "Isla Ward", email: "isla@itt.example", roles: ["ect"] })), 201);
  must(await call(demoIds.lead, `/api/roster/people/${ittStaff}`, put({ displayName: "Ruth Adeyemi", email: "ruth@itt.example", roles: ["itt_staff"] })), 201);
  const record = put({
    personId: "person-trainee-isla",
    mentorId: demoIds.mentorA,
    inductionTutorId: demoIds.tutorA,
    inductionStartDate: "2026-09-01",
    fte: 1,
    track: "itt",
    ittSigners: { course_tutor: ittStaff },
  });
  must(await call(demoIds.lead, "/api/roster/ects/ect-isla", record), 201);
  const itt = await call(
    demoIds.tutorA,
    "/api/plans",
    post({
      ectId: "ect-isla",
      templateId: "itt_early_support",
      content: {
        startDate: "2026-11-30",
        reviewDate: "2026-12-11",
        statementOfConcern: "Lessons lack structure",
        targets: [testTarget(["4a"], "Structure lessons")],
      },
    }),
  );
  ittPlanId = must(itt, 201).body.plan.id;
});
afterAll(async () => {
  await server?.stop();
});

describe("withdrawing an amendment (POST /amendment/withdrawal)", () => {
  it.each([
    ["the ECT", erin],
    ["the ECT's mentor", demoIds.mentorB],
    ["the AB officer", demoIds.abOfficer],
    ["a head at another school", demoIds.otherHead],
  ])("is refused to %s (403)", async (_who, as) => {
    const withdraw = async () => call(as, `/api/plans/${planId}/amendment/withdrawal`, post(undefined, await ifMatch(planId)));
    expect(await attempt(planId, withdraw)).toMatchObject(refusedWith(403));
  });

  it("is refused against a version someone else moved on from (409), or without saying which version (428)", async () => {
    const withdraw = (headers: Record<string, string>) => () => call(demoIds.tutorA, `/api/plans/${planId}/amendment/withdrawal`, post(undefined, headers));
    expect(await attempt(planId, withdraw({ "if-match": '"v1"' }))).toMatchObject(refusedWith(409));
    expect(await attempt(planId, withdraw({}))).toMatchObject(refusedWith(428));
    expect(await attempt(planId, withdraw({ "if-match": "v1" }))).toMatchObject(refusedWith(400));
  });

  it("is refused where there is no amendment (409)", async () => {
    const res = await attempt(ittPlanId, async () =>
      call(demoIds.tutorA, `/api/plans/${ittPlanId}/amendment/withdrawal`, post(undefined, await ifMatch(ittPlanId))),
    );
    expect(res).toMatchObject(refusedWith(409));
    expect(res.body.detail).toMatch(/no amendment/);
  });
});

describe("asking again for signatures (a reminder)", () => {
  it.each([
    ["the ECT", erin],
    ["the ECT's mentor", demoIds.mentorB],
    ["the AB officer", demoIds.abOfficer],
    ["the head", demoIds.head],
  ])("is refused to %s (403)", async (_who, as) => {
    const res = await attempt(planId, () => call(as, `/api/plans/${planId}/signature-requests`, post()));
    expect(res).toMatchObject(refusedWith(403));
    expect(res.body.detail).toMatch(/Only the person leading this plan can ask for signatures/);
  });

  it("refuses a sign-by date that has passed (409), a field it does not know (400) and a body that is not an object (400)", async () => {
    const ask = (body: unknown) => () => call(demoIds.tutorA, `/api/plans/${planId}/signature-requests`, post(body));
    expect(await attempt(planId, ask({ signBy: "2026-11-01" }))).toMatchObject(refusedWith(409));
    expect(await attempt(planId, ask({ signBy: "2026-12-04", reminder: false }))).toMatchObject(refusedWith(400));
    expect(await attempt(planId, ask("[]"))).toMatchObject(refusedWith(400));
  });
});

describe("signing", () => {
  it.each([
    ["the ECT's mentor, who may read the plan", demoIds.mentorB, 403],
    ["the head, who is no signer of this form", demoIds.head, 403],
    ["the AB officer", demoIds.abOfficer, 403],
    ["a tutor at another school", demoIds.otherHead, 403],
  ])("is refused to %s", async (_who, as, status) => {
    expect(await attempt(planId, () => call(as, `/api/plans/${planId}/signatures`, post({ revision: 2 })))).toMatchObject(refusedWith(status));
  });

  it("refuses a body that names how the signature was given: the server records that (400)", async () => {
    const signWith = (body: Json) => () => call(erin, `/api/plans/${planId}/signatures`, post({ revision: 2, ...body }));
    for (const method of ["card", "tab"]) expect(await attempt(planId, signWith({ method }))).toMatchObject(refusedWith(400));
    expect(await attempt(planId, signWith({ digest: "0".repeat(64) }))).toMatchObject(refusedWith(400));
    // The same signature without it is taken, as given in the app.
    const signed = await call(erin, `/api/plans/${planId}/signatures`, post({ revision: 2 }));
    expect(signed.status).toBe(201);
    expect(signed.body.plan.signatures.at(-1)).toMatchObject({ personId: erin, revision: 2, method: "tab" });
  });
});

describe("ITT provider staff named on a trainee's record read and sign, nothing more", () => {
  it("see the trainee and open the plan", async () => {
    expect((await call(ittStaff, "/api/caseload")).body.rows.map((r: Json) => r.ectId)).toEqual(["ect-isla"]);
    const view = await call(ittStaff, `/api/plans/${ittPlanId}`);
    expect(view.status).toBe(200);
    expect(view.body.editScope).toBe("none");
    expect((await call(ittStaff, `/api/plans/${ittPlanId}/audit`)).status).toBe(200);
  });

  it("cannot open another trainee's or an ECT's plan", async () => {
    expect((await call(ittStaff, `/api/plans/${planId}`)).status).toBe(403);
  });

  it("cannot edit, comment, answer a check-in, ask for signatures, name a signer, review, escalate or start", async () => {
    const plan = (await server.store.getPlan(ittPlanId))!;
    const headers = await ifMatch(ittPlanId);
    const content = { ...structuredClone(plan), statementOfConcern: "Rewritten by the provider" };
    const tries: [string, RequestInit][] = [
      [`/api/plans/${ittPlanId}`, { method: "PUT", headers, body: JSON.stringify({ content }) }],
      [`/api/plans/${ittPlanId}/comments`, post({ text: "A comment from the provider" })],
      [`/api/plans/${ittPlanId}/check-ins`, post({ week: 1, comment: "Not mine to write" })],
      [`/api/plans/${ittPlanId}/signature-requests`, post()],
      [`/api/plans/${ittPlanId}/signers/course_tutor`, { method: "PUT", headers, body: JSON.stringify({ personId: demoIds.mentorA }) }],
      [`/api/plans/${ittPlanId}/amendment/withdrawal`, post(undefined, headers)],
      [`/api/plans/${ittPlanId}/start`, post()],
      [
        `/api/plans/${ittPlanId}/review`,
        { method: "PUT", headers, body: JSON.stringify({ review: { date: "2026-12-11", targetOutcomes: [], evaluation: "", nextObjectives: "" } }) },
      ],
      [`/api/plans/${ittPlanId}/escalation`, post({ version: plan.version, reason: "The provider escalates" })],
    ];
    for (const [path, init] of tries) expect(await attempt(ittPlanId, () => call(ittStaff, path, init)), path).toMatchObject(refusedWith(403));
  });
});
