/**
 * Throttling honoured everywhere (issue 14, item 2), through the real API server on the
 * SharePoint store against the local Graph double over HTTPS:
 * - a 429 or 503 on ONE request inside a $batch (a save, a create, a comment, an escalation) is
 *   re-sent after its Retry-After and the change lands once: the lists, read directly at the
 *   double, show one version bump, the audit entries and messages once, and the writes that had
 *   succeeded were not sent again; the user gets the success answer;
 * - a read with a throttled sub-request succeeds;
 * - throttling that outlasts the budget answers 503 with Retry-After, and "nothing was changed"
 *   only when the lists are unchanged;
 * - every Graph request carries the ISV User-Agent (and the Graph client's SdkVersion);
 * - at most 4 Graph requests are in flight during a 200-ECT caseload.
 * Retry-After is 0 and the base delay 0 throughout: nothing waits, nothing asserts on time.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Ect, Person } from "@ectsp/shared";
import { loadConfig } from "../../config.js";
import { createApp, type App } from "../../http/server.js";
import { silentLogger } from "../../logger.js";
import { startDoubleKit, type DoubleKit } from "../../../test-support/graph/doubleKit.js";
import { movableClock, testInstant } from "../../../test-support/movableClock.js";
import { LocalConnector } from "../../../test-support/localConnector.js";
import { BotClient, textOf } from "../../../test-support/botClient.js";
import { createGraphClient, send, userAgent } from "./graph.js";
import type { SharePointStore } from "./sharePointStore.js";

type Json = Record<string, any>;
type Call = (path: string, init?: RequestInit) => Promise<{ status: number; headers: Headers; body: Json }>;

const clock = movableClock(testInstant);
let kit: DoubleKit;
const dataDirs: string[] = [];
const running: { app: App; store: SharePointStore }[] = [];
const connectors: LocalConnector[] = [];

/** A school with a tutor, an AB officer and `ects` ECTs (ids e0, e1, …), on its own lists; the API server on that store. */
async function world(prefix: string, ects: number, storeOptions: { maxConcurrentRequests?: number } = {}) {
  await kit.provision(prefix);
  const store = await kit.open(prefix, storeOptions);
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
  const dataDir = mkdtempSync(join(tmpdir(), "ectsp-throttle-"));
  dataDirs.push(dataDir);
  const app = createApp({ config: loadConfig({ PORT: "0", DATA_DIR: dataDir, TAB_DIST: join(dataDir, "none") }), store, logger: silentLogger, clock });
  const url = await app.listen(0);
  running.push({ app, store });
  /** A Teams client for this server, replies to a local Bot Connector. */
  const bot = async () => {
    const connector = new LocalConnector();
    await connector.start();
    connectors.push(connector);
    return new BotClient({ botUrl: url, serviceUrl: connector.url });
  };
  const as = async (personId: string): Promise<Call> => {
    const token = await app.identity!.issue(personId);
    return async (path, init = {}) => {
      const res = await fetch(`${url}${path}`, {
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
  const lists = { plans: await listId("Plans"), audit: await listId("Audit"), outbox: await listId("Outbox") };
  const rows = (name: string, planId: string) => kit.double.items(`${prefix}${name}`).filter((f) => f.planId === planId);
  /** Everything a change to the plan touches, read straight from the double's lists. */
  const snapshot = (planId: string) => ({ plans: rows("Plans", planId), audit: rows("Audit", planId), outbox: rows("Outbox", planId) });
  return { prefix, store, as, bot, lists, snapshot, tutor: await as("tutor") };
}
type World = Awaited<ReturnType<typeof world>>;

/** A draft Level 2 plan for ECT e{i}, created through the API. */
async function draftFor(w: World, i: number): Promise<{ id: string; version: number; etag: string; plan: Json }> {
  const created = await w.tutor("/api/plans", {
    method: "POST",
    body: JSON.stringify({ ectId: `e${i}`, templateId: "level_2", content: { startDate: "2026-11-30", endDate: "2027-01-11" } }),
  });
  expect(created.status).toBe(201);
  return { id: created.body.plan.id, version: created.body.plan.version, etag: created.headers.get("etag")!, plan: created.body.plan };
}

/** An agreed plan for ECT e{i}: written, sent for signature and signed by the tutor and the ECT. */
async function agreedFor(w: World, i: number): Promise<{ id: string; version: number }> {
  const { id, etag, plan } = await draftFor(w, i);
  const target = (standards: string[], text: string) => ({ id: crypto.randomUUID(), standards, text, successCriteria: "Seen in two observed lessons" });
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

const inList = (listId: string) => (r: { path: string }) => r.path.includes(`/lists/${listId}/`);
const writesTo = (method: string, listId: string) => (r: { method: string; path: string }) => r.method === method && inList(listId)(r);
/** Sub-requests the double answered, as "status" per matching request, in order. */
const answered = (match: (r: { method: string; path: string }) => boolean) => kit.double.subLog.filter(match).map((r) => r.status);

beforeAll(async () => {
  kit = await startDoubleKit({ clock });
});
afterEach(() => {
  kit.double.clearFaults();
  kit.double.latencyMs = 0;
});
afterAll(async () => {
  for (const r of running) {
    await r.app.close();
    await r.store.close();
  }
  for (const c of connectors) await c.stop();
  await kit.stop();
  for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
});

describe.each([429, 503] as const)("a %i on one sub-request of a change is re-sent and the change lands once", (status) => {
  let w: World;
  beforeAll(async () => {
    w = await world(`T${status} `, 4);
  });

  it("a save", async () => {
    const { id, etag, plan } = await draftFor(w, 0);
    const before = w.snapshot(id);
    kit.double.resetCounts();
    // The audit entry comes after the plan PATCH in the save's serial chain: only it (and what follows it) goes again.
    kit.double.inject({ status, count: 1, retryAfterSeconds: 0, scope: "subrequest", match: writesTo("POST", w.lists.audit) });
    const saved = await w.tutor(`/api/plans/${id}`, {
      method: "PUT",
      headers: { "if-match": etag },
      body: JSON.stringify({ content: { ...plan, statementOfConcern: "Behaviour routines" } }),
    });
    expect(saved.status).toBe(200);
    expect(saved.body.plan.version).toBe(plan.version + 1);
    const after = w.snapshot(id);
    expect(after.plans).toHaveLength(1);
    expect(after.plans[0]!.planVersion).toBe(plan.version + 1);
    expect(after.audit).toHaveLength(before.audit.length + 1);
    expect(new Set(after.audit.map((a) => a.chainSeq)).size).toBe(after.audit.length);
    expect(after.outbox).toHaveLength(before.outbox.length);
    expect(answered(writesTo("POST", w.lists.audit))).toEqual([status, 201]);
    expect(answered(writesTo("PATCH", w.lists.plans))).toEqual([200]); // the plan write that succeeded was not sent again
  });

  it("a create", async () => {
    kit.double.resetCounts();
    // The plan's own create comes first in the chain: it and everything after it go again.
    kit.double.inject({ status, count: 1, retryAfterSeconds: 0, scope: "subrequest", match: writesTo("POST", w.lists.plans) });
    const { id } = await draftFor(w, 1);
    const after = w.snapshot(id);
    expect(after.plans).toHaveLength(1);
    expect(after.plans[0]!.planVersion).toBe(1);
    expect(after.audit).toHaveLength(1);
    expect(answered(writesTo("POST", w.lists.plans))).toEqual([status, 201]);
    expect(answered(writesTo("POST", w.lists.audit))).toEqual([201]);
  });

  it("a comment", async () => {
    const { id, version } = await draftFor(w, 2);
    const before = w.snapshot(id);
    kit.double.resetCounts();
    kit.double.inject({ status, count: 1, retryAfterSeconds: 0, scope: "subrequest", match: writesTo("PATCH", w.lists.plans) });
    const commented = await w.tutor(`/api/plans/${id}/comments`, { method: "POST", body: JSON.stringify({ text: "Good progress on routines" }) });
    expect(commented.status).toBe(201);
    const after = w.snapshot(id);
    expect(after.plans[0]!.planVersion).toBe(version + 1);
    expect(after.audit).toHaveLength(before.audit.length + 1);
    expect(new Set(after.outbox.map((m) => m.dedupeKey)).size).toBe(after.outbox.length);
    expect(answered(writesTo("PATCH", w.lists.plans))).toEqual([status, 200]);
    expect(answered(writesTo("POST", w.lists.audit))).toEqual([201]); // it had not run (424) and ran once
  });

  it("an escalation", async () => {
    const { id, version } = await agreedFor(w, 3);
    const before = w.snapshot(id);
    kit.double.resetCounts();
    // The successor's create follows the old plan's close in a serial chain: it goes again alone, its satisfied dependency dropped.
    kit.double.inject({ status, count: 1, retryAfterSeconds: 0, scope: "subrequest", match: writesTo("POST", w.lists.plans) });
    const escalated = await w.tutor(`/api/plans/${id}/escalation`, { method: "POST", body: JSON.stringify({ version, reason: "Not enough progress" }) });
    expect(escalated.status).toBe(201);
    const successorId = escalated.body.successorId as string;
    const after = w.snapshot(id);
    expect(after.plans[0]).toMatchObject({ planVersion: version + 1, planStatus: "closed" });
    expect(w.snapshot(successorId).plans).toHaveLength(1);
    expect(after.audit.length).toBeGreaterThan(before.audit.length);
    expect(new Set(after.audit.map((a) => a.chainSeq)).size).toBe(after.audit.length);
    const alerts = kit.double.items(`${w.prefix}Outbox`).filter((m) => m.kind === "escalation_alert");
    expect(alerts).toHaveLength(1);
    expect(answered(writesTo("PATCH", w.lists.plans))).toEqual([200]);
    expect(answered(writesTo("POST", w.lists.plans))).toEqual([status, 201]);
    const resent = kit.double.subLog.filter(writesTo("POST", w.lists.plans));
    expect(resent).toHaveLength(2);
  });
});

describe("reads, the budget, and the answer when it runs out", () => {
  let w: World;
  beforeAll(async () => {
    w = await world("Budget ", 6);
  });

  it("opening a plan and the caseload succeed when a read inside their $batch is throttled", async () => {
    const { id } = await draftFor(w, 0);
    kit.double.resetCounts();
    kit.double.inject({ status: 429, count: 2, retryAfterSeconds: 0, scope: "subrequest", match: (r) => r.method === "GET" });
    const opened = await w.tutor(`/api/plans/${id}`);
    expect(opened.status).toBe(200);
    expect(opened.body.plan.id).toBe(id);
    kit.double.inject({ status: 503, count: 2, retryAfterSeconds: 0, scope: "subrequest", match: (r) => r.method === "GET" });
    const caseload = await w.tutor("/api/caseload");
    expect(caseload.status).toBe(200);
    expect(caseload.body.rows).toHaveLength(6);
    const throttled = kit.double.subLog.filter((r) => r.status === 429 || r.status === 503);
    expect(throttled.length).toBe(4); // every injected fault was met, inside a $batch, and answered by a re-send
  });

  it("a save throttled past the budget answers 503 with Retry-After, says nothing was changed, and nothing was", async () => {
    const { id, etag, plan } = await draftFor(w, 1);
    const before = w.snapshot(id);
    kit.double.resetCounts();
    kit.double.inject({ status: 429, rate: 1, retryAfterSeconds: 0, scope: "subrequest", match: writesTo("PATCH", w.lists.plans) });
    const refused = await w.tutor(`/api/plans/${id}`, {
      method: "PUT",
      headers: { "if-match": etag },
      body: JSON.stringify({ content: { ...plan, statementOfConcern: "Never saved" } }),
    });
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.body).toMatchObject({ status: 503, unchanged: true, retryAfterSeconds: Number(refused.headers.get("retry-after")) });
    expect(refused.body.detail).toMatch(/delayed by throttling.*Nothing was changed/);
    expect(w.snapshot(id)).toEqual(before);
    expect(answered(writesTo("PATCH", w.lists.plans))).toHaveLength(1 + 5); // the first try and maxRetries = 5
  });

  it("when the undo is throttled too, the 503 says part of the change may be saved, never that nothing was changed", async () => {
    const { id, etag, plan } = await draftFor(w, 2);
    kit.double.resetCounts();
    let patches = 0;
    // The save's plan PATCH passes; the audit entry after it and the PATCH that would undo it stay throttled.
    kit.double.inject({ status: 503, rate: 1, retryAfterSeconds: 0, scope: "subrequest", match: writesTo("POST", w.lists.audit) });
    kit.double.inject({ status: 503, rate: 1, retryAfterSeconds: 0, scope: "subrequest", match: (r) => writesTo("PATCH", w.lists.plans)(r) && ++patches > 1 });
    const cut = await w.tutor(`/api/plans/${id}`, {
      method: "PUT",
      headers: { "if-match": etag },
      body: JSON.stringify({ content: { ...plan, statementOfConcern: "Half saved" } }),
    });
    expect(cut.status).toBe(503);
    expect(cut.headers.get("retry-after")).not.toBeNull();
    expect(cut.body.unchanged).toBe(false);
    expect(cut.body.detail).not.toMatch(/nothing was changed/i);
    expect(cut.body.detail).toMatch(/part of this change may have been saved/);
    expect(w.snapshot(id).plans[0]!.planVersion).toBe(plan.version + 1); // and indeed it was
  });

  it("a card action throttled past the budget says busy, try again in a minute, and only says nothing was changed when so", async () => {
    const { id } = await draftFor(w, 3);
    const client = await w.bot();
    const tutor = { id: "tutor", name: "Tutor" };
    expect((await client.install(tutor)).status).toBe(200);
    const before = w.snapshot(id);
    kit.double.inject({ status: 429, rate: 1, retryAfterSeconds: 0, scope: "subrequest", match: writesTo("PATCH", w.lists.plans) });
    const refused = textOf((await client.execute(tutor, "comment", { ref: { card: "notice", planId: id }, comment: "Well done" })).card);
    expect(refused).toMatch(/busy.*try again in a minute/i);
    expect(refused).not.toMatch(/something went wrong/i);
    expect(refused).toContain("Nothing was changed.");
    expect(w.snapshot(id)).toEqual(before);

    kit.double.clearFaults();
    let patches = 0;
    kit.double.inject({ status: 503, rate: 1, retryAfterSeconds: 0, scope: "subrequest", match: writesTo("POST", w.lists.audit) });
    kit.double.inject({ status: 503, rate: 1, retryAfterSeconds: 0, scope: "subrequest", match: (r) => writesTo("PATCH", w.lists.plans)(r) && ++patches > 1 });
    const cut = textOf((await client.execute(tutor, "comment", { ref: { card: "notice", planId: id }, comment: "Well done" })).card);
    expect(cut).toMatch(/busy.*try again in a minute/i);
    expect(cut).not.toContain("Nothing was changed");
    expect(cut).toMatch(/Part of this change may have been saved/);
  });

  it("a whole request still throttled after the RetryHandler is a 503 with Retry-After, not a 500", async () => {
    kit.double.inject({ status: 503, rate: 1, retryAfterSeconds: 0, match: (r) => r.path === "/$batch" });
    const busy = await w.tutor("/api/caseload");
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).not.toBeNull();
    expect(busy.body.title).toBe("Busy, try again shortly");
  });
});

describe("what every Graph request carries, and how many are in flight", () => {
  it("the ISV User-Agent and the Graph client's SdkVersion, on every request", async () => {
    const version = (JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string }).version;
    expect(userAgent).toBe(`ISV|ECTSupportPlans|ECTSupportPlans/${version}`);
    kit.double.resetCounts();
    const w = await world("Agent ", 2);
    const { id, etag, plan } = await draftFor(w, 0);
    await w.tutor(`/api/plans/${id}`, { method: "PUT", headers: { "if-match": etag }, body: JSON.stringify({ content: { ...plan, term: "Autumn" } }) });
    await w.tutor("/api/caseload");
    expect(kit.double.clientHeaders.length).toBeGreaterThan(20);
    expect(kit.double.clientHeaders.filter((h) => h.userAgent !== userAgent)).toEqual([]);
    expect(kit.double.clientHeaders.every((h) => /^graph-js\/\d/.test(h.sdkVersion ?? ""))).toBe(true);
  });

  it("at most 4 Graph requests are in flight at once during a 200-ECT caseload, the rest queue", async () => {
    const bounded = await world("Pool ", 200);
    const unbounded = await world("Pool ", 0, { maxConcurrentRequests: 64 }); // the same lists, without the bound
    kit.double.latencyMs = 50; // long enough for requests to overlap even on a loaded machine
    kit.double.resetCounts();
    const rows = await bounded.tutor("/api/caseload");
    expect(rows.status).toBe(200);
    expect(rows.body.rows).toHaveLength(200);
    const withPool = { max: kit.double.maxInFlight, requests: kit.double.httpRequests };
    kit.double.resetCounts();
    expect((await unbounded.tutor("/api/caseload")).body.rows).toHaveLength(200);
    const withoutPool = kit.double.maxInFlight;
    expect(withPool.max).toBeLessThanOrEqual(4);
    expect(withPool.max).toBeGreaterThan(1); // it still sends in parallel
    expect(withoutPool).toBeGreaterThan(4); // the load is one that would exceed the bound
  });
});
