/**
 * A local stand-in for Microsoft Graph's SharePoint list endpoints and the Entra token
 * endpoint: a real HTTPS server on 127.0.0.1 at a random port (self-signed certificate in
 * doubleTls.ts), following Graph's documented request and response shapes:
 *
 * - POST /{tenant}/oauth2/v2.0/token (client credentials) and the tenant's OpenID
 *   configuration, so @azure/identity's real ClientSecretCredential signs in against it;
 * - every /v1.0 request needs `Authorization: Bearer <a token it issued>` (401 otherwise);
 * - GET/POST /sites/{site}/lists, GET/POST/PATCH .../lists/{list}/columns;
 * - list items: GET .../items?$expand=fields[($select=...)]&$filter=...&$top=... (at most
 *   5000; paging by @odata.nextLink), GET/DELETE .../items/{id}, POST .../items {fields},
 *   PATCH .../items/{id}/fields with If-Match (412 on a stale ETag); `@odata.etag` on items and
 *   fields; unique columns answer 409; filters on columns that are not indexed answer 400
 *   unless the request carries `Prefer: HonorNonIndexedQueriesWarningMayFailRandomly`;
 * - GET .../items/delta (deltaFeed.ts): the list's items, then, through the deltaLink, only what
 *   changed or was deleted since; 410 resyncRequired once `expireDeltaTokens` is called;
 * - POST /v1.0/$batch: at most 20 requests, sub-request URLs without the version segment,
 *   `dependsOn` (a request whose dependency failed answers 424), per-response
 *   id/status/headers/body;
 * - error bodies { error: { code, message, innerError: { date, request-id } } }.
 *
 * It can be told to answer 429 or 503 (with Retry-After), 412 or 500, or to drop the connection,
 * for the next N requests or at a rate, before carrying a request out or after (the reply lost
 * once the write was applied; a reset mid-batch), add a fixed delay to every request, and it counts requests per operation (and logs each
 * $batch sub-request with its status), the requests in flight at once (maxInFlight) and each
 * request's User-Agent and SdkVersion headers. editItem/removeItem change a list directly, as someone
 * with rights on the site would, bypassing the app.
 */
import { randomUUID } from "node:crypto";
import { createServer, request as httpsRequest, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { doubleCert, doubleKey } from "./doubleTls.js";
import type { Clock } from "@ectsp/bot/clock.js";
import { movableClock, testInstant } from "../movableClock.js";
import { deltaPage } from "./deltaFeed.js";

export interface DoubleColumn {
  id: string;
  name: string;
  displayName: string;
  kind: "text" | "note" | "number" | "boolean" | "builtin";
  indexed: boolean;
  enforceUniqueValues: boolean;
  readOnly?: boolean;
}

interface DoubleItem {
  id: number;
  guid: string;
  version: number;
  created: string;
  modified: string;
  fields: Record<string, unknown>;
  /** The list's change number at the item's last create or change (the delta query's tracking). */
  changed: number;
}

interface DoubleList {
  id: string;
  displayName: string;
  created: string;
  columns: DoubleColumn[];
  items: Map<number, DoubleItem>;
  nextId: number;
  /** Unique columns: value (lower-cased) → item id. */
  unique: Map<string, Map<unknown, number>>;
  /** Change tracking for the delta query (deltaFeed.ts). */
  changeSeq: number;
  removed: { id: number; changed: number }[];
  tokenEpoch: number;
}

export interface FaultRule {
  /** "reset": the connection is dropped with no answer at all (ECONNRESET at the client). */
  status: 429 | 503 | 412 | 500 | "reset";
  /**
   * The request is carried out first and THEN its answer replaced by the fault: the reply lost
   * after the write was applied (a 503 or a reset after commit). At "subrequest" scope with
   * "reset", the batch runs up to and including the matching request and the connection drops
   * there: the requests before it are applied, those after are not (a reset mid-batch).
   */
  afterApplying?: boolean;
  /** Answer this many matching requests, then stop. */
  count?: number;
  /** Or answer this fraction of matching requests (seeded, repeatable). */
  rate?: number;
  /** Seconds, sent as Retry-After on 429/503 (default 0). */
  retryAfterSeconds?: number;
  /** "http": whole HTTP requests (a $batch fails as a whole); "subrequest": requests inside a $batch. Default "http". */
  scope?: "http" | "subrequest";
  /** Which requests (default all Graph requests). */
  /** `body`: the request's JSON body (a $batch's is { requests }), so a rule can pick one batch out of several. */
  match?: (req: { method: string; path: string; body?: unknown }) => boolean;
}

/** An extra endpoint: path is relative to /v1.0 with its query string. */
export type DoubleRoute = (
  method: string,
  pathAndQuery: string,
  body: unknown,
) => { status: number; headers?: Record<string, string>; body?: unknown } | undefined;

export interface GraphDoubleOptions {
  siteId?: string;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** Fixed delay added to every HTTP request (ms). */
  latencyMs?: number;
  /** Largest page the double returns whatever $top asks (Graph: 5000 for list items). */
  maxPageSize?: number;
  /** The service's clock for the times it stamps (created, modified, upload expiry); a fixed test instant unless given. */
  clock?: Clock;
}

const threshold = 5000;
const preferNonIndexed = "HonorNonIndexedQueriesWarningMayFailRandomly";
const builtinColumns = (): DoubleColumn[] => [
  { id: "fa564e0f-0c70-4ab9-b863-0177e6ddd247", name: "Title", displayName: "Title", kind: "text", indexed: false, enforceUniqueValues: false },
  { id: "1d22ea11-1e32-424e-89ab-9fedbadb6ce1", name: "ID", displayName: "ID", kind: "builtin", indexed: true, enforceUniqueValues: false, readOnly: true },
  {
    id: "28cf69c5-fa48-462a-b5cd-27b6f9d2bd5f",
    name: "Modified",
    displayName: "Modified",
    kind: "builtin",
    indexed: false,
    enforceUniqueValues: false,
    readOnly: true,
  },
  {
    id: "8c06beca-0777-48f7-91c7-6da68bc07b69",
    name: "Created",
    displayName: "Created",
    kind: "builtin",
    indexed: false,
    enforceUniqueValues: false,
    readOnly: true,
  },
];

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  /** Drop the connection instead of answering. */
  reset?: boolean;
}

