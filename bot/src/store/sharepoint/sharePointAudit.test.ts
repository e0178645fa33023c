/**
 * The hash-chained audit in SharePoint, against the local Graph double: a direct edit of the
 * audit list is detected; a position another instance took meanwhile is sealed again and only
 * the audit write is sent again; a replay of the same entry at the same position counts as done;
 * the whole trail is read page by page; and provisioning seals entries written before chains.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AuditEntry, auditChainId, sealAuditEntries, verifyAuditTrail, type Plan } from "@ectsp/shared";
import { editedPlan, later, makeAudit, makeMessage, seedWorld, t0, type World } from "../../../test-support/store/testData.js";
import { startDoubleKit, type DoubleKit } from "../../../test-support/graph/doubleKit.js";
import { createGraphClient, send } from "./graph.js";
import { listTitle } from "./listSchema.js";
import type { SharePointStore } from "./sharePointStore.js";

let kit: DoubleKit;
let n = 0;

beforeAll(async () => {
  kit = await startDoubleKit();
});
afterAll(async () => {
  await kit.stop();
});
afterEach(() => {
  kit.double.maxPageSize = 5000;
  kit.double.latencyMs = 0;
});

interface Fresh {
  prefix: string;
  store: SharePointStore;
  w: World;
  plan: Plan;
  auditList: string;
  /** The audit list's items as the double holds them. */
  auditItems: () => Record<string, unknown>[];
}

/** A provisioned site with the world seeded and one plan created (with its first audit entry). */
async function fresh(): Promise<Fresh> {
  const prefix = `A${++n} `;
  await kit.provision(prefix);
  const store = await kit.open(prefix);
  const w = await seedWorld(store);
  const plan = w.planFor(w.ectA1);
  await store.commit({ create: [plan], audit: [makeAudit({ ectId: plan.ectId, planId: plan.id, action: "createPlan", summary: "Created" })] });
  const client = createGraphClient(kit.settings(prefix), kit.connection());
  const list = (await send(client, "GET", `/sites/${kit.double.siteId}/lists/${prefix}Audit`)).body as { id: string };
  return { prefix, store, w, plan, auditList: list.id, auditItems: () => kit.double.items(listTitle(prefix, "audit")) };
}

const bodyOf = (item: Record<string, unknown>) => AuditEntry.parse(JSON.parse(String(item.body)));

/** The fields the store writes for a sealed entry (what another instance would have written). */
function itemFields(e: AuditEntry): Record<string, unknown> {
  const chainId = auditChainId(e);
  return {
    Title: e.id,
    auditId: e.id,
    atMs: Date.parse(e.at),
    seq: 1,
    ectId: e.ectId,
    ...(e.planId ? { planId: e.planId } : {}),
    chainId,
    chainSeq: e.seq,
    chainPosition: `${chainId}#${e.seq}`,
    chainHash: e.hash,
    body: JSON.stringify(e),
  };
}

/** Runs `act` once, just before the first audit entry POST inside a $batch reaches the list. */
function beforeFirstAuditPost(auditList: string, act: (fields: Record<string, unknown>) => void): void {
  let done = false;
  kit.double.addRoutes((method, path, body) => {
    if (done || method !== "POST" || !path.startsWith(`/sites/${kit.double.siteId}/lists/${auditList}/items`)) return undefined;
    done = true;
    act((body as { fields: Record<string, unknown> }).fields);
    return undefined; // on to the real handler
  });
}

