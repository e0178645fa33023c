import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { Config } from "../config.js";
import type { Clock } from "../clock.js";

export interface EntraCaller {
  /** Entra object id: how the store finds the person. */
  oid: string;
  tenantId: string;
  name?: string;
  upn?: string;
}

/** The delegated scope the app registration exposes (aad.manifest.json) and the tab asks for. */
export const apiScope = "access_as_user";

/** Entra and this server's clocks may differ a little; Microsoft's own libraries allow minutes. */
const clockToleranceSeconds = 60;

/**
 * Tenant mode: every API call carries an Entra access token (from Teams SSO via the tab).
 * Checked against the tenant's signing keys, issuer, audience, tenant and expiry on every call,
 * and it must be a delegated token for this API's `access_as_user` scope: an app-only token
 * (no `scp`) or a token for some other scope is refused.
 */
export class EntraTokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(
    private readonly tenant: NonNullable<Config["tenant"]>,
    /** Expiry and not-before are checked against the server's one clock, not jose's own. */
    private readonly clock: Clock,
    keys?: JWTVerifyGetKey,
  ) {
    this.keys = keys ?? createRemoteJWKSet(new URL(`${tenant.authority}/${tenant.tenantId}/discovery/v2.0/keys`));
  }

  async verify(token: string): Promise<EntraCaller | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: [`${this.tenant.authority}/${this.tenant.tenantId}/v2.0`, `https://sts.windows.net/${this.tenant.tenantId}/`],
        audience: this.tenant.audiences,
        algorithms: ["RS256"],
        clockTolerance: clockToleranceSeconds,
        currentDate: this.clock.now(),
        requiredClaims: ["exp", "iat"],
      });
      const oid = typeof payload.oid === "string" ? payload.oid : undefined;
      const tid = typeof payload.tid === "string" ? payload.tid : undefined;
      const scopes = typeof payload.scp === "string" ? payload.scp.split(" ") : [];
      if (!oid || tid !== this.tenant.tenantId || !scopes.includes(apiScope)) return undefined;
      return {
        oid,
        tenantId: tid,
        ...(typeof payload.name === "string" ? { name: payload.name } : {}),
        ...(typeof payload.preferred_username === "string" ? { upn: payload.preferred_username } : {}),
      };
    } catch {
      return undefined;
    }
  }
}
