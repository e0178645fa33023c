import type { AuthProvider } from "./auth";
import { now as clockNow } from "./clock";

/**
 * Tenant sign-in: the tab gets an Entra access token for this app's API (`access_as_user`)
 * without the user typing anything.
 *
 * 1. Nested app authentication (NAA): when the Teams host recommends it, `@azure/msal-browser`'s
 *    `createNestablePublicClientApplication` asks the host for the token (`acquireTokenSilent`);
 *    only an `interaction_required` answer opens the host's consent popup (`acquireTokenPopup`).
 * 2. Otherwise (older hosts, or NAA failing for a reason other than interaction) the classic Teams
 *    SSO call, `authentication.getAuthToken()` from `@microsoft/teams-js`.
 *
 * Tokens are kept in memory only: MSAL's cache is `memoryStorage`, and this module never writes
 * to localStorage or sessionStorage. Both SDKs load on demand, so local mode never downloads MSAL.
 */

export type AuthConfig = { mode: "local" } | { mode: "tenant"; clientId: string; tenantId: string; authority: string; scopes: string[] };

/** What GET /api/auth/config says about this deployment. */
export async function fetchAuthConfig(fetchFn: typeof fetch = (...a) => fetch(...a)): Promise<AuthConfig> {
  const res = await fetchFn("/api/auth/config", { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`The server did not say how to sign in (${res.status}).`);
  const body = (await res.json()) as Partial<Extract<AuthConfig, { mode: "tenant" }>> & { mode?: string };
  if (body.mode === "tenant" && body.clientId && body.authority && Array.isArray(body.scopes) && body.scopes.length > 0) {
    return { mode: "tenant", clientId: body.clientId, tenantId: body.tenantId ?? "", authority: body.authority, scopes: body.scopes };
  }
  return { mode: "local" };
}

/** A sign-in failure worded for the person in front of the tab. */
export class SignInError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = "SignInError";
  }
}

export type TokenSource = (opts: { forceRefresh: boolean }) => Promise<string>;

/** Which path produced the last token (shown nowhere; tests and diagnostics read it). */
export type TokenPath = "naa" | "teams-sso";

const isInteractionRequired = (e: unknown): boolean => {
  const err = e as { name?: string; errorCode?: string } | undefined;
  return (
    err?.name === "InteractionRequiredAuthError" ||
    err?.errorCode === "interaction_required" ||
    err?.errorCode === "consent_required" ||
    err?.errorCode === "login_required"
  );
};

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The token source for a tab hosted in Teams (or another Microsoft 365 host). `inHost` is false
 * when the page was opened outside any host: tenant sign-in happens inside Teams only.
 */
export function createTeamsTokenSource(config: Extract<AuthConfig, { mode: "tenant" }>, inHost: boolean, onPath?: (p: TokenPath) => void): TokenSource {
  type Pca = import("@azure/msal-browser").IPublicClientApplication;
  let pca: Promise<Pca | undefined> | undefined;

  const nestedClient = async (): Promise<Pca | undefined> => {
    const { app, nestedAppAuth } = await import("@microsoft/teams-js");
    if (!app.isInitialized()) await app.initialize();
    if (!nestedAppAuth.isNAAChannelRecommended()) return undefined;
    const msal = await import("@azure/msal-browser");
    return msal.createNestablePublicClientApplication({
      auth: { clientId: config.clientId, authority: config.authority },
      cache: { cacheLocation: "memoryStorage" },
    });
  };

  const viaNaa = async (client: Pca, forceRefresh: boolean): Promise<string> => {
    const account = client.getActiveAccount() ?? client.getAllAccounts()[0];
    const request = { scopes: config.scopes, ...(account ? { account } : {}) };
    try {
      const result = await client.acquireTokenSilent({ ...request, forceRefresh });
      if (result.account) client.setActiveAccount(result.account);
      return result.accessToken;
    } catch (e) {
      if (!isInteractionRequired(e)) throw e;
      const result = await client.acquireTokenPopup({ scopes: config.scopes });
      if (result.account) client.setActiveAccount(result.account);
      return result.accessToken;
    }
  };

  const viaTeamsSso = async (): Promise<string> => {
    const { app, authentication } = await import("@microsoft/teams-js");
    if (!app.isInitialized()) await app.initialize();
    return authentication.getAuthToken();
  };

  return async ({ forceRefresh }) => {
    if (!inHost) throw new SignInError("Open this app in Microsoft Teams to sign in with your school account.");
    pca ??= nestedClient().catch(() => undefined); // NAA unavailable: the classic Teams SSO below
    const client = await pca;
    let naaError: unknown;
    if (client) {
      try {
        const token = await viaNaa(client, forceRefresh);
        onPath?.("naa");
        return token;
      } catch (e) {
        naaError = e;
      }
    }
    try {
      const token = await viaTeamsSso();
      onPath?.("teams-sso");
      return token;
    } catch (e) {
      const why = describe(naaError ?? e);
      throw new SignInError(`Teams could not sign you in to ECT Support Plans (${why}). Check that your administrator has granted consent, then try again.`, e);
    }
  };
}

/** Seconds since the epoch when the token expires, read from the JWT (unverified: only for refresh timing). */
function expiresAt(token: string): number | undefined {
  try {
    const payload = token.split(".")[1];
    if (!payload) return undefined;
    const json = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: unknown };
    return typeof json.exp === "number" ? json.exp : undefined;
  } catch {
    return undefined;
  }
}

/** Tenant mode's AuthProvider: the token lives in memory; re-acquired a minute before it expires or after a 401. */
export class TenantAuth implements AuthProvider {
  readonly kind = "tenant" as const;
  private token: Promise<string> | undefined;

  constructor(
    private readonly source: TokenSource,
    private readonly now: () => number = () => clockNow().getTime(),
  ) {}

  private acquire(forceRefresh: boolean): Promise<string> {
    const p = this.source({ forceRefresh });
    this.token = p;
    p.catch(() => {
      if (this.token === p) this.token = undefined; // a failure is not cached: "try again" really tries
    });
    return p;
  }

  async getToken(): Promise<string> {
    if (this.token) {
      const current = await this.token;
      const exp = expiresAt(current);
      if (exp === undefined || exp * 1000 - 60_000 > this.now()) return current;
    }
    return this.acquire(false);
  }

  /** After the API answered 401: ask again, past any cache. */
  refreshToken(): Promise<string> {
    return this.acquire(true);
  }

  signOut(): void {
    this.token = undefined;
  }
}
