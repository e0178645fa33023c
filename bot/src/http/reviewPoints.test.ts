import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { movableClock, testInstant } from "../../test-support/movableClock.js";
import { startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";

/** Issue 16: each record files at the review point whose term contains its date; nothing after today; no second record for a point. */

type Json = Record<string, any>;

const clock = movableClock(testInstant); // 27 Nov 2026; Amy started in September 2026
let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ clock });
});
afterEach(() => clock.set(testInstant));
afterAll(async () => {
  await server?.stop();
});

const ratings = (ratingId: string) => Object.fromEntries(["1", "2", "3", "4", "5", "6", "7", "8", "P2"].map((c) => [c, { ratingId, statement: "" }]));
const review = (date: string) => JSON.stringify({ date, onTrack: true, ratings: ratings("secure"), targets: [{ text: "Keep going", standards: ["1"] }] });
const judgementsOf = async (ectId: string) => (await server.store.listRecords({ ectIds: [ectId] })).filter((r) => r.kind !== "concern");
const DAY = 86_400_000;

describe("filing reviews and assessments at their review points over HTTP", () => {
  it("files the first of four November reviews as Progress review 1 and refuses the other three, naming it, writing nothing", async () => {
    // A fresh sign-in each day: a token from yesterday has expired.
    const post = async (date: string) => (await server.as(demoIds.tutorA))("/api/ects/ect-amy/progress-reviews", { method: "POST", body: review(date) });

    const first = await post("2026-11-27");
    expect(first.status).toBe(201);
    expect(((await first.json()) as Json).record.due).toMatchObject({ number: 1, label: "Progress review 1 (Autumn 2026)" });

    // Dated tomorrow while it is still the 27th: refused on its date.
    const early = await post("2026-11-28");
    expect(early.status).toBe(422);
    expect(early.headers.get("content-type")).toContain("application/problem+json");
    expect(((await early.json()) as Json).violations).toMatchObject([{ path: "date", code: "date-in-future" }]);

    for (const date of ["2026-11-28", "2026-11-29", "2026-11-30"]) {
      clock.advance(DAY);
      const again = await post(date);
      expect(again.status).toBe(422);
      const problem = (await again.json()) as Json;
      expect(problem.detail).toContain("Progress review 1 (Autumn 2026) is already recorded on 27 Nov 2026: each review point keeps one record");
      expect(problem.violations).toMatchObject([{ path: "date", code: "already-recorded" }]);
    }

    const records = await judgementsOf("ect-amy");
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ kind: "progress_review", due: { label: "Progress review 1 (Autumn 2026)" }, review: { date: "2026-11-27" } });
  });

  it("refuses a formal assessment dated seven months ahead and writes nothing", async () => {
    const tutor = await server.as(demoIds.tutorA);
    const before = await judgementsOf("ect-amy");
    const body = JSON.stringify({ date: "2027-06-27", number: 1, onTrack: true, ratings: ratings("secure"), targets: [] });
    const res = await tutor("/api/ects/ect-amy/formal-assessments", { method: "POST", body });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as Json;
    expect(problem.violations).toMatchObject([{ path: "date", code: "date-in-future" }]);
    expect(problem.detail).toContain("after today (27 Nov 2026)");
    expect(await judgementsOf("ect-amy")).toEqual(before);
  });

  it("shows the AB the filed review as latest and the first point without a record as next due", async () => {
    const officer = await server.as(demoIds.abOfficer);
    const rows = ((await (await officer("/api/ab/reviews")).json()) as Json).rows as Json[];
    const amy = rows.find((r) => r.ectId === "ect-amy")!;
    expect(amy.latest).toMatchObject({ kind: "progress_review", date: "2026-11-27", label: "Progress review 1 (Autumn 2026)" });
    expect(amy.nextDue).toEqual({ label: "Progress review 2 (Spring 2027)", date: "2027-03-31" });
    expect(amy.overdue).toEqual([]);
    // Erin has nothing recorded: her first point is next due.
    expect(rows.find((r) => r.ectId === "ect-erin")!.nextDue).toEqual({ label: "Progress review 1 (Autumn 2026)", date: "2026-12-31" });

    const events = ((await (await (await server.as(demoIds.tutorA))("/api/ects/ect-amy/records")).json()) as Json).events as Json[];
    expect(events.filter((e) => e.recorded).map((e) => e.label)).toEqual(["Progress review 1 (Autumn 2026)"]);
  });

  it("gives the tutor's caseload the same next due as the AB: the first point without a record", async () => {
    const rows = ((await (await (await server.as(demoIds.tutorA))("/api/caseload")).json()) as Json).rows as Json[];
    // Amy's autumn review is recorded (above), though its due date (31 Dec) is still ahead.
    expect(rows.find((r) => r.ectId === "ect-amy")!.nextStatutoryEvent).toEqual({ label: "Progress review 2 (Spring 2027)", date: "2027-03-31" });
    expect(rows.find((r) => r.ectId === "ect-erin")!.nextStatutoryEvent).toEqual({ label: "Progress review 1 (Autumn 2026)", date: "2026-12-31" });
  });
});
