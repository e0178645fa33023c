/**
 * SharePoint specifics, against the local Graph double over HTTPS: provisioning is idempotent,
 * paging reads a 10,000-item list fully, a 429 storm ends with every write applied once, a 412
 * becomes StaleVersionError with nothing else written, a write that finally fails leaves the
 * store unchanged and says so, round trips per operation, the double's Graph rules, and the
 * start-up errors for missing settings.
 */
import { movableClock, testInstant } from "../../../test-support/movableClock.js";
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, loadSharePointSettings } from "../../config.js";
import { openStore } from "../openStore.js";
import { StaleVersionError } from "../store.js";
import { editedPlan, makeAudit, makeCheckIn, makeMessage, seedWorld, t0, type World } from "../../../test-support/store/testData.js";
import { createGraphClient, send } from "./graph.js";
import { startDoubleKit, type DoubleKit } from "../../../test-support/graph/doubleKit.js";
import { listKeys, listSchema, listTitle, schemaDocument } from "./listSchema.js";
import type { SharePointStore } from "./sharePointStore.js";
import { ChangeDelayedError, ChangeUnconfirmedError } from "./changeJournal.js";

let kit: DoubleKit;
let n = 0;
const fresh = async (maxRetries?: number): Promise<{ store: SharePointStore; prefix: string; w: World }> => {
  const prefix = `S${++n} `;
  await kit.provision(prefix);
  const store = await kit.open(prefix, {});
  if (maxRetries !== undefined) {
    const s = await (await import("./sharePointStore.js")).openSharePointStore({ ...kit.settings(prefix), maxRetries }, kit.connection());
    return { store: s, prefix, w: await seedWorld(s) };
  }
  return { store, prefix, w: await seedWorld(store) };
};

beforeAll(async () => {
  kit = await startDoubleKit();
});
afterAll(async () => {
  await kit.stop();
});
afterEach(() => {
  kit.double.clearFaults();
  kit.double.latencyMs = 0;
  kit.double.maxPageSize = 5000;
});

describe("provisioning", () => {
  it("creates every list and column once; a second run changes nothing", async () => {
    const prefix = "Prov ";
    const first = await kit.provision(prefix);
    expect(first.createdLists).toEqual(listKeys.map((k) => listTitle(prefix, k)));
    const snapshot = () => listKeys.map((k) => kit.double.columns(listTitle(prefix, k)));
    const before = snapshot();
    for (const k of listKeys) {
      const cols = kit.double.columns(listTitle(prefix, k));
      for (const c of listSchema[k].columns) {
        const have = cols.find((x) => x.name === c.name)!;
        expect(have, `${k}.${c.name}`).toBeDefined();
        expect(have.indexed).toBe(!!("indexed" in c && c.indexed));
        expect(have.enforceUniqueValues).toBe(!!("unique" in c && c.unique));
      }
    }

    await kit.settle();

    kit.double.resetCounts();
    const second = await kit.provision(prefix);
    expect(second).toMatchObject({ unchanged: true, createdLists: [], addedColumns: [], updatedColumns: [] });
    expect(second.unchangedLists).toHaveLength(listKeys.length);
    expect(snapshot()).toEqual(before);
    // Only reads the second time.
    expect(kit.double.log.every((r) => r.method === "GET")).toBe(true);
  });

  it("repairs a list that lacks a column or an index, and refuses to change a column's type", async () => {
    const prefix = "Repair ";
    await kit.provision(prefix);
    const client = createGraphClient(kit.settings(prefix), kit.connection());
    const site = `/sites/${kit.double.siteId}`;
    const lists = (await send(client, "GET", `${site}/lists`)).body as { value: { id: string; displayName: string }[] };
    const plansId = lists.value.find((l) => l.displayName === `${prefix}Plans`)!.id;
    const cols = (await send(client, "GET", `${site}/lists/${plansId}/columns`)).body as { value: { id: string; name: string }[] };
    await send(client, "PATCH", `${site}/lists/${plansId}/columns/${cols.value.find((c) => c.name === "reviewDate")!.id}`, { indexed: false });

    const report = await kit.provision(prefix);
    expect(report.updatedColumns).toEqual([`${prefix}Plans.reviewDate`]);
    expect((await kit.provision(prefix)).unchanged).toBe(true);

    // A hand-made list whose planVersion is text: a missing column is added, a wrong type refused.
    const clash = "Clash ";
    await send(client, "POST", `${site}/lists`, {
      displayName: `${clash}Plans`,
      columns: [{ name: "planVersion", text: {} }],
      list: { template: "genericList" },
    });
    await expect(kit.provision(clash)).rejects.toThrow(/Clash Plans\.planVersion is text, not number/);
    expect(kit.double.columns(`${clash}Plans`).map((c) => c.name)).toContain("planId");
  });

  it("lists.json in infra/sharepoint is the schema as generated", () => {
    const file = JSON.parse(readFileSync(new URL("../../../../infra/sharepoint/lists.json", import.meta.url), "utf8")) as unknown;
    expect(file).toEqual(JSON.parse(JSON.stringify(schemaDocument())));
  });

  it("opening a store on a site without the lists says to provision", async () => {
    await expect(kit.open("Never provisioned ")).rejects.toThrow(/provision:sharepoint/);
  });
});

