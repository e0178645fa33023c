import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { Config } from "../config.js";

export interface EntraCaller {
  /** Entra object id: how the store finds the person. */
  oid: string;
  tenantId: string;
  name?: string;
  upn?: string;
}

/**
 * Tenant mode: every API call carries an Entra access token (from Teams SSO via the tab).
 * Checked against the tenant's signing keys, issuer, audience and expiry on every call.
 */
export class EntraTokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(
    private readonly tenant: NonNullable<Config["tenant"]>,
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
      });
      const oid = typeof payload.oid === "string" ? payload.oid : undefined;
      const tid = typeof payload.tid === "string" ? payload.tid : undefined;
      if (!oid || tid !== this.tenant.tenantId) return undefined;
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
