import { describe, expect, it } from "vitest";
import { abDashboard, medianOf, planClosedOn, type DashboardPlan } from "./abDashboard.js";

const TODAY = "2026-11-27";
const schools = [
  { id: "s-river", name: "Riverside" },
  { id: "s-north", name: "Northgate" },
];
const ects = [
  { id: "amy", schoolId: "s-river" },
  { id: "ben", schoolId: "s-river" },
  { id: "cat", schoolId: "s-river" },
  { id: "dan", schoolId: "s-north" },
  { id: "eve", schoolId: "s-north", track: "itt" as const },
];
const plan = (over: Partial<DashboardPlan> & Pick<DashboardPlan, "id" | "ectId">): DashboardPlan => ({ status: "active", ...over });

// Amy: Level 2 (Spring) → escalated to Level 3 (Summer) → open. Ben: Level 1 closed on track. Cat: Level 2 continued → Level 2 open.
const plans: DashboardPlan[] = [
  plan({ id: "a1", ectId: "amy", level: 2, status: "closed", outcome: "escalated", startDate: "2026-03-02", closedOn: "2026-04-10" }),
  plan({ id: "a2", ectId: "amy", level: 3, status: "active", startDate: "2026-04-13" }),
  plan({ id: "b1", ectId: "ben", level: 1, status: "closed", outcome: "on_track", startDate: "2026-09-07", closedOn: "2026-10-02" }),
  plan({ id: "c1", ectId: "cat", level: 2, status: "closed", outcome: "continued", startDate: "2026-10-01", closedOn: "2026-10-30" }),
  plan({ id: "c2", ectId: "cat", level: 2, status: "draft", startDate: "2026-11-02" }),
  // A trainee's plan is not counted: ITT sits outside the ladder.
  plan({ id: "e1", ectId: "eve", templateId: undefined, status: "active", startDate: "2026-11-01" } as DashboardPlan),
];

describe("the AB dashboard", () => {
  const d = abDashboard({ today: TODAY, scope: "appropriate_body", ects, schools, plans });

  it("counts ECTs by the level of their open plan, per school, trainees left out", () => {
    expect(d.ects).toBe(4);
    const table = d.levelsBySchool.map((s) => [s.schoolName, s.ects, s.counts["1"], s.counts["2"], s.counts["3"], s.counts.none]);
    expect(table).toEqual([
      // school     ECTs L1 L2 L3 none
      ["Northgate", 1, 0, 0, 0, 1],
      ["Riverside", 3, 0, 1, 1, 1],
    ]);
  });

  it("lists every term from the first plan's to today's with plans opened and closed by outcome", () => {
    const table = d.terms.map((t) => [t.term, t.opened, t.closed.on_track, t.closed.continued, t.closed.escalated, t.closed.total]);
    expect(table).toEqual([
      // term         opened on_track continued escalated total
      ["Spring 2026", 1, 0, 0, 0, 0],
      ["Summer 2026", 1, 0, 0, 1, 1],
      ["Autumn 2026", 3, 1, 1, 0, 2],
    ]);
  });

  it("adds up the time at each level per ECT (open plans to today) and gives the median across ECTs", () => {
    const table = d.timeAtLevel.map((l) => [l.level, l.plans, l.open, l.ects, l.totalDays, l.medianDays]);
    // Level 2: Amy 2 Mar–10 Apr = 40 days; Cat 1–30 Oct (30) + 2–27 Nov (26) = 56. Level 3: Amy 13 Apr–27 Nov = 229.
    expect(table).toEqual([
      [1, 1, 0, 1, 26, 26],
      [2, 3, 1, 2, 96, 48],
      [3, 1, 1, 1, 229, 229],
    ]);
  });

  it("is empty, not wrong, with no plans", () => {
    const empty = abDashboard({ today: TODAY, scope: "school", ects: ects.slice(0, 1), schools, plans: [] });
    expect(empty.levelsBySchool[0]!.counts.none).toBe(1);
    expect(empty.terms).toEqual([]);
    expect(empty.timeAtLevel).toEqual([]);
  });

  it("counts time at level only up to today, even for a review dated later", () => {
    const early = abDashboard({
      today: TODAY,
      scope: "school",
      ects,
      schools,
      plans: [plan({ id: "g", ectId: "dan", level: 2, status: "closed", outcome: "escalated", startDate: "2026-11-20", closedOn: "2027-01-11" })],
    });
    expect(early.timeAtLevel.map((l) => l.totalDays)).toEqual([8]);
    expect(early.terms.map((t) => [t.term, t.opened, t.closed.total])).toEqual([["Autumn 2026", 1, 0]]);
  });

  it("ignores a plan that has not started yet", () => {
    const future = abDashboard({ today: TODAY, scope: "school", ects, schools, plans: [plan({ id: "f", ectId: "dan", level: 1, startDate: "2026-12-07" })] });
    expect(future.timeAtLevel).toEqual([]);
    expect(future.levelsBySchool.find((s) => s.schoolId === "s-north")!.counts["1"]).toBe(1);
  });
});

describe("when a plan ended", () => {
  it.each([
    ["reviewed then closed", { status: "closed" as const, updatedAt: "2026-11-20T10:00:00.000Z", review: { date: "2026-11-13" } }, "2026-11-13"],
    ["escalated without a review: the day it closed, in London", { status: "closed" as const, updatedAt: "2026-06-30T23:30:00.000Z" }, "2026-07-01"],
    ["still open", { status: "active" as const, updatedAt: "2026-11-20T10:00:00.000Z" }, undefined],
  ])("%s", (_what, p, expected) => {
    expect(planClosedOn(p)).toBe(expected);
  });

  it.each([
    [[], 0],
    [[5], 5],
    [[9, 1, 4], 4],
    [[1, 2, 3, 10], 2.5],
  ])("median of %j is %d", (xs, m) => {
    expect(medianOf(xs)).toBe(m);
  });
});
