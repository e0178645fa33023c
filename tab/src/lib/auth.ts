import { createTeamsTokenSource, fetchAuthConfig, TenantAuth } from "./tenantAuth";

/**
 * How the tab gets a token for the API. One small interface so tenant SSO (Teams nested app
 * auth through @azure/msal-browser, a later issue) plugs in without touching the views.
 *
 * - Local mode (`LocalPersonaAuth`): the dev persona picker signs in through /api/dev/sign-in;
 *   the token lives in sessionStorage for this browser tab only.
 * - Tenant mode (`TenantAuth`, ./tenantAuth.ts): when GET /api/auth/config reports
 *   `mode: "tenant"`, the token comes from the Teams host through msal-browser's nested app
 *   authentication (falling back to teams-js `authentication.getAuthToken`), in memory only.
 *   There is no persona picker in tenant mode.
 */
export interface AuthProvider {
  readonly kind: "local" | "tenant";
  /** A bearer token for the API, or undefined when nobody is signed in. Tenant mode throws a `SignInError` when the host cannot sign in. */
  getToken(): Promise<string | undefined>;
  /** Get a fresh token past any cache (the API answered 401). Local tokens cannot be refreshed. */
  refreshToken?(): Promise<string | undefined>;
  /** Forget the signed-in identity (local: back to the persona picker). */
  signOut(): void;
}

const TOKEN_KEY = "ectsp:token";

export class LocalPersonaAuth implements AuthProvider {
  readonly kind = "local" as const;
  constructor(private readonly storage: Storage = sessionStorage) {}
  async getToken(): Promise<string | undefined> {
    return this.storage.getItem(TOKEN_KEY) ?? undefined;
  }
  /** Local mode only: become a demo persona. */
  async signInAs(personId: string): Promise<void> {
    const res = await fetch("/api/dev/sign-in", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ personId }) });
    if (!res.ok) throw new Error(`Could not sign in as that persona (${res.status}).`);
    const { token } = (await res.json()) as { token: string };
    this.storage.setItem(TOKEN_KEY, token);
  }
  signOut(): void {
    this.storage.removeItem(TOKEN_KEY);
  }
}

/**
 * The provider for this deployment, from what the server says (GET /api/auth/config). `inHost`:
 * the tab runs inside Teams (or another Microsoft 365 host), where tenant sign-in happens.
 */
export async function createAuth(inHost: boolean, fetchFn?: typeof fetch): Promise<AuthProvider> {
  const config = await fetchAuthConfig(fetchFn);
  if (config.mode === "tenant") return new TenantAuth(createTeamsTokenSource(config, inHost));
  return new LocalPersonaAuth();
}
