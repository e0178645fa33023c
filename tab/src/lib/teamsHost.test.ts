import { describe, expect, it } from "vitest";
import { deepLinkPath } from "./teamsHost";

// The sub-pages the bot's card links carry (bot/src/cards/card.ts tabLink), as Teams hands them to the tab.
describe("deepLinkPath: the page a Teams deep link's subPageId opens", () => {
  it("a plan id opens the plan; so does plans/<id>", () => {
    expect(deepLinkPath("3f1c2a9b-77e4-4d0a-9b1e-0c1d2e3f4a5b")).toBe("/plans/3f1c2a9b-77e4-4d0a-9b1e-0c1d2e3f4a5b");
    expect(deepLinkPath("plans/plan-amy-l2")).toBe("/plans/plan-amy-l2");
    expect(deepLinkPath("plan:2026.1")).toBe("/plans/plan%3A2026.1");
  });

  it("ects/<id>/records opens the ECT's induction records", () => {
    expect(deepLinkPath("ects/ect-amy/records")).toBe("/ects/ect-amy/records");
  });

  it("retention opens the induction lead's retention list (the daily retention card's link)", () => {
    expect(deepLinkPath("retention")).toBe("/retention");
  });

  it("anything else opens the home page", () => {
    for (const s of [undefined, "", "../admin", "plans/../x", "https://evil.example/", "ects/ect-amy", "a b", "x".repeat(129), "/plans/p1"]) {
      expect(deepLinkPath(s)).toBeUndefined();
    }
  });
});
