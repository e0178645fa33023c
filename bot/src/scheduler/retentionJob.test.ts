/**
 * Issue 16, item 9: the daily retention job lists what has passed its date and tells the
 * school's induction lead, once, however many instances run it; it deletes nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../logger.js";
import { openSqliteStore, type SqliteStore } from "../store/sqlite/sqliteStore.js";
import { movableClock, type MovableClock } from "../../test-support/movableClock.js";
import { makeAb, makeAudit, makeEct, makePerson, makePlan, makeSchool } from "../../test-support/store/testData.js";
import { cardProblems } from "../../test-support/validateCard.js";
import { RetentionJob } from "./retentionJob.js";
import { CardViews } from "../flows/cardViews.js";
import { PlanService } from "../app/planService.js";

let dir: string;
let clock: MovableClock;
let a: SqliteStore;
let b: SqliteStore;

const ab = makeAb();
const school = makeSchool({ abId: ab.id, name: "Oak School" });
const lead = makePerson({ displayName: "Lee Lead", roles: ["induction_lead"], schoolId: school.id });
const formerLead = makePerson({ displayName: "Gone Lead", roles: ["induction_lead"], schoolId: school.id, leftOn: "2027-01-01" });
const head = makePerson({ displayName: "Hana Head", roles: ["head"], schoolId: school.id });
const ectPerson = (name: string) => makePerson({ displayName: name, roles: ["ect"], schoolId: school.id });
const erin = ectPerson("Erin Walsh");
const sam = ectPerson("Sam Young");
// Both started 2020-09-01: kept until 2028-08-31. Sam's plan is still open.
const ectErin = makeEct({ personId: erin.id, schoolId: school.id, abId: ab.id, inductionStartDate: "2020-09-01" });
const ectSam = makeEct({ personId: sam.id, schoolId: school.id, abId: ab.id, inductionStartDate: "2020-09-01" });
const planFor = (ectId: string, status: "closed" | "active") =>
  makePlan({ ectId, schoolId: school.id, abId: ab.id, status, createdAt: "2021-01-10T10:00:00.000Z", retainUntil: "2028-08-31" });
const erinPlan = planFor(ectErin.id, "closed");
const samPlan = planFor(ectSam.id, "active");

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "ectsp-retention-"));
  clock = movableClock("2028-09-01T06:00:00.000Z");
  a = openSqliteStore(join(dir, "db.sqlite"), { clock });
  b = openSqliteStore(join(dir, "db.sqlite"), { clock });
  await a.upsertAppropriateBody(ab);
  await a.upsertSchool(school);
  for (const p of [lead, formerLead, head, erin, sam]) await a.upsertPerson(p);
  for (const e of [ectErin, ectSam]) await a.upsertEct(e);
  await a.commit({ create: [erinPlan, samPlan], audit: [makeAudit({ ectId: ectErin.id, planId: erinPlan.id, action: "createPlan" })] });
});
afterEach(async () => {
  await a.close();
  await b.close();
  rmSync(dir, { recursive: true, force: true });
});

const jobs = () => [
  new RetentionJob({ store: a, clock, instanceId: "i-1", logger: silentLogger }),
  new RetentionJob({ store: b, clock, instanceId: "i-2", logger: silentLogger }),
];
const messages = async () => (await a.listOutbox({})).filter((m) => m.kind === "retention_due");

describe("the daily retention job", () => {
  it("on the day after the date: one instance runs, the lead (only) is told once, and nothing is deleted", async () => {
    const [one, two] = jobs();
    const stats = await Promise.all([one!.tick(), two!.tick()]);
    expect(stats.filter((s) => s.ran)).toHaveLength(1);
    expect(stats.find((s) => s.ran)).toMatchObject({ schools: 1, ectsDue: 1, messages: 1 });
    const sent = await messages();
    expect(sent.map((m) => m.recipientId)).toEqual([lead.id]);
    expect(sent[0]!.data).toEqual({ schoolId: school.id, count: 1 });
    // Deletes nothing.
    expect((await a.getPlan(erinPlan.id))?.id).toBe(erinPlan.id);
    expect((await a.listAudit({ ectId: ectErin.id })).some((e) => e.action === "retention_deleted")).toBe(false);

    // The card, built when it is sent: names what is due (not Sam, whose plan is open) and deletes nothing.
    const views = new CardViews(a, new PlanService(a, clock), { publicUrl: "https://app.example" });
    const card = await views.forOutbox(sent[0]!, "2028-09-01");
    expect(card).toBeDefined();
    expect(cardProblems(card!)).toEqual([]);
    const text = JSON.stringify(card);
    expect(text).toContain("Erin Walsh");
    expect(text).not.toContain("Sam Young");
    expect(text).toContain("https://app.example/retention");
    expect(text).not.toContain("Action.Execute");
  });

  it("on its date, and the day before, nobody is told", async () => {
    for (const at of ["2028-08-30T12:00:00.000Z", "2028-08-31T22:30:00.000Z"]) {
      clock.set(at);
      const [one] = jobs();
      expect(await one!.tick()).toMatchObject({ ran: true, ectsDue: 0, messages: 0 });
    }
    expect(await messages()).toEqual([]);
  });

  it("the next day, with the same list, tells nobody again; a longer list is told", async () => {
    await jobs()[0]!.tick();
    clock.set("2028-09-02T06:00:00.000Z");
    expect(await jobs()[1]!.tick()).toMatchObject({ ran: true, ectsDue: 1 });
    expect(await messages()).toHaveLength(1);
    // Sam's plan closes: the next day two are due, and the lead hears of it.
    await a.commit({ save: [{ plan: { ...samPlan, status: "closed" }, expectedVersion: 1 }], audit: [] });
    clock.set("2028-09-03T06:00:00.000Z");
    expect(await jobs()[0]!.tick()).toMatchObject({ ectsDue: 2, messages: 1 });
    expect((await messages()).map((m) => m.data.count).sort()).toEqual([1, 2]);
  });

  it("a card whose list was dealt with before it went out is not sent", async () => {
    await jobs()[0]!.tick();
    const [m] = await messages();
    await a.deleteEctRecords({
      ectId: ectErin.id,
      items: { planIds: [erinPlan.id], checkInIds: [], recordIds: [], evidenceIds: [] },
      tombstone: makeAudit({ ectId: ectErin.id, action: "retention_deleted", summary: "Deleted" }),
    });
    const views = new CardViews(a, new PlanService(a, clock), { publicUrl: "https://app.example" });
    expect(await views.forOutbox(m!, "2028-09-01")).toBeUndefined();
  });
});
