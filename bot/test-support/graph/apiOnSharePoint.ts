/**
 * The real API server on the SharePoint store against the local Graph double, for tests that
 * drive the app as a tutor, an ECT or a Teams client would and then read the lists directly at
 * the double: a school with a head, a tutor, an AB officer and N ECTs (ids e0, e1, …; people
 * p0, p1, …) on lists of their own, plans created and agreed through the API, and a kill and a
 * start (the server and its store stop dead; a new one comes up on the same lists).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import type { Ect, Person } from "@ectsp/shared";
import { loadConfig } from "@ectsp/bot/config.js";
import { createApp, type App } from "@ectsp/bot/http/server.js";
import { silentLogger } from "@ectsp/bot/logger.js";
import { createGraphClient, send } from "@ectsp/bot/store/sharepoint/graph.js";
import type { SharePointStore, SharePointStoreOptions } from "@ectsp/bot/store/sharepoint/sharePointStore.js";
import type { Clock } from "@ectsp/bot/clock.js";
import type { DoubleKit } from "./doubleKit.js";
import { LocalConnector } from "../localConnector.js";
import { BotClient } from "../botClient.js";

/** Wire JSON, read as the client reads it. */
export type Json = Record<string, any>;
export type Call = (path: string, init?: RequestInit) => Promise<{ status: number; headers: Headers; body: Json }>;

/** A request inside a $batch (or a whole request), as the double's fault rules and logs see it. */
export type Seen = { method: string; path: string };
export const inList = (listId: string) => (r: { path: string }) => r.path.includes(`/lists/${listId}/`);
export const writesTo = (method: string, listId: string) => (r: Seen) => r.method === method && inList(listId)(r);

export interface ApiOnSharePoint {
  world(prefix: string, ects: number, storeOptions?: Partial<SharePointStoreOptions>): Promise<World>;
  /** Stops every server, store and connector started, and removes their data folders. */
  stopAll(): Promise<void>;
}

export type World = Awaited<ReturnType<ReturnType<typeof apiWorlds>["build"]>>;

export function apiOnSharePoint(kit: DoubleKit, clock: Clock): ApiOnSharePoint {
  const worlds = apiWorlds(kit, clock);
  return { world: worlds.build, stopAll: worlds.stopAll };
}