/** A seeded generator so fault rates are repeatable. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class GraphDouble {
  readonly siteId: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly certificate = doubleCert;
  latencyMs: number;
  maxPageSize: number;
  private server?: Server;
  private port = 0;
  private readonly lists = new Map<string, DoubleList>();
  private readonly tokens = new Set<string>();
  private readonly faults: FaultRule[] = [];
  private readonly extraRoutes: DoubleRoute[] = [];
  private random = rng(42);
  /** Requests per operation, e.g. "GET items", "POST $batch", "batch:PATCH fields". */
  readonly counts = new Map<string, number>();
  /** Every HTTP request to /v1.0, in order (method and path). */
  readonly log: { method: string; path: string; status: number }[] = [];
  /** Every request inside a $batch, in order, with the status it got. */
  readonly subLog: { method: string; path: string; status: number }[] = [];
  /** The User-Agent and SdkVersion headers of every HTTP request to /v1.0, in order (undefined: not sent). */
  readonly clientHeaders: { userAgent: string | undefined; sdkVersion: string | undefined }[] = [];
  /** HTTP requests being answered now, and the most at once since the last reset. */
  inFlight = 0;
  maxInFlight = 0;
  tokensIssued = 0;
  private readonly clock: Clock;

  constructor(options: GraphDoubleOptions = {}) {
    this.clock = options.clock ?? movableClock(testInstant);
    this.siteId = options.siteId ?? "contoso.sharepoint.com,2c7e0c8e-7f4f-4a36-9c1f-2f3b3d4b5e6f,9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
    this.tenantId = options.tenantId ?? "11111111-2222-4333-8444-555555555555";
    this.clientId = options.clientId ?? "66666666-7777-4888-9999-000000000000";
    this.clientSecret = options.clientSecret ?? "double-secret";
    this.latencyMs = options.latencyMs ?? 0;
    this.maxPageSize = options.maxPageSize ?? threshold;
  }

  /** https://127.0.0.1:port — both the Graph base URL and the authority host. */
  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer({ cert: doubleCert, key: doubleKey, keepAlive: true }, (req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** A GET with no token, trusting the double's certificate: what an anonymous caller gets back. */
  fetchWithoutToken(path: string): Promise<{ status: number }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(new URL(path, this.url), { method: "GET", ca: this.certificate }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0 });
      });
      req.on("error", reject);
      req.end();
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ------------------------------------------------------------ control

  /**
   * Adds Graph endpoints beyond SharePoint lists (a focused test's own, e.g. Teams app
   * installation). Tried first, behind the same authentication and fault injection; answer
   * undefined to fall through.
   */
  addRoutes(route: DoubleRoute): void {
    this.extraRoutes.push(route);
  }

  /** Adds a fault rule (see FaultRule). */
  inject(rule: FaultRule): void {
    this.faults.push({ ...rule });
  }

  clearFaults(seed = 42): void {
    this.faults.length = 0;
    this.random = rng(seed);
  }

  resetCounts(): void {
    this.counts.clear();
    this.log.length = 0;
    this.subLog.length = 0;
    this.clientHeaders.length = 0;
    this.maxInFlight = this.inFlight;
  }

  /** Total HTTP requests to /v1.0 counted since the last reset. */
  get httpRequests(): number {
    return this.log.length;
  }

  count(op: string): number {
    return this.counts.get(op) ?? 0;
  }

  /** Reads a list's items' fields directly (for assertions), in id order. */
  items(displayName: string): Record<string, unknown>[] {
    const list = this.listByName(displayName);
    return [...list.items.values()].map((i) => ({ ...i.fields, id: String(i.id) }));
  }

  /** A list's id, by display name (to tell its requests in the logs). */
  listId(displayName: string): string {
    return this.listByName(displayName).id;
  }

  listNames(): string[] {
    return [...this.lists.values()].map((l) => l.displayName);
  }

  columns(displayName: string): DoubleColumn[] {
    return this.listByName(displayName).columns.map((c) => ({ ...c }));
  }

  /** Adds items straight into a list (no HTTP), for large fixtures. Unique columns are still checked. */
  seed(displayName: string, rows: Record<string, unknown>[]): void {
    const list = this.listByName(displayName);
    for (const row of rows) this.createItem(list, row);
  }

  /**
   * Changes an item's fields as someone with edit rights on the site would (the list's own form,
   * or any tool): no ETag, a new version. A null removes the field.
   */
  editItem(displayName: string, itemId: string, change: Record<string, unknown>): void {
    const list = this.listByName(displayName);
    const item = list.items.get(Number(itemId));
    if (!item) throw new Error(`The double's list "${displayName}" has no item ${itemId}`);
    const next = { ...item.fields };
    for (const [k, v] of Object.entries(change)) {
      if (v === null) delete next[k];
      else next[k] = v;
    }
    this.validate(list, next, item.id);
    unindex(list, item);
    item.fields = next;
    index(list, item);
    item.version++;
    item.modified = this.clock.now().toISOString();
    item.changed = ++list.changeSeq;
  }

  /** Deletes an item as someone with delete rights on the site would. */
  removeItem(displayName: string, itemId: string): void {
    const list = this.listByName(displayName);
    const item = list.items.get(Number(itemId));
    if (!item) throw new Error(`The double's list "${displayName}" has no item ${itemId}`);
    list.items.delete(item.id);
    unindex(list, item);
    list.removed.push({ id: item.id, changed: ++list.changeSeq });
  }

  /** Makes every delta token issued so far answer 410 Gone (resyncRequired), as after a long disconnection. */
  expireDeltaTokens(): void {
    for (const list of this.lists.values()) list.tokenEpoch++;
  }

  private listByName(displayName: string): DoubleList {
    const list = [...this.lists.values()].find((l) => l.displayName === displayName);
    if (!list) throw new Error(`The double has no list "${displayName}"`);
    return list;
  }

  // ------------------------------------------------------------ HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Counted from arrival to the last byte sent: what a client's connections hold at once.
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.answer(req, res);
    } finally {
      this.inFlight--;
    }
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString("utf8");
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const url = new URL(req.url ?? "/", this.url);
    let reply: Reply;
    // Document library (issue 7): a download URL answers with the bytes themselves.
    const download = /^\/download\/([^/]+)$/.exec(url.pathname);
    if (download && req.method === "GET") {
      const file = this.driveFiles.get(decodeURIComponent(download[1]!));
      res.writeHead(file ? 200 : 404, { "content-type": "application/octet-stream" });
      res.end(file ? file.bytes : undefined);
      return;
    }
    try {
      if (url.pathname.startsWith("/v1.0/upload/")) {
        reply = this.uploadFragment(req.method ?? "PUT", url.pathname.slice("/v1.0/upload/".length), bytes, headersOf(req));
      } else if (url.pathname.startsWith("/v1.0/drives/") || /^\/v1\.0\/sites\/[^/]+\/drive$/.test(url.pathname)) {
        reply = this.driveRequest(req.method ?? "GET", url, bytes, headersOf(req));
      } else if (url.pathname.startsWith("/v1.0/")) {
        reply = this.graph(req.method ?? "GET", url, raw, headersOf(req));
      } else {
        reply = this.identity(req.method ?? "GET", url, raw);
      }
    } catch (e) {
      reply = errorReply(e);
    }
    if (reply.reset) {
      // What a client sees when a connection dies mid-answer: ECONNRESET / socket hang up.
      req.socket.destroy();
      return;
    }
    const text = reply.body === undefined ? "" : JSON.stringify(reply.body);
    res.writeHead(reply.status, { ...(text ? { "content-type": "application/json; odata.metadata=minimal" } : {}), ...reply.headers });
    res.end(text);
  }

  private identity(method: string, url: URL, raw: string): Reply {
    const parts = url.pathname.split("/").filter(Boolean);
    const tenant = parts[0];
    if (tenant !== this.tenantId && tenant !== "organizations") throw new HttpError(400, "invalid_tenant", `Tenant '${tenant}' not found.`);
    const base = `${this.url}/${tenant}`;
    if (method === "GET" && url.pathname.endsWith("/v2.0/.well-known/openid-configuration")) {
      return {
        status: 200,
        headers: {},
        body: {
          token_endpoint: `${base}/oauth2/v2.0/token`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          jwks_uri: `${base}/discovery/v2.0/keys`,
          issuer: `${this.url}/${this.tenantId}/v2.0`,
          token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
          response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
        },
      };
    }
    if (method === "POST" && url.pathname.endsWith("/oauth2/v2.0/token")) {
      const form = new URLSearchParams(raw);
      if (form.get("grant_type") !== "client_credentials") throw new HttpError(400, "unsupported_grant_type", "Only client credentials here.");
      if (form.get("client_id") !== this.clientId || form.get("client_secret") !== this.clientSecret) {
        return { status: 401, headers: {}, body: { error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided." } };
      }
      const token = `double.${randomUUID()}`;
      this.tokens.add(token);
      this.tokensIssued++;
      return { status: 200, headers: {}, body: { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: token } };
    }
    throw new HttpError(404, "not_found", `No identity endpoint at ${url.pathname}`);
  }

  private graph(method: string, url: URL, raw: string, headers: Record<string, string>): Reply {
    const path = url.pathname.slice("/v1.0".length);
    this.clientHeaders.push({ userAgent: headers["user-agent"], sdkVersion: headers.sdkversion });
    const auth = headers.authorization ?? "";
    if (!auth.startsWith("Bearer ") || !this.tokens.has(auth.slice(7))) {
      this.tally(method, path, 401);
      throw new HttpError(401, "InvalidAuthenticationToken", "Access token is empty or not valid.");
    }
    let parsed: unknown;
    try {
      parsed = raw ? (JSON.parse(raw) as unknown) : undefined;
    } catch {
      parsed = undefined;
    }
    const fault = this.fault("http", method, path, false, parsed);
    if (fault) {
      this.tally(method, path, fault.status);
      return fault;
    }
    let reply: Reply;
    if (method === "POST" && path === "/$batch") {
      reply = this.batch(raw);
    } else {
      try {
        reply = this.route(method, path + url.search, raw ? (JSON.parse(raw) as unknown) : undefined, headers);
      } catch (e) {
        reply = errorReply(e);
      }
    }
    // Applied, then the answer lost on the way back.
    const lost = reply.reset ? undefined : this.fault("http", method, path, true, parsed);
    if (lost) reply = lost;
    this.tally(method, path, reply.status);
    return reply;
  }

  private tally(method: string, path: string, status: number, sub = false): void {
    const op = (sub ? "batch:" : "") + operationOf(method, path);
    this.counts.set(op, (this.counts.get(op) ?? 0) + 1);
    if (!sub) this.log.push({ method, path, status });
    else this.subLog.push({ method, path, status });
  }

  private fault(scope: "http" | "subrequest", method: string, path: string, applied: boolean, body?: unknown): Reply | undefined {
    for (const rule of this.faults) {
      if ((rule.scope ?? "http") !== scope) continue;
      if ((rule.afterApplying ?? false) !== applied) continue;
      if (rule.match && !rule.match({ method, path, body })) continue;
      let hit = false;
      if (rule.count !== undefined) {
        if (rule.count > 0) {
          rule.count--;
          hit = true;
        }
      } else if (rule.rate !== undefined) {
        hit = this.random() < rule.rate;
      }
      if (!hit) continue;
      if (rule.status === "reset") return { status: 0, headers: {}, reset: true };
      const retry: Record<string, string> = rule.status === 429 || rule.status === 503 ? { "retry-after": String(rule.retryAfterSeconds ?? 0) } : {};
      const code =
        rule.status === 429
          ? "activityLimitReached"
          : rule.status === 503
            ? "serviceNotAvailable"
            : rule.status === 412
              ? "preconditionFailed"
              : "generalException";
      const message =
        rule.status === 429
          ? "The request has been throttled"
          : rule.status === 503
            ? "The service is temporarily unavailable. Please retry later."
            : rule.status === 412
              ? "The provided 'If-Match' header does not match the item's current ETag."
              : "General exception while processing";
      return { status: rule.status, headers: retry, body: errorBody(code, message) };
    }
    return undefined;
  }

  // ------------------------------------------------------------ document library (issue 7)

  /** The site's default document library: files by item id, and open upload sessions. */
  readonly driveId = `b!${randomUUID().replace(/-/g, "")}`;
  private readonly driveFiles = new Map<string, { id: string; path: string; bytes: Buffer; created: string }>();
  private readonly uploadSessions = new Map<string, { path: string; total: number; parts: Buffer[]; received: number; expires: string }>();

  /** Files in the document library (for assertions): path and size. */
  files(): { id: string; path: string; size: number }[] {
    return [...this.driveFiles.values()].map((f) => ({ id: f.id, path: f.path, size: f.bytes.length }));
  }

  private driveItemJson(f: { id: string; path: string; bytes: Buffer; created: string }) {
    const name = f.path.split("/").pop()!;
    return {
      "@odata.context": "driveItem",
      id: f.id,
      name,
      size: f.bytes.length,
      createdDateTime: f.created,
      lastModifiedDateTime: f.created,
      eTag: `"{${f.id}},1"`,
      file: { mimeType: "application/octet-stream" },
      parentReference: {
        driveType: "documentLibrary",
        driveId: this.driveId,
        path: `/drives/${this.driveId}/root:/${f.path.split("/").slice(0, -1).join("/")}`,
      },
    };
  }

  private putFile(path: string, bytes: Buffer, conflict: string): Reply {
    const existing = [...this.driveFiles.values()].find((f) => f.path.toLowerCase() === path.toLowerCase());
    if (existing && conflict === "fail") throw new HttpError(409, "nameAlreadyExists", "The specified item name already exists.");
    const file = { id: existing?.id ?? `01${randomUUID().replace(/-/g, "").toUpperCase().slice(0, 32)}`, path, bytes, created: this.clock.now().toISOString() };
    this.driveFiles.set(file.id, file);
    return { status: existing ? 200 : 201, headers: {}, body: this.driveItemJson(file) };
  }

  /** GET /sites/{site}/drive; PUT …/items/{parent}:/{path}:/content; POST …:/createUploadSession; GET …/items/{id}/content; DELETE …/items/{id}. */
  private driveRequest(method: string, url: URL, bytes: Buffer, headers: Record<string, string>): Reply {
    const path = url.pathname.slice("/v1.0".length);
    this.clientHeaders.push({ userAgent: headers["user-agent"], sdkVersion: headers.sdkversion });
    const auth = headers.authorization ?? "";
    if (!auth.startsWith("Bearer ") || !this.tokens.has(auth.slice(7)))
      throw new HttpError(401, "InvalidAuthenticationToken", "Access token is empty or not valid.");
    this.tally(method, path, 200);
    if (/^\/sites\/[^/]+\/drive$/.test(path)) {
      if (decodeURIComponent(path.split("/")[2]!) !== this.siteId) throw new HttpError(404, "itemNotFound", "Requested site could not be found");
      return ok({ id: this.driveId, driveType: "documentLibrary", name: "Documents" });
    }
    const byPath = /^\/drives\/([^/]+)\/items\/([^/:]+):\/(.+):\/(content|createUploadSession)$/.exec(path);
    if (byPath) {
      if (byPath[1] !== this.driveId) throw new HttpError(404, "itemNotFound", "The drive could not be found.");
      if (byPath[2] !== "root") throw new HttpError(400, "invalidRequest", "This double addresses files from the root folder only.");
      const filePath = byPath[3]!.split("/").map(decodeURIComponent).join("/");
      if (byPath[4] === "content") {
        if (method !== "PUT") throw new HttpError(405, "notSupported", "Use PUT to upload content.");
        if (bytes.length > 250 * 1024 * 1024) throw new HttpError(413, "requestTooLarge", "Use an upload session.");
        return this.putFile(filePath, bytes, "replace");
      }
      if (method !== "POST") throw new HttpError(405, "notSupported", "Use POST to create an upload session.");
      const b = (bytes.length ? JSON.parse(bytes.toString("utf8")) : {}) as { item?: Record<string, unknown> };
      const asked: unknown = b.item?.["@microsoft.graph.conflictBehavior"];
      const conflict = typeof asked === "string" ? asked : "replace";
      if (conflict === "fail" && [...this.driveFiles.values()].some((f) => f.path.toLowerCase() === filePath.toLowerCase())) {
        throw new HttpError(409, "nameAlreadyExists", "The specified item name already exists.");
      }
      const id = randomUUID();
      const expires = new Date(this.clock.now().getTime() + 15 * 60_000).toISOString();
      this.uploadSessions.set(id, { path: filePath, total: -1, parts: [], received: 0, expires });
      return ok({ uploadUrl: `${this.url}/v1.0/upload/${id}`, expirationDateTime: expires, nextExpectedRanges: ["0-"] });
    }
    const byId = /^\/drives\/([^/]+)\/items\/([^/]+)(\/content)?$/.exec(path);
    if (byId && byId[1] === this.driveId) {
      const file = this.driveFiles.get(decodeURIComponent(byId[2]!));
      if (!file) throw new HttpError(404, "itemNotFound", "The resource could not be found.");
      if (byId[3] && method === "GET") return { status: 302, headers: { location: `${this.url}/download/${encodeURIComponent(file.id)}` } };
      if (!byId[3] && method === "GET") return ok(this.driveItemJson(file));
      if (!byId[3] && method === "DELETE") {
        this.driveFiles.delete(file.id);
        return { status: 204, headers: {} };
      }
    }
    throw new HttpError(400, "BadRequest", `No route for ${method} ${path}`);
  }

  /** PUT {uploadUrl} with Content-Range: fragments in order, each a multiple of 320 KiB except the last. */
  private uploadFragment(method: string, sessionId: string, bytes: Buffer, headers: Record<string, string>): Reply {
    const session = this.uploadSessions.get(sessionId);
    if (!session) throw new HttpError(404, "itemNotFound", "The upload session was not found.");
    if (method === "DELETE") {
      this.uploadSessions.delete(sessionId);
      return { status: 204, headers: {} };
    }
    if (method !== "PUT") throw new HttpError(405, "notSupported", "Upload fragments with PUT.");
    const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(headers["content-range"] ?? "");
    if (!m) throw new HttpError(400, "invalidRange", "Content-Range is required: bytes {start}-{end}/{total}.");
    const [start, end, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (start !== session.received || end - start + 1 !== bytes.length || end >= total) {
      throw new HttpError(416, "invalidRange", `The fragment does not match the expected range ${session.received}-.`);
    }
    const last = end + 1 === total;
    if (!last && bytes.length % (320 * 1024) !== 0) throw new HttpError(400, "invalidRange", "Fragments must be a multiple of 320 KiB.");
    session.total = total;
    session.parts.push(bytes);
    session.received = end + 1;
    if (!last) return { status: 202, headers: {}, body: { expirationDateTime: session.expires, nextExpectedRanges: [`${session.received}-`] } };
    this.uploadSessions.delete(sessionId);
    return this.putFile(session.path, Buffer.concat(session.parts), "fail");
  }

  // ------------------------------------------------------------ $batch

  private batch(raw: string): Reply {
    let parsed: { requests?: unknown };
    try {
      parsed = JSON.parse(raw) as { requests?: unknown };
    } catch {
      throw new HttpError(400, "BadRequest", "Invalid batch payload format.");
    }
    const requests = parsed.requests;
    if (!Array.isArray(requests)) throw new HttpError(400, "BadRequest", "Invalid batch payload format.");
    if (requests.length > 20) throw new HttpError(400, "BadRequest", "Number of batch requests exceeds the limit of 20.");
    const seen = new Set<string>();
    for (const r of requests as { id?: unknown; method?: unknown; url?: unknown; dependsOn?: unknown }[]) {
      if (typeof r.id !== "string" || !r.id) throw new HttpError(400, "BadRequest", "Every batch request needs an id.");
      if (seen.has(r.id.toLowerCase())) throw new HttpError(400, "BadRequest", `Batch request ids must be unique ('${r.id}').`);
      if (typeof r.method !== "string" || typeof r.url !== "string") throw new HttpError(400, "BadRequest", "Batch requests need a method and a url.");
      if (/^\/?(v1\.0|beta)\//.test(r.url) || /^https?:/.test(r.url))
        throw new HttpError(400, "BadRequest", "Batch request urls are relative to the version root.");
      if (r.dependsOn !== undefined) {
        if (!Array.isArray(r.dependsOn)) throw new HttpError(400, "BadRequest", "dependsOn is an array of request ids.");
        for (const d of r.dependsOn)
          if (!seen.has(String(d).toLowerCase()))
            throw new HttpError(400, "BadRequest", `dependsOn names '${String(d)}', which is not an earlier request in the batch.`);
      }
      seen.add(r.id.toLowerCase());
    }
    const statusById = new Map<string, number>();
    const responses: { id: string; status: number; headers: Record<string, string>; body?: unknown }[] = [];
    for (const r of requests as { id: string; method: string; url: string; body?: unknown; headers?: Record<string, string>; dependsOn?: string[] }[]) {
      const path = r.url.startsWith("/") ? r.url : `/${r.url}`;
      const failedDep = (r.dependsOn ?? []).find((d) => (statusById.get(d.toLowerCase()) ?? 0) >= 400);
      let reply: Reply;
      if (failedDep !== undefined) {
        reply = { status: 424, headers: {}, body: errorBody("failedDependency", `The request depends on request '${failedDep}', which failed.`) };
      } else {
        const pathOnly = path.split("?")[0]!;
        const fault = this.fault("subrequest", r.method, pathOnly, false, r.body);
        if (fault?.reset) {
          this.tally(r.method.toUpperCase(), pathOnly, 0, true);
          return fault;
        }
        if (fault) {
          reply = fault;
        } else {
          try {
            reply = this.route(r.method.toUpperCase(), path, r.body, lowerKeys(r.headers ?? {}));
          } catch (e) {
            reply = errorReply(e);
          }
          const lost = this.fault("subrequest", r.method, pathOnly, true, r.body);
          if (lost?.reset) {
            this.tally(r.method.toUpperCase(), pathOnly, reply.status, true);
            return lost;
          }
          if (lost) reply = lost;
        }
        this.tally(r.method.toUpperCase(), pathOnly, reply.status, true);
      }
      statusById.set(r.id.toLowerCase(), reply.status);
      responses.push({
        id: r.id,
        status: reply.status,
        headers: { ...(reply.body !== undefined ? { "content-type": "application/json" } : {}), ...reply.headers },
        ...(reply.body !== undefined ? { body: reply.body } : {}),
      });
    }
    return { status: 200, headers: {}, body: { responses } };
  }

  // ------------------------------------------------------------ routes

  private route(method: string, pathAndQuery: string, body: unknown, headers: Record<string, string>): Reply {
    for (const extra of this.extraRoutes) {
      const reply = extra(method, pathAndQuery, body);
      if (reply) return { status: reply.status, headers: reply.headers ?? {}, body: reply.body };
    }
    const url = new URL(pathAndQuery, "https://x");
    const seg = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const q = url.searchParams;
    if (seg[0] !== "sites" || seg.length < 2) throw new HttpError(400, "BadRequest", `Resource not found for the segment '${seg[0] ?? ""}'.`);
    if (seg[1] !== this.siteId) throw new HttpError(404, "itemNotFound", "Requested site could not be found");
    if (seg.length === 2 && method === "GET")
      return ok({ id: this.siteId, displayName: "Induction", webUrl: "https://contoso.sharepoint.com/sites/induction" });
    if (seg[2] !== "lists") throw new HttpError(400, "BadRequest", `Resource not found for the segment '${seg[2] ?? ""}'.`);

    if (seg.length === 3) {
      if (method === "GET") return ok({ "@odata.context": "lists", value: [...this.lists.values()].map((l) => this.listJson(l)) });
      if (method === "POST") return this.createList(body);
    }
    const list = this.lists.get(seg[3]!) ?? [...this.lists.values()].find((l) => l.displayName.toLowerCase() === seg[3]!.toLowerCase());
    if (!list) throw new HttpError(404, "itemNotFound", "The specified list was not found");
    if (seg.length === 4 && method === "GET") return ok(this.listJson(list));

    if (seg[4] === "columns") {
      if (seg.length === 5 && method === "GET") return ok({ value: list.columns.map(columnJson) });
      if (seg.length === 5 && method === "POST") {
        const col = parseColumn(body);
        if (list.columns.some((c) => c.name.toLowerCase() === col.name.toLowerCase()))
          throw new HttpError(409, "nameAlreadyExists", `A column named '${col.name}' already exists.`);
        list.columns.push(col);
        reindex(list);
        return { status: 201, headers: {}, body: columnJson(col) };
      }
      if (seg.length === 6 && method === "PATCH") {
        const col = list.columns.find((c) => c.id === seg[5] || c.name === seg[5]);
        if (!col) throw new HttpError(404, "itemNotFound", "Column not found");
        const b = (body ?? {}) as { indexed?: unknown; enforceUniqueValues?: unknown };
        if (typeof b.indexed === "boolean") col.indexed = b.indexed;
        if (typeof b.enforceUniqueValues === "boolean") {
          if (b.enforceUniqueValues && !col.indexed) throw new HttpError(400, "invalidRequest", "A column must be indexed to enforce unique values.");
          col.enforceUniqueValues = b.enforceUniqueValues;
          reindex(list);
        }
        return ok(columnJson(col));
      }
    }

    if (seg[4] === "items") {
      if (seg.length === 5 && method === "GET") return this.listItems(list, url, headers);
      if (seg.length === 6 && seg[5] === "delta" && method === "GET") return this.delta(list, url);
      if (seg.length === 5 && method === "POST") {
        const fields = (body as { fields?: Record<string, unknown> } | undefined)?.fields;
        if (!fields || typeof fields !== "object") throw new HttpError(400, "invalidRequest", "A list item is created with { fields }.");
        const item = this.createItem(list, fields);
        return { status: 201, headers: { etag: etagOf(item) }, body: this.itemJson(list, item, true) };
      }
      const item = list.items.get(Number(seg[5]));
      if (!item) throw new HttpError(404, "itemNotFound", "The resource could not be found.");
      if (seg.length === 6 && method === "GET") return ok(this.itemJson(list, item, (q.get("$expand") ?? "").startsWith("fields"), selectOf(q.get("$expand"))));
      if (seg.length === 6 && method === "DELETE") {
        checkIfMatch(item, headers);
        list.items.delete(item.id);
        unindex(list, item);
        list.removed.push({ id: item.id, changed: ++list.changeSeq });
        return { status: 204, headers: {} };
      }
      if (seg.length === 7 && seg[6] === "fields" && method === "PATCH") {
        checkIfMatch(item, headers);
        const patch = (body ?? {}) as Record<string, unknown>;
        const next = { ...item.fields };
        for (const [k, v] of Object.entries(patch)) {
          if (k.startsWith("@odata")) continue;
          if (v === null) delete next[k];
          else next[k] = v;
        }
        this.validate(list, next, item.id);
        unindex(list, item);
        item.fields = next;
        index(list, item);
        item.version++;
        item.modified = this.clock.now().toISOString();
        item.changed = ++list.changeSeq;
        return { status: 200, headers: { etag: etagOf(item) }, body: { "@odata.etag": etagOf(item), id: String(item.id), ...item.fields } };
      }
      if (seg.length === 7 && seg[6] === "fields" && method === "GET") return ok({ "@odata.etag": etagOf(item), id: String(item.id), ...item.fields });
    }
    throw new HttpError(400, "BadRequest", `No route for ${method} ${url.pathname}`);
  }

  private createList(body: unknown): Reply {
    const b = (body ?? {}) as { displayName?: unknown; columns?: unknown; list?: { template?: unknown } };
    if (typeof b.displayName !== "string" || !b.displayName) throw new HttpError(400, "invalidRequest", "displayName is required.");
    if ([...this.lists.values()].some((l) => l.displayName.toLowerCase() === (b.displayName as string).toLowerCase())) {
      throw new HttpError(
        409,
        "nameAlreadyExists",
        `A list, survey, discussion board, or document library with the specified title '${b.displayName}' already exists in this Web site.`,
      );
    }
    const columns = builtinColumns();
    for (const c of (Array.isArray(b.columns) ? b.columns : []) as unknown[]) {
      const col = parseColumn(c);
      if (columns.some((x) => x.name.toLowerCase() === col.name.toLowerCase())) throw new HttpError(400, "invalidRequest", `Duplicate column '${col.name}'.`);
      columns.push(col);
    }
    const list: DoubleList = {
      id: randomUUID(),
      displayName: b.displayName,
      created: this.clock.now().toISOString(),
      columns,
      items: new Map(),
      nextId: 1,
      unique: new Map(),
      changeSeq: 0,
      removed: [],
      tokenEpoch: 0,
    };
    reindex(list);
    this.lists.set(list.id, list);
    return { status: 201, headers: {}, body: this.listJson(list) };
  }

  private listJson(l: DoubleList) {
    return {
      "@odata.etag": `"${l.id},1"`,
      id: l.id,
      name: l.displayName.replace(/\s+/g, ""),
      displayName: l.displayName,
      createdDateTime: l.created,
      webUrl: `https://contoso.sharepoint.com/sites/induction/Lists/${encodeURIComponent(l.displayName.replace(/\s+/g, ""))}`,
      list: { template: "genericList", hidden: false, contentTypesEnabled: false },
    };
  }

  private itemJson(list: DoubleList, item: DoubleItem, withFields: boolean, select?: string[]) {
    const fields = select ? Object.fromEntries(select.filter((k) => k in item.fields).map((k) => [k, item.fields[k]])) : item.fields;
    return {
      "@odata.etag": etagOf(item),
      id: String(item.id),
      createdDateTime: item.created,
      lastModifiedDateTime: item.modified,
      webUrl: `https://contoso.sharepoint.com/sites/induction/Lists/${encodeURIComponent(list.displayName.replace(/\s+/g, ""))}/DispForm.aspx?ID=${item.id}`,
      contentType: { id: "0x0100", name: "Item" },
      ...(withFields ? { "fields@odata.context": "fields", fields: { "@odata.etag": etagOf(item), id: String(item.id), ...fields } } : {}),
    };
  }

  private createItem(list: DoubleList, fields: Record<string, unknown>): DoubleItem {
    const clean = Object.fromEntries(Object.entries(fields).filter(([k, v]) => !k.startsWith("@odata") && v !== null && v !== undefined));
    this.validate(list, clean, undefined);
    const now = this.clock.now().toISOString();
    const item: DoubleItem = { id: list.nextId++, guid: randomUUID(), version: 1, created: now, modified: now, fields: clean, changed: ++list.changeSeq };
    list.items.set(item.id, item);
    index(list, item);
    return item;
  }

  private validate(list: DoubleList, fields: Record<string, unknown>, selfId: number | undefined): void {
    for (const [k, v] of Object.entries(fields)) {
      const col = list.columns.find((c) => c.name === k);
      if (!col) throw new HttpError(400, "invalidRequest", `Field '${k}' is not recognized`);
      if (col.readOnly) throw new HttpError(400, "invalidRequest", `Field '${k}' is read-only`);
      const bad =
        col.kind === "number" ? typeof v !== "number" || !Number.isFinite(v) : col.kind === "boolean" ? typeof v !== "boolean" : typeof v !== "string";
      if (bad) throw new HttpError(400, "invalidRequest", `Invalid value for field '${k}' (${col.kind})`);
      if (col.kind === "text" && (v as string).length > 255) throw new HttpError(400, "invalidRequest", `Field '${k}' is longer than 255 characters`);
      if (col.kind === "note" && (v as string).length > 63_999) throw new HttpError(400, "invalidRequest", `Field '${k}' is longer than 63,999 characters`);
    }
    for (const col of list.columns) {
      if (!col.enforceUniqueValues) continue;
      const v = fields[col.name];
      if (v === undefined) continue;
      const holder = list.unique.get(col.name)?.get(norm(v));
      if (holder !== undefined && holder !== selfId) {
        throw new HttpError(
          409,
          "nameAlreadyExists",
          "The list item could not be added or updated because duplicate values were found in one or more fields in the list.",
        );
      }
    }
  }

  /** GET …/items/delta (deltaFeed.ts); links are absolute, as Graph's are. */
  private delta(list: DoubleList, url: URL): Reply {
    const base = `${this.url}/v1.0${url.pathname.replace(/^\/v1\.0/, "")}`;
    const r = deltaPage(list, url.searchParams, base, this.maxPageSize, (item, expand) =>
      this.itemJson(list, item, (expand ?? "").startsWith("fields"), selectOf(expand)),
    );
    if (r.status === 200) return ok(r.body);
    throw new HttpError(r.status, r.code, r.message, r.headers);
  }

  private listItems(list: DoubleList, url: URL, headers: Record<string, string>): Reply {
    const q = url.searchParams;
    const topRaw = q.get("$top");
    const top = topRaw === null ? 200 : Number(topRaw);
    if (!Number.isInteger(top) || top < 1) throw new HttpError(400, "invalidRequest", "Invalid $top");
    if (top > threshold) throw new HttpError(400, "invalidRequest", `$top may not exceed ${threshold}`);
    const page = Math.min(top, this.maxPageSize);
    const filter = q.get("$filter");
    let predicate: (f: Record<string, unknown>) => boolean = () => true;
    if (filter) {
      const parsed = parseFilter(filter);
      const allowNonIndexed = (headers.prefer ?? "").includes(preferNonIndexed);
      for (const name of parsed.columns) {
        const col = list.columns.find((c) => c.name === name);
        if (!col) throw new HttpError(400, "invalidRequest", `Field '${name}' is not recognized`);
        if (!col.indexed && !allowNonIndexed) {
          throw new HttpError(
            400,
            "invalidRequest",
            `Field '${name}' cannot be referenced in filter or orderby as it is not indexed. Provide the 'Prefer: ${preferNonIndexed}' header to allow this, but be warned that such queries may fail on large lists.`,
          );
        }
      }
      predicate = parsed.test;
    }
    const after = Number(q.get("$skiptoken") ?? "0");
    const expand = q.get("$expand");
    const withFields = (expand ?? "").startsWith("fields");
    const select = selectOf(expand);
    const out: unknown[] = [];
    let last = 0;
    let more = false;
    for (const item of list.items.values()) {
      if (item.id <= after) continue;
      if (!predicate({ ...item.fields, id: item.id, ID: item.id })) continue;
      if (out.length === page) {
        more = true;
        break;
      }
      out.push(this.itemJson(list, item, withFields, select));
      last = item.id;
    }
    const body: Record<string, unknown> = { "@odata.context": "items", value: out };
    if (more) {
      const next = new URL(`${this.url}${url.pathname.startsWith("/v1.0") ? "" : "/v1.0"}${url.pathname}`);
      for (const [k, v] of q) if (k !== "$skiptoken") next.searchParams.set(k, v);
      next.searchParams.set("$skiptoken", String(last));
      body["@odata.nextLink"] = next.toString();
    }
    return ok(body);
  }
}

// ---------------------------------------------------------------- helpers

/** SharePoint compares unique values case-insensitively. */
const norm = (v: unknown): unknown => (typeof v === "string" ? v.toLowerCase() : v);

function index(list: DoubleList, item: DoubleItem): void {
  for (const [name, map] of list.unique) if (item.fields[name] !== undefined) map.set(norm(item.fields[name]), item.id);
}

function unindex(list: DoubleList, item: DoubleItem): void {
  for (const [name, map] of list.unique)
    if (item.fields[name] !== undefined && map.get(norm(item.fields[name])) === item.id) map.delete(norm(item.fields[name]));
}

function reindex(list: DoubleList): void {
  list.unique = new Map(list.columns.filter((c) => c.enforceUniqueValues).map((c) => [c.name, new Map<unknown, number>()]));
  for (const item of list.items.values()) index(list, item);
}

const etagOf = (item: DoubleItem) => `"${item.guid},${item.version}"`;

function checkIfMatch(item: DoubleItem, headers: Record<string, string>): void {
  const want = headers["if-match"];
  if (want === undefined || want === "*") return;
  if (want !== etagOf(item)) throw new HttpError(412, "preconditionFailed", "The provided 'If-Match' header does not match the item's current ETag.");
}

const ok = (body: unknown): Reply => ({ status: 200, headers: {}, body });

// Graph's innerError.date is the service's time; nothing reads it, so the double's is a fixed instant.
const errorBody = (code: string, message: string) => ({
  error: { code, message, innerError: { date: testInstant.slice(0, 19), "request-id": randomUUID(), "client-request-id": randomUUID() } },
});

function errorReply(e: unknown): Reply {
  if (e instanceof HttpError) return { status: e.status, headers: e.headers, body: errorBody(e.code, e.message) };
  if (e instanceof SyntaxError) return { status: 400, headers: {}, body: errorBody("BadRequest", "Unable to read JSON request payload.") };
  return { status: 500, headers: {}, body: errorBody("generalException", e instanceof Error ? e.message : String(e)) };
}

const headersOf = (req: IncomingMessage): Record<string, string> =>
  Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(", ") : (v ?? "")]));

