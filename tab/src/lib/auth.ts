/**
 * How the tab gets a token for the API. One small interface so tenant SSO (Teams nested app
 * auth through @azure/msal-browser, a later issue) plugs in without touching the views.
 *
 * - Local mode (`LocalPersonaAuth`): the dev persona picker signs in through /api/dev/sign-in;
 *   the token lives in sessionStorage for this browser tab only.
 * - Tenant mode: implement `AuthProvider` with msal-browser's `createNestablePublicClientApplication`
 *   and `acquireTokenSilent` for the API scope, and return it from `createAuth` when the server
 *   reports `mode: "tenant"` (GET /api/me answers 401 with no dev routes). Not built yet.
 */
export interface AuthProvider {
  readonly kind: "local" | "tenant";
  /** A bearer token for the API, or undefined when nobody is signed in. */
  getToken(): Promise<string | undefined>;
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

/** The provider for this deployment. Tenant SSO is the seam above; local mode is all that exists today. */
export function createAuth(): AuthProvider {
  return new LocalPersonaAuth();
}
