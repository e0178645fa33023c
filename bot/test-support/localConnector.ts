import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { teamsGlobalRps, teamsPerConversation, type Window } from "@ectsp/bot/scheduler/rateLimiter.js";
import { DeliveryError, type ProactiveChannel } from "@ectsp/bot/teams/platform.js";

/** One activity the bot sent (POST) or updated (PUT). */
export interface CapturedActivity {
  method: "POST" | "PUT";
  conversationId: string;
  /** The id we assigned (POST) or the id updated (PUT). */
  activityId: string;
  replyToId?: string;
  activity: Record<string, unknown>;
  at: number;
}

export interface LocalConnectorOptions {
  /** Enforce Teams' documented limits: answer 429 with Retry-After when a send would exceed them. */
  enforceLimits?: boolean;
  perConversation?: readonly Window[];
  globalRps?: number;
  /** The double's time (ms) for its limit accounting and `at`; default performance.now. Tests with virtual time pass theirs. */
  now?: () => number;
}

/** What the double answers a send or an update. */
export interface ConnectorAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/**
 * A local Bot Connector service for tests and the bench: speaks the Bot Connector REST wire
 * format the bot uses as its serviceUrl (POST /v3/conversations/{id}/activities[/{replyTo}],
 * PUT /v3/conversations/{id}/activities/{activityId}), records what arrives, can enforce Teams'
 * rate limits, and can be told to answer 429 or 5xx, or to stop answering at all.
 */
export class LocalConnector {
  readonly activities: CapturedActivity[] = [];
  /** Requests refused with 429 because they would have broken a limit. */
  limitViolations = 0;
  /** Every send or update that reached the double, whatever it answered (a hidden re-send shows here). */
  requests = 0;
  private server: Server | undefined;
  private nextId = 1;
  private failQueue: { status: number; retryAfterSec?: number }[] = [];
  private failEvery: { status: number; retryAfterSec?: number; every: number; count: number } | undefined;
  private blackHole = false;
  private readonly perConversationSent = new Map<string, number[]>();
  private readonly globalSent: number[] = [];
  url = "";

  private readonly now: () => number;

  constructor(private readonly options: LocalConnectorOptions = {}) {
    this.now = options.now ?? (() => performance.now());
  }

