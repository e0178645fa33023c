/**
 * The statutory-review reminder (issue 15): the tutor hears of a progress review 14 and 7 days
 * before, on the day, and once when it is overdue; after that it stands in their weekly digest,
 * week after week, until it is recorded — not a card of its own every week. Virtual time on a
 * real SQLite file; the scheduler's weekly runs are three ticks a week apart.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { addDays, inductionTimeline, type Ect, type InductionRecord, type Person } from "@ectsp/shared";
import { openSqliteStore, type SqliteStore } from "../store/sqlite/sqliteStore.js";
import { silentLogger } from "../logger.js";
import { movableClock } from "../../test-support/movableClock.js";
import { WeeklyScheduler } from "./weeklyScheduler.js";

const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tutor: Person = { id: "tutor", displayName: "Sarah Thompson", email: "sarah@school.example", roles: ["induction_tutor"], schoolId: "school" };
const ectPerson: Person = { id: "p-amy", displayName: "Amy Clarke", email: "amy@school.example", roles: ["ect"], schoolId: "school" };
const ect: Ect = {
  id: "ect-amy",
  personId: ectPerson.id,
  schoolId: "school",
  abId: "ab",
  inductionTutorId: tutor.id,
  inductionStartDate: "2026-09-01",
  fte: 1,
  absences: [],
  extensions: [],
  track: "ect",
};

async function world(firstDay: string) {
  const dir = mkdtempSync(join(tmpdir(), "ectsp-statutory-"));
  dirs.push(dir);
  const clock = movableClock(`${firstDay}T07:00:00.000Z`);
  const store = openSqliteStore(join(dir, "s.sqlite"), { clock });
  stores.push(store);
  await store.upsertAppropriateBody({ id: "ab", name: "Hub" });
  await store.upsertSchool({ id: "school", name: "School", abId: "ab" });
  for (const p of [tutor, ectPerson]) await store.upsertPerson(p);
  await store.upsertEct(ect);
  const scheduler = new WeeklyScheduler({ store, clock, instanceId: "test", logger: silentLogger });
  /** What the tutor has been sent so far, by kind. */
  const sent = async () => (await store.listOutbox({ recipientId: tutor.id })).map((m) => m.kind);
  return { store, clock, scheduler, sent };
}

describe("the statutory-review reminder", () => {
  it("comes once when overdue, then stands in the tutor's weekly digest until the review is recorded", async () => {
    // The first progress review, as the ECT's induction timeline has it.
    const review = inductionTimeline(ect, "2026-09-01").events.find((e) => e.kind === "progress_review")!;
    const w = await world(addDays(review.date, 3)); // three days overdue
    expect((await w.scheduler.tick()).ran).toBe(true);
    expect(await w.sent()).toEqual(["statutory_review_due", "tutor_digest"]);

    // A week later, still not recorded: no second reminder card, but the digest again.
    w.clock.advance(7 * 86_400_000);
    await w.scheduler.tick();
    expect((await w.sent()).sort()).toEqual(["statutory_review_due", "tutor_digest", "tutor_digest"]);

    // Recorded: next week it is in neither.
    const record: InductionRecord = {
      id: "record-1",
      kind: "progress_review",
      ectId: ect.id,
      schoolId: "school",
      abId: "ab",
      revision: 1,
      recordedBy: tutor.id,
      recordedByName: tutor.displayName,
      recordedAt: w.clock.now().toISOString(),
      scaleId: "progress_review_2025",
      due: { number: review.number, date: review.date, term: review.term, label: review.label },
      review: {
        ectId: ect.id,
        date: addDays(review.date, 10),
        onTrack: true,
        evidenceSummary: "",
        ratings: { "1": { ratingId: "secure", statement: "" } },
        targets: [{ text: "Keep routines steady", standards: ["7b"] }],
      },
    };
    await w.store.addRecords([record], []);
    w.clock.advance(7 * 86_400_000);
    await w.scheduler.tick();
    const after = await w.sent();
    expect(after.filter((k) => k === "statutory_review_due")).toHaveLength(1);
    expect(after.filter((k) => k === "tutor_digest")).toHaveLength(2); // nothing new to put in one
  });

  it("before it is due, reminds 14 and 7 days before and on the day, each once", async () => {
    const review = inductionTimeline(ect, "2026-09-01").events.find((e) => e.kind === "progress_review")!;
    const w = await world(addDays(review.date, -14));
    for (const days of [0, 7, 7]) {
      w.clock.advance(days * 86_400_000);
      await w.scheduler.tick();
      await w.scheduler.tick(); // a second run the same day sends nothing more
    }
    const reminders = (await w.store.listOutbox({ recipientId: tutor.id })).filter((m) => m.kind === "statutory_review_due");
    expect(reminders.map((m) => m.data.daysLeft)).toEqual([14, 7, 0]);
  });
});
