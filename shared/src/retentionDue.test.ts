import { describe, expect, it } from "vitest";
import type { Ect } from "./model/people.js";
import type { Person } from "./model/people.js";
import { DomainError } from "./errors.js";
import { retainUntil } from "./retention.js";
import { assessRetention, countsFromTombstone, ectRetainUntil, tombstoneSummary, type EctHoldings } from "./retentionDue.js";
import { confirmRetentionDeletion } from "./usecases/confirmRetentionDeletion.js";
import type { UseCaseContext } from "./usecases/context.js";

// Induction from 2020-09-01, full time: expected to end 2022-08-31, so kept until 2028-08-31.
const ect: Ect = {
  id: "ect-1",
  personId: "p-ect",
  schoolId: "s1",
  abId: "ab1",
  inductionStartDate: "2020-09-01",
  fte: 1,
  absences: [],
  extensions: [],
  track: "ect",
};

const holdings = (over: Partial<EctHoldings> = {}): EctHoldings => ({
  ect,
  plans: [{ id: "plan-1", status: "closed", retainUntil: "2028-08-31", createdAt: "2021-01-10T10:00:00.000Z" }],
  checkIns: [{ id: "ci-1", planId: "plan-1" }],
  records: [{ id: "rec-1", recordedAt: "2022-07-01T10:00:00.000Z" }],
  evidence: [{ id: "ev-1", planId: "plan-1", uploadedAt: "2021-02-01T10:00:00.000Z" }],
  ...over,
});

describe("what is due for deletion (never early)", () => {
  const notPassed = { due: false, reason: { kind: "date_not_passed", retainUntil: "2028-08-31" } };
  const due = { due: true, retainUntil: "2028-08-31", counts: { plans: 1, checkIns: 1, records: 1, evidenceFiles: 1 } };
  it.each([
    ["the day before its date", "2028-08-30", notPassed],
    ["on its date (kept through it)", "2028-08-31", notPassed],
    ["the day after its date", "2028-09-01", due],
    ["years after", "2035-01-01", due],
  ])("%s (%s)", (_label, today, expected) => {
    expect(assessRetention(holdings(), today)).toMatchObject(expected);
  });

  it("an ECT with an open plan is never due, however old the rest", () => {
    for (const status of ["draft", "awaiting_signatures", "agreed", "active", "in_review"] as const) {
      const h = holdings({ plans: [...holdings().plans, { id: "plan-2", status, retainUntil: "2027-01-01", createdAt: "2021-03-01T10:00:00.000Z" }] });
      expect(assessRetention(h, "2040-01-01")).toMatchObject({ due: false, reason: { kind: "open_plan", planIds: ["plan-2"] } });
    }
  });

  it("the latest item decides: a record made later keeps the whole ECT", () => {
    const h = holdings({
      records: [
        { id: "rec-1", recordedAt: "2022-07-01T10:00:00.000Z" },
        { id: "rec-2", recordedAt: "2023-01-05T10:00:00.000Z" },
      ],
    });
    expect(ectRetainUntil(h)).toBe("2029-01-05");
    expect(assessRetention(h, "2028-09-01").due).toBe(false);
    expect(assessRetention(h, "2029-01-06").due).toBe(true);
  });

  it("a plan's own date is kept when it is later, and an extension granted since moves every date later", () => {
    expect(ectRetainUntil(holdings({ plans: [{ id: "plan-1", status: "closed", retainUntil: "2030-03-03", createdAt: "2021-01-10T10:00:00.000Z" }] }))).toBe(
      "2030-03-03",
    );
    const extended = { ...ect, extensions: [{ source: "ab_decision" as const, terms: 3, reason: "r", decidedOn: "2022-06-01" }] };
    const date = ectRetainUntil(holdings({ ect: extended }))!;
    expect(date > "2028-08-31").toBe(true);
    expect(assessRetention(holdings({ ect: extended }), "2028-09-01").due).toBe(false);
  });

  it("an ECT holding nothing is not listed", () => {
    expect(assessRetention(holdings({ plans: [], checkIns: [], records: [], evidence: [] }), "2040-01-01")).toMatchObject({
      due: false,
      reason: { kind: "nothing_held" },
    });
  });

  it("whenever it says due, today is after every item's own date (a sweep of days and items)", () => {
    const days = ["2027-06-01", "2028-08-31", "2028-09-01", "2029-01-05", "2029-01-06", "2031-12-31"];
    const recordDays = ["2021-01-01", "2022-08-31", "2023-01-05", "2024-06-30"];
    for (const today of days) {
      for (const d of recordDays) {
        const h = holdings({ records: [{ id: "r", recordedAt: `${d}T12:00:00.000Z` }] });
        const a = assessRetention(h, today);
        const itemDates = [...h.plans.map((p) => p.retainUntil), retainUntil(ect, d), retainUntil(ect, "2021-01-10"), retainUntil(ect, "2021-02-01")];
        expect(a.due).toBe(itemDates.every((x) => today > x));
      }
    }
  });

  it("the version changes when an item is added", () => {
    const a = assessRetention(holdings(), "2030-01-01");
    const b = assessRetention(
      holdings({ evidence: [...holdings().evidence, { id: "ev-2", planId: "plan-1", uploadedAt: "2021-02-02T10:00:00.000Z" }] }),
      "2030-01-01",
    );
    expect(a.due && b.due && a.version !== b.version).toBe(true);
  });

  it("the tombstone says counts and the date, and they read back", () => {
    const counts = { plans: 2, checkIns: 5, records: 3, evidenceFiles: 1 };
    const s = tombstoneSummary(counts, "2028-08-31");
    expect(s).not.toMatch(/ect-1|p-ect/);
    expect(countsFromTombstone(s)).toEqual(counts);
  });
});