  /** The most sends (POSTs) the double accepted in any window of `ms` (its own accounting). */
  maxAcceptedIn(ms: number): number {
    const times = this.sent()
      .map((a) => a.at)
      .sort((a, b) => a - b);
    let best = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= ms) j++;
      best = Math.max(best, i - j + 1);
    }
    return best;
  }

  async start(): Promise<string> {
    // A sender killed mid-request (the bench's SIGKILL) aborts its request: drop it, as Teams would.
    this.server = createServer((req, res) => void this.handle(req, res).catch(() => res.destroy()));
    this.server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next `n` requests get `status` (e.g. 429 with Retry-After). */
  failNext(n: number, status: number, retryAfterSec?: number): void {
    for (let i = 0; i < n; i++) this.failQueue.push({ status, ...(retryAfterSec !== undefined ? { retryAfterSec } : {}) });
  }

  /** Every `every`-th request gets `status` (a storm); undefined stops it. */
  failEveryNth(every: number | undefined, status = 429, retryAfterSec = 1): void {
    this.failEvery = every ? { every, status, retryAfterSec, count: 0 } : undefined;
  }

  /** Accepts connections but never answers or records: as if the process sending died mid-request. */
  setBlackHole(on: boolean): void {
    this.blackHole = on;
  }

  sent(conversationId?: string): CapturedActivity[] {
    return this.activities.filter((a) => a.method === "POST" && (!conversationId || a.conversationId === conversationId));
  }

  updates(conversationId?: string): CapturedActivity[] {
    return this.activities.filter((a) => a.method === "PUT" && (!conversationId || a.conversationId === conversationId));
  }

  clear(): void {
    this.activities.length = 0;
  }

  private overLimit(conversationId: string, now: number): boolean {
    if (!this.options.enforceLimits) return false;
    const windows = this.options.perConversation ?? teamsPerConversation;
    const times = this.perConversationSent.get(conversationId) ?? [];
    for (const w of windows) if (times.filter((t) => t > now - w.ms).length >= w.max) return true;
    const rps = this.options.globalRps ?? teamsGlobalRps;
    while (this.globalSent.length && this.globalSent[0]! <= now - 1000) this.globalSent.shift();
    if (this.globalSent.length >= rps) return true;
    times.push(now);
    this.perConversationSent.set(conversationId, times.length > 2000 ? times.slice(-2000) : times);
    this.globalSent.push(now);
    return false;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (this.blackHole) return; // never answer
    const url = new URL(req.url ?? "/", "http://x");
    const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(url.pathname);
    const answer = (a: ConnectorAnswer) => {
      res.writeHead(a.status, { "content-type": "application/json", ...a.headers });
      res.end(JSON.stringify(a.body));
    };
    if (!m || (req.method !== "POST" && req.method !== "PUT"))
      return answer({ status: 404, body: { error: { code: "NotFound", message: "Unknown route" } }, headers: {} });
    answer(this.receive(req.method, decodeURIComponent(m[1]!), Buffer.concat(chunks).toString("utf8"), m[2] ? decodeURIComponent(m[2]) : undefined));
  }

  /**
   * One request as the double handles it, without HTTP: the same limits, injected failures and
   * records. Tests in virtual time call this through an in-process channel.
   */
  receive(method: "POST" | "PUT", conversationId: string, rawBody: string, activityIdOrReplyTo?: string): ConnectorAnswer {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): ConnectorAnswer => ({ status, body, headers });
    this.requests++;
    const injected = this.failQueue.shift() ?? (this.failEvery && ++this.failEvery.count % this.failEvery.every === 0 ? this.failEvery : undefined);
    if (injected) {
      return send(
        injected.status,
        { error: { code: injected.status === 429 ? "Throttled" : "ServiceError", message: "injected" } },
        injected.retryAfterSec !== undefined ? { "retry-after": String(injected.retryAfterSec) } : {},
      );
    }
    const now = this.now();
    if (this.overLimit(conversationId, now)) {
      this.limitViolations++;
      return send(429, { error: { code: "Throttled", message: "Rate limit exceeded" } }, { "retry-after": "1" });
    }
    let activity: Record<string, unknown>;
    try {
      activity = JSON.parse(rawBody || "{}") as Record<string, unknown>;
    } catch {
      return send(400, { error: { code: "BadArgument", message: "Invalid JSON" } });
    }
    if (method === "PUT") {
      const activityId = activityIdOrReplyTo ?? "";
      this.activities.push({ method: "PUT", conversationId, activityId, activity, at: now });
      return send(200, { id: activityId });
    }
    const activityId = `act-${this.nextId++}`;
    this.activities.push({ method: "POST", conversationId, activityId, ...(activityIdOrReplyTo ? { replyToId: activityIdOrReplyTo } : {}), activity, at: now });
    return send(201, { id: activityId });
  }
}

/**
 * A proactive channel straight into `connector` (no HTTP, no botbuilder): for tests that run the
 * sender in virtual time. Answers map as the real channel maps them: 429 with its Retry-After.
 */
export function connectorChannel(connector: LocalConnector): ProactiveChannel {
  const call = (method: "POST" | "PUT", conversationId: string, message: unknown, activityId?: string) => {
    const a = connector.receive(method, conversationId, JSON.stringify({ type: "message", ...(message as object) }), activityId);
    if (a.status >= 400) {
      const retry = a.headers["retry-after"];
      throw new DeliveryError(`Bot Connector answered ${a.status}`, a.status, retry === undefined ? undefined : Number(retry) * 1000);
    }
    return a;
  };
  return {
    send: async (ref, message) => ({ activityId: String((call("POST", ref.conversationId, message).body as { id: string }).id) }),
    update: async (ref, activityId, message) => void call("PUT", ref.conversationId, message, activityId),
  };
}