describe("round trips", () => {
  it("opens a plan in one round trip and saves it (journal entry, plan, audit, message) in one $batch", async () => {
    const { store, w } = await fresh();
    const plan = w.planFor(w.ectA1);
    await store.commit({ create: [plan], audit: [] });
    const reader = await kit.open(`S${n} `);

    await kit.settle();

    kit.double.resetCounts();
    const opened = await reader.getPlan(plan.id);
    expect(opened).toEqual(plan);
    expect(kit.double.httpRequests).toBe(1); // the plan and the head of its audit chain, in one $batch

    await kit.settle();

    kit.double.resetCounts();
    await reader.commit({
      save: [{ plan: editedPlan(plan), expectedVersion: 1 }],
      audit: [makeAudit({ ectId: plan.ectId, planId: plan.id })],
      outbox: [makeMessage({ planId: plan.id })],
      checkIns: [],
    });
    // The plan's ETag and its chain's head are known from the open: one $batch writes it all.
    const op = (r: { method: string; path: string }) => `${r.method} ${r.path.endsWith("/items") ? "items" : r.path}`;
    expect(kit.double.log.map(op)).toEqual(["POST /$batch"]);
    expect(kit.double.count("batch:PATCH fields")).toBe(1);
    expect(kit.double.count("batch:POST items")).toBe(3); // the journal entry, the audit entry, the message
    // The journal entry is closed a moment later, together with others.
    await Promise.all([store.settle(), reader.settle()]);
    expect(kit.double.items(`S${n} Changes`).map((j) => j.changeState)).toEqual(["done", "done"]);

    // An instance that has not read the plan looks it up together with the head: one $batch of reads.
    const cold = await kit.open(`S${n} `);
    await kit.settle();
    kit.double.resetCounts();
    await cold.commit({ save: [{ plan: editedPlan(editedPlan(plan)), expectedVersion: 2 }], audit: [makeAudit({ ectId: plan.ectId, planId: plan.id })] });
    expect(kit.double.log.map(op)).toEqual(["POST /$batch", "POST /$batch"]);
    expect(kit.double.count("batch:GET items")).toBe(2);
    await cold.settle();
    await reader.close();
    await cold.close();
  });

  it("reads issued together go out as one $batch", async () => {
    const { store, w } = await fresh();
    await kit.settle();
    kit.double.resetCounts();
    const got = await Promise.all([
      store.getPerson(w.tutorA.id),
      store.getSchool(w.schoolA.id),
      store.listPeople({ schoolId: w.schoolA.id }),
      store.getEct(w.ectA1.id),
    ]);
    expect(got.every(Boolean)).toBe(true);
    expect(kit.double.log.map((r) => r.path)).toEqual(["/$batch"]);
  });
});

describe("paging", () => {
  it("reads a 10,000-item list fully through @odata.nextLink", async () => {
    const prefix = "Big ";
    await kit.provision(prefix);
    const rows = Array.from({ length: 10_000 }, (_, i) => ({
      Title: `plan-${i}`,
      planId: `plan-${i}`,
      ectId: `ect-${i}`,
      schoolId: "school-big",
      abId: "ab-big",
      planStatus: i % 2 ? "active" : "closed",
      level: 2,
      templateId: "level_2",
      planVersion: 1,
      revision: 1,
      updatedAt: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
    }));
    kit.double.seed(`${prefix}Plans`, rows);
    const store = await kit.open(prefix);
    kit.double.maxPageSize = 1000;
    await kit.settle();
    kit.double.resetCounts();
    const all = await store.listPlanSummaries({ schoolId: "school-big" });
    expect(all).toHaveLength(10_000);
    expect(new Set(all.map((s) => s.id)).size).toBe(10_000);
    expect(kit.double.count("GET items")).toBe(10);
    expect((await store.listPlanSummaries({ schoolId: "school-big", status: ["active"] })).length).toBe(5_000);
    expect(await store.countPlans()).toBe(10_000);
  });
});

