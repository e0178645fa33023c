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
  get<T>(path: string): Promise<T>;
  send<T>(method: "POST" | "PUT", path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
}

export function createApi(auth: AuthProvider, onUnauthorised: () => void): Api {
  const request = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> => {
    const token = await auth.getToken();
    const res = await fetch(path, {
      method,
      headers: {
        accept: "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
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
  };
}

export const ifMatch = (view: Pick<PlanView, "plan">) => ({ "if-match": `"v${view.plan.version}"` });
