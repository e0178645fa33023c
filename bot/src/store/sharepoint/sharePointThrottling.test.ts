/**
 * Throttling honoured everywhere (issue 14, item 2), through the real API server on the
 * SharePoint store against the local Graph double over HTTPS:
 * - a 429 or 503 on ONE request inside a $batch (a save, a create, a comment, an escalation) is
 *   re-sent after its Retry-After and the change lands once: the lists, read directly at the
 *   double, show one version bump, the audit entries and messages once, and the writes that had
 *   succeeded were not sent again; the user gets the success answer;
 * - a read with a throttled sub-request succeeds;
 * - throttling that outlasts the budget answers 503 with Retry-After, and "nothing was changed"
 *   only when the lists are unchanged (the change's journal entry refused); when the plan was
 *   written already, "it will complete", and it does;
 * - every Graph request carries the ISV User-Agent (and the Graph client's SdkVersion);
 * - at most 4 Graph requests are in flight when 40 plans are commented on at once.
 * Retry-After is 0 and the base delay 0 throughout: nothing waits, nothing asserts on time.
 */
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startDoubleKit, type DoubleKit } from "../../../test-support/graph/doubleKit.js";
import { movableClock, testInstant } from "../../../test-support/movableClock.js";
import { agreedFor, apiOnSharePoint, draftFor, writesTo, type ApiOnSharePoint, type World } from "../../../test-support/graph/apiOnSharePoint.js";
import { textOf } from "../../../test-support/botClient.js";
import { userAgent } from "./graph.js";

const clock = movableClock(testInstant);
let kit: DoubleKit;
let api: ApiOnSharePoint;
const world = (prefix: string, ects: number, options: { maxConcurrentRequests?: number } = {}) => api.world(prefix, ects, options);

/** Sub-requests the double answered, as "status" per matching request, in order. */
const answered = (match: (r: { method: string; path: string }) => boolean) => kit.double.subLog.filter(match).map((r) => r.status);

beforeAll(async () => {
  kit = await startDoubleKit({ clock });
  api = apiOnSharePoint(kit, clock);
});
afterEach(() => {
  kit.double.clearFaults();
  kit.double.latencyMs = 0;
});
afterAll(async () => {
  await api.stopAll();
  await kit.stop();
});

