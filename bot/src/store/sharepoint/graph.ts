/**
 * The Graph connection the SharePoint adapter and the provisioning command share: the Graph
 * client with its own middleware chain (authentication with an app-only credential, the
 * RetryHandler for 429/503/504 honouring Retry-After, telemetry, a small pool that bounds the
 * requests in flight, then the HTTP transport), and small helpers for list items, paging and
 * JSON $batch.
 *
 * Throttling (Microsoft's guidance for SharePoint and Graph, which this follows):
 * - a whole request answered 429/503/504 is retried by the RetryHandler;
 * - a request INSIDE a $batch answered 429/503/504 is invisible to it (the batch answers 200), so
 *   `batch` re-sends those sub-requests (and the ones that failed only because they depend on
 *   them) after their own Retry-After, with the RetryHandler's budget and back-off;
 * - what is still throttled after that surfaces as a GraphThrottledError carrying the wait;
 * - every request names the app in its User-Agent (`ISV|company|app/version`), and at most
 *   `maxConcurrentRequests` are on the wire at once per client.
 */
import { readFileSync } from "node:fs";
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
import { retryAfterMs, type Clock } from "../../clock.js";
import { storeBusyMark, type StoreBusy } from "../busy.js";
import { BoundedQueue } from "./boundedQueue.js";

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
  /** Graph HTTP requests on the wire at once through this client (default 4); the rest wait their turn. */
  maxConcurrentRequests?: number;
  /** The server's clock, for a Retry-After given as an HTTP date. */
  clock?: Clock;
}

/** Requests in flight per client unless told otherwise: a caseload read queues, it does not open dozens of connections. */
export const defaultMaxConcurrentRequests = 4;

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

/** Statuses Graph throttles with (and the RetryHandler retries). */
export const isThrottled = (status: number): boolean => status === 429 || status === 503 || status === 504;

/** A 429/503/504 that outlasted the retries. `retryAfterSeconds`: the longest wait Graph asked for. */
export class GraphThrottledError extends GraphRequestError implements StoreBusy {
  readonly [storeBusyMark] = true;
  constructor(
    status: number,
    code: string,
    message: string,
    operation: string,
    readonly retryAfterSeconds: number,
  ) {
    super(status, code, message, operation);
    this.name = "GraphThrottledError";
  }
}

/**
 * The app as Microsoft's throttling guidance asks an ISV app to name itself in User-Agent
 * ("ISV|CompanyName|AppName/Version"), so throttling decisions and support cases can tell it
 * from other traffic on the tenant.
 */
export const userAgent = `ISV|ECTSupportPlans|ECTSupportPlans/${packageVersion()}`;

function packageVersion(): string {
  try {
    // bot/package.json, from src/store/sharepoint (tests) and dist/store/sharepoint (deployed) alike.
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version?: unknown };
    return typeof pkg.version === "string" && /^[0-9A-Za-z.+-]+$/.test(pkg.version) ? pkg.version : "0.0.0";
  } catch {
    return "0.0.0";
  }
}

/**
 * Bounds the HTTP requests in flight: sits just before the transport, so a request waiting out
 * a Retry-After in the RetryHandler holds no place. The body is read inside the place, so a
 * connection still streaming a response counts until it is done.
 */
class PoolHandler implements Middleware {
  private next?: Middleware;
  constructor(readonly queue: BoundedQueue) {}