const lowerKeys = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

function selectOf(expand: string | null): string[] | undefined {
  const m = /^fields\(\$select=([^)]*)\)$/.exec(expand ?? "");
  return m
    ? m[1]!
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
}

/** "GET items", "PATCH fields", "POST $batch" ... */
function operationOf(method: string, path: string): string {
  if (path === "/$batch") return `${method} $batch`;
  const seg = path.split("?")[0]!.split("/").filter(Boolean);
  if (seg.length <= 3) return `${method} lists`;
  if (seg[4] === "columns") return `${method} columns`;
  if (seg[4] === "items")
    return seg.length === 5 ? `${method} items` : seg[5] === "delta" ? `${method} delta` : seg[6] === "fields" ? `${method} fields` : `${method} item`;
  return `${method} list`;
}

function columnJson(c: DoubleColumn) {
  const kind =
    c.kind === "note"
      ? { text: { allowMultipleLines: true, textType: "plain", linesForEditing: 6 } }
      : c.kind === "text"
        ? { text: { allowMultipleLines: false, maxLength: 255 } }
        : c.kind === "number"
          ? { number: {} }
          : c.kind === "boolean"
            ? { boolean: {} }
            : {};
  return {
    id: c.id,
    name: c.name,
    displayName: c.displayName,
    indexed: c.indexed,
    enforceUniqueValues: c.enforceUniqueValues,
    readOnly: !!c.readOnly,
    hidden: false,
    ...kind,
  };
}

