import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { LocalIdentity } from "../auth/localIdentity.js";
import { movableClock, testInstant } from "../../test-support/movableClock.js";
import { fakeTenant, otherTenantId, tenantEnv, type FakeTenant } from "../../test-support/entraTestTokens.js";
import { makeAb, makeEct, makePerson, makeSchool } from "../../test-support/store/testData.js";

type Json = Record<string, any>;

/** The people a school's roster maps to Entra object ids (seeded here: no demo school in tenant mode). */
const oids = {
  tutor: "7d0c7a4e-1d1b-4e8e-9a51-000000000001",
  ect: "7d0c7a4e-1d1b-4e8e-9a51-000000000002",
  stranger: "7d0c7a4e-1d1b-4e8e-9a51-0000000000ff",
};

let server: RunningServer;
let tenant: FakeTenant;
let ectId: string;

beforeAll(async () => {
  tenant = await fakeTenant();
  server = await startTestServer({ env: { ...tenantEnv }, entraVerifier: tenant.verifier() });
  const ab = makeAb();
  const school = makeSchool({ abId: ab.id });
  const tutor = makePerson({ displayName: "Ivy Tutor", roles: ["induction_tutor"], schoolId: school.id, aadObjectId: oids.tutor });
  const ectPerson = makePerson({ displayName: "Eli Ect", roles: ["ect"], schoolId: school.id, aadObjectId: oids.ect });
  const ect = makeEct({ personId: ectPerson.id, schoolId: school.id, abId: ab.id, inductionTutorId: tutor.id });
  ectId = ect.id;
  await server.store.upsertAppropriateBody(ab);
  await server.store.upsertSchool(school);
  await server.store.upsertPerson(tutor);
  await server.store.upsertPerson(ectPerson);
  await server.store.upsertEct(ect);
});
afterAll(async () => {
  await server?.stop();
});

const get = async (path: string, token?: string) => {
  const res = await fetch(`${server.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    body: (text ? JSON.parse(text) : {}) as Json,
    wwwAuthenticate: res.headers.get("www-authenticate"),
  };
};

describe("tenant mode: every API call carries a valid Entra token", () => {
  it("is in tenant mode and created no demo school", async () => {
    const health = await get("/healthz");
    expect(health.body.mode).toBe("tenant");
    expect((await server.store.listPeople()).map((p) => p.displayName).sort()).toEqual(["Eli Ect", "Ivy Tutor"]);
  });

  it("gives the mapped person their caseload for a good token", async () => {
    const tutor = await get("/api/caseload", await tenant.token({ oid: oids.tutor }));
    expect(tutor.status).toBe(200);
    expect(tutor.body.rows.map((r: Json) => r.ectId)).toEqual([ectId]);
    const me = await get("/api/me", await tenant.token({ oid: oids.ect }));
    expect(me.status).toBe(200);
    expect(me.body.person.displayName).toBe("Eli Ect");
    expect(me.body.mode).toBe("tenant");
  });

  it.each([
    ["expired", { expiresIn: -300 }],
    ["for another audience", { aud: "https://graph.microsoft.com" }],
    ["from another tenant", { tid: otherTenantId }],
    ["without the access_as_user scope", { scp: "User.Read" }],
  ] as const)("refuses a token %s with 401 and problem JSON", async (_label, options) => {
    const res = await get("/api/caseload", await tenant.token({ oid: oids.tutor, ...options }));
    expect(res.status).toBe(401);
    expect(res.type).toContain("application/problem+json");
    expect(res.wwwAuthenticate).toContain("Bearer");
  });

  it("refuses a token with a wrong signature", async () => {
    const res = await get("/api/caseload", await tenant.token({ oid: oids.tutor, key: await tenant.forgerKey() }));
    expect(res.status).toBe(401);
  });

  it("refuses a local dev identity token, and no token at all", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "ectsp-dev-"));
    try {
      // Even a dev token minted with the key in this server's own data folder is not accepted.
      for (const dir of [dataDir, server.dataDir]) {
        const devToken = await LocalIdentity.open(dir, movableClock(testInstant)).issue("person-head");
        expect((await get("/api/caseload", devToken)).status).toBe(401);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect((await get("/api/caseload")).status).toBe(401);
    expect((await get("/api/caseload", "not-a-token")).status).toBe(401);
  });

  it("does not register the dev routes", async () => {
    expect((await get("/api/dev/personas")).status).toBe(404);
    const signIn = await fetch(`${server.url}/api/dev/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ personId: "person-head" }),
    });
    expect(signIn.status).toBe(404);
  });

  it("tells a signed-in person with no role in the roster what to do, with 403", async () => {
    const res = await get("/api/caseload", await tenant.token({ oid: oids.stranger }));
    expect(res.status).toBe(403);
    expect(res.type).toContain("application/problem+json");
    expect(res.body.detail).toMatch(/not given you a role/i);
    expect(res.body.detail).toMatch(/induction lead/i);
  });

  it("keeps the public endpoints public", async () => {
    expect((await get("/healthz")).status).toBe(200);
    expect((await get("/api/openapi.json")).status).toBe(200);
  });
});

describe("what the tab needs to sign in", () => {
  it("publishes the client id, tenant and API scope (public ids, no secret) without a token", async () => {
    const res = await get("/api/auth/config");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      mode: "tenant",
      clientId: tenantEnv.AAD_APP_CLIENT_ID,
      tenantId: tenantEnv.AAD_APP_TENANT_ID,
      authority: `${tenantEnv.AAD_APP_OAUTH_AUTHORITY_HOST}/${tenantEnv.AAD_APP_TENANT_ID}`,
      scopes: [`api://${new URL(tenantEnv.PUBLIC_URL).host}/${tenantEnv.AAD_APP_CLIENT_ID}/access_as_user`],
    });
  });
});
