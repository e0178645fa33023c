/**
 * Issue 16, item 9 over HTTP: the induction lead's list of what has passed its retention date
 * and the confirmation that deletes it. Every other caller is refused and nothing is deleted;
 * nothing is ever deleted before its date; the trail still verifies after a deletion.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { EvidenceRecord, InductionRecord } from "@ectsp/shared";
import { startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { movableClock } from "../../test-support/movableClock.js";
import { makeAb, makeAudit, makeCheckIn, makeEct, makePerson, makePlan, makeSchool, newId } from "../../test-support/store/testData.js";
import { verifyStoreAudit } from "../audit/verifyAudit.js";

type Json = Record<string, any>;

// ECT 1 started 2020-09-01 (ends 2022-08-31): kept until 2028-08-31. ECT 2 has a record from
// 2023-01-05, so is kept until 2029-01-05.
const dayAfter = "2028-09-01T09:00:00.000Z";
const clock = movableClock(dayAfter);
let server: RunningServer;

const ab = makeAb();
const school = makeSchool({ abId: ab.id, name: "Oak School" });
const otherSchool = makeSchool({ abId: ab.id, name: "Elm School" });
const lead = makePerson({ displayName: "Lee Lead", roles: ["induction_lead"], schoolId: school.id });
const head = makePerson({ displayName: "Hana Head", roles: ["head"], schoolId: school.id });
const tutor = makePerson({ displayName: "Ivy Tutor", roles: ["induction_tutor"], schoolId: school.id });
const officer = makePerson({ displayName: "Olu Officer", roles: ["ab_officer"], abId: ab.id });
const otherLead = makePerson({ displayName: "Other Lead", roles: ["induction_lead"], schoolId: otherSchool.id });
const ectPerson1 = makePerson({ displayName: "Erin Walsh", roles: ["ect"], schoolId: school.id });
const ectPerson2 = makePerson({ displayName: "Sam Young", roles: ["ect"], schoolId: school.id });
const ect1 = makeEct({ personId: ectPerson1.id, schoolId: school.id, abId: ab.id, inductionTutorId: tutor.id, inductionStartDate: "2020-09-01" });
const ect2 = makeEct({ personId: ectPerson2.id, schoolId: school.id, abId: ab.id, inductionTutorId: tutor.id, inductionStartDate: "2020-09-01" });
const plan1 = makePlan({
  ectId: ect1.id,
  schoolId: school.id,
  abId: ab.id,
  status: "closed",
  createdAt: "2021-01-10T10:00:00.000Z",
  retainUntil: "2028-08-31",
});
const checkIn1 = makeCheckIn({ planId: plan1.id, ectId: ect1.id });
const bytes = new TextEncoder().encode("Lesson notes\n");
const evidence1: EvidenceRecord = {
  id: newId("evidence"),
  ectId: ect1.id,
  planId: plan1.id,
  targetId: "t1",
  fileName: "notes.txt",
  kind: "text",
  contentType: "text/plain; charset=utf-8",
  size: bytes.length,
  sha256: createHash("sha256").update(bytes).digest("hex"),
  uploadedAt: "2021-02-01T10:00:00.000Z",
  uploadedBy: tutor.id,
  uploadedByName: tutor.displayName,
};
const concern = (ectId: string, recordedAt: string): InductionRecord => ({
  id: newId("record"),
  kind: "concern",
  ectId,
  schoolId: school.id,
  abId: ab.id,
  contact: "induction_tutor",
  about: "induction",
  text: "Private words",
  visibleTo: [tutor.id],
  recordedAt,
  recordedBy: ectPerson1.id,
  recordedByName: ectPerson1.displayName,
});
const record1 = concern(ect1.id, "2022-07-01T10:00:00.000Z");
const record2 = concern(ect2.id, "2023-01-05T10:00:00.000Z");

beforeAll(async () => {
  server = await startTestServer({ clock, seed: false });
  const s = server.store;
  await s.upsertAppropriateBody(ab);
  for (const x of [school, otherSchool]) await s.upsertSchool(x);
  for (const p of [lead, head, tutor, officer, otherLead, ectPerson1, ectPerson2]) await s.upsertPerson(p);
  for (const e of [ect1, ect2]) await s.upsertEct(e);
  await s.commit({
    create: [plan1],
    checkIns: [checkIn1],
    audit: [makeAudit({ ectId: ect1.id, planId: plan1.id, action: "createPlan", at: plan1.createdAt })],
  });
  await s.addEvidence(evidence1, bytes, [makeAudit({ ectId: ect1.id, planId: plan1.id, action: "attachEvidence", at: evidence1.uploadedAt })]);
  await s.addRecords([record1, record2], [makeAudit({ ectId: ect1.id, action: "raiseConcern", at: record1.recordedAt })]);
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(() => clock.set(dayAfter));

const as = async (personId: string) => {
  const f = await server.as(personId);
  return async (method: string, path: string, body?: unknown) => {
    const res = await f(path, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json };
  };
};

/** Everything ECT 1 holds is still there, file included. */
async function expectNothingDeleted(): Promise<void> {
  expect((await server.store.getPlan(plan1.id))?.id).toBe(plan1.id);
  expect((await server.store.listCheckIns({ ectId: ect1.id })).map((c) => c.id)).toEqual([checkIn1.id]);
  expect((await server.store.listRecords({ ectIds: [ect1.id, ect2.id] })).map((r) => r.id)).toEqual([record1.id, record2.id]);
  expect(Buffer.from((await server.store.readEvidenceContent(evidence1.id))!).toString()).toBe("Lesson notes\n");
  expect((await server.store.listAudit({ ectId: ect1.id })).some((e) => e.action === "retention_deleted")).toBe(false);
}

