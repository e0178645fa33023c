// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClientProvider } from "@tanstack/react-query";
import { App } from "../App";
import { createQueryClient } from "./queryClient";
import type { TeamsHost } from "./teamsHost";
import { createApi } from "./api";
import { TenantAuth } from "./tenantAuth";

/** The app as main.tsx mounts it: inside the one query cache. */
const renderApp = (host: TeamsHost | undefined) =>
  render(
    <QueryClientProvider client={createQueryClient()}>
      <App host={host} />
    </QueryClientProvider>,
  );

/**
 * The tab obtaining and sending a token through a test double of the Teams host: teams-js and
 * msal-browser are replaced at the module boundary; the server is a fake fetch that records the
 * Authorization header of every /api/* call.
 */
const host = vi.hoisted(() => ({
  naaRecommended: true,
  silent: vi.fn(),
  popup: vi.fn(),
  getAuthToken: vi.fn(),
  createPca: vi.fn(),
  accounts: [] as { homeAccountId: string }[],
  active: undefined as { homeAccountId: string } | undefined,
}));

vi.mock("@microsoft/teams-js", () => ({
  app: { isInitialized: () => true, initialize: vi.fn(async () => undefined) },
  nestedAppAuth: { isNAAChannelRecommended: () => host.naaRecommended },
  authentication: { getAuthToken: host.getAuthToken },
  pages: { config: { registerOnSaveHandler: vi.fn(), setValidityState: vi.fn(), setConfig: vi.fn() } },
}));

/** The tab's clock, fixed: token expiry is judged against this instant (lib/clock.ts is the tab's one source of time). */
const NOW = vi.hoisted(() => new Date("2027-03-01T09:00:00.000Z"));
vi.mock("./clock", () => ({ now: () => new Date(NOW) }));

vi.mock("@azure/msal-browser", () => ({
  createNestablePublicClientApplication: host.createPca,
}));

afterEach(cleanup);

globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

const SCOPE = "api://tab.example.org/client-123/access_as_user";
const tenantConfig = { mode: "tenant", clientId: "client-123", tenantId: "tenant-1", authority: "https://login.microsoftonline.com/tenant-1", scopes: [SCOPE] };
const me = { person: { id: "p-tutor", displayName: "Sarah Thompson", roles: ["induction_tutor"] }, roleLabels: ["Induction tutor"], mode: "tenant" };

const fakeHost: TeamsHost = { theme: "light", onThemeChange: () => undefined };

/** A JWT-shaped token (unsigned: the tab never verifies, it only reads `exp` to refresh early). */
const jwt = (name: string, expInSeconds = 3600) =>
  `${btoa(JSON.stringify({ alg: "none" }))}.${btoa(JSON.stringify({ name, exp: Math.floor(NOW.getTime() / 1000) + expInSeconds }))}.sig`;

/** The path a fetch was called with (the API client passes a string; a URL or Request is read the same way). */
const pathOf = (input: RequestInfo | URL) => (typeof input === "string" ? input : input instanceof URL ? input.href : input.url);

interface Call {
  path: string;
  authorization: string | undefined;
}

function fakeServer(opts: { accept?: (token: string | undefined) => boolean; config?: object } = {}) {
  const calls: Call[] = [];
  const accept = opts.accept ?? (() => true);
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  const fetchFn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = pathOf(input);
    const headers = new Headers(init?.headers);
    const authorization = headers.get("authorization") ?? undefined;
    calls.push({ path, authorization });
    if (path === "/api/auth/config") return json(200, opts.config ?? tenantConfig);
    const token = authorization?.replace(/^Bearer /, "");
    if (!accept(token)) return json(401, { title: "Sign in", detail: "Your sign-in has expired or is not valid. Sign in again." });
    if (path === "/api/me") return json(200, me);
    if (path === "/api/caseload") return json(200, { rows: [] });
    return json(404, { title: "Not found" });
  });
  vi.stubGlobal("fetch", fetchFn);
  return { calls, apiCalls: () => calls.filter((c) => c.path !== "/api/auth/config") };
}

