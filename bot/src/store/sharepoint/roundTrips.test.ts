/**
 * One round trip (issue 14, item 3), through the real API server on the SharePoint store against
 * the local Graph double over HTTPS, counting HTTP requests at the double:
 * - opening a plan costs one request once the directory cache is warm, and one still when the
 *   cache is due a refresh (the delta calls ride in the plan read's $batch);
 * - a person added on one instance is seen by another after its refresh;
 * - a caseload of 25 ECTs costs at most 2 requests, one of 300 ECTs on 6,000 plans at most 8;
 * - an idle instance makes no Graph requests;
 * - a delta token Graph no longer serves (410) ends in a full resync, not an error.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ect, Person, Plan } from "@ectsp/shared";
import { loadConfig } from "../../config.js";
import { createApp, type App } from "../../http/server.js";
import { silentLogger } from "../../logger.js";
import { startDoubleKit, type DoubleKit } from "../../../test-support/graph/doubleKit.js";
import { movableClock, testInstant } from "../../../test-support/movableClock.js";
import { listTitle, type ListKey } from "./listSchema.js";
import { SiteLists, type Fields } from "./lists.js";
import { planFields } from "./plans.js";
import type { SharePointStore } from "./sharePointStore.js";

type Json = Record<string, any>;
type Call = (path: string, init?: RequestInit) => Promise<{ status: number; headers: Headers; body: Json }>;

const clock = movableClock(testInstant);
let kit: DoubleKit;
const dataDirs: string[] = [];
const running: { app: App; store: SharePointStore }[] = [];

const school = { id: "school", name: "School", abId: "ab" };
const staff: Person[] = [
  { id: "tutor", displayName: "Tutor", email: "tutor@t.example", roles: ["induction_tutor"], schoolId: school.id },
  { id: "mentor", displayName: "Mentor", email: "mentor@t.example", roles: ["mentor"], schoolId: school.id },
  { id: "officer", displayName: "Officer", email: "officer@t.example", roles: ["ab_officer"], abId: "ab" },
];
const ectPerson = (i: number): Person => ({ id: `p${i}`, displayName: `ECT ${i}`, email: `e${i}@t.example`, roles: ["ect"], schoolId: school.id });
/** ECT e{i}: the tutor's; the first 25 are also the mentor's. */
const ect = (i: number): Ect => ({
  id: `e${i}`,
  personId: `p${i}`,
  schoolId: school.id,
  abId: "ab",
  inductionTutorId: "tutor",
  ...(i < 25 ? { mentorId: "mentor" } : {}),
  inductionStartDate: "2026-09-01",
  fte: 1,
  absences: [],
  extensions: [],
  track: "ect",
});

