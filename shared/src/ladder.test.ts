import { describe, expect, it } from "vitest";
import { ladder, ladderLevel, suggestSuccessorLevel } from "./ladder.js";

describe("the escalation ladder (seed 003)", () => {
  it("has levels 1 to 6 with the policy's names", () => {
    expect(ladder.map((l) => `${l.level} ${l.name}`)).toEqual([
      "1 Light touch",
      "2 Support plan 1",
      "3 Support plan 2",
      "4 Cause for concern",
      "5 At risk of failing",
      "6 School capability procedures",
    ]);
  });

  it("gives each level its plan length", () => {
    expect(ladderLevel(1).lengthWeeks).toEqual({ min: 2, max: 4 });
    expect(ladderLevel(2).lengthWeeks).toEqual({ min: 4, max: 6 });
    expect(ladderLevel(3).lengthWeeks).toEqual({ min: 4, max: 6 });
    expect(ladderLevel(4).lengthWeeks).toEqual({ min: 6, max: 6 });
    expect(ladderLevel(5).lengthWeeks).toBeUndefined();
    expect(ladderLevel(6).lengthWeeks).toBeUndefined();
  });

  it("has the mentor lead Level 1, the induction tutor Levels 2–5 and the head Level 6", () => {
    expect(ladder.map((l) => l.ledBy)).toEqual(["mentor", "induction_tutor", "induction_tutor", "induction_tutor", "induction_tutor", "head"]);
  });

  it("has the tutor update the AB weekly, after an AB meeting, at Levels 4–5 only", () => {
    expect(ladder.filter((l) => l.weeklyAbUpdate).map((l) => l.level)).toEqual([4, 5]);
    expect(ladder.filter((l) => l.abMeeting).map((l) => l.level)).toEqual([4, 5]);
  });

  it("checks in weekly at Levels 1–5; Level 6 follows HR policy", () => {
    expect(ladder.map((l) => l.cadence)).toEqual(["weekly", "weekly", "weekly", "weekly", "weekly", "per_hr_policy"]);
  });

  it("uses the seed 003 form for each level", () => {
    expect(ladder.map((l) => l.template)).toEqual(["level_1", "level_2", "level_3", "level_4", "level_5", "level_6"]);
  });

  it("rejects a level that is not on the ladder", () => {
    expect(() => ladderLevel(7)).toThrow("No escalation level 7");
  });
});

describe("suggestSuccessorLevel", () => {
  it("some progress: a further plan at the same level", () => {
    expect(suggestSuccessorLevel(2, "continue", false)).toBe(2);
    expect(suggestSuccessorLevel(3, "continue", false)).toBe(3);
  });

  it("some progress for an ECT2 near the end: up a level", () => {
    expect(suggestSuccessorLevel(2, "continue", true)).toBe(3);
    expect(suggestSuccessorLevel(3, "continue", true)).toBe(4);
  });

  it("no progress: the next level, never above 6", () => {
    expect(suggestSuccessorLevel(1, "escalate", false)).toBe(2);
    expect(suggestSuccessorLevel(4, "escalate", false)).toBe(5);
    expect(suggestSuccessorLevel(6, "escalate", false)).toBe(6);
    expect(suggestSuccessorLevel(6, "continue", true)).toBe(6);
  });
});
