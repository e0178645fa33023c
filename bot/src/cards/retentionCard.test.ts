import { describe, expect, it } from "vitest";
import { cardBytes, maxCardBytes } from "./card.js";
import { retentionDueCard } from "./retentionCard.js";
import { cardProblems } from "../../test-support/validateCard.js";

describe("the retention-due card (issue 16, item 9)", () => {
  it("is a valid Adaptive Card at its largest, names ten and counts the rest, and offers no action that deletes", () => {
    const due = Array.from({ length: 40 }, (_, i) => ({ ectName: `${"N".repeat(195)} ${i}`, retainUntil: "2028-08-31" }));
    const c = retentionDueCard({ due, url: "https://app.example/retention" });
    expect(cardProblems(c)).toEqual([]);
    expect(cardBytes(c)).toBeLessThan(maxCardBytes);
    const text = JSON.stringify(c);
    expect(text).toContain("40 ECTs");
    expect(text).toContain("And 30 more");
    expect(text).toContain("31 Aug 2028");
    expect(c.actions).toEqual([{ type: "Action.OpenUrl", title: "Review what is due", url: "https://app.example/retention" }]);
  });

  it("shows a hostile name as text, not as a link or markup", () => {
    const c = retentionDueCard({
      due: [{ ectName: "[Click](https://evil.example) **now**", retainUntil: "2028-08-31" }],
      url: "https://app.example/retention",
    });
    const text = JSON.stringify(c);
    expect(text).not.toContain("[Click](https://evil.example)");
    expect(text).toContain("1 ECT's induction record");
  });
});
