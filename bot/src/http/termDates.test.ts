import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { movableClock } from "../../test-support/movableClock.js";
import { readJson, startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";

/**
 * Issue 16: terms come from the school's own term dates (PUT /api/roster/school), defaulting to the
 * calendar blocks. 5 January 2027 is a spring day by default, but at a school whose spring term
 * starts on 6 January it is still the autumn term (its Christmas holiday): a review held that day is
 * the autumn review, and the next due moves to the school's own end of spring.
 */
type Json = Record<string, any>;

const clock = movableClock("2027-01-05T10:00:00.000Z");
let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ clock });
});
afterAll(async () => {
  await server?.stop();
});

const termDates = [
  { season: "Autumn", year: 2026, start: "2026-09-03" },
  { season: "Spring", year: 2027, start: "2027-01-06" },
  { season: "Summer", year: 2027, start: "2027-04-12" },
];
const ratings = Object.fromEntries(["1", "2", "3", "4", "5", "6", "7", "8", "P2"].map((c) => [c, { ratingId: "secure", statement: "" }]));
const review = JSON.stringify({ date: "2027-01-05", onTrack: true, ratings, targets: [{ text: "Keep going", standards: ["1"] }] });

async function setTermDates(body: Json): Promise<{ status: number; body: Json }> {
  const lead = await server.as(demoIds.lead);
  const { body: current, etag } = await readJson(await lead("/api/roster/school"));
  const res = await lead("/api/roster/school", {
    method: "PUT",
    headers: { "if-match": etag! },
    body: JSON.stringify({ probationTerms: current.settings.probationTerms, ...body }),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

describe("the school's term dates", () => {
  it("file a review on the school's terms: before they are set, 5 January is spring; after, it is the autumn term's holiday", async () => {
    const tutor = await server.as(demoIds.tutorA);
    // Without the school's dates: the default blocks put 5 January in the spring term.
    const before = await tutor("/api/ects/ect-erin/progress-reviews", { method: "POST", body: review });
    expect(before.status).toBe(201);
    expect(((await before.json()) as Json).record.due).toMatchObject({ label: "Progress review 2 (Spring 2027)" });

    const saved = await setTermDates({ termDates });
    expect(saved.status).toBe(200);
    expect(saved.body.settings.termDates).toEqual(termDates);
    expect((await server.store.getSchool(demoIds.school))?.termDates).toEqual(termDates);

    const after = await tutor("/api/ects/ect-amy/progress-reviews", { method: "POST", body: review });
    expect(after.status).toBe(201);
    // Due 4 January on the school's terms (by default, 31 December): held on the 5th, it answers the autumn point.
    expect(((await after.json()) as Json).record.due).toMatchObject({ label: "Progress review 1 (Autumn 2026)", date: "2027-01-04" });
  });

  it("move the next due to the school's end of spring, for the tutor and the AB alike", async () => {
    // The spring term runs 6 January to 11 April; Amy started on 1 September, two days before the
    // school's autumn term (days served in the summer term's tail), so her point falls a day early.
    const rows = ((await (await (await server.as(demoIds.tutorA))("/api/caseload")).json()) as Json).rows as Json[];
    expect(rows.find((r) => r.ectId === "ect-amy")!.nextStatutoryEvent).toEqual({ label: "Progress review 2 (Spring 2027)", date: "2027-04-10" });
    const ab = ((await (await (await server.as(demoIds.abOfficer))("/api/ab/reviews")).json()) as Json).rows as Json[];
    expect(ab.find((r) => r.ectId === "ect-amy")!.nextDue).toEqual({ label: "Progress review 2 (Spring 2027)", date: "2027-04-10" });
  });

  it("refuses a term date outside its term's window, or a term given twice, naming it, and keeps the dates as they were", async () => {
    const stored = await server.store.getSchool(demoIds.school);
    const stray = await setTermDates({ termDates: [{ season: "Spring", year: 2027, start: "2026-12-20" }] });
    expect(stray.status).toBe(400);
    expect(JSON.stringify(stray.body)).toContain("Spring 2027 cannot start on 2026-12-20: give a date from 2027-01-01 to 2027-02-01");
    const twice = await setTermDates({ termDates: [termDates[0], { ...termDates[0], start: "2026-09-04" }] });
    expect(twice.status).toBe(400);
    expect(JSON.stringify(twice.body)).toContain("Autumn 2026 is listed twice");
    expect(await server.store.getSchool(demoIds.school)).toEqual(stored);
  });

  it("are set only by the school's lead or head: a tutor is refused and nothing changes", async () => {
    const stored = await server.store.getSchool(demoIds.school);
    const tutor = await server.as(demoIds.tutorA);
    const res = await tutor("/api/roster/school", {
      method: "PUT",
      headers: { "if-match": `"v${stored?.version ?? 1}"` },
      body: JSON.stringify({ probationTerms: 2, termDates: [] }),
    });
    expect(res.status).toBe(403);
    expect(await server.store.getSchool(demoIds.school)).toEqual(stored);
  });
});