describe("audit chain broken by a direct store edit is detected (SharePoint)", () => {
  const threeMore = async (f: Fresh) => {
    for (const summary of ["Signed as ECT", "Signed as induction tutor", "Agreed"])
      await f.store.commit({ audit: [makeAudit({ ectId: f.plan.ectId, planId: f.plan.id, summary })] });
    const chain = await f.store.listAudit({ planId: f.plan.id });
    expect(verifyAuditTrail(await f.store.readAuditTrail())).toEqual({ chains: 1, entries: 4, breaks: [] });
    return chain;
  };
  const itemOf = (f: Fresh, id: string) => f.auditItems().find((i) => i.auditId === id)!;

  it("an audit item changed on the site names that entry", async () => {
    const f = await fresh();
    const chain = await threeMore(f);
    const item = itemOf(f, chain[2]!.id);
    // Someone with edit rights on the site rewrites the entry's record.
    kit.double.editItem(listTitle(f.prefix, "audit"), String(item.id), {
      body: JSON.stringify({ ...bodyOf(item), summary: "Signed as headteacher" }),
    });
    const reader = await kit.open(f.prefix);
    expect(verifyAuditTrail(await reader.readAuditTrail()).breaks).toEqual([
      { chainId: f.plan.id, entryId: chain[2]!.id, seq: 3, reason: "its content no longer matches its hash" },
    ]);
  });

  it("an audit item deleted on the site names the entry that now stands in its place", async () => {
    const f = await fresh();
    const chain = await threeMore(f);
    kit.double.removeItem(listTitle(f.prefix, "audit"), String(itemOf(f, chain[1]!.id).id));
    expect(verifyAuditTrail(await f.store.readAuditTrail()).breaks).toEqual([
      { chainId: f.plan.id, entryId: chain[2]!.id, seq: 2, reason: "entry 2 is missing" },
    ]);
  });
});

describe("two instances appending to one chain", () => {
  it("a position another instance took meanwhile: the head is read again, the entry sealed again, only the audit write sent again", async () => {
    const f = await fresh();
    const [created] = await f.store.listAudit({ planId: f.plan.id });
    const intruder = sealAuditEntries([makeAudit({ ectId: f.plan.ectId, planId: f.plan.id, summary: "Another instance's entry" })], {
      seq: 1,
      hash: created!.hash!,
    })[0]!;
    beforeFirstAuditPost(f.auditList, () => kit.double.seed(listTitle(f.prefix, "audit"), [itemFields(intruder)]));

    await kit.settle();

    kit.double.resetCounts();
    const mine = makeAudit({ ectId: f.plan.ectId, planId: f.plan.id, summary: "Saved", at: later(t0, 1000) });
    const message = makeMessage({ planId: f.plan.id });
    await f.store.commit({ save: [{ plan: editedPlan(f.plan), expectedVersion: 1 }], audit: [mine], outbox: [message] });
    const patches = kit.double.count("batch:PATCH fields"); // before the journal entry is closed, a moment later

    const chain = await f.store.listAudit({ planId: f.plan.id });
    expect(chain.map((e) => [e.summary, e.seq])).toEqual([
      ["Created", 1],
      ["Another instance's entry", 2],
      ["Saved", 3],
    ]);
    expect(verifyAuditTrail(chain).breaks).toEqual([]);
    // The plan write and the message went once; the audit entry was refused once (409) and written again.
    expect(patches).toBe(1);
    const auditPosts = kit.double.subLog.filter((r) => r.method === "POST" && r.path.includes(f.auditList)).map((r) => r.status);
    expect(auditPosts).toEqual([409, 201]);
    expect(await f.store.listOutbox({ planId: f.plan.id })).toHaveLength(1);
    expect((await f.store.getPlan(f.plan.id))?.version).toBe(2);
  });

  it("a replay of the very same entry at the same position counts as done", async () => {
    const f = await fresh();
    // The same entry lands at the same position just before this write does (an earlier attempt of it).
    beforeFirstAuditPost(f.auditList, (fields) => kit.double.seed(listTitle(f.prefix, "audit"), [fields]));
    const entry = makeAudit({ ectId: f.plan.ectId, planId: f.plan.id, summary: "Recorded once" });
    await f.store.commit({ audit: [entry] });
    const chain = await f.store.listAudit({ planId: f.plan.id });
    expect(chain.map((e) => [e.summary, e.seq])).toEqual([
      ["Created", 1],
      ["Recorded once", 2],
    ]);
    expect(f.auditItems().filter((i) => i.auditId === entry.id)).toHaveLength(1);
    expect(verifyAuditTrail(chain).breaks).toEqual([]);
  });

  it("an entry id another change's entry holds already costs the change nothing: its entry is kept under an id of its own", async () => {
    const f = await fresh();
    const [created] = await f.store.listAudit({ planId: f.plan.id });
    await f.store.commit({ save: [{ plan: editedPlan(f.plan), expectedVersion: 1 }], audit: [makeAudit({ ...created!, summary: "Again" })] });
    expect((await f.store.getPlan(f.plan.id))?.version).toBe(2);
    const chain = await f.store.listAudit({ planId: f.plan.id });
    expect(chain.map((e) => e.summary)).toEqual(["Created", "Again"]);
    expect(chain[1]!.id).toMatch(new RegExp(`^${created!.id}:`));
    expect(verifyAuditTrail(chain).breaks).toEqual([]);
  });

  it("two instances committing at once both read the same head; one is refused its position, seals again, and the chain holds both", async () => {
    const f = await fresh();
    const a = await kit.open(f.prefix);
    const b = await kit.open(f.prefix);
    // Every request takes a while, as over a real network: both heads are read before either writes.
    kit.double.latencyMs = 40;
    await kit.settle();
    kit.double.resetCounts();
    await Promise.all([
      a.commit({ audit: [makeAudit({ ectId: f.plan.ectId, planId: f.plan.id, summary: "A" })] }),
      b.commit({ audit: [makeAudit({ ectId: f.plan.ectId, planId: f.plan.id, summary: "B" })] }),
    ]);
    expect(kit.double.subLog.filter((r) => r.method === "POST" && r.path.includes(f.auditList)).map((r) => r.status)).toEqual([201, 409, 201]);
    const chain = await f.store.listAudit({ planId: f.plan.id });
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(
      chain
        .slice(1)
        .map((e) => e.summary)
        .sort(),
    ).toEqual(["A", "B"]);
    expect(verifyAuditTrail(chain).breaks).toEqual([]);
  });
});