describe.each([429, 503] as const)("a %i on one sub-request of a change is re-sent and the change lands once", (status) => {
  let w: World;
  beforeAll(async () => {
    w = await world(`T${status} `, 4);
  });

  it("a save", async () => {
    const { id, etag, plan } = await draftFor(w, 0);
    const before = w.snapshot(id);
    await kit.settle();
    kit.double.resetCounts();
    // The audit entry comes after the plan PATCH in the save's serial chain: only it (and what follows it) goes again.
    kit.double.inject({ status, count: 1, retryAfterSeconds: 0, scope: "subrequest", match: writesTo("POST", w.lists.audit) });
    const saved = await w.tutor(`/api/plans/${id}`, {
      method: "PUT",
      headers: { "if-match": etag },
      body: JSON.stringify({ content: { ...plan, term: "Behaviour routines" } }),
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
    await kit.settle();
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
    await kit.settle();
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
    await kit.settle();
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
    await kit.settle();
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
    await kit.settle();
    kit.double.resetCounts();
    kit.double.inject({ status: 429, rate: 1, retryAfterSeconds: 0, scope: "subrequest", match: writesTo("PATCH", w.lists.plans) });
    const refused = await w.tutor(`/api/plans/${id}`, {
      method: "PUT",
      headers: { "if-match": etag },
      body: JSON.stringify({ content: { ...plan, term: "Never saved" } }),
    });
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.body).toMatchObject({ status: 503, unchanged: true, retryAfterSeconds: Number(refused.headers.get("retry-after")) });
    expect(refused.body.detail).toMatch(/delayed by throttling.*Nothing was changed/);
    expect(w.snapshot(id)).toEqual(before);
    expect(answered(writesTo("PATCH", w.lists.plans))).toHaveLength(1 + 5); // the first try and maxRetries = 5
    // The change's journal entry says so: no instance will roll it forward.
    expect(
      w
        .journal()
        .filter((j) => j.planId === id)
        .map((j) => j.changeState),
    ).toContain("refused");
  });

  it("a save cut short after the plan was written answers 503 'it will complete', never 'nothing was changed', and it completes", async () => {
    const { id, etag, plan } = await draftFor(w, 2);
    const before = w.snapshot(id);
    await kit.settle();
    kit.double.resetCounts();
    // The save's journal entry and plan PATCH land; the audit entry after them stays throttled past the budget.
    kit.double.inject({ status: 503, rate: 1, retryAfterSeconds: 0, scope: "subrequest", match: writesTo("POST", w.lists.audit) });
    const cut = await w.tutor(`/api/plans/${id}`, {
      method: "PUT",
      headers: { "if-match": etag },
      body: JSON.stringify({ content: { ...plan, term: "Saved in the end" } }),
    });
    expect(cut.status).toBe(503);
    expect(cut.headers.get("retry-after")).not.toBeNull();
    expect(cut.body).toMatchObject({ title: "Saving is delayed; it will complete", completing: true });
    expect(cut.body.detail).not.toMatch(/nothing was changed/i);
    expect(cut.body.detail).toMatch(/recorded and will complete on its own; do not make it again/);
    expect(w.snapshot(id).plans[0]!.planVersion).toBe(plan.version + 1); // the plan is saved ...
    expect(w.snapshot(id).audit).toHaveLength(before.audit.length); // ... its audit entry not yet
    kit.double.clearFaults();
    await w.store.settle(); // this instance rolls it forward once SharePoint answers again
    const after = w.snapshot(id);
    expect(after.audit).toHaveLength(before.audit.length + 1);
    expect(after.plans[0]!.planVersion).toBe(plan.version + 1);
    expect(w.journal().filter((j) => j.planId === id && j.changeState !== "done")).toEqual([]);
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
    kit.double.inject({ status: 503, rate: 1, retryAfterSeconds: 0, scope: "subrequest", match: writesTo("POST", w.lists.audit) });
    const cut = textOf((await client.execute(tutor, "comment", { ref: { card: "notice", planId: id }, comment: "Well done" })).card);
    expect(cut).toMatch(/Saving is delayed/);
    expect(cut).not.toContain("Nothing was changed");
    expect(cut).toMatch(/recorded and will be saved shortly: you do not need to do it again/);
    kit.double.clearFaults();
    await w.store.settle();
    expect(w.snapshot(id).audit).toHaveLength(before.audit.length + 1); // the comment, once
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
    await kit.settle();
    kit.double.resetCounts();
    const w = await world("Agent ", 2);
    const { id, etag, plan } = await draftFor(w, 0);
    await w.tutor(`/api/plans/${id}`, { method: "PUT", headers: { "if-match": etag }, body: JSON.stringify({ content: { ...plan, term: "Autumn" } }) });
    await w.tutor("/api/caseload");
    expect(kit.double.clientHeaders.length).toBeGreaterThan(20);
    expect(kit.double.clientHeaders.filter((h) => h.userAgent !== userAgent)).toEqual([]);
    expect(kit.double.clientHeaders.every((h) => /^graph-js\/\d/.test(h.sdkVersion ?? ""))).toBe(true);
  });

  it("at most 4 Graph requests are in flight at once when 40 comments on 40 plans arrive together, the rest queue", async () => {
    const bounded = await world("Pool ", 40);
    const unbounded = await world("Pool ", 0, { maxConcurrentRequests: 64 }); // the same lists, without the bound
    const plans = await Promise.all(Array.from({ length: 40 }, (_, i) => draftFor(bounded, i)));
    // Reads made together share a $batch; each change is a $batch of its own, so these are 40 requests at once.
    const commentAll = (w: World) =>
      Promise.all(plans.map((p) => w.tutor(`/api/plans/${p.id}/comments`, { method: "POST", body: JSON.stringify({ text: "Routines are steadier" }) })));
    await Promise.all(plans.map((p) => unbounded.tutor(`/api/plans/${p.id}`))); // both instances know the plans
    await Promise.all([bounded.store.settle(), unbounded.store.settle()]);
    kit.double.latencyMs = 50; // long enough for requests to overlap even on a loaded machine
    await kit.settle();
    kit.double.resetCounts();
    expect((await commentAll(bounded)).map((r) => r.status)).toEqual(plans.map(() => 201));
    const withPool = kit.double.maxInFlight;
    await bounded.store.settle();
    await kit.settle();
    kit.double.resetCounts();
    expect((await commentAll(unbounded)).map((r) => r.status)).toEqual(plans.map(() => 201));
    const withoutPool = kit.double.maxInFlight;
    expect(withPool).toBeLessThanOrEqual(4);
    expect(withPool).toBeGreaterThan(1); // it still sends in parallel
    expect(withoutPool).toBeGreaterThan(4); // the load is one that would exceed the bound
  });
});