/** The API server on a store over `prefix`'s lists. */
async function serve(prefix: string) {
  const store = await kit.open(prefix, { clock });
  const dataDir = mkdtempSync(join(tmpdir(), "ectsp-trips-"));
  dataDirs.push(dataDir);
  const app = createApp({ config: loadConfig({ PORT: "0", DATA_DIR: dataDir, TAB_DIST: join(dataDir, "none") }), store, logger: silentLogger, clock });
  const url = await app.listen(0);
  running.push({ app, store });
  const as = async (personId: string): Promise<Call> => {
    const token = await app.identity!.issue(personId);
    return async (path, init = {}) => {
      const res = await fetch(`${url}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.body ? { "content-type": "application/json" } : {}),
          ...(init.headers as Record<string, string>),
        },
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as Json };
    };
  };
  return { store, as };
}

/** A school with `ects` ECTs, written through the store; the API server on it. */
async function world(prefix: string, ects: number) {
  await kit.provision(prefix);
  const server = await serve(prefix);
  const { store } = server;
  await store.upsertAppropriateBody({ id: "ab", name: "Hub" });
  await store.upsertSchool(school);
  await Promise.all(staff.map((p) => store.upsertPerson(p)));
  await Promise.all(Array.from({ length: ects }, async (_, i) => (await store.upsertPerson(ectPerson(i)), await store.upsertEct(ect(i)))));
  return { prefix, ...server, tutor: await server.as("tutor") };
}

/** Writes rows straight into the double's lists in the store's own field layout (no HTTP): large fixtures, fast. */
function seeder(prefix: string) {
  const lists = new SiteLists(undefined as never, kit.settings(prefix), {} as Record<ListKey, string>, clock);
  const put = (key: ListKey, rows: Fields[]) => kit.double.seed(listTitle(prefix, key), rows);
  return {
    lists,
    people: (people: Person[]) =>
      put(
        "people",
        people.map((p) => lists.fieldsFor("people", p.id, { displayName: p.displayName, aadObjectId: `none:${p.id}`, schoolId: p.schoolId, abId: p.abId }, p)),
      ),
    ects: (ects: Ect[]) =>
      put(
        "ects",
        ects.map((e) =>
          lists.fieldsFor(
            "ects",
            e.id,
            { personId: e.personId, schoolId: e.schoolId, abId: e.abId, mentorId: e.mentorId, inductionTutorId: e.inductionTutorId },
            e,
          ),
        ),
      ),
    plans: (plans: Plan[]) =>
      put(
        "plans",
        plans.map((p) => planFields(lists, p)),
      ),
  };
}

async function draftFor(tutor: Call, ectId: string): Promise<Json> {
  const created = await tutor("/api/plans", {
    method: "POST",
    body: JSON.stringify({ ectId, templateId: "level_2", content: { startDate: "2026-11-30", endDate: "2027-01-11" } }),
  });
  expect(created.status).toBe(201);
  return created.body.plan as Json;
}

beforeAll(async () => {
  kit = await startDoubleKit({ clock });
});

afterAll(async () => {
  for (const { app, store } of running) {
    await app.close();
    await store.close();
  }
  await kit.stop();
  for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
});

describe("opening a plan", () => {
  it("costs one Graph request with a warm cache, and one still when the cache is due a refresh", async () => {
    const w = await world("Open ", 2);
    const plan = await draftFor(w.tutor, "e0");
    await kit.settle();
    kit.double.resetCounts();
    const opened = await w.tutor(`/api/plans/${plan.id}`);
    expect(opened.status).toBe(200);
    expect(opened.body.plan.id).toBe(plan.id);
    expect(kit.double.log.map((r) => `${r.method} ${r.path.endsWith("/items") ? "items" : r.path}`)).toEqual(["GET items"]);

    // Past the refresh window: the four delta calls go in the plan read's $batch, not a round trip of their own.
    clock.advance(20_000);
    await kit.settle();
    kit.double.resetCounts();
    expect((await w.tutor(`/api/plans/${plan.id}`)).status).toBe(200);
    expect(kit.double.httpRequests).toBe(1);
    expect(kit.double.count("batch:GET delta")).toBe(4);
    expect(kit.double.count("batch:GET items")).toBe(1);
  });
});

describe("two instances over one site", () => {
  it("a person added on one instance is seen by the other after its refresh", async () => {
    const a = await world("Two ", 1);
    const b = await serve("Two ");
    const newcomer: Person = { id: "newcomer", displayName: "Newcomer", email: "new@t.example", roles: ["mentor"], schoolId: school.id };
    expect(await b.store.getPerson("tutor")).toMatchObject({ id: "tutor" }); // b's cache, filled now
    await a.store.upsertPerson(newcomer);
    expect(await a.store.getPerson(newcomer.id)).toEqual(newcomer); // the writer sees it at once

    // Within the window b answers from its cache; once past it, a read waits for the refresh.
    expect(await b.store.getPerson(newcomer.id)).toBeUndefined();
    clock.advance(61_000);
    await kit.settle();
    kit.double.resetCounts();
    expect(await b.store.getPerson(newcomer.id)).toEqual(newcomer);
    expect(kit.double.count("batch:GET delta")).toBe(4); // the deltaLinks: only what changed came back
    expect((await b.store.listPeople({ schoolId: school.id })).map((p) => p.id)).toContain(newcomer.id);

    // Told to refresh now, it does, whatever the window.
    await a.store.upsertPerson({ ...newcomer, displayName: "Renamed" });
    await b.store.refreshDirectory();
    expect((await b.store.getPerson(newcomer.id))?.displayName).toBe("Renamed");
  });

  it("a delta token Graph no longer serves (410 Gone) ends in a full resync", async () => {
    const a = await world("Gone ", 1);
    const b = await serve("Gone ");
    expect(await b.store.getEct("e0")).toBeDefined();
    await a.store.upsertEct({ ...ect(0), fte: 0.5 });
    kit.double.expireDeltaTokens();
    await kit.settle();
    kit.double.resetCounts();
    await b.store.refreshDirectory();
    expect((await b.store.getEct("e0"))?.fte).toBe(0.5);
    expect(kit.double.subLog.filter((r) => r.status === 410)).toHaveLength(4);
  });

  it("an idle instance makes no Graph requests for the directory", async () => {
    const w = await world("Idle ", 1);
    expect((await w.tutor("/api/caseload")).status).toBe(200);
    await kit.settle();
    kit.double.resetCounts();
    clock.advance(3_600_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(kit.double.httpRequests).toBe(0);
  });
});

describe("caseloads", () => {
  it("300 ECTs on a list of 6,000 plans: every row, in at most 8 Graph requests; 25 ECTs in at most 2", async () => {
    const prefix = "Big ";
    await kit.provision(prefix);
    // One plan written through the API gives a valid plan to copy; the rest are seeded straight into the lists.
    const first = await world(prefix, 1);
    const template = (await draftFor(first.tutor, "e0")) as Plan;
    const seed = seeder(prefix);
    seed.people(Array.from({ length: 299 }, (_, i) => ectPerson(i + 1)));
    seed.ects(Array.from({ length: 299 }, (_, i) => ect(i + 1)));
    const plans: Plan[] = [];
    // Each of the 300 ECTs has a closed plan and a draft; 5,400 more belong to other schools' ECTs.
    for (let i = 0; i < 300; i++) {
      if (i > 0) plans.push({ ...template, id: `draft-${i}`, ectId: `e${i}` });
      plans.push({ ...template, id: `closed-${i}`, ectId: `e${i}`, status: "closed", updatedAt: "2026-10-01T10:00:00.000Z" });
    }
    for (let i = 0; plans.length < 5_999; i++) plans.push({ ...template, id: `other-${i}`, ectId: `x${i % 1800}`, schoolId: "elsewhere" });
    seed.plans(plans);
    expect(kit.double.items(listTitle(prefix, "plans"))).toHaveLength(6_000);

    const { as } = await serve(prefix);
    const tutor = await as("tutor");
    const mentor = await as("mentor");
    expect((await mentor("/api/caseload")).status).toBe(200); // warms this instance's directory cache

    await kit.settle();

    kit.double.resetCounts();
    const small = await mentor("/api/caseload");
    expect(small.status).toBe(200);
    expect(small.body.rows).toHaveLength(25);
    expect(kit.double.httpRequests).toBeLessThanOrEqual(2);

    await kit.settle();

    kit.double.resetCounts();
    const big = await tutor("/api/caseload");
    expect(big.status).toBe(200);
    expect(big.body.rows).toHaveLength(300);
    expect(big.body.rows.every((r: Json) => r.plan?.status === "draft" && r.planCount === 2)).toBe(true);
    expect(kit.double.httpRequests).toBeLessThanOrEqual(8);
    expect(kit.double.maxInFlight).toBeLessThanOrEqual(4);
  });
});
