import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@ectsp/bot/config.js";
import { silentLogger } from "@ectsp/bot/logger.js";
import { openStore } from "@ectsp/bot/store/openStore.js";
import { seedDemoSchool } from "@ectsp/bot/demo/demoSchool.js";
import { createApp, type App, type AppOptions } from "@ectsp/bot/http/server.js";
import type { Clock } from "@ectsp/bot/clock.js";
import type { Store } from "@ectsp/bot/store/store.js";
import type { EntraTokenVerifier } from "@ectsp/bot/auth/entraTokens.js";
import { testInstant } from "./movableClock.js";

/** A real server on a real SQLite file in a temp folder, on a free port, for API tests. */
export interface RunningServer {
  url: string;
  app: App;
  store: Store;
  dataDir: string;
  /** Act as a demo persona: returns an authorised fetch. */
  as(personId: string): Promise<(path: string, init?: RequestInit) => Promise<Response>>;
  restart(): Promise<RunningServer>;
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

export interface TestServerOptions {
  dataDir?: string;
  now?: Date;
  /** Seed the demo school into an empty store. Defaults to true in local mode, false in tenant mode. */
  seed?: boolean;
  env?: Record<string, string>;
  /** Tenant mode: a verifier over locally generated keys instead of the tenant's JWKS. */
  entraVerifier?: EntraTokenVerifier;
  /** A clock the test moves (bot scheduling); overrides `now`. */
  clock?: Clock;
  /** Bot tests swap the proactive channel or the rate limiter. */
  botOverrides?: AppOptions["botOverrides"];
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<RunningServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "ectsp-"));
  const now = opts.now ?? new Date(testInstant);
  const config = loadConfig({ PORT: "0", DATA_DIR: dataDir, TAB_DIST: join(dataDir, "no-tab"), ...opts.env });
  const clock: Clock = opts.clock ?? { now: () => now };
  const store = await openStore(config, clock);
  if ((opts.seed ?? config.mode === "local") && (await store.listPeople()).length === 0) await seedDemoSchool(store, clock.now());
  const app = createApp({
    config,
    store,
    logger: silentLogger,
    clock,
    ...(opts.entraVerifier ? { entraVerifier: opts.entraVerifier } : {}),
    ...(opts.botOverrides ? { botOverrides: opts.botOverrides } : {}),
  });
  const url = await app.listen(0);
  const running: RunningServer = {
    url,
    app,
    store,
    dataDir,
    async as(personId) {
      const res = await fetch(`${url}/api/dev/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ personId }),
      });
      if (!res.ok) throw new Error(`sign-in as ${personId} failed: ${res.status}`);
      const { token } = (await res.json()) as { token: string };
      return (path, init = {}) =>
        fetch(`${url}${path}`, {
          ...init,
          headers: {
            authorization: `Bearer ${token}`,
            ...(init.body ? { "content-type": "application/json" } : {}),
            ...(init.headers as Record<string, string> | undefined),
          },
        });
    },
    async restart() {
      await app.close();
      await store.close();
      return startTestServer({ ...opts, dataDir, seed: false });
    },
    async stop({ keepData = false } = {}) {
      await app.close();
      await store.close();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return running;
}

// ---- helpers for API tests ----------------------------------------------------------------

export type Json = Record<string, any>;

/** A response as a test reads it: status, content type, JSON body (empty object for none), ETag. */
export async function readJson(res: Response): Promise<{ status: number; type: string; body: Json; etag: string | null }> {
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type") ?? "", body: (text ? JSON.parse(text) : {}) as Json, etag: res.headers.get("etag") };
}

/** Everything a refused request must leave as it was: the plan, its audit trail and its messages. */
export async function planRecord(store: Store, planId: string) {
  const [plan, audit, outbox] = await Promise.all([store.getPlan(planId), store.listAudit({ planId }), store.listOutbox({ planId })]);
  return { plan, audit, outbox };
}

/**
 * A target as the tab sends it: the rest of its fields take their defaults. Success criteria only
 * when given: the Level 2–6 forms have no column for them (printedFields.ts), so they are refused there.
 */
export const testTarget = (standards: string[], text: string, successCriteria?: string) => ({
  id: crypto.randomUUID(),
  standards,
  text,
  ...(successCriteria !== undefined ? { successCriteria } : {}),
});
