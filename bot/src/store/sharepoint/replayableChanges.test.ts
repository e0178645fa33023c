/**
 * Changes that can be replayed (issue 14, item 1), through the real API server on the SharePoint
 * store against the local Graph double. For a save, a create, a comment and an escalation, each
 * fault Graph has in real life is injected at the point where it hurts:
 * - the reply to the change's $batch lost after the writes were applied (a 503 the RetryHandler
 *   answers by sending the whole batch again; a connection reset);
 * - the connection reset mid-batch, right after the plan write;
 * - the writes after the plan write failing past the retries (where the store used to undo, and
 *   an undo that failed left it half-written while the answer said "nothing was changed");
 * - the process killed between the journal entry and the plan write, and between the plan write
 *   and the last write, then a new process started on the same lists.
 * Each ends with the lists, read directly at the double, exactly as the same operation leaves
 * them without any fault (the plans, their versions and the changes that wrote them, every audit
 * chain whole, each message once, every journal entry done), and with an answer that was true
 * when given: success; "it will complete" (and it did); or "part may have been saved" (and the
 * restart completed it). Retry-After and the retry delay are 0 throughout; the one clock is moved
 * past the journal's lease for the restarts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditTrail } from "@ectsp/shared";
import { startDoubleKit, type DoubleKit } from "../../../test-support/graph/doubleKit.js";
import { movableClock, testInstant } from "../../../test-support/movableClock.js";
import { agreedFor, apiOnSharePoint, draftFor, writesTo, type ApiOnSharePoint, type Json, type World } from "../../../test-support/graph/apiOnSharePoint.js";
import type { FaultRule } from "../../../test-support/graph/graphDouble.js";
import { changeLeaseMs } from "./changeJournal.js";

const clock = movableClock(testInstant);
let kit: DoubleKit;
let api: ApiOnSharePoint;

beforeAll(async () => {
  kit = await startDoubleKit({ clock });
  api = apiOnSharePoint(kit, clock);
});
afterEach(() => {
  kit.double.clearFaults();
});
afterAll(async () => {
  await api.stopAll();
  await kit.stop();
});

type Op = "save" | "create" | "comment" | "escalation";
const ops: Op[] = ["save", "create", "comment", "escalation"];
const success: Record<Op, number> = { save: 200, create: 201, comment: 201, escalation: 201 };

/** Gets ECT e{i} ready for the operation and returns the request that performs it. */
async function prepare(op: Op, w: World, i: number): Promise<() => Promise<{ status: number; body: Json }>> {
  if (op === "create") {
    return () =>
      w.tutor("/api/plans", {
        method: "POST",
        body: JSON.stringify({ ectId: `e${i}`, templateId: "level_2", content: { startDate: "2026-11-30", endDate: "2027-01-11" } }),
      });
  }
  if (op === "escalation") {
    const { id, version } = await agreedFor(w, i);
    return () => w.tutor(`/api/plans/${id}/escalation`, { method: "POST", body: JSON.stringify({ version, reason: "Not enough progress" }) });
  }
  const { id, etag, plan } = await draftFor(w, i);
  if (op === "comment") return () => w.tutor(`/api/plans/${id}/comments`, { method: "POST", body: JSON.stringify({ text: "Good progress on routines" }) });
  return () =>
    w.tutor(`/api/plans/${id}`, {
      method: "PUT",
      headers: { "if-match": etag },
      body: JSON.stringify({
        content: { ...plan, weeks: plan.weeks.map((w: { week: number }) => (w.week === 1 ? { ...w, action: "Behaviour routines slip after break" } : w)) },
      }),
    });
}

/**
 * What the lists hold for ECT e{i}, with its ids taken out so two ECTs compare: per plan (in the
 * order created) its version, status and level, how many changes wrote it, its audit chain (whole,
 * in order, no id twice) and its messages; and whether any journal entry is left unfinished.
 */