describe("throttling and failures", () => {
  it("a 429 storm ends with every write applied once", async () => {
    const { store, w } = await fresh(10);
    kit.double.inject({ status: 429, rate: 0.4, retryAfterSeconds: 0 });
    const plans = Array.from({ length: 8 }, (_, i) => w.planFor(i % 2 ? w.ectA1 : w.ectB1));
    const audits = plans.map((p) => makeAudit({ ectId: p.ectId, planId: p.id }));
    const messages = plans.map((p) => makeMessage({ planId: p.id }));
    for (const [i, p] of plans.entries())
      await store.commit({ create: [p], audit: [audits[i]!], outbox: [messages[i]!], checkIns: [makeCheckIn({ planId: p.id, ectId: p.ectId })] });
    for (const p of plans) await store.commit({ save: [{ plan: editedPlan(p), expectedVersion: 1 }], audit: [] });
    await store.enqueue([makeMessage({ dedupeKey: "storm-extra" })], new Date(t0));
    const throttled = kit.double.log.filter((r) => r.status === 429).length;
    kit.double.clearFaults();
    expect(throttled).toBeGreaterThan(5);

    for (const p of plans) expect((await store.getPlan(p.id))?.version).toBe(2);
    expect(await store.countPlans()).toBe(plans.length);
    const auditIds = kit.double.items(`S${n} Audit`).map((f) => f.auditId);
    expect(auditIds.sort()).toEqual(audits.map((a) => a.id).sort());
    const keys = kit.double.items(`S${n} Outbox`).map((f) => f.dedupeKey);
    expect(keys.sort()).toEqual([...messages.map((m) => m.dedupeKey), "storm-extra"].sort());
    expect(kit.double.items(`S${n} Check-ins`)).toHaveLength(plans.length);
  });

  it("a 412 on the plan becomes StaleVersionError and nothing else from the change is written", async () => {
    const { store, w, prefix } = await fresh();
    const plan = w.planFor(w.ectA1);
    await store.commit({ create: [plan], audit: [] });
    const a = await kit.open(prefix);
    const b = await kit.open(prefix);
    await a.getPlan(plan.id); // a caches version 1's ETag
    await b.commit({ save: [{ plan: editedPlan(plan, { term: "B wins" }), expectedVersion: 1 }], audit: [] });
    await Promise.all([store.settle(), b.settle()]); // their journal entries closed

    await kit.settle();

    kit.double.resetCounts();
    const checkIn = makeCheckIn({ planId: plan.id, ectId: plan.ectId });
    const error = await a
      .commit({
        save: [{ plan: editedPlan(plan, { term: "A loses" }), expectedVersion: 1 }],
        audit: [makeAudit({ ectId: plan.ectId, planId: plan.id })],
        outbox: [makeMessage({ planId: plan.id })],
        checkIns: [checkIn],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaleVersionError);
    expect(error).toMatchObject({ expectedVersion: 1, currentVersion: 2 });
    const sent = (method: string, list: string) =>
      kit.double.subLog.filter((r) => r.method === method && r.path.includes(`/lists/${kit.double.listId(`${prefix}${list}`)}/`)).map((r) => r.status);
    expect(sent("POST", "Changes")).toEqual([201]); // the journal entry ...
    expect(sent("PATCH", "Plans")).toEqual([412]); // ... the plan write, refused ...
    expect([...sent("POST", "Audit"), ...sent("POST", "Outbox"), ...sent("POST", "Check-ins")]).toEqual([]); // ... its dependents 424, unexecuted
    expect(sent("PATCH", "Changes")).toEqual([200]); // the entry marked refused
    const [entry] = kit.double.items(`${prefix}Changes`).filter((j) => j.changeState !== "done");
    expect(entry).toMatchObject({ changeState: "refused", outcome: "the plan moved on", planId: plan.id });
    expect((await store.getPlan(plan.id))?.term).toBe("B wins");
    expect(await store.listAudit({ planId: plan.id })).toEqual([]);
    expect(await store.listOutbox({ planId: plan.id })).toEqual([]);
    expect(await store.getCheckIn(checkIn.id)).toBeUndefined();
  });

  it("a save refused whole (a 429 on every $batch past the retries) says nothing was written, and nothing was", async () => {
    const { w, prefix } = await fresh();
    const store = await (await import("./sharePointStore.js")).openSharePointStore({ ...kit.settings(prefix), maxRetries: 2 }, kit.connection());
    const plan = w.planFor(w.ectA1);
    await store.commit({ create: [plan], audit: [] });
    await store.getPlan(plan.id);

    await kit.settle();

    kit.double.resetCounts();
    kit.double.inject({ status: 429, rate: 1, retryAfterSeconds: 0, match: (r) => r.path === "/$batch" });
    const error = await store
      .commit({ save: [{ plan: editedPlan(plan), expectedVersion: 1 }], audit: [makeAudit({ ectId: plan.ectId, planId: plan.id })] })
      .catch((e: unknown) => e);
    kit.double.clearFaults();
    expect(error).toBeInstanceOf(ChangeUnconfirmedError);
    expect(error).toMatchObject({ unchanged: true });
    expect(kit.double.log.filter((r) => r.path === "/$batch").length).toBeGreaterThanOrEqual(3); // the first try and maxRetries = 2
    await store.settle();
    expect(await store.getPlan(plan.id)).toEqual(plan);
    expect(await store.listAudit({ planId: plan.id })).toEqual([]);
    await store.close();
  });

  it("a save whose every answer is lost (a 503 on every $batch) is not confirmed; if it never reached SharePoint nothing is written later", async () => {
    const { w, prefix } = await fresh();
    const store = await (await import("./sharePointStore.js")).openSharePointStore({ ...kit.settings(prefix), maxRetries: 1 }, kit.connection());
    const plan = w.planFor(w.ectA1);
    await store.commit({ create: [plan], audit: [] });
    await store.getPlan(plan.id);

    kit.double.inject({ status: 503, rate: 1, retryAfterSeconds: 0, match: (r) => r.path === "/$batch" });
    const error = await store
      .commit({ save: [{ plan: editedPlan(plan), expectedVersion: 1 }], audit: [makeAudit({ ectId: plan.ectId, planId: plan.id })] })
      .catch((e: unknown) => e);
    // A 503 may come after the writes were applied: the store cannot say "nothing was changed".
    expect(error).toBeInstanceOf(ChangeUnconfirmedError);
    expect(error).toMatchObject({ unchanged: false });
    kit.double.clearFaults();
    await store.settle(); // it looks again, finds no journal entry, and writes nothing
    expect(await store.getPlan(plan.id)).toEqual(plan);
    expect(await store.listAudit({ planId: plan.id })).toEqual([]);
    expect(kit.double.items(`${prefix}Changes`).filter((j) => j.changeState !== "done")).toEqual([]);
    await store.close();
  });

  it("when part of a batch fails after the plan was written, the change is rolled forward, not undone", async () => {
    const { store, w, prefix } = await fresh();
    const plan = w.planFor(w.ectA1);
    await store.commit({ create: [plan], audit: [] });
    await store.getPlan(plan.id);
    const auditListId = (await send(createGraphClient(kit.settings(prefix), kit.connection()), "GET", `/sites/${kit.double.siteId}/lists/${prefix}Audit`))
      .body as { id: string };
    kit.double.inject({ status: 503, rate: 1, scope: "subrequest", match: (r) => r.method === "POST" && r.path.includes(auditListId.id) });
    const message = makeMessage({ planId: plan.id });
    const audit = makeAudit({ ectId: plan.ectId, planId: plan.id });
    const error = await store.commit({ save: [{ plan: editedPlan(plan), expectedVersion: 1 }], audit: [audit], outbox: [message] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChangeDelayedError); // "it will complete"
    expect((await store.getPlan(plan.id))?.version).toBe(2);
    expect(await store.listAudit({ planId: plan.id })).toEqual([]);
    kit.double.clearFaults();
    await store.settle();
    expect((await store.listAudit({ planId: plan.id })).map((e) => e.id)).toEqual([audit.id]);
    expect((await store.listOutbox({ planId: plan.id })).map((m) => m.dedupeKey)).toEqual([message.dedupeKey]);
    expect(kit.double.items(`${prefix}Changes`).filter((j) => j.changeState !== "done")).toEqual([]);
  });
});

describe("the double follows Graph's rules", () => {
  it("refuses filters on columns that are not indexed unless asked, $top over 5000, batches over 20, and requests without a token", async () => {
    const prefix = "Rules ";
    await kit.provision(prefix);
    const client = createGraphClient(kit.settings(prefix), kit.connection());
    const items = `/sites/${kit.double.siteId}/lists/${prefix}Plans/items`;
    const nonIndexed = `${items}?$expand=fields&$filter=${encodeURIComponent("fields/templateId eq 'level_2'")}`;
    const refused = await send(client, "GET", nonIndexed);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: "invalidRequest", message: expect.stringMatching(/not indexed/) } });
    expect((await send(client, "GET", nonIndexed, undefined, { Prefer: "HonorNonIndexedQueriesWarningMayFailRandomly" })).status).toBe(200);
    expect((await send(client, "GET", `${items}?$top=5001`)).status).toBe(400);
    const tooMany = await send(client, "POST", "/$batch", {
      requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i + 1), method: "GET", url: items })),
    });
    expect(tooMany.status).toBe(400);
    const chained = await send(client, "POST", "/$batch", {
      requests: [
        { id: "1", method: "GET", url: `${items}/999999` },
        { id: "2", method: "GET", url: items, dependsOn: ["1"] },
      ],
    });
    expect((chained.body as { responses: { id: string; status: number }[] }).responses.map((r) => r.status)).toEqual([404, 424]);
    // No data without a token (over the transport that trusts the double's certificate, as the store's does).
    const anonymous = await kit.double.fetchWithoutToken(`/v1.0${items}`);
    expect(anonymous.status).toBe(401);
  });

  it("a wrong client secret fails sign-in with a clear error", async () => {
    await kit.provision("Secret ");
    const bad = (await import("./sharePointStore.js")).openSharePointStore({ ...kit.settings("Secret "), clientSecret: "wrong" }, kit.connection());
    await expect(bad).rejects.toThrow(/invalid_client|Invalid client secret|AADSTS7000215/);
  });
});