function parseColumn(body: unknown): DoubleColumn {
  const b = (body ?? {}) as {
    name?: unknown;
    displayName?: unknown;
    indexed?: unknown;
    enforceUniqueValues?: unknown;
    text?: { allowMultipleLines?: unknown };
    number?: unknown;
    boolean?: unknown;
  };
  if (typeof b.name !== "string" || !/^[A-Za-z_][A-Za-z0-9_]{0,31}$/.test(b.name))
    throw new HttpError(400, "invalidRequest", "A column needs a valid internal name.");
  const kind: DoubleColumn["kind"] = b.text ? (b.text.allowMultipleLines ? "note" : "text") : b.number ? "number" : b.boolean ? "boolean" : "text";
  const indexed = b.indexed === true;
  const unique = b.enforceUniqueValues === true;
  if (unique && !indexed) throw new HttpError(400, "invalidRequest", "A column must be indexed to enforce unique values.");
  if (kind === "note" && indexed) throw new HttpError(400, "invalidRequest", "Multi-line text columns cannot be indexed.");
  return {
    id: randomUUID(),
    name: b.name,
    displayName: typeof b.displayName === "string" ? b.displayName : b.name,
    kind,
    indexed,
    enforceUniqueValues: unique,
  };
}

// ---------------------------------------------------------------- $filter