const person = (id: string, roles: Person["roles"], schoolId = "s1"): Person => ({ id, displayName: id, email: `${id}@x.test`, roles, schoolId });
const ctxFor = (actor: Person, now = "2028-09-01T09:00:00.000Z"): UseCaseContext => ({ actor, now: new Date(now), newId: () => "id-x" });
const lead = person("lead", ["induction_lead"]);
/** The error a call throws (the test fails if it throws none). */
function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error("It was not refused");
}

describe("confirming a retention deletion", () => {
  const facts = (h = holdings()) => ({ schoolId: "s1", holdings: new Map([[h.ect.id, h]]), tombstones: new Map() });
  const version = (h = holdings(), today = "2028-09-01") => {
    const a = assessRetention(h, today);
    if (!a.due) throw new Error("not due");
    return a.version;
  };

  it("the school's lead, naming what was listed: one deletion with a content-free tombstone in the ECT's chain", () => {
    const [d] = confirmRetentionDeletion(ctxFor(lead), { confirmationId: "conf-0001", ects: [{ ectId: "ect-1", version: version() }] }, facts());
    expect(d!.items).toEqual({ planIds: ["plan-1"], checkInIds: ["ci-1"], recordIds: ["rec-1"], evidenceIds: ["ev-1"] });
    expect(d!.tombstone).toMatchObject({ ectId: "ect-1", actorId: "lead", action: "retention_deleted", at: "2028-09-01T09:00:00.000Z" });
    expect(d!.tombstone.planId).toBeUndefined();
  });

  it.each([
    ["the head", person("head", ["head"])],
    ["the induction tutor", person("tutor", ["induction_tutor"])],
    ["an AB officer", { id: "abo", displayName: "abo", email: "abo@x.test", roles: ["ab_officer"], abId: "ab1" } satisfies Person],
    ["the ECT", person("p-ect", ["ect"])],
    ["another school's lead", person("lead2", ["induction_lead"], "s2")],
  ])("%s is refused", (_l, actor) => {
    expect(() => confirmRetentionDeletion(ctxFor(actor), { confirmationId: "conf-0001", ects: [{ ectId: "ect-1", version: version() }] }, facts())).toThrow(
      expect.objectContaining({ kind: "forbidden" }),
    );
  });

  it("a date not yet passed is a 422 naming it; the day before and on the date alike", () => {
    for (const now of ["2028-08-30T09:00:00.000Z", "2028-08-31T09:00:00.000Z"]) {
      const e = refusal(() =>
        confirmRetentionDeletion(ctxFor(lead, now), { confirmationId: "conf-0001", ects: [{ ectId: "ect-1", version: version() }] }, facts()),
      );
      expect(e).toBeInstanceOf(DomainError);
      expect(e.kind).toBe("validation");
      expect(e.violations[0]).toMatchObject({ path: "ects.0.ectId", code: "retention-date-not-passed", message: expect.stringContaining("2028-08-31") });
    }
  });

  it("a list that changed since it was shown is a 409", () => {
    const grown = holdings({ records: [...holdings().records, { id: "rec-9", recordedAt: "2021-05-05T10:00:00.000Z" }] });
    expect(() => confirmRetentionDeletion(ctxFor(lead), { confirmationId: "conf-0001", ects: [{ ectId: "ect-1", version: version() }] }, facts(grown))).toThrow(
      expect.objectContaining({ kind: "conflict" }),
    );
  });

  it("an ECT not at the lead's school is not found", () => {
    expect(() => confirmRetentionDeletion(ctxFor(lead), { confirmationId: "conf-0001", ects: [{ ectId: "ect-x", version: "v" }] }, facts())).toThrow(
      expect.objectContaining({ kind: "not_found" }),
    );
  });

  it("sent again after its tombstone was written: finishes what is left and answers what the tombstone recorded", () => {
    const stone = {
      id: "retention-conf-0001-ect-1",
      at: "2028-09-01T09:00:00.000Z",
      actorId: "lead",
      actorName: "lead",
      action: "retention_deleted",
      ectId: "ect-1",
      summary: tombstoneSummary({ plans: 1, checkIns: 1, records: 2, evidenceFiles: 1 }, "2028-08-31"),
    };
    // Only the plan is left; a record added after the confirmation is never taken by it.
    const left = holdings({ checkIns: [], evidence: [], records: [{ id: "rec-new", recordedAt: "2028-10-01T10:00:00.000Z" }] });
    const [d] = confirmRetentionDeletion(
      ctxFor(lead, "2028-10-02T09:00:00.000Z"),
      { confirmationId: "conf-0001", ects: [{ ectId: "ect-1", version: "stale" }] },
      { ...facts(left), tombstones: new Map([["ect-1", stone]]) },
    );
    expect(d).toMatchObject({ replay: true, counts: { plans: 1, checkIns: 1, records: 2, evidenceFiles: 1 }, items: { planIds: ["plan-1"], recordIds: [] } });
    // A plan opened since (and its evidence) is never taken by finishing it.
    const reopened = holdings({
      plans: [...left.plans, { id: "plan-new", status: "active", retainUntil: "2040-01-01", createdAt: "2028-08-01T10:00:00.000Z" }],
      evidence: [{ id: "ev-new", planId: "plan-new", uploadedAt: "2028-08-02T10:00:00.000Z" }],
    });
    const [r] = confirmRetentionDeletion(
      ctxFor(lead, "2028-10-02T09:00:00.000Z"),
      { confirmationId: "conf-0001", ects: [{ ectId: "ect-1", version: "stale" }] },
      { ...facts(reopened), tombstones: new Map([["ect-1", stone]]) },
    );
    expect(r!.items.planIds).toEqual(["plan-1"]);
    expect(r!.items.evidenceIds).toEqual([]);
  });
});
