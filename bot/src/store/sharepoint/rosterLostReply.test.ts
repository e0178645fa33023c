/**
 * A roster change whose reply never came back (issue 15's versions, against the Graph double):
 * SharePoint applied the PATCH, then the answer was lost (a 503 the retry handler re-sends, which
 * meets the new ETag; or a dropped connection). The lead's own change is saved once and answered
 * as saved — never as "someone else changed this record" — and a real concurrent change still is.
 * The school's settings (issue 16: term dates, probation, ITT provider) take the same path.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "@ectsp/shared";
import { startDoubleKit, type DoubleKit } from "../../../test-support/graph/doubleKit.js";
import { movableClock, testInstant } from "../../../test-support/movableClock.js";
import { apiOnSharePoint, type ApiOnSharePoint } from "../../../test-support/graph/apiOnSharePoint.js";
import { DirectoryVersionConflict } from "../store.js";

const clock = movableClock(testInstant);
let kit: DoubleKit;
let api: ApiOnSharePoint;
const patchOfItem = (r: { method: string; path: string }) => r.method === "PATCH" && r.path.endsWith("/fields");

beforeAll(async () => {
  kit = await startDoubleKit({ clock });
  api = apiOnSharePoint(kit, clock);
});
afterEach(() => kit.double.clearFaults());
afterAll(async () => {
  await api.stopAll();
  await kit.stop();
});

async function someone(prefix: string): Promise<{ store: Awaited<ReturnType<ApiOnSharePoint["world"]>>["store"]; person: Person }> {
  const w = await api.world(prefix, 1);
  const [person] = await w.store.listPeople();
  return { store: w.store, person: person! };
}

describe("a roster change whose reply was lost after SharePoint applied it", () => {
  it.each([
    ["a 503 after applying (re-sent by the retry handler)", { status: 503 as const, retryAfterSeconds: 0 }],
    ["a dropped connection after applying", { status: "reset" as const }],
  ])("%s: saved once, at the next version, and answered as saved", async (_case, fault) => {
    const { store, person } = await someone(fault.status === 503 ? "LR503 " : "LRrst ");
    const version = person.version ?? 1;
    kit.double.inject({ ...fault, afterApplying: true, count: 1, match: patchOfItem });
    const saved = await store.savePerson({ ...person, displayName: "Renamed Once" }, version);
    expect(saved).toMatchObject({ displayName: "Renamed Once", version: version + 1 });
    const [readBack] = (await store.listPeople()).filter((p) => p.id === person.id);
    expect(readBack).toMatchObject({ displayName: "Renamed Once", version: version + 1 });
  });

  it.each([
    ["a 503 after applying", { status: 503 as const, retryAfterSeconds: 0 }],
    ["a dropped connection after applying", { status: "reset" as const }],
  ])("the school's settings (term dates, probation), %s: saved once and answered as saved", async (_case, fault) => {
    const { store } = await someone(fault.status === 503 ? "LRs503 " : "LRsrst ");
    const [school] = await store.listSchools();
    const version = school!.version ?? 1;
    const termDates = [{ season: "Spring" as const, year: 2027, start: "2027-01-06" }];
    kit.double.inject({ ...fault, afterApplying: true, count: 1, match: patchOfItem });
    const saved = await store.saveSchoolSettings(school!.id, { probationTerms: 3, termDates }, version);
    expect(saved).toMatchObject({ probationTerms: 3, termDates, version: version + 1 });
    expect(await store.getSchool(school!.id)).toMatchObject({ probationTerms: 3, termDates, version: version + 1 });
  });

  it("still refuses a change made against a version someone else has moved on", async () => {
    const { store, person } = await someone("LRstale ");
    const version = person.version ?? 1;
    await store.savePerson({ ...person, displayName: "First Lead" }, version);
    await expect(store.savePerson({ ...person, displayName: "Second Lead" }, version)).rejects.toBeInstanceOf(DirectoryVersionConflict);
    const [readBack] = (await store.listPeople()).filter((p) => p.id === person.id);
    expect(readBack).toMatchObject({ displayName: "First Lead", version: version + 1 });
  });
});
