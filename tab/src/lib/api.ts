import type { AuthProvider } from "./auth";
import type { PlanView, Problem } from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `Request failed (${status})`);
    this.name = "ApiError";
  }
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
      throw new ApiError(res.status, (json as Problem | undefined) ?? { title: res.statusText });
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
