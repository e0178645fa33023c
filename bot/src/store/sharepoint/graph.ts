/**
 * The Graph connection the SharePoint adapter and the provisioning command share: the Graph
 * client with its own middleware chain (authentication with an app-only credential, the
 * RetryHandler for 429/503/504 honouring Retry-After, telemetry, then the HTTP transport), and
 * small helpers for list items, paging and JSON $batch.
 *
 * Nothing here retries by hand: throttling is the RetryHandler's job. A response that is still
 * 429/503 after its retries surfaces as a GraphRequestError.
 */
import { ClientSecretCredential, type TokenCredential } from "@azure/identity";
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type Context,
  type Middleware,
} from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js";

export interface SharePointSettings {
  siteId: string;
  /** Origin only, e.g. https://graph.microsoft.com (national clouds: https://graph.microsoft.us, https://microsoftgraph.chinacloudapi.cn). */
  graphBaseUrl: string;
  /** Sign-in authority host, e.g. https://login.microsoftonline.com. */
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Prefix of every list's display name, e.g. "ECTSP ". */
  listPrefix: string;
  /** RetryHandler: attempts after the first on 429/503/504 (default 5, the handler allows at most 10). */
  maxRetries?: number;
}

export interface GraphConnectionOptions {
  /** Overrides the app-only credential built from the settings (tests pass one with the double's CA). */
  credential?: TokenCredential;
  /** Extra options for the credential (tests: tlsOptions with the double's certificate). */
  credentialOptions?: Record<string, unknown>;
  /** The last middleware, which performs the HTTP request. Default: the Graph client's HTTPMessageHandler (global fetch). */
  transport?: Middleware;
  /** The RetryHandler's base delay in seconds when a response carries no Retry-After (default 3). */
  retryDelaySeconds?: number;
}

/** A Graph error response, after the middleware's retries. */
export class GraphRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly operation: string,
  ) {
    super(`${operation}: Graph answered ${status} ${code}: ${message}`);
    this.name = "GraphRequestError";
  }
}

export function createGraphClient(settings: SharePointSettings, options: GraphConnectionOptions = {}): Client {
  const origin = new URL(settings.graphBaseUrl).origin;
  const credential =
    options.credential ??
    new ClientSecretCredential(settings.tenantId, settings.clientId, settings.clientSecret, {
      authorityHost: settings.authorityHost,
      // National clouds and Graph-shaped endpoints: trust the configured authority as given.
      disableInstanceDiscovery: true,
      ...options.credentialOptions,
    });
  const auth = new AuthenticationHandler(new TokenCredentialAuthenticationProvider(credential, { scopes: [`${origin}/.default`] }));
  const retry = new RetryHandler(new RetryHandlerOptions(options.retryDelaySeconds ?? 3, Math.min(10, settings.maxRetries ?? 5)));
  const telemetry = new TelemetryHandler();
  const transport = options.transport ?? new HTTPMessageHandler();
  return Client.initWithMiddleware({
    baseUrl: origin,
    customHosts: new Set([new URL(origin).hostname]),
    middleware: [auth, retry, telemetry, transport],
    defaultVersion: "v1.0",
  });
}

// ---------------------------------------------------------------- raw requests

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const errorOf = (body: unknown): { code: string; message: string } => {
  const e = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return { code: typeof e?.code === "string" ? e.code : "unknown", message: typeof e?.message === "string" ? e.message : "no message" };
};

/**
 * Sends one request and returns status, headers and parsed body whatever the status (callers
 * decide what a 409 or 412 means). Throttling has already been retried by the middleware.
 */
export async function send(
  client: Client,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  let req = client.api(path).headers(headers);
  req = req.responseType("raw" as never);
  // With responseType raw the Graph client hands back the fetch Response itself.
  const res = (
    method === "GET" ? await req.get() : method === "POST" ? await req.post(body ?? {}) : method === "PATCH" ? await req.patch(body ?? {}) : await req.delete()
  ) as Response;
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      parsed = text;
    }
  }
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    out[k.toLowerCase()] = v;
  });
  return { status: res.status, headers: out, body: parsed };
}

/** Throws a GraphRequestError unless the response is 2xx. */
export function ok(res: RawResponse, operation: string): RawResponse {
  if (res.status >= 200 && res.status < 300) return res;
  const { code, message } = errorOf(res.body);
  throw new GraphRequestError(res.status, code, message, operation);
}

export const failure = (res: { status: number; body?: unknown }, operation: string): GraphRequestError => {
  const { code, message } = errorOf(res.body);
  return new GraphRequestError(res.status, code, message, operation);
};

// ---------------------------------------------------------------- $batch

export interface BatchRequest {
  id: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Relative to the version root, without it: "/sites/{id}/lists/{id}/items". */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  dependsOn?: string[];
}

export interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Graph's limit on requests in one JSON batch. */
export const batchLimit = 20;

/** One POST /$batch (at most 20 requests). Returns the responses by request id. */
export async function batch(client: Client, requests: BatchRequest[], operation: string): Promise<Map<string, BatchResponse>> {
  if (requests.length > batchLimit) throw new Error(`${operation}: a JSON batch holds at most ${batchLimit} requests, not ${requests.length}`);
  const res = ok(
    await send(client, "POST", "/$batch", {
      requests: requests.map((r) => ({
        id: r.id,
        method: r.method,
        url: r.url,
        ...(r.body !== undefined ? { body: r.body, headers: { "content-type": "application/json", ...r.headers } } : r.headers ? { headers: r.headers } : {}),
        ...(r.dependsOn ? { dependsOn: r.dependsOn } : {}),
      })),
    }),
    operation,
  );
  const responses = (res.body as { responses?: BatchResponse[] }).responses ?? [];
  const byId = new Map<string, BatchResponse>();
  for (const r of responses) byId.set(String(r.id), { id: String(r.id), status: r.status, headers: lower(r.headers ?? {}), body: r.body });
  for (const r of requests) if (!byId.has(r.id)) throw new Error(`${operation}: the batch response has no answer for request ${r.id}`);
  return byId;
}

const lower = (h: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

/** A nextLink (absolute) as a path relative to the version root, for use inside a batch. */
export function relativeToVersion(link: string): string {
  const u = new URL(link);
  return u.pathname.replace(/^\/(v1\.0|beta)/, "") + u.search;
}

/** Quotes a string for an OData $filter literal. */
export const odata = (s: string): string => `'${s.replace(/'/g, "''")}'`;

export type { Context, Middleware };
