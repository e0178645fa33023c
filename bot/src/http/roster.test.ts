import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { fakeTenant, tenantEnv, type FakeTenant } from "../../test-support/entraTestTokens.js";
import { makeAb, makeEct, makePerson, makeSchool } from "../../test-support/store/testData.js";
import { testInstant } from "../../test-support/movableClock.js";

type Json = Record<string, any>;

/** Role mapping from the roster over HTTP, in tenant mode, with tokens from a local fake tenant. */
const oids = {
  lead: "8e0c7a4e-1d1b-4e8e-9a51-000000000001",
  tutor: "8e0c7a4e-1d1b-4e8e-9a51-000000000002",
  officer: "8e0c7a4e-1d1b-4e8e-9a51-000000000003",
  newMentor: "8e0c7a4e-1d1b-4e8e-9a51-000000000004",
  impostor: "8e0c7a4e-1d1b-4e8e-9a51-000000000005",
};

let server: RunningServer;
let tenant: FakeTenant;
const ab = makeAb();
const otherAb = makeAb({ name: "Far Away Hub" });
const school = makeSchool({ abId: ab.id });
const otherSchool = makeSchool({ abId: ab.id, name: "Other School" });
const lead = makePerson({ displayName: "Lee Lead", roles: ["induction_lead"], schoolId: school.id, aadObjectId: oids.lead });
const tutor = makePerson({ displayName: "Ivy Tutor", roles: ["induction_tutor"], schoolId: school.id, aadObjectId: oids.tutor });
const officer = makePerson({ displayName: "Olu Officer", roles: ["ab_officer"], abId: ab.id, aadObjectId: oids.officer });
const ectPerson = makePerson({ displayName: "Eli Ect", roles: ["ect"], schoolId: school.id });
const elsewhere = makePerson({ displayName: "Not Ours", roles: ["mentor"], schoolId: otherSchool.id });
const ect = makeEct({ personId: ectPerson.id, schoolId: school.id, abId: ab.id, inductionTutorId: tutor.id });

beforeAll(async () => {
  tenant = await fakeTenant();
  server = await startTestServer({ env: { ...tenantEnv }, entraVerifier: tenant.verifier() });
  for (const a of [ab, otherAb]) await server.store.upsertAppropriateBody(a);
  for (const s of [school, otherSchool]) await server.store.upsertSchool(s);
  for (const p of [lead, tutor, officer, ectPerson, elsewhere]) await server.store.upsertPerson(p);
  await server.store.upsertEct(ect);
});
afterAll(async () => {
  await server?.stop();
});

const call = async (method: string, path: string, oid: string, body?: unknown, upn?: string, headers: Record<string, string> = {}) => {
  const token = await tenant.token({ oid, ...(upn ? { extra: { preferred_username: upn } } : {}) });
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json };
};
/** A change names the version it was based on (issue 15): the one stored now. */
const ifMatch = async (kind: "person" | "ect", id: string) => {
  const record = kind === "person" ? await server.store.getPerson(id) : await server.store.getEct(id);
  return { "if-match": `"v${record?.version ?? 1}"` };
};

