/**
 * Wiring for tests and the bench: a running GraphDouble, SharePoint settings that point at it,
 * and stores opened against it over real HTTPS with the real @azure/identity
 * ClientSecretCredential (trusting the double's self-signed certificate).
 *
 * The one difference from production is the last middleware: Node's global fetch cannot be
 * told to trust an extra certificate authority per request, so the HTTP transport here is a
 * node:https request with the double's certificate as CA. The Graph client's own
 * AuthenticationHandler, RetryHandler and TelemetryHandler run in front of it unchanged.
 */
import { request as httpsRequest } from "node:https";
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { createGraphClient, type SharePointSettings } from "@ectsp/bot/store/sharepoint/graph.js";
import { GraphDouble, type GraphDoubleOptions } from "./graphDouble.js";
import { provisionSharePoint, type ProvisionReport } from "@ectsp/bot/store/sharepoint/provision.js";
import { openSharePointStore, type SharePointStore, type SharePointStoreOptions } from "@ectsp/bot/store/sharepoint/sharePointStore.js";
import type { Clock } from "@ectsp/bot/clock.js";
import { movableClock, testInstant } from "../movableClock.js";

/** The HTTP transport for the double: node:https trusting `ca`. */
export class TrustingTransport implements Middleware {
  constructor(private readonly ca: string) {}

  async execute(context: Context): Promise<void> {
    const req = context.request;
    const url = typeof req === "string" ? req : req.url;
    const opts = context.options ?? {};
    const method = (opts.method ?? (typeof req === "string" ? "GET" : req.method)).toUpperCase();
    const headers: Record<string, string> = {};
    const add = (h: unknown) => {
      if (!h) return;
      if (h instanceof Headers) h.forEach((v, k) => (headers[k] = v));
      else if (Array.isArray(h)) for (const [k, v] of h as [string, string][]) headers[k] = v;
      else Object.assign(headers, h as Record<string, string>);
    };
    if (typeof req !== "string") add(req.headers);
    add(opts.headers);
    const raw = opts.body as unknown;
    const body = typeof raw === "string" || raw instanceof Uint8Array ? raw : raw === undefined || raw === null ? undefined : JSON.stringify(raw);
    context.response = await new Promise<Response>((resolve, reject) => {
      const r = httpsRequest(url, { method, headers, ca: this.ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(", ") : v);
          const status = res.statusCode ?? 500;
          resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers: h }));
        });
        res.on("error", reject);
      });
      r.on("error", reject);
      if (body !== undefined) r.write(body);
      r.end();
    });
  }

  setNext(): void {
    // The last middleware: nothing follows.
  }
}

export interface DoubleKit {
  double: GraphDouble;
  settings(prefix?: string): SharePointSettings;
  /** Options that make the Graph client and the credential trust the double. */
  connection(): SharePointStoreOptions;
  provision(prefix: string): Promise<ProvisionReport>;
  open(prefix: string, options?: Partial<SharePointStoreOptions>): Promise<SharePointStore>;
  /**
   * Waits until every store this kit opened has finished its background work (journal entries
   * closed, delayed changes rolled forward): call it before counting requests, so one test's
   * counts never include another moment's housekeeping.
   */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startDoubleKit(options: GraphDoubleOptions & { maxRetries?: number; clock?: Clock } = {}): Promise<DoubleKit> {
  const clock = options.clock ?? movableClock(testInstant);
  const double = await new GraphDouble({ ...options, clock }).start();
  const settings = (prefix = "ECTSP "): SharePointSettings => ({
    siteId: double.siteId,
    graphBaseUrl: double.url,
    authorityHost: double.url,
    tenantId: double.tenantId,
    clientId: double.clientId,
    clientSecret: double.clientSecret,
    listPrefix: prefix,
    maxRetries: options.maxRetries ?? 5,
  });
  const connection = (): SharePointStoreOptions => ({
    transport: new TrustingTransport(double.certificate),
    credentialOptions: { tlsOptions: { ca: double.certificate } },
    retryDelaySeconds: 0,
    clock,
  });
  const opened: SharePointStore[] = [];
  return {
    double,
    settings,
    connection,
    provision: (prefix) => provisionSharePoint(createGraphClient(settings(prefix), connection()), double.siteId, prefix),
    open: async (prefix, extra = {}) => {
      const store = await openSharePointStore(settings(prefix), { ...connection(), ...extra });
      opened.push(store);
      return store;
    },
    settle: async () => {
      await Promise.all(opened.map((s) => s.settle()));
    },
    stop: () => double.stop(),
  };
}