function shape(w: World, i: number) {
  const plans = kit.double.items(`${w.prefix}Plans`).filter((p) => p.ectId === `e${i}`);
  return plans.map((p) => {
    const planId = String(p.planId);
    const audit = w.rows("Audit", planId);
    const entries = audit.map((a) => JSON.parse(String(a.body)) as { id: string; action: string; seq: number });
    const changeIds = typeof p.changeIds === "string" ? p.changeIds.split("\n") : [];
    return {
      version: p.planVersion,
      status: p.planStatus,
      level: p.level ?? null,
      changes: changeIds.length,
      changesDistinct: new Set(changeIds).size === changeIds.length,
      chain: entries.map((e) => e.seq).sort((a, b) => a - b),
      actions: entries.map((e) => e.action).sort(),
      entryIdsDistinct: new Set(entries.map((e) => e.id)).size === entries.length,
      messages: w
        .rows("Outbox", planId)
        .map((m) => String(m.kind))
        .sort(),
      unfinished: w.journal().filter((j) => j.planId === planId && j.changeState === "open").length,
    };
  });
}

/** Every audit chain of ECT e{i} verifies, as `npm run audit:verify` would check it. */
async function chainsHold(w: World, i: number): Promise<void> {
  const trail = await w.store.listAudit({ ectId: `e${i}` });
  expect(trail.length).toBeGreaterThan(0);
  expect(verifyAuditTrail(trail).breaks).toEqual([]);
}

/** A $batch carrying a change: its first request creates the change's journal entry. */
const changeBatch = (w: World) => (r: { path: string; body?: unknown }) => {
  const first = (r.body as { requests?: { method: string; url: string }[] } | undefined)?.requests?.[0];
  return r.path === "/$batch" && first?.method === "POST" && first.url.includes(`/lists/${w.lists.changes}/`);
};
/** The change's plan write inside its $batch: the PATCH of the plan saved, or the POST of the plan created. */
const planWrite = (op: Op, w: World) => writesTo(op === "create" ? "POST" : "PATCH", w.lists.plans);

