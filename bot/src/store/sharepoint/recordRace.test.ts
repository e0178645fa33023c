/**
 * Two instances appending a record with the same id (two officers returning one revision, a
 * signature sent twice at once), against the Graph double. Both checked before either wrote; the
 * loser's create meets SharePoint's unique key, and its change is refused: the winner's record is
 * never written over. (Found in a full run under load; before the fix the loser's roll-forward
 * PATCHed the winner's item with its own fields and answered "saved".)
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { InductionRecord } from "@ectsp/shared";
import { startDoubleKit, type DoubleKit } from "../../../test-support/graph/doubleKit.js";
import { movableClock, testInstant } from "../../../test-support/movableClock.js";

const clock = movableClock(testInstant);
let kit: DoubleKit;
beforeAll(async () => {
  kit = await startDoubleKit({ clock });
});
afterEach(() => kit.double.clearFaults());
afterAll(async () => {
  await kit.stop();
});

const signature = (name: string): InductionRecord => ({
  id: "rec-1.sig-head",
  kind: "record_signature",
  ectId: "ect-race",
  schoolId: "school-race",
  abId: "ab-race",
  recordId: "rec-1",
  role: "head",
  name,
  sealSha256: "a".repeat(64),
  recordedAt: testInstant,
  recordedBy: name === "First Head" ? "person-1" : "person-2",
  recordedByName: name,
});

const batchCarrying = (name: string) => (r: { method: string; path: string; body?: unknown }) =>
  r.method === "POST" && r.path.endsWith("$batch") && JSON.stringify(r.body ?? "").includes(name);

describe("two instances appending one record id, and a reply that never came back", () => {
  it("keeps the record that landed first and refuses the other as a conflict, though both checked first", async () => {
    await kit.provision("Race ");
    const a = await kit.open("Race ", { clock });
    const b = await kit.open("Race ", { clock });
    // A's write is turned away once (503, retry in 1 s) before anything is applied, so B checks and
    // writes inside that second: both found the id free; B's create lands first, A's meets it.
    let delayed = false;
    kit.double.inject({
      status: 503,
      retryAfterSeconds: 1,
      count: 1,
      match: (r) => {
        const hit = batchCarrying("First Head")(r);
        if (hit) delayed = true;
        return hit;
      },
    });
    const first = a.addRecords([signature("First Head")], []);
    while (!delayed) await new Promise((r) => setTimeout(r, 5));
    await b.addRecords([signature("Second Head")], []);
    await expect(first).rejects.toMatchObject({ kind: "conflict" });
    // B's record stands, unchanged, for both instances.
    expect(await a.getInductionRecord("rec-1.sig-head")).toMatchObject({ name: "Second Head" });
    expect((await b.listRecords({ ectIds: ["ect-race"] })).map((r) => (r.kind === "record_signature" ? r.name : r.kind))).toEqual(["Second Head"]);
  });

  it.each([
    ["a 503 after applying (the retry handler re-sends the batch)", { status: 503 as const, retryAfterSeconds: 0 }],
    ["a dropped connection after applying", { status: "reset" as const }],
  ])("a signature whose reply was lost after SharePoint applied it (%s) is answered as saved, and kept once", async (_case, fault) => {
    const prefix = fault.status === 503 ? "Lost503 " : "LostRst ";
    await kit.provision(prefix);
    const store = await kit.open(prefix, { clock });
    kit.double.inject({ ...fault, afterApplying: true, count: 1, match: batchCarrying("First Head") });
    // Its own item, found on the way back, is not someone else's record: no conflict.
    await store.addRecords([signature("First Head")], []);
    expect((await store.listRecords({ ectIds: ["ect-race"] })).map((r) => r.id)).toEqual(["rec-1.sig-head"]);
    expect(await store.getInductionRecord("rec-1.sig-head")).toMatchObject({ name: "First Head" });
  });
});