describe("the roster: roles from the tenant", () => {
  it("shows the induction lead their school's roster, editable", async () => {
    const res = await call("GET", "/api/roster", oids.lead);
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe("school");
    expect(res.body.editable).toBe(true);
    expect(res.body.people.map((p: Json) => p.displayName).sort()).toEqual(["Eli Ect", "Ivy Tutor", "Lee Lead"]);
    expect(res.body.people.find((p: Json) => p.id === ectPerson.id).signedIn).toBe(false);
    expect(res.body.ects.map((e: Json) => e.id)).toEqual([ect.id]);
    expect(res.body.appropriateBodies).toEqual([{ id: ab.id, name: ab.name, webhookConfigured: false }]);
  });

  it("refuses the roster to a tutor, and changes to anyone but the lead or head", async () => {
    expect((await call("GET", "/api/roster", oids.tutor)).status).toBe(403);
    const put = await call("PUT", `/api/roster/people/${tutor.id}`, oids.tutor, { displayName: "Ivy", email: tutor.email, roles: ["induction_lead"] });
    expect(put.status).toBe(403);
    expect((await server.store.getPerson(tutor.id))?.roles).toEqual(["induction_tutor"]);
  });

  it("gives an AB officer a read-only view of the ECTs their AB covers", async () => {
    const res = await call("GET", "/api/roster", oids.officer);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ scope: "ab", editable: false });
    expect(res.body.ects.map((e: Json) => e.id)).toEqual([ect.id]);
    expect(res.body.people.map((p: Json) => p.displayName).sort()).toEqual(["Eli Ect", "Ivy Tutor"]);
    const put = await call("PUT", `/api/roster/ects/${ect.id}`, oids.officer, { personId: ectPerson.id, inductionStartDate: "2026-09-01", fte: 1 });
    expect(put.status).toBe(403);
  });

  it("validates roster changes and keeps them to the lead's school", async () => {
    expect((await call("PUT", "/api/roster/people/p-x", oids.lead, { displayName: "X", email: "not-an-email", roles: ["mentor"] })).status).toBe(400);
    expect((await call("PUT", "/api/roster/people/p-x", oids.lead, { displayName: "X", email: "x@school.example", roles: ["ab_officer"] })).status).toBe(400);
    expect((await call("PUT", "/api/roster/people/p-x", oids.lead, { displayName: "X", email: "x@school.example", roles: ["mentor"], extra: 1 })).status).toBe(
      400,
    );
    expect(
      (await call("PUT", `/api/roster/people/${elsewhere.id}`, oids.lead, { displayName: "Mine now", email: elsewhere.email, roles: ["mentor"] })).status,
    ).toBe(403);
    const dupe = await call("PUT", "/api/roster/people/p-y", oids.lead, { displayName: "Y", email: tutor.email.toUpperCase(), roles: ["mentor"] });
    expect(dupe.status).toBe(422);
    expect(dupe.body.violations[0].path).toBe("email");
    // The tutor is not a mentor; someone from another school cannot be assigned.
    const notMentor = await call(
      "PUT",
      `/api/roster/ects/${ect.id}`,
      oids.lead,
      { personId: ectPerson.id, mentorId: tutor.id, inductionStartDate: "2026-09-01", fte: 1 },
      undefined,
      await ifMatch("ect", ect.id),
    );
    expect(notMentor.status).toBe(422);
    expect(notMentor.body.violations[0].code).toBe("missing-role");
    const foreign = await call(
      "PUT",
      `/api/roster/ects/${ect.id}`,
      oids.lead,
      { personId: ectPerson.id, mentorId: elsewhere.id, inductionStartDate: "2026-09-01", fte: 1 },
      undefined,
      await ifMatch("ect", ect.id),
    );
    expect(foreign.body.violations[0].code).toBe("not-on-roster");
    const ownLead = await call(
      "PUT",
      `/api/roster/people/${lead.id}`,
      oids.lead,
      { displayName: "Lee", email: lead.email, roles: ["mentor"] },
      undefined,
      await ifMatch("person", lead.id),
    );
    expect(ownLead.status).toBe(422);
  });

  it("maps a new mentor added by the lead on their first sign-in by email, then by object id", async () => {
    // Before the lead adds them, the mentor has no role.
    const upn = "Mia.Mentor@School.Example";
    expect((await call("GET", "/api/me", oids.newMentor, undefined, upn)).status).toBe(403);

    const added = await call("PUT", "/api/roster/people/p-mia", oids.lead, {
      displayName: "Mia Mentor",
      email: "mia.mentor@school.example",
      roles: ["mentor"],
    });
    expect(added.status).toBe(201);
    expect(added.body.person).toMatchObject({ id: "p-mia", roles: ["mentor"], schoolId: school.id, signedIn: false });
    const assigned = await call(
      "PUT",
      `/api/roster/ects/${ect.id}`,
      oids.lead,
      { personId: ectPerson.id, mentorId: "p-mia", inductionStartDate: "2026-09-07", fte: 0.8 },
      undefined,
      await ifMatch("ect", ect.id),
    );
    expect(assigned.status).toBe(200);
    expect(assigned.body.ect).toMatchObject({ mentorId: "p-mia", inductionTutorId: tutor.id, fte: 0.8, inductionStartDate: "2026-09-07" });

    // First sign-in: matched by UPN (case-insensitive), linked to the Entra object id.
    const me = await call("GET", "/api/me", oids.newMentor, undefined, upn);
    expect(me.status).toBe(200);
    expect(me.body.person).toMatchObject({ id: "p-mia", roles: ["mentor"], aadObjectId: oids.newMentor });
    expect((await server.store.getPersonByAadObjectId(oids.newMentor))?.id).toBe("p-mia");
    // Her caseload now holds the ECT the lead assigned.
    const caseload = await call("GET", "/api/caseload", oids.newMentor, undefined, "someone.else@school.example");
    expect(caseload.body.rows.map((r: Json) => r.ectId)).toEqual([ect.id]);
    // Another account with the same UPN is not linked to her again.
    expect((await call("GET", "/api/me", oids.impostor, undefined, upn)).status).toBe(403);
    // Linking her account was a change to her record (version 2); the lead's edits keep her link.
    expect((await call("GET", "/api/roster", oids.lead)).body.people.find((p: Json) => p.id === "p-mia")).toMatchObject({
      version: 2,
      signedIn: true,
      entraLinked: true,
      firstSignedInAt: new Date(testInstant).toISOString(),
    });
    const edited = await call(
      "PUT",
      "/api/roster/people/p-mia",
      oids.lead,
      { displayName: "Mia Mentor", email: "mia.mentor@school.example", roles: ["mentor", "induction_tutor"] },
      undefined,
      { "if-match": '"v2"' },
    );
    expect(edited.status).toBe(200);
    expect((await call("GET", "/api/me", oids.newMentor)).body.person.roles).toEqual(["mentor", "induction_tutor"]);
  });

  it("audits every change by field name only, never the values", async () => {
    const res = await call("GET", "/api/roster/audit", oids.lead);
    expect(res.status).toBe(200);
    const entries = res.body.entries as Json[];
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(["roster_person_added", "roster_ect_updated", "roster_sign_in_linked", "roster_person_updated"]),
    );
    const ectChange = entries.find((e) => e.action === "roster_ect_updated");
    expect(ectChange).toMatchObject({ actorId: lead.id, subjectId: ect.id, schoolId: school.id });
    expect(ectChange!.summary).toMatch(/mentor/);
    // Actors are named (as in the plan audit); what changed is named by field, never its value.
    const text = JSON.stringify(entries.map((e) => e.summary));
    expect(text).not.toMatch(/mia\.mentor@|Mia Mentor|0\.8|2026-09-07/i);
    expect((await call("GET", "/api/roster/audit", oids.tutor)).status).toBe(403);
  });

  it("an ECT is filed only under an AB the school works with; linking one is audited and the AB sees it", async () => {
    const before = { ect: await server.store.getEct(ect.id), audit: await server.store.listDirectoryAudit({ schoolId: school.id }) };
    // The decoy: the lead files an ECT under an AB the school does not work with — refused, nothing written.
    const decoy = await call(
      "PUT",
      `/api/roster/ects/${ect.id}`,
      oids.lead,
      { personId: ectPerson.id, abId: otherAb.id, inductionStartDate: "2026-09-01", fte: 1 },
      undefined,
      await ifMatch("ect", ect.id),
    );
    expect(decoy.status).toBe(422);
    expect(decoy.body.violations[0].code).toBe("ab-not-linked");
    expect(await server.store.getEct(ect.id)).toEqual(before.ect);
    expect(await server.store.listDirectoryAudit({ schoolId: school.id })).toEqual(before.audit);
    // Only the lead links, and the link is audited for the school and the AB.
    expect((await call("PUT", `/api/roster/appropriate-bodies/${otherAb.id}/link`, oids.tutor, { linked: true })).status).toBe(403);
    expect((await call("PUT", `/api/roster/appropriate-bodies/${otherAb.id}/link`, oids.lead, { linked: "yes" })).status).toBe(400);
    expect(await call("PUT", `/api/roster/appropriate-bodies/${otherAb.id}/link`, oids.lead, { linked: true })).toEqual({
      status: 200,
      body: { linked: true },
    });
    expect((await server.store.listDirectoryAudit({ abId: otherAb.id })).map((e) => e.action)).toContain("school_ab_linked");
    expect((await server.store.getSchool(school.id))?.linkedAbIds).toEqual([otherAb.id]);
    // The school's own AB stays linked.
    expect((await call("PUT", `/api/roster/appropriate-bodies/${ab.id}/link`, oids.lead, { linked: false })).body.violations[0].code).toBe("own-ab");
    expect(await call("PUT", `/api/roster/appropriate-bodies/${otherAb.id}/link`, oids.lead, { linked: false })).toEqual({
      status: 200,
      body: { linked: false },
    });
  });

  it("sets where this school's alerts for its AB go (https only), per school, and never shows the address", async () => {
    const url = "https://prod-12.uksouth.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=secret";
    expect((await call("PUT", `/api/roster/appropriate-bodies/${ab.id}/webhook`, oids.lead, { url: "http://insecure.example/hook" })).status).toBe(400);
    // An AB the school has not linked, a tutor, and the AB's own officer cannot set it.
    expect((await call("PUT", `/api/roster/appropriate-bodies/${otherAb.id}/webhook`, oids.lead, { url })).status).toBe(403);
    expect((await call("PUT", `/api/roster/appropriate-bodies/${ab.id}/webhook`, oids.tutor, { url })).status).toBe(403);
    expect((await call("PUT", `/api/roster/appropriate-bodies/${ab.id}/webhook`, oids.officer, { url })).status).toBe(403);
    expect((await server.store.getSchool(school.id))?.alertWebhooks ?? []).toEqual([]);

    const set = await call("PUT", `/api/roster/appropriate-bodies/${ab.id}/webhook`, oids.lead, { url });
    expect(set).toEqual({ status: 200, body: { webhookConfigured: true } });
    expect((await server.store.getSchool(school.id))?.alertWebhooks).toEqual([{ abId: ab.id, url }]);
    // Held for this school only: the AB itself, and the other school it covers, have none.
    expect((await server.store.getAppropriateBody(ab.id))?.alertWebhookUrl).toBeUndefined();
    expect((await server.store.getSchool(otherSchool.id))?.alertWebhooks).toBeUndefined();

    // The AB officer sees which school posts to a webhook, by fingerprint; nobody sees the address.
    const roster = await call("GET", "/api/roster", oids.officer);
    expect(roster.body.appropriateBodies).toEqual([{ id: ab.id, name: ab.name, webhookConfigured: true }]);
    expect(roster.body.alertRoutes).toEqual([
      { schoolId: school.id, schoolName: school.name, abId: ab.id, webhookFingerprint: expect.stringMatching(/^[0-9a-f]{12}$/) },
    ]);
    expect(JSON.stringify(roster.body)).not.toContain("sig=secret");
    expect(JSON.stringify((await call("GET", "/api/roster", oids.lead)).body)).not.toContain("sig=secret");
    const cleared = await call("PUT", `/api/roster/appropriate-bodies/${ab.id}/webhook`, oids.lead, { url: null });
    expect(cleared.body).toEqual({ webhookConfigured: false });
    expect((await server.store.getSchool(school.id))?.alertWebhooks).toEqual([]);
  });
});

