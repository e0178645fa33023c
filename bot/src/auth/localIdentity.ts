import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { SignJWT, jwtVerify } from "jose";
import type { Clock } from "../clock.js";
import { ensureWritableDataDir } from "../store/dataDir.js";

/** How long a persona token lasts, by the server's clock. */
export const localTokenLifetimeSeconds = 12 * 3600;

/**
 * Local mode only: a signed token that says "act as this demo persona". The key lives in the
 * data folder, so tokens survive a restart and a new data folder invalidates old tokens.
 * Never constructed in tenant mode.
 */
export class LocalIdentity {
  private constructor(
    private readonly key: Uint8Array,
    private readonly clock: Clock,
  ) {}

  /** Issued and expiry times come from `clock` (the server's one clock), never the machine's date. */
  static open(dataDir: string, clock: Clock): LocalIdentity {
    ensureWritableDataDir(dataDir);
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, "local-identity.key");
    if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
    return new LocalIdentity(Buffer.from(readFileSync(file, "utf8"), "base64"), clock);
  }

  async issue(personId: string): Promise<string> {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    return new SignJWT({ mode: "local" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(personId)
      .setIssuedAt(iat)
      .setIssuer("ect-support-plans/local")
      .setAudience("ect-support-plans/api")
      .setExpirationTime(iat + localTokenLifetimeSeconds)
      .sign(this.key);
  }

  /** The person id the token was issued for, or undefined if it is not ours, expired or forged. */
  async verify(token: string): Promise<string | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: "ect-support-plans/local",
        audience: "ect-support-plans/api",
        algorithms: ["HS256"],
        // A token with no expiry (or no issued-at) is refused; expiry is judged by the server's clock.
        requiredClaims: ["iat", "exp"],
        currentDate: this.clock.now(),
        maxTokenAge: localTokenLifetimeSeconds,
      });
      return payload.sub;
    } catch {
      return undefined;
    }
  }
}