interface ParsedFilter {
  columns: Set<string>;
  test: (fields: Record<string, unknown>) => boolean;
}

/** Parses the subset of OData $filter Graph accepts on list items: fields/x eq|ne|lt|le|gt|ge literal, and, or, parentheses. */
export function parseFilter(text: string): ParsedFilter {
  const tokens: string[] = [];
  const re = /\s*('(?:[^']|'')*'|\(|\)|[A-Za-z_][\w/]*|-?\d+(?:\.\d+)?)\s*/y;
  while (re.lastIndex < text.length) {
    const m = re.exec(text);
    if (!m) throw new HttpError(400, "BadRequest", `Invalid filter clause: ${text}`);
    tokens.push(m[1]!);
  }
  let i = 0;
  const columns = new Set<string>();
  const peek = () => tokens[i];
  const next = () => {
    const t = tokens[i++];
    if (t === undefined) throw new HttpError(400, "BadRequest", `Invalid filter clause: unexpected end in ${text}`);
    return t;
  };
  type Node = (f: Record<string, unknown>) => boolean;
  const literal = (t: string): unknown => {
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (t === "null") return null;
    if (t === "true") return true;
    if (t === "false") return false;
    if (/^-?\d/.test(t)) return Number(t);
    throw new HttpError(400, "BadRequest", `Invalid filter literal ${t}`);
  };
  const comparison = (): Node => {
    const t = next();
    if (t === "(") {
      const n = or();
      if (next() !== ")") throw new HttpError(400, "BadRequest", `Invalid filter clause: ${text}`);
      return n;
    }
    const name = t.startsWith("fields/") ? t.slice(7) : t === "id" ? "ID" : undefined;
    if (!name) throw new HttpError(400, "BadRequest", `Invalid filter property ${t}: use fields/<column>`);
    if (name !== "ID") columns.add(name);
    const op = next();
    const value = literal(next());
    const cmp = (a: unknown, b: unknown): number =>
      typeof a === "number" && typeof b === "number" ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
    switch (op) {
      case "eq":
        return (f) => (value === null ? f[name] === undefined : f[name] === value);
      case "ne":
        return (f) => (value === null ? f[name] !== undefined : f[name] !== value);
      case "lt":
      case "le":
      case "gt":
      case "ge":
        return (f) => {
          const v = f[name];
          if (v === undefined) return false;
          const c = cmp(v, value);
          return op === "lt" ? c < 0 : op === "le" ? c <= 0 : op === "gt" ? c > 0 : c >= 0;
        };
      default:
        throw new HttpError(400, "BadRequest", `Unsupported filter operator ${op}`);
    }
  };
  const and = (): Node => {
    let left = comparison();
    while (peek() === "and") {
      next();
      const l = left;
      const r = comparison();
      left = (f) => l(f) && r(f);
    }
    return left;
  };
  const or = (): Node => {
    let left = and();
    while (peek() === "or") {
      next();
      const l = left;
      const r = and();
      left = (f) => l(f) || r(f);
    }
    return left;
  };
  const test = or();
  if (i !== tokens.length) throw new HttpError(400, "BadRequest", `Invalid filter clause: ${text}`);
  return { columns, test };
}