describe("the webhook hosts a server posts to (WEBHOOK_ALLOWED_HOSTS)", () => {
  it("are the hosts a saved address is checked against, over HTTP", async () => {
    const own = await startTestServer({ env: { ...tenantEnv, WEBHOOK_ALLOWED_HOSTS: "hooks.example.org" }, entraVerifier: tenant.verifier() });
    try {
      await own.store.upsertAppropriateBody(ab);
      await own.store.upsertSchool(school);
      await own.store.upsertPerson(lead);
      const put = async (url: string) => {
        const token = await tenant.token({ oid: oids.lead });
        const res = await fetch(`${own.url}/api/roster/appropriate-bodies/${ab.id}/webhook`, {
          method: "PUT",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ url }),
        });
        return res.status;
      };
      // Microsoft's default hosts are not this server's: refused, and nothing is kept.
      expect(await put("https://prod-1.uksouth.logic.azure.com/workflows/x/triggers/manual/paths/invoke?sig=s")).toBe(400);
      expect((await own.store.getSchool(school.id))?.alertWebhooks).toBeUndefined();
      expect(await put("https://flows.hooks.example.org/post?sig=s")).toBe(200);
      expect((await own.store.getSchool(school.id))?.alertWebhooks).toEqual([{ abId: ab.id, url: "https://flows.hooks.example.org/post?sig=s" }]);
    } finally {
      await own.stop();
    }
  });
});
