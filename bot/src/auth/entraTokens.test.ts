import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import { loadConfig } from "../config.js";
import { LocalIdentity } from "./localIdentity.js";
import { EntraTokenVerifier } from "./entraTokens.js";
import { movableClock, testInstant } from "../../test-support/movableClock.js";
import {
  authority,
  fakeTenant,
  otherTenantId,
  tenantEnv,
  tenantSettings,
  testClientId,
  testPublicUrl,
  testTenantId,
  type FakeTenant,
} from "../../test-support/entraTestTokens.js";

let tenant: FakeTenant;
let verifier: EntraTokenVerifier;
beforeAll(async () => {
  tenant = await fakeTenant();
  verifier = tenant.verifier();
});

describe("Entra access tokens (tenant mode), against locally generated keys", () => {
  it("accepts a good token and returns who it is for", async () => {
    const oid = "2b7a9c1e-0000-4000-8000-000000000001";
    const caller = await verifier.verify(await tenant.token({ oid }));
    expect(caller).toEqual({ oid, tenantId: testTenantId, name: "Test Person", upn: "test.person@school.example" });
  });

  it("accepts the app id URI audience and a v1.0 issuer from the same tenant", async () => {
    const aud = `api://${new URL(testPublicUrl).host}/${testClientId}`;
    const v1 = await tenant.token({ aud, iss: `https://sts.windows.net/${testTenantId}/` });
    expect(await verifier.verify(v1)).toMatchObject({ tenantId: testTenantId });
  });

  it("uses the audiences the server derives from its settings (client id and api://<public host>/<client id>)", () => {
    const config = loadConfig({ ...tenantEnv, PORT: "0" });
    expect(config.mode).toBe("tenant");
    expect(config.tenant).toEqual(tenantSettings);
  });

  it("refuses an expired token", async () => {
    expect(await verifier.verify(await tenant.token({ expiresIn: -300 }))).toBeUndefined();
  });

  it("refuses a token that is not valid yet", async () => {
    expect(await verifier.verify(await tenant.token({ notBeforeIn: 600 }))).toBeUndefined();
  });

  it("refuses a token for another audience (e.g. a Microsoft Graph token)", async () => {
    expect(await verifier.verify(await tenant.token({ aud: "https://graph.microsoft.com" }))).toBeUndefined();
    expect(await verifier.verify(await tenant.token({ aud: "99999999-2222-4333-8444-555555555555" }))).toBeUndefined();
  });

  it("refuses a token from another tenant, by issuer or by tid", async () => {
    // Issued by another tenant altogether.
    expect(await verifier.verify(await tenant.token({ tid: otherTenantId }))).toBeUndefined();
    // Our issuer but another tenant id claim (a guest's home tenant is not ours to trust here).
    expect(await verifier.verify(await tenant.token({ tid: otherTenantId, iss: `${authority}/${testTenantId}/v2.0` }))).toBeUndefined();
    // The multi-tenant "common" issuer is not this tenant.
    expect(await verifier.verify(await tenant.token({ iss: `${authority}/common/v2.0` }))).toBeUndefined();
  });

  it("refuses a token with a wrong signature", async () => {
    const forged = await tenant.token({ key: await tenant.forgerKey() });
    expect(await verifier.verify(forged)).toBeUndefined();
    // A good token with its payload altered keeps its signature, which no longer matches.
    const good = await tenant.token({ oid: "a" });
    const [header, payload, signature] = good.split(".");
    const altered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), oid: "b" })).toString("base64url");
    expect(await verifier.verify(`${header}.${altered}.${signature}`)).toBeUndefined();
  });

  it("refuses a key id the tenant never published", async () => {
    expect(await verifier.verify(await tenant.token({ kid: "not-a-published-key" }))).toBeUndefined();
  });

  it("refuses the local dev identity's token", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "ectsp-auth-"));
    try {
      const local = await LocalIdentity.open(dataDir, movableClock(testInstant)).issue("person-head");
      expect(await verifier.verify(local)).toBeUndefined();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("judges expiry by the server's one clock, not the machine's", async () => {
    const clock = movableClock("2031-03-10T09:00:00Z");
    const later = await fakeTenant(clock);
    const token = await later.token();
    expect(await later.verifier().verify(token)).toMatchObject({ tenantId: testTenantId });
    // Two hours on by the server's clock the one-hour token has expired, whatever the machine's date.
    clock.advance(2 * 3_600_000);
    expect(await later.verifier().verify(token)).toBeUndefined();
  });

  it("refuses an HS256 token whose 'key' is the public key material (algorithm confusion)", async () => {
    const now = Math.floor(Date.parse(testInstant) / 1000);
    const hs = await new SignJWT({ oid: "x", tid: testTenantId, scp: "access_as_user" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(`${authority}/${testTenantId}/v2.0`)
      .setAudience(testClientId)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode("a shared secret anyone could guess"));
    expect(await verifier.verify(hs)).toBeUndefined();
    const none = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${Buffer.from(JSON.stringify({ oid: "x", tid: testTenantId, aud: testClientId, iss: `${authority}/${testTenantId}/v2.0`, exp: now + 600 })).toString("base64url")}.`;
    expect(await verifier.verify(none)).toBeUndefined();
  });

  it("refuses an app-only token (no delegated scope) and a token for another scope", async () => {
    expect(await verifier.verify(await tenant.token({ scp: undefined, extra: { roles: ["Something.All"] } }))).toBeUndefined();
    expect(await verifier.verify(await tenant.token({ scp: "User.Read" }))).toBeUndefined();
    expect(await verifier.verify(await tenant.token({ scp: "User.Read access_as_user" }))).toBeDefined();
  });

  it("refuses a token with no object id, and garbage", async () => {
    expect(await verifier.verify(await tenant.token({ extra: { oid: undefined } }))).toBeUndefined();
    expect(await verifier.verify("x.y.z")).toBeUndefined();
    expect(await verifier.verify("")).toBeUndefined();
  });
});