function pca() {
  const client = {
    getActiveAccount: () => host.active,
    getAllAccounts: () => host.accounts,
    setActiveAccount: (a: { homeAccountId: string }) => {
      host.active = a;
    },
    acquireTokenSilent: host.silent,
    acquireTokenPopup: host.popup,
  };
  host.createPca.mockResolvedValue(client);
  return client;
}

const interactionRequired = () =>
  Object.assign(new Error("AADSTS65001: consent needed"), { name: "InteractionRequiredAuthError", errorCode: "interaction_required" });

beforeEach(() => {
  host.naaRecommended = true;
  host.accounts = [];
  host.active = undefined;
  host.silent.mockReset();
  host.popup.mockReset();
  host.getAuthToken.mockReset();
  host.createPca.mockReset();
  localStorage.clear();
  sessionStorage.clear();
  history.replaceState(null, "", "/");
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("tenant sign-in through the Teams host", () => {
  it("gets a token silently through nested app authentication and sends it as Bearer to every /api call", async () => {
    const server = fakeServer();
    pca();
    const token = jwt("naa");
    host.silent.mockResolvedValue({ accessToken: token, account: { homeAccountId: "u1" } });

    renderApp(fakeHost);
    await screen.findByText("Sarah Thompson");
    await screen.findByRole("heading", { name: "Caseload" });

    expect(host.createPca).toHaveBeenCalledWith(
      expect.objectContaining({ auth: { clientId: "client-123", authority: tenantConfig.authority }, cache: { cacheLocation: "memoryStorage" } }),
    );
    expect(host.silent).toHaveBeenCalledWith(expect.objectContaining({ scopes: [SCOPE] }));
    expect(host.popup).not.toHaveBeenCalled();
    expect(host.getAuthToken).not.toHaveBeenCalled();
    const api = server.apiCalls();
    expect(api.map((c) => c.path)).toEqual(expect.arrayContaining(["/api/me", "/api/caseload"]));
    for (const call of api) expect(call.authorization).toBe(`Bearer ${token}`);
    // No dev persona picker in tenant mode, and the token is kept in memory only.
    expect(screen.queryByRole("heading", { name: "Choose who you are" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Switch persona" })).toBeNull();
    expect(JSON.stringify({ ...localStorage })).not.toContain(token);
    expect(JSON.stringify({ ...sessionStorage })).not.toContain(token);
  });

  it("opens the host's consent popup only when the silent request says interaction is required", async () => {
    const server = fakeServer();
    pca();
    const token = jwt("after-consent");
    host.silent.mockRejectedValue(interactionRequired());
    host.popup.mockResolvedValue({ accessToken: token, account: { homeAccountId: "u1" } });

    renderApp(fakeHost);
    await screen.findByText("Sarah Thompson");
    expect(host.popup).toHaveBeenCalledWith({ scopes: [SCOPE] });
    expect(server.apiCalls().every((c) => c.authorization === `Bearer ${token}`)).toBe(true);
  });

  it("falls back to teams-js getAuthToken when the host does not support nested app authentication", async () => {
    const server = fakeServer();
    host.naaRecommended = false;
    const token = jwt("teams-sso");
    host.getAuthToken.mockResolvedValue(token);

    renderApp(fakeHost);
    await screen.findByText("Sarah Thompson");
    expect(host.createPca).not.toHaveBeenCalled();
    expect(host.getAuthToken).toHaveBeenCalled();
    const api = server.apiCalls();
    expect(api.length).toBeGreaterThan(0);
    for (const call of api) expect(call.authorization).toBe(`Bearer ${token}`);
  });

  it("falls back to getAuthToken when nested app authentication fails for another reason", async () => {
    fakeServer();
    pca();
    host.silent.mockRejectedValue(Object.assign(new Error("bridge unavailable"), { errorCode: "naa_bridge_error" }));
    host.getAuthToken.mockResolvedValue(jwt("teams-sso"));
    renderApp(fakeHost);
    await screen.findByText("Sarah Thompson");
    expect(host.popup).not.toHaveBeenCalled();
    expect(host.getAuthToken).toHaveBeenCalled();
  });

  it("shows a clear message, and no persona picker, when the host cannot sign the user in; Try again retries", async () => {
    fakeServer();
    pca();
    host.silent.mockRejectedValue(interactionRequired());
    host.popup.mockRejectedValue(new Error("user_cancelled: the user closed the window"));
    host.getAuthToken.mockRejectedValue(new Error("resourceRequiresConsent"));

    renderApp(fakeHost);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toMatch(/Teams could not sign you in to ECT Support Plans/);
    expect(alert.textContent).toMatch(/administrator has granted consent/);
    expect(screen.getByRole("heading", { name: "You are not signed in" })).toBeTruthy();
    expect(screen.queryByRole("heading", { name: "Choose who you are" })).toBeNull();

    host.silent.mockResolvedValue({ accessToken: jwt("second-try"), account: { homeAccountId: "u1" } });
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    await screen.findByText("Sarah Thompson");
  });

  it("outside Teams in tenant mode says to open the app in Teams instead of showing personas", async () => {
    const server = fakeServer();
    renderApp(undefined);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toMatch(/Open this app in Microsoft Teams/);
    expect(server.apiCalls()).toEqual([]);
  });

  it("says who to ask when the server knows the token but the roster does not know the person", async () => {
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: RequestInfo | URL) =>
        pathOf(input) === "/api/auth/config"
          ? json(200, tenantConfig)
          : json(403, { title: "Not set up", detail: "You are signed in, but your school has not given you a role in this app yet. Ask your induction lead." }),
      ),
    );
    host.naaRecommended = false;
    host.getAuthToken.mockResolvedValue(jwt("x"));
    renderApp(fakeHost);
    await screen.findByRole("heading", { name: "Not set up yet" });
    expect(screen.getByRole("alert").textContent).toMatch(/Ask your induction lead/);
  });
});

describe("the API client in tenant mode", () => {
  it("refreshes the token once on a 401 and retries with the new one; a second 401 is not retried again", async () => {
    const first = jwt("first");
    const second = jwt("second");
    const server = fakeServer({ accept: (t) => t === second });
    const source = vi.fn().mockResolvedValueOnce(first).mockResolvedValueOnce(second);
    const auth = new TenantAuth(source);
    const api = createApi(auth, () => undefined);
    await expect(api.get("/api/me")).resolves.toEqual(me);
    expect(source.mock.calls.map((c) => c[0])).toEqual([{ forceRefresh: false }, { forceRefresh: true }]);
    expect(server.apiCalls().map((c) => c.authorization)).toEqual([`Bearer ${first}`, `Bearer ${second}`]);

    // The refreshed token is reused without asking the host again.
    await api.get("/api/me");
    expect(source).toHaveBeenCalledTimes(2);

    // Refused even after refreshing: one retry only, then the caller is told.
    const refused = fakeServer({ accept: () => false });
    const unauthorised = vi.fn();
    const never = createApi(new TenantAuth(vi.fn().mockResolvedValue(jwt("bad"))), unauthorised);
    await expect(never.get("/api/me")).rejects.toMatchObject({ status: 401 });
    expect(refused.apiCalls()).toHaveLength(2);
    expect(unauthorised).toHaveBeenCalledTimes(1);
  });

  it("re-acquires a token that is about to expire before sending it", async () => {
    const source = vi.fn().mockResolvedValueOnce(jwt("old", 30)).mockResolvedValueOnce(jwt("new"));
    const auth = new TenantAuth(source);
    await auth.getToken();
    await auth.getToken();
    expect(source).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(source.mock.calls[1]?.[0]).toEqual({ forceRefresh: false }));
  });
});
