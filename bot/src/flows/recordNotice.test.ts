import { describe, expect, it } from "vitest";
import {
  recordProgressReview,
  returnRecord,
  reviseRecord,
  signRecord,
  type Ect,
  type EctContext,
  type InductionRecord,
  type OutboxMessage,
  type Person,
} from "@ectsp/shared";
import { recordNoticeFor } from "./recordNotice.js";
import { cardProblems } from "../../test-support/validateCard.js";

const person = (id: string, displayName: string, roles: Person["roles"], where: Partial<Person> = { schoolId: "s" }): Person => ({
  id,
  displayName,
  email: `${id}@x.example`,
  roles,
  ...where,
});
const tutor = person("p-tutor", "Sarah Thompson", ["induction_tutor"]);
const head = person("p-head", "Helen Carter", ["head"]);
const amy = person("p-amy", "Amy Clarke", ["ect"]);
const officer = person("p-officer", "Priya Shah", ["ab_officer"], { abId: "ab" });
const ect: Ect = {
  id: "ect-amy",
  personId: "p-amy",
  schoolId: "s",
  abId: "ab",
  inductionTutorId: "p-tutor",
  inductionStartDate: "2026-09-01",
  fte: 1,
  absences: [],
  extensions: [],
  track: "ect",
};
const ectCtx: EctContext = { ect, ectPerson: amy, school: { id: "s", name: "Riverside", abId: "ab" }, schoolStaff: [tutor, head], abOfficers: [officer] };
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
