/**
 * Tests only: a stand-in for a Microsoft Entra tenant. Generates an RS256 key pair locally,
 * publishes the public half as a local JWKS (what Entra serves at /discovery/v2.0/keys), and
 * signs access tokens shaped like the ones Teams SSO / nested app authentication hand the tab.
 * No test framework imports here: the build compiles this file.
 */
import { randomUUID } from "node:crypto";
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload, type JWTVerifyGetKey, type CryptoKey } from "jose";
import type { Config } from "@ectsp/bot/config.js";
import { EntraTokenVerifier } from "@ectsp/bot/auth/entraTokens.js";
import type { Clock } from "@ectsp/bot/clock.js";
import { movableClock, testInstant } from "./movableClock.js";

export const testTenantId = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
export const otherTenantId = "0a0b0c0d-1111-4222-8333-944455566677";
export const testClientId = "11111111-2222-4333-8444-555555555555";
export const testPublicUrl = "https://ectsp.example.net";
export const authority = "https://login.microsoftonline.com";

/** The env a tenant-mode server reads (bot/src/config.ts). */
export const tenantEnv = {
  AAD_APP_TENANT_ID: testTenantId,
  AAD_APP_CLIENT_ID: testClientId,
  AAD_APP_OAUTH_AUTHORITY_HOST: authority,
  PUBLIC_URL: testPublicUrl,
  // Tenant mode refuses to start without the bot's credentials; botbuilder checks activities with them.
  BOT_ID: "22222222-3333-4444-8555-666666666666",
  BOT_PASSWORD: "test-bot-secret-not-real",
} as const;

export const tenantSettings: NonNullable<Config["tenant"]> = {
  tenantId: testTenantId,
  clientId: testClientId,
  audiences: [testClientId, `api://${new URL(testPublicUrl).host}/${testClientId}`],
  authority,
};

export interface TokenOptions {
  oid?: string;
  tid?: string;
  aud?: string;
  iss?: string;
  scp?: string | undefined;
  /** Seconds from now; negative for a token that has already expired. */
  expiresIn?: number;
  notBeforeIn?: number;
  extra?: JWTPayload;
  /** Sign with this key instead (a forger's key). */
  key?: CryptoKey;
  kid?: string;
  alg?: string;
}

export interface FakeTenant {
  /** The key source to inject into EntraTokenVerifier in place of the tenant's JWKS. */
  jwks: JWTVerifyGetKey;
  verifier(settings?: NonNullable<Config["tenant"]>): EntraTokenVerifier;
  /** A v2.0 access token for the API, valid unless options say otherwise. */
  token(options?: TokenOptions): Promise<string>;
  /** A key pair the tenant never published: tokens signed with it must be refused. */
  forgerKey(): Promise<CryptoKey>;
}

/** Tokens are issued at `clock`'s time and the verifiers check them against the same clock (the test server's default instant unless given). */
export async function fakeTenant(clock: Clock = movableClock(testInstant)): Promise<FakeTenant> {
  const kid = `test-${randomUUID()}`;
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  const jwks = createLocalJWKSet({ keys: [jwk] });
  return {
    jwks,
    verifier: (settings = tenantSettings) => new EntraTokenVerifier(settings, clock, jwks),
    async forgerKey() {
      return (await generateKeyPair("RS256")).privateKey;
    },
    async token(o = {}) {
      const now = Math.floor(clock.now().getTime() / 1000);
      const tid = o.tid ?? testTenantId;
      const claims: JWTPayload = {
        oid: o.oid ?? randomUUID(),
        tid,
        name: "Test Person",
        preferred_username: "test.person@school.example",
        ver: "2.0",
        ...("scp" in o ? (o.scp === undefined ? {} : { scp: o.scp }) : { scp: "access_as_user" }),
        ...o.extra,
      };
      return new SignJWT(claims)
        .setProtectedHeader({ alg: o.alg ?? "RS256", kid: o.kid ?? kid, typ: "JWT" })
        .setIssuer(o.iss ?? `${authority}/${tid}/v2.0`)
        .setAudience(o.aud ?? testClientId)
        .setSubject(randomUUID())
        .setIssuedAt(now - 60)
        .setNotBefore(now + (o.notBeforeIn ?? -60))
        .setExpirationTime(now + (o.expiresIn ?? 3600))
        .sign(o.key ?? privateKey);
    },
  };
}
