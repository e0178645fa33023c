import { describe, expect, it } from "vitest";
import { recordProgressReview, returnRecord, reviseRecord, signRecord, type InductionRecord, type OutboxMessage, type Person } from "@ectsp/shared";
import { recordNoticeFor } from "./recordNotice.js";
import { cardProblems } from "../../test-support/validateCard.js";
import { recordWorld } from "../../../shared/test-support/recordWorld.js";

const { tutor, head, amy, officer, ect, ectCtx } = recordWorld("Priya Shah");
let n = 0;
const ctx = (actor: Person) => ({ actor, now: new Date("2026-12-01T10:00:00.000Z"), newId: () => `id-${++n}` });
const input = {
  date: "2026-11-27",
  onTrack: true,
  evidenceSummary: "",
  ratings: Object.fromEntries(["1", "2", "3", "4", "5", "6", "7", "8", "P2"].map((c) => [c, { ratingId: "secure", statement: "" }])),
  targets: [{ text: "Improve pacing", standards: [] }],
};
const links = { publicUrl: "https://app.example" };
const storeOf = (records: InductionRecord[]) => ({
  getEct: async (id: string) => (id === ect.id ? ect : undefined),
  getPerson: async (id: string) => [amy, tutor, head, officer].find((p) => p.id === id),
  listRecords: async () => records,
});
const message = (m: { kind: OutboxMessage["kind"]; recipientId: string; data?: OutboxMessage["data"] }): OutboxMessage => ({
  id: "m1",
  ectId: ect.id,
  dedupeKey: "k",
  data: {},
  createdAt: "2026-12-01T10:00:00.000Z",
  notBefore: "2026-12-01T10:00:00.000Z",
  status: "pending",
  attempts: 0,
  ...m,
});

describe("record sign-off messages become cards (and stop once the record has moved on)", () => {
  it("signed by all → the AB's card; returned → the school's card with the reasons; revised → nothing more to send", async () => {
    const records: InductionRecord[] = [...recordProgressReview(ctx(tutor), ectCtx, input).records];
    const id = records[0]!.id;
    let lastOutbox: { kind: OutboxMessage["kind"]; recipientId: string; data?: OutboxMessage["data"] }[] = [];
    for (const who of [amy, tutor, head]) {
      const w = signRecord(ctx(who), ectCtx, records, id, {});
      records.push(...w.records);
      lastOutbox = w.outbox ?? [];
    }
    const signed = await recordNoticeFor(storeOf(records), links, message(lastOutbox[0]!));
    expect(JSON.stringify(signed?.body)).toContain("Every signature is in");
    expect(cardProblems(signed!)).toEqual([]);

    const back = returnRecord(ctx(officer), ectCtx, records, id, { reasons: ["targets_not_specific"], comments: "Make it measurable" });
    records.push(...back.records);
    // The "signed" card is no longer true once it is returned: nothing is sent.
    expect(await recordNoticeFor(storeOf(records), links, message(lastOutbox[0]!))).toBeUndefined();
    const toTutor = back.outbox!.find((m) => m.recipientId === tutor.id)!;
    const returned = await recordNoticeFor(storeOf(records), links, message(toTutor));
    const text = JSON.stringify(returned?.body);
    expect(text).toContain("Returned by the appropriate body");
    expect(text).toContain("Targets are not specific");
    expect(text).toContain("Make it measurable");
    expect(returned?.actions).toEqual([{ type: "Action.OpenUrl", title: "Revise the record", url: "https://app.example/ects/ect-amy/records" }]);

    records.push(...reviseRecord(ctx(tutor), ectCtx, records, id, input).records);
    expect(await recordNoticeFor(storeOf(records), links, message(toTutor))).toBeUndefined();
  });
});