describe("reading the whole trail", () => {
  it("pages through the audit list (@odata.nextLink) and returns every chain in order", async () => {
    const f = await fresh();
    const other = f.w.planFor(f.w.ectB1);
    await f.store.commit({ create: [other], audit: [] });
    for (let i = 0; i < 6; i++) {
      const plan = i % 2 ? other : f.plan;
      await f.store.commit({ audit: [makeAudit({ ectId: plan.ectId, planId: plan.id, summary: `Entry ${i}` })] });
    }
    await f.store.settle(); // the journal entries closed (opening a store looks for open ones)
    kit.double.maxPageSize = 2;
    const reader = await kit.open(f.prefix);
    await kit.settle();
    kit.double.resetCounts();
    const trail = await reader.readAuditTrail();
    expect(kit.double.count("GET items")).toBe(4); // 7 entries, 2 a page
    expect(trail).toHaveLength(7);
    expect(verifyAuditTrail(trail)).toEqual({ chains: 2, entries: 7, breaks: [] });
    expect(trail.filter((e) => e.planId === other.id).map((e) => e.seq)).toEqual([1, 2, 3]);
  });
});

describe("provisioning seals entries written before chains existed", () => {
  it("seals them per chain in the order written, after which the chain carries on; a second run changes nothing", async () => {
    const f = await fresh();
    // Items as the release before chains wrote them: no chain columns, no seal.
    const legacy = (summary: string, at: string, seq: number, planId?: string) => {
      const e = makeAudit({ ectId: f.plan.ectId, ...(planId ? { planId } : {}), summary, at });
      return {
        Title: e.id,
        auditId: e.id,
        atMs: Date.parse(e.at),
        seq,
        ectId: e.ectId,
        ...(planId ? { planId } : {}),
        body: JSON.stringify(e),
      };
    };
    const old = "plan-before-chains";
    kit.double.seed(listTitle(f.prefix, "audit"), [
      legacy("Signed", later(t0, 60_000), 2, old),
      legacy("Created", t0, 1, old),
      legacy("Assigned mentor", t0, 3),
    ]);
    expect(verifyAuditTrail(await f.store.readAuditTrail()).breaks.map((b) => b.reason)).toContain("the entry is not sealed");

    const report = await kit.provision(f.prefix);
    expect(report).toMatchObject({ sealedAuditEntries: 3, unchanged: false });
    expect((await f.store.listAudit({ planId: old })).map((e) => [e.summary, e.seq])).toEqual([
      ["Created", 1],
      ["Signed", 2],
    ]);
    expect(verifyAuditTrail(await f.store.readAuditTrail())).toEqual({ chains: 3, entries: 4, breaks: [] });
    expect(await kit.provision(f.prefix)).toMatchObject({ sealedAuditEntries: 0, unchanged: true });

    await f.store.commit({ audit: [makeAudit({ ectId: f.plan.ectId, planId: old, summary: "Reviewed" })] });
    expect((await f.store.listAudit({ planId: old })).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(verifyAuditTrail(await f.store.readAuditTrail()).breaks).toEqual([]);
  });
});