  async execute(context: Context): Promise<void> {
    await this.queue.run(async () => {
      await this.next!.execute(context);
      const res = context.response;
      if (!res) return;
      const bytes = res.status === 204 || res.status === 205 || res.status === 304 ? null : await res.arrayBuffer();
      context.response = new Response(bytes, { status: res.status, statusText: res.statusText, headers: res.headers });
    });
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** How `batch` retries throttled sub-requests: the RetryHandler's own settings for this client. */
interface SubRetryPolicy {
  maxRetries: number;
  delaySeconds: number;
  clock?: Clock;
}

/** The RetryHandler's defaults (as createGraphClient sets them) for a client made elsewhere. */
const defaultPolicy: SubRetryPolicy = { maxRetries: 5, delaySeconds: 3 };
// Kept beside each client rather than passed to every batch() call, so call sites stay as they are.
const policies = new WeakMap<Client, SubRetryPolicy>();

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
  const maxRetries = Math.min(10, settings.maxRetries ?? 5);
  const delaySeconds = options.retryDelaySeconds ?? 3;
  const auth = new AuthenticationHandler(new TokenCredentialAuthenticationProvider(credential, { scopes: [`${origin}/.default`] }));
  const retry = new RetryHandler(new RetryHandlerOptions(delaySeconds, maxRetries));
  const telemetry = new TelemetryHandler();
  const pool = new BoundedQueue(options.maxConcurrentRequests ?? defaultMaxConcurrentRequests);
  const transport = options.transport ?? new HTTPMessageHandler();
  const client = Client.initWithMiddleware({
    baseUrl: origin,
    customHosts: new Set([new URL(origin).hostname]),
    middleware: [auth, retry, telemetry, new PoolHandler(pool), transport],
    defaultVersion: "v1.0",
    // The Graph client merges these into every request's headers; the TelemetryHandler still adds its SdkVersion.
    fetchOptions: { headers: { "User-Agent": userAgent } },
  });
  policies.set(client, { maxRetries, delaySeconds, ...(options.clock ? { clock: options.clock } : {}) });
  return client;
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
 * decide what a 409 or 412 means). Throttling has already been retried by the RetryHandler.
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

/** Throws a GraphRequestError unless the response is 2xx (a GraphThrottledError for 429/503/504). */
export function ok(res: RawResponse, operation: string): RawResponse {
  if (res.status >= 200 && res.status < 300) return res;
  throw failure(res, operation);
}

export const failure = (res: { status: number; headers?: Record<string, string>; body?: unknown }, operation: string): GraphRequestError => {
  const { code, message } = errorOf(res.body);
  if (isThrottled(res.status)) {
    const hinted = res.headers ? retryAfterSecondsOf(res.headers) : undefined;
    return new GraphThrottledError(res.status, code, message, operation, hinted ?? unhintedRetryAfterSeconds);
  }
  return new GraphRequestError(res.status, code, message, operation);
};

/** What to tell a caller to wait when Graph gave no Retry-After: about the minute a card says. */
const unhintedRetryAfterSeconds = 30;

/** Retry-After in seconds (a number, or an HTTP date when there is a clock to measure it by). */
function retryAfterSecondsOf(headers: Record<string, string>, clock?: Clock): number | undefined {
  const raw = headers["retry-after"];
  if (raw === undefined || raw.trim() === "") return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  if (!clock) return undefined;
  const ms = retryAfterMs(raw, clock, headers.date);
  return ms === undefined ? undefined : ms / 1000;
}

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

/** The RetryHandler's cap on one wait (RetryHandlerOptions.MAX_DELAY). */
const maxDelaySeconds = 180;

/**
 * The wait before re-sending a throttled sub-request, as the RetryHandler computes it: its
 * Retry-After, else the base delay (plus exponential back-off from the second retry), with up
 * to a second of jitter so instances do not come back in step.
 */
function subRetryDelaySeconds(r: BatchResponse, retry: number, policy: SubRetryPolicy): number {
  const jitter = Number(Math.random().toFixed(3));
  const hinted = retryAfterSecondsOf(r.headers, policy.clock);
  const delay = hinted ?? (retry >= 2 ? Math.round((2 ** retry - 1) / 2) + policy.delaySeconds + jitter : policy.delaySeconds + jitter);
  return Math.min(delay, maxDelaySeconds + jitter);
}

const sleep = (seconds: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, seconds * 1000)));

/**
 * A JSON $batch (at most 20 requests). Returns the responses by request id.
 *
 * A sub-request Graph answers 429/503/504 is re-sent after its Retry-After, together with the
 * sub-requests that failed (424) only because they depend on it, within the client's
 * RetryHandler budget (maxRetries). Nothing that got any other answer is sent again, so a
 * write that succeeded is never repeated; a re-sent request keeps only the dependencies that
 * are re-sent with it (those that succeeded are satisfied). Past the budget the throttled
 * answer is returned as it is, its `retry-after` header set to the longest wait Graph asked
 * for, so the caller can undo what did succeed and report a GraphThrottledError (`failure`).
 */
export async function batch(client: Client, requests: BatchRequest[], operation: string): Promise<Map<string, BatchResponse>> {
  if (requests.length > batchLimit) throw new Error(`${operation}: a JSON batch holds at most ${batchLimit} requests, not ${requests.length}`);
  const policy = policies.get(client) ?? defaultPolicy;
  const answers = new Map<string, BatchResponse>();
  const longest = new Map<string, number>();
  let pending = requests;
  for (let retry = 0; ; retry++) {
    const got = await batchOnce(client, pending, operation);
    const again = new Set<string>();
    let wait = 0;
    for (const r of pending) {
      const a = got.get(r.id)!;
      answers.set(r.id, a);
      const deps = r.dependsOn ?? [];
      if (isThrottled(a.status)) {
        again.add(r.id);
        const s = subRetryDelaySeconds(a, retry + 1, policy);
        longest.set(r.id, Math.max(longest.get(r.id) ?? 0, s));
        wait = Math.max(wait, s);
      } else if (a.status === 424 && deps.some((d) => again.has(d)) && deps.every((d) => again.has(d) || answers.get(d)!.status < 400)) {
        // Skipped only because a throttled request it depends on did not run: goes again with it.
        again.add(r.id);
      }
    }
    if (again.size === 0 || retry >= policy.maxRetries) break;
    await sleep(wait);
    pending = pending
      .filter((r) => again.has(r.id))
      .map((r) => {
        const { dependsOn, ...rest } = r;
        const still = (dependsOn ?? []).filter((d) => again.has(d));
        return still.length > 0 ? { ...rest, dependsOn: still } : rest;
      });
  }
  for (const [id, seconds] of longest) {
    const a = answers.get(id)!;
    if (isThrottled(a.status)) answers.set(id, { ...a, headers: { ...a.headers, "retry-after": String(Math.ceil(seconds)) } });
  }
  return answers;
}

/** One POST /$batch. Returns the responses by request id. */
async function batchOnce(client: Client, requests: BatchRequest[], operation: string): Promise<Map<string, BatchResponse>> {
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
