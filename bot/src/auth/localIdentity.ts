import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { SignJWT, jwtVerify } from "jose";

/**
 * Local mode only: a signed token that says "act as this demo persona". The key lives in the
 * data folder, so tokens survive a restart and a new data folder invalidates old tokens.
 * Never constructed in tenant mode.
 */
export class LocalIdentity {
  private constructor(private readonly key: Uint8Array) {}

  static open(dataDir: string): LocalIdentity {
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, "local-identity.key");
    if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
    return new LocalIdentity(Buffer.from(readFileSync(file, "utf8"), "base64"));
  }

  async issue(personId: string): Promise<string> {
    return new SignJWT({ mode: "local" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(personId)
      .setIssuedAt()
      .setIssuer("ect-support-plans/local")
      .setAudience("ect-support-plans/api")
      .setExpirationTime("12h")
      .sign(this.key);
  }

  /** The person id the token was issued for, or undefined if it is not ours, expired or forged. */
  async verify(token: string): Promise<string | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: "ect-support-plans/local",
        audience: "ect-support-plans/api",
        algorithms: ["HS256"],
      });
      return payload.sub;
    } catch {
      return undefined;
    }
  }
}