describe("retention over HTTP", () => {
  it("the lead sees only the ECT whose every record has passed its date, with what would go", async () => {
    const call = await as(lead.id);
    const { status, body } = await call("GET", "/api/retention");
    expect(status).toBe(200);
    expect(body.today).toBe("2028-09-01");
    expect(body.due).toEqual([
      {
        ectId: ect1.id,
        ectName: "Erin Walsh",
        retainUntil: "2028-08-31",
        counts: { plans: 1, checkIns: 1, records: 1, evidenceFiles: 1 },
        version: expect.any(String),
      },
    ]);
  });

  it("on its date (kept through it) nothing is listed, and a confirmation is a 422 naming the date", async () => {
    const version = (await (await as(lead.id))("GET", "/api/retention")).body.due[0].version as string;
    clock.set("2028-08-31T09:00:00.000Z");
    const call = await as(lead.id);
    expect((await call("GET", "/api/retention")).body.due).toEqual([]);
    const r = await call("POST", "/api/retention/deletions", { confirmationId: "early-0001", ects: [{ ectId: ect1.id, version }] });
    expect(r.status).toBe(422);
    expect(r.body.violations[0]).toMatchObject({ path: "ects.0.ectId", code: "retention-date-not-passed" });
    expect(r.body.violations[0].message).toContain("2028-08-31");
    await expectNothingDeleted();
  });

  it.each([
    ["the head", head.id],
    ["the induction tutor", tutor.id],
    ["an AB officer", officer.id],
    ["the ECT", ectPerson1.id],
  ])("%s is refused the list and the confirmation (403), and nothing is deleted", async (_who, id) => {
    const version = (await (await as(lead.id))("GET", "/api/retention")).body.due[0].version as string;
    const call = await as(id);
    expect((await call("GET", "/api/retention")).status).toBe(403);
    expect((await call("POST", "/api/retention/deletions", { confirmationId: `atk-${id}`.slice(0, 60), ects: [{ ectId: ect1.id, version }] })).status).toBe(
      403,
    );
    await expectNothingDeleted();
  });

  it("another school's lead sees none of it and cannot delete it (404); unauthenticated is 401", async () => {
    const version = (await (await as(lead.id))("GET", "/api/retention")).body.due[0].version as string;
    const call = await as(otherLead.id);
    expect((await call("GET", "/api/retention")).body.due).toEqual([]);
    expect((await call("POST", "/api/retention/deletions", { confirmationId: "other-0001", ects: [{ ectId: ect1.id, version }] })).status).toBe(404);
    const anon = await fetch(`${server.url}/api/retention/deletions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ confirmationId: "anon-0001", ects: [{ ectId: ect1.id, version }] }),
    });
    expect(anon.status).toBe(401);
    expect((await fetch(`${server.url}/api/retention`)).status).toBe(401);
    await expectNothingDeleted();
  });

  it("an ECT not yet due named beside one that is: 422 naming its date, and neither is deleted", async () => {
    const call = await as(lead.id);
    const version = (await call("GET", "/api/retention")).body.due[0].version as string;
    const r = await call("POST", "/api/retention/deletions", {
      confirmationId: "mixed-0001",
      ects: [
        { ectId: ect1.id, version },
        { ectId: ect2.id, version: "anything" },
      ],
    });
    expect(r.status).toBe(422);
    expect(r.body.violations).toEqual([expect.objectContaining({ path: "ects.1.ectId", message: expect.stringContaining("2029-01-05") })]);
    await expectNothingDeleted();
  });

  it("a list that changed since it was shown is a 409; a malformed confirmation a 400 naming the field", async () => {
    const call = await as(lead.id);
    const stale = await call("POST", "/api/retention/deletions", { confirmationId: "stale-0001", ects: [{ ectId: ect1.id, version: "0".repeat(32) }] });
    expect(stale.status).toBe(409);
    const bad = await call("POST", "/api/retention/deletions", { confirmationId: "x", ects: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.violations.map((v: Json) => v.path).sort()).toEqual(["confirmationId", "ects"]);
    await expectNothingDeleted();
  });

  it("confirmed by the lead: everything of that ECT goes, the other stays, the trail verifies, and sending it again answers the same", async () => {
    const call = await as(lead.id);
    const version = (await call("GET", "/api/retention")).body.due[0].version as string;
    const body = { confirmationId: "conf-0001", ects: [{ ectId: ect1.id, version }] };
    const r = await call("POST", "/api/retention/deletions", body);
    expect(r.status).toBe(200);
    expect(r.body.deleted).toEqual([
      { ectId: ect1.id, counts: { plans: 1, checkIns: 1, records: 1, evidenceFiles: 1 }, tombstoneId: expect.any(String), confirmedAt: dayAfter },
    ]);
    const s = server.store;
    expect(await s.getPlan(plan1.id)).toBeUndefined();
    expect(await s.listCheckIns({ ectId: ect1.id })).toEqual([]);
    expect(await s.listEvidence({ ectId: ect1.id, includeDeleted: true })).toEqual([]);
    expect(await s.readEvidenceContent(evidence1.id)).toBeUndefined();
    expect((await s.listRecords({ ectIds: [ect1.id, ect2.id] })).map((x) => x.id)).toEqual([record2.id]);
    expect((await s.getEct(ect1.id))?.id).toBe(ect1.id);
    // The tombstone: who and how many, no names, no content.
    const stones = (await s.listAudit({ ectId: ect1.id })).filter((e) => e.action === "retention_deleted");
    expect(stones).toHaveLength(1);
    expect(stones[0]).toMatchObject({ actorId: lead.id, at: dayAfter });
    expect(JSON.stringify(stones[0])).not.toMatch(/Erin|Walsh|Private words|notes\.txt/);
    expect((await verifyStoreAudit(s)).breaks).toEqual([]);

    // The reply lost and the same confirmation sent again: the truth, not "nothing to delete".
    const again = await call("POST", "/api/retention/deletions", body);
    expect(again.status).toBe(200);
    expect(again.body.deleted).toEqual(r.body.deleted);
    expect((await s.listAudit({ ectId: ect1.id })).filter((e) => e.action === "retention_deleted")).toHaveLength(1);
    expect((await call("GET", "/api/retention")).body.due).toEqual([]);
  });

  it("a deletion whose reply was lost after the store applied it answers that it is not finished (never 'nothing deleted'), and sending it again answers what was deleted", async () => {
    const p3 = makePerson({ displayName: "Kim Lane", roles: ["ect"], schoolId: school.id });
    const ect3 = makeEct({ personId: p3.id, schoolId: school.id, abId: ab.id, inductionStartDate: "2020-09-01" });
    const plan3 = makePlan({
      ectId: ect3.id,
      schoolId: school.id,
      abId: ab.id,
      status: "closed",
      createdAt: "2021-01-10T10:00:00.000Z",
      retainUntil: "2028-08-31",
    });
    const s = server.store;
    await s.upsertPerson(p3);
    await s.upsertEct(ect3);
    await s.commit({ create: [plan3], audit: [] });
    const call = await as(lead.id);
    const row = (await call("GET", "/api/retention")).body.due.find((r: Json) => r.ectId === ect3.id);
    const real = s.deleteEctRecords.bind(s);
    s.deleteEctRecords = async (d) => {
      await real(d);
      throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    };
    const body = { confirmationId: "lost-0001", ects: [{ ectId: ect3.id, version: row.version }] };
    try {
      const lost = await call("POST", "/api/retention/deletions", body);
      expect(lost.status).toBe(503);
      expect(lost.body.unchanged).toBe(false);
      expect(lost.body.detail).not.toMatch(/nothing was (changed|deleted)/i);
      expect(lost.body.detail).toContain("Confirm again to finish");
    } finally {
      s.deleteEctRecords = real;
    }
    const again = await call("POST", "/api/retention/deletions", body);
    expect(again.status).toBe(200);
    expect(again.body.deleted).toEqual([expect.objectContaining({ ectId: ect3.id, counts: { plans: 1, checkIns: 0, records: 0, evidenceFiles: 0 } })]);
    expect(await s.getPlan(plan3.id)).toBeUndefined();
  });
});