describe("settings", () => {
  it("SharePoint is chosen exactly when SHAREPOINT_SITE_ID is set, and a missing setting is named at start-up", async () => {
    expect(loadConfig({ PORT: "0" }).sharePoint).toBeUndefined();
    expect(() => loadConfig({ PORT: "0", SHAREPOINT_SITE_ID: "site" })).toThrow(
      /SHAREPOINT_TENANT_ID is missing; SHAREPOINT_CLIENT_ID is missing; SHAREPOINT_CLIENT_SECRET is missing/,
    );
    expect(() => loadSharePointSettings({ SHAREPOINT_SITE_ID: "s", SHAREPOINT_TENANT_ID: "t", SHAREPOINT_CLIENT_ID: "c" })).toThrow(
      /SHAREPOINT_CLIENT_SECRET is missing/,
    );
    const full = { SHAREPOINT_SITE_ID: "s", SHAREPOINT_TENANT_ID: "t", SHAREPOINT_CLIENT_ID: "c", SHAREPOINT_CLIENT_SECRET: "x" };
    expect(() => loadSharePointSettings({ ...full, GRAPH_BASE_URL: "https://graph.microsoft.com/v1.0" })).toThrow(/GRAPH_BASE_URL must be an origin only/);
    expect(() => loadSharePointSettings({ ...full, AUTHORITY_HOST: "http://login.example" })).toThrow(/AUTHORITY_HOST must be an https URL/);
    expect(loadSharePointSettings({ ...full, GRAPH_BASE_URL: "https://graph.microsoft.us" })).toMatchObject({
      graphBaseUrl: "https://graph.microsoft.us",
      authorityHost: "https://login.microsoftonline.com",
      listPrefix: "ECTSP ",
      maxRetries: 5,
    });

    await kit.provision("Env ");
    const s = kit.settings("Env ");
    // openStore picks SharePoint from the settings (here without the double's CA, so only the choice is checked: it fails on TLS, not on SQLite).
    const config = loadConfig({
      PORT: "0",
      SHAREPOINT_SITE_ID: s.siteId,
      SHAREPOINT_TENANT_ID: s.tenantId,
      SHAREPOINT_CLIENT_ID: s.clientId,
      SHAREPOINT_CLIENT_SECRET: s.clientSecret,
      GRAPH_BASE_URL: s.graphBaseUrl,
      AUTHORITY_HOST: s.authorityHost,
      SHAREPOINT_LIST_PREFIX: "Env ",
      SHAREPOINT_MAX_RETRIES: "0",
    });
    expect(config.sharePoint).toMatchObject({ siteId: s.siteId, listPrefix: "Env " });
    await expect(openStore(config, movableClock(testInstant))).rejects.toThrow(/endpoints_resolution_error|certificate/); // the Entra sign-in failed: it never opened SQLite
  });
});