describe.each(ops)("a %s", (op) => {
  let w: World;
  let next = 1;
  /** The lists after the same operation with no fault, on ECT e0, and its answer. */
  let expected: ReturnType<typeof shape>;
  let control: number;

  beforeAll(async () => {
    w = await api.world(`R-${op} `, 7);
    const run = await prepare(op, w, 0);
    control = (await run()).status;
    await w.store.settle();
    expected = shape(w, 0);
  });

  it("without a fault: succeeds, every plan written by one change per write, the journal entry done", () => {
    expect(control).toBe(success[op]);
    expect(expected.length).toBe(op === "escalation" ? 2 : 1);
    for (const p of expected) expect(p).toMatchObject({ changesDistinct: true, entryIdsDistinct: true, unfinished: 0 });
    expect(expected[0]!.chain).toEqual(expected[0]!.chain.map((_, n) => n + 1)); // 1, 2, 3… with no gap
    // A closed entry keeps how the change ended, not the plan content it carried.
    const closed = w.journal().filter((j) => j.changeState === "done");
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.filter((j) => j.body || j.body2)).toEqual([]);
  });

  /** Runs the operation on the next ECT with `faults` in place, and returns the answer and the ECT. */
  async function withFaults(faults: FaultRule[]): Promise<{ status: number; body: Json; i: number }> {
    const i = next++;
    const run = await prepare(op, w, i);
    for (const f of faults) kit.double.inject(f);
    return { ...(await run()), i };
  }

  it("the reply lost after the writes were applied (a 503; the RetryHandler sends the batch again): applied once, and the answer says so", async () => {
    const { status, i } = await withFaults([{ status: 503, afterApplying: true, count: 1, retryAfterSeconds: 0, match: changeBatch(w) }]);
    expect(status).toBe(success[op]);
    await w.store.settle();
    expect(shape(w, i)).toEqual(expected);
    await chainsHold(w, i);
  });

  it("the connection reset after the writes were applied: read back, applied once, success", async () => {
    const { status, i } = await withFaults([{ status: "reset", afterApplying: true, count: 1, match: changeBatch(w) }]);
    expect(status).toBe(success[op]);
    await w.store.settle();
    expect(shape(w, i)).toEqual(expected);
    await chainsHold(w, i);
  });

  it("the connection reset mid-batch, right after the plan write: the rest written, once, success", async () => {
    const { status, i } = await withFaults([{ status: "reset", afterApplying: true, scope: "subrequest", count: 1, match: planWrite(op, w) }]);
    expect(status).toBe(success[op]);
    await w.store.settle();
    expect(shape(w, i)).toEqual(expected);
    await chainsHold(w, i);
  });

  it("the writes after the plan write failing past the retries (where an undo used to run, and could fail): 'it will complete', and it does", async () => {
    const { status, body, i } = await withFaults([{ status: 500, rate: 1, scope: "subrequest", match: writesTo("POST", w.lists.audit) }]);
    expect(status).toBe(503);
    expect(body).toMatchObject({ title: "Saving is delayed; it will complete", completing: true });
    expect(body.detail).not.toMatch(/nothing was changed/i);
    expect(shape(w, i)).not.toEqual(expected); // not yet: its audit entries are missing
    kit.double.clearFaults();
    await w.store.settle();
    expect(shape(w, i)).toEqual(expected);
    await chainsHold(w, i);
  });

  it.each([
    ["between the journal entry and the plan write", false],
    ["between the plan write and the last write", true],
  ] as const)("the process killed %s, then restarted: the new process completes it, once", async (_, planWritten) => {
    let dead = false;
    const { status, body, i } = await withFaults([
      // The connection drops at the plan write (before or after it is carried out) ...
      {
        status: "reset",
        afterApplying: planWritten,
        scope: "subrequest",
        count: 1,
        match: (r) => {
          if (!planWrite(op, w)(r)) return false;
          dead = true;
          return true;
        },
      },
      // ... and the process never reaches SharePoint again.
      { status: "reset", rate: 1, match: () => dead },
    ]);
    // What it could say before it died: SharePoint did not confirm, part of it may have been saved. Never "nothing was changed".
    expect(status).toBe(503);
    expect(body.unchanged).toBe(false);
    expect(body.detail).toMatch(/may have been saved/);
    await w.kill(); // dead: its store writes nothing more
    kit.double.clearFaults();
    expect(shape(w, i)).not.toEqual(expected);
    // A new process on the same lists, once the dead one's lease on the change has run out.
    clock.advance(changeLeaseMs + 1000);
    const lines: { message: string; fields?: Record<string, unknown> }[] = [];
    const logger = {
      info: (message: string, fields?: Record<string, unknown>) => lines.push({ message, fields }),
      warn: (message: string, fields?: Record<string, unknown>) => lines.push({ message, fields }),
    };
    await w.start({ logger });
    await w.store.settle();
    expect(shape(w, i)).toEqual(expected);
    await chainsHold(w, i);
    // It says so in the log, by the change's id and the instance that held it: no plan content.
    const takeOver = lines.find((l) => l.message === "took over an unfinished change");
    expect(Object.keys(takeOver?.fields ?? {}).sort()).toEqual(["changeId", "from"]);
    expect(JSON.stringify(lines)).not.toMatch(/Behaviour routines|Good progress|Not enough progress/);
    // And the app goes on from there: the tutor opens the plan at the version the change left.
    const planId = String(kit.double.items(`${w.prefix}Plans`).filter((p) => p.ectId === `e${i}`)[0]!.planId);
    const opened = await w.tutor(`/api/plans/${planId}`);
    expect(opened.status).toBe(200);
    expect(opened.body.plan.version).toBe(expected[0]!.version);
  });
});
