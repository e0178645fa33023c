import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError, type InductionRecord } from "@ectsp/shared";
import { startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";
import { PlanService } from "../app/planService.js";
import { returnInductionRecord } from "./returnInductionRecord.js";
import { signInductionRecord } from "./signInductionRecord.js";
import type { RecordDeps } from "./recordDeps.js";

/**
 * Two writers acting on the same revision, both having read the records before either wrote:
 * the store's fixed ids refuse the second (409), nothing of it is kept.
 */
let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

/** Every listRecords waits until `readers` calls have read: both writers decide on the same records. */
function gatedDeps(readers: number): RecordDeps {
  let waiting: (() => void)[] = [];
  const store = server.store;
  return {
    service: new PlanService(store, { now: () => new Date("2026-11-27T12:00:00.000Z") }),
    store: {
      addRecords: (r, a, o) => store.addRecords(r, a, o),
      listRecords: async (f): Promise<InductionRecord[]> => {
        const read = await store.listRecords(f);
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length >= readers) {
            for (const w of waiting) w();
            waiting = [];
          }
        });
        return read;
      },
    },
  };
}

const ratings = Object.fromEntries(["1", "2", "3", "4", "5", "6", "7", "8", "P2"].map((c) => [c, { ratingId: "secure", statement: "" }]));

describe("concurrent writers on one revision", () => {
  it("two officers return it at once: one return is kept, the other is refused", async () => {
    const tutor = await server.as(demoIds.tutorB);
    const res = await tutor("/api/ects/ect-chloe/progress-reviews", {
      method: "POST",
      body: JSON.stringify({ date: "2026-11-26", onTrack: true, ratings, targets: [{ text: "Questioning", standards: [] }] }),
    });
    const id = ((await res.json()) as { record: { id: string } }).record.id;
    const officer = (await server.store.getPerson(demoIds.abOfficer))!;
    const deps = gatedDeps(2);
    const results = await Promise.allSettled([
      returnInductionRecord(deps, officer, "ect-chloe", id, { reasons: ["other"], comments: "First" }),
      returnInductionRecord(deps, officer, "ect-chloe", id, { reasons: ["other"], comments: "Second" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(DomainError);
    expect((refused.reason as DomainError).kind).toBe("conflict");
    const returns = (await server.store.listRecords({ ectIds: ["ect-chloe"] })).filter((r) => r.kind === "record_return");
    expect(returns).toHaveLength(1);
    expect((await server.store.listAudit({ ectId: "ect-chloe" })).filter((a) => a.action === "returnRecord")).toHaveLength(1);
  });

  it("the same person signing twice at once: one signature is kept", async () => {
    const tutor = await server.as(demoIds.tutorB);
    const res = await tutor("/api/ects/ect-daniel/progress-reviews", {
      method: "POST",
      body: JSON.stringify({ date: "2026-11-26", onTrack: true, ratings, targets: [{ text: "Questioning", standards: [] }] }),
    });
    expect(res.status).toBe(201);
    const id = ((await res.json()) as { record: { id: string } }).record.id;
    const head = (await server.store.getPerson(demoIds.head))!;
    const deps = gatedDeps(2);
    const results = await Promise.allSettled([signInductionRecord(deps, head, "ect-daniel", id, {}), signInductionRecord(deps, head, "ect-daniel", id, {})]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((await server.store.listRecords({ ectIds: ["ect-daniel"] })).filter((r) => r.kind === "record_signature")).toHaveLength(1);
  });
});
