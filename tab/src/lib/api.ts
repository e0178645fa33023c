import type { ApiBody, ApiParams, ApiResponse, ContractKey } from "@shared/api/contract";
import type { AuthProvider } from "./auth";
import { now } from "./clock";
import type { PlanView, Problem } from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    /** A 503's Retry-After, in seconds (the header, else the problem's retryAfterSeconds). */
    readonly retryAfterSeconds?: number,
  ) {
    super(problem.detail ?? problem.title ?? `Request failed (${status})`);
    this.name = "ApiError";
  }
}

/** Retry-After as seconds: a number of seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterOf(res: Response, problem: Problem | undefined): number | undefined {
  const header = res.headers.get("retry-after");
  if (header !== null) {
    const seconds = /^\s*\d+\s*$/.test(header) ? Number(header) : (Date.parse(header) - now().getTime()) / 1000;
    if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  }
  return typeof problem?.retryAfterSeconds === "number" ? problem.retryAfterSeconds : undefined;
}

export interface Api {
  get: <T>(path: string) => Promise<T>;
  send: <T>(method: "POST" | "PUT", path: string, body: unknown, headers?: Record<string, string>) => Promise<T>;
  /** A signed-in request with a raw body (a file upload) or a raw answer (a download, DELETE); the caller reads the Response. */
  raw: (method: "GET" | "POST" | "DELETE", path: string, body?: Blob, headers?: Record<string, string>) => Promise<Response>;
}

export function createApi(auth: AuthProvider, onUnauthorised: () => void): Api {
  const call = (token: string | undefined, method: string, path: string, body: unknown, headers: Record<string, string>) =>
    fetch(path, {
      method,
      headers: {
        accept: "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const request = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> => {
    let res = await call(await auth.getToken(), method, path, body, headers);
    // An expired or revoked token: get a fresh one and try once more (tenant mode); never loop.
    if (res.status === 401 && auth.refreshToken) res = await call(await auth.refreshToken(), method, path, body, headers);
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) {
      if (res.status === 401) onUnauthorised();
      const problem = (json as Problem | undefined) ?? { title: res.statusText };
      throw new ApiError(res.status, problem, retryAfterOf(res, problem));
    }
    return json as T;
  };
  return {
    get: (path) => request("GET", path),
    send: (method, path, body, headers) => request(method, path, body, headers),
    raw: async (method, path, body, headers = {}) => {
      const rawCall = (token: string | undefined) =>
        fetch(path, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers }, ...(body !== undefined ? { body } : {}) });
      let res = await rawCall(await auth.getToken());
      if (res.status === 401 && auth.refreshToken) res = await rawCall(await auth.refreshToken());
      if (res.status === 401) onUnauthorised();
      return res;
    },
  };
}

export const ifMatch = (view: Pick<PlanView, "plan">) => ({ "if-match": `"v${view.plan.version}"` });

// ------------------------------------------------------------------ the typed client

/** Routes that answer JSON and take JSON (or nothing): what `callApi` can make. */
type JsonRouteKey = {
  [K in ContractKey]: K extends `${"GET" | "POST" | "PUT"} ${string}` ? (ApiResponse<K> extends never ? never : K) : never;
}[ContractKey];

type HasParams<K extends ContractKey> = keyof ApiParams<K> extends never ? false : true;

/** What a route needs besides its name: its path parameters (when it has any), its body (when it takes one), headers. */
export type CallInput<K extends ContractKey> = (HasParams<K> extends true ? { params: ApiParams<K> } : { params?: undefined }) &
  ([ApiBody<K>] extends [never] ? { body?: undefined } : { body: ApiBody<K> }) & { headers?: Record<string, string> };

/** "/api/ects/{ectId}/records" with { ectId: "ect 1" } → "/api/ects/ect%201/records" */
export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${path} needs ${name}`);
    return encodeURIComponent(value);
  });
}

/**
 * Calls a route by its contract name ("GET /api/caseload", "POST /api/ects/{ectId}/concerns"): the
 * path parameters, the body and the answer are the contract's types. It goes through `api`, so
 * sign-in, the token refresh and problem JSON work as for every other call.
 */
export function callApi<K extends JsonRouteKey>(
  api: Api,
  route: K,
  ...[input]: HasParams<K> extends true ? [CallInput<K>] : [CallInput<K>?]
): Promise<ApiResponse<K>> {
  const space = route.indexOf(" ");
  const method = route.slice(0, space) as "GET" | "POST" | "PUT";
  const path = fillPath(route.slice(space + 1), input?.params);
  return method === "GET" ? api.get<ApiResponse<K>>(path) : api.send<ApiResponse<K>>(method, path, input?.body, input?.headers);
}