function apiWorlds(kit: DoubleKit, clock: Clock) {
  const dataDirs: string[] = [];
  const running = new Set<{ app: App; store: SharePointStore }>();
  const connectors: LocalConnector[] = [];

  async function serve(prefix: string, storeOptions: Partial<SharePointStoreOptions>) {
    const store = await kit.open(prefix, { clock, ...storeOptions });
    const dataDir = mkdtempSync(join(tmpdir(), "ectsp-sp-api-"));
    dataDirs.push(dataDir);
    const app = createApp({ config: loadConfig({ PORT: "0", DATA_DIR: dataDir, TAB_DIST: join(dataDir, "none") }), store, logger: silentLogger, clock });
    const url = await app.listen(0);
    const server = { app, store };
    running.add(server);
    return { ...server, url };
  }

  async function build(prefix: string, ects: number, storeOptions: Partial<SharePointStoreOptions> = {}) {
    await kit.provision(prefix);
    let current = await serve(prefix, storeOptions);
    const store = current.store;
    await store.upsertAppropriateBody({ id: "ab", name: "Hub" });
    const school = { id: "school", name: "School", abId: "ab" };
    await store.upsertSchool(school);
    const staff: Person[] = [
      { id: "head", displayName: "Head", email: "head@t.example", roles: ["head"], schoolId: school.id },
      { id: "tutor", displayName: "Tutor", email: "tutor@t.example", roles: ["induction_tutor"], schoolId: school.id },
      { id: "officer", displayName: "Officer", email: "officer@t.example", roles: ["ab_officer"], abId: "ab" },
    ];
    await Promise.all(staff.map((p) => store.upsertPerson(p)));
    await Promise.all(
      Array.from({ length: ects }, async (_, i) => {
        const person: Person = { id: `p${i}`, displayName: `ECT ${i}`, email: `e${i}@t.example`, roles: ["ect"], schoolId: school.id };
        const ect: Ect = {
          id: `e${i}`,
          personId: person.id,
          schoolId: school.id,
          abId: "ab",
          inductionTutorId: "tutor",
          inductionStartDate: "2026-09-01",
          fte: 1,
          absences: [],
          extensions: [],
          track: "ect",
        };
        await store.upsertPerson(person);
        await store.upsertEct(ect);
      }),
    );
    /** A Teams client for the server running now, replies to a local Bot Connector. */
    const bot = async () => {
      const connector = new LocalConnector();
      await connector.start();
      connectors.push(connector);
      return new BotClient({ botUrl: current.url, serviceUrl: connector.url });
    };
    const as = async (personId: string): Promise<Call> => {
      const token = await current.app.identity!.issue(personId);
      return async (path, init = {}) => {
        const res = await fetch(`${current.url}${path}`, {
          ...init,
          headers: {
            authorization: `Bearer ${token}`,
            ...(init.body ? { "content-type": "application/json" } : {}),
            ...(init.headers as Record<string, string>),
          },
        });
        const text = await res.text();
        return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as Json };
      };
    };
    // The lists' ids, as the store addresses them inside a $batch.
    const client = createGraphClient(kit.settings(prefix), kit.connection());
    const listId = async (name: string) => ((await send(client, "GET", `/sites/${kit.double.siteId}/lists/${prefix}${name}`)).body as { id: string }).id;
    const lists = {
      plans: await listId("Plans"),
      audit: await listId("Audit"),
      outbox: await listId("Outbox"),
      changes: await listId("Changes"),
      checkIns: await listId("Check-ins"),
    };
    const rows = (name: string, planId: string) => kit.double.items(`${prefix}${name}`).filter((f) => f.planId === planId);
    /** Everything a change to the plan touches, read straight from the double's lists. */
    const snapshot = (planId: string) => ({ plans: rows("Plans", planId), audit: rows("Audit", planId), outbox: rows("Outbox", planId) });
    const world = {
      prefix,
      get store() {
        return current.store;
      },
      as,
      bot,
      lists,
      rows,
      snapshot,
      /** The change journal's entries, straight from the list. */
      journal: () => kit.double.items(`${prefix}Changes`),
      tutor: await as("tutor"),
      /**
       * The server and its store stop dead: nothing more is written by them (no graceful hand-over),
       * as when App Service kills an instance.
       */
      async kill() {
        running.delete(current);
        await current.app.close();
        await current.store.close();
      },
      /** A new server and store on the same lists (after `kill`). */
      async start(options: Partial<SharePointStoreOptions> = {}) {
        current = await serve(prefix, { ...storeOptions, ...options });
        world.tutor = await as("tutor");
      },
    };
    return world;
  }

  async function stopAll(): Promise<void> {
    for (const r of running) {
      await r.app.close();
      await r.store.close();
    }
    running.clear();
    for (const c of connectors) await c.stop();
    for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
  }

  return { build, stopAll };
}

/** A draft Level 2 plan for ECT e{i}, created through the API. */
export async function draftFor(w: World, i: number): Promise<{ id: string; version: number; etag: string; plan: Json }> {
  const created = await w.tutor("/api/plans", {
    method: "POST",
    body: JSON.stringify({ ectId: `e${i}`, templateId: "level_2", content: { startDate: "2026-11-30", endDate: "2027-01-11" } }),
  });
  expect(created.status).toBe(201);
  return { id: created.body.plan.id, version: created.body.plan.version, etag: created.headers.get("etag")!, plan: created.body.plan };
}

/** An agreed plan for ECT e{i}: written, sent for signature and signed by the tutor and the ECT. */
export async function agreedFor(w: World, i: number): Promise<{ id: string; version: number }> {
  const { id, etag, plan } = await draftFor(w, i);
  const target = (standards: string[], text: string) => ({ id: crypto.randomUUID(), standards, text });
  const content: Json = { ...plan, targets: [target(["7d"], "Act decisively when behaviour slips")] };
  content.weeks[0] = { ...content.weeks[0], action: "Observe the KS2 lead", byWhom: "The ECT", successCriteria: "Three routines listed" };
  const saved = await w.tutor(`/api/plans/${id}`, { method: "PUT", headers: { "if-match": etag }, body: JSON.stringify({ content }) });
  expect(saved.status).toBe(200);
  expect((await w.tutor(`/api/plans/${id}/signature-requests`, { method: "POST" })).status).toBe(202);
  const revision = saved.body.plan.revision as number;
  expect((await w.tutor(`/api/plans/${id}/signatures`, { method: "POST", body: JSON.stringify({ revision }) })).status).toBe(201);
  const signed = await (await w.as(`p${i}`))(`/api/plans/${id}/signatures`, { method: "POST", body: JSON.stringify({ revision }) });
  expect(signed.status).toBe(201);
  return { id, version: signed.body.plan.version };
}
