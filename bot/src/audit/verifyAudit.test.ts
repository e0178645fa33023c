import { describe, expect, it } from "vitest";
import { verificationReport } from "./verifyAudit.js";

const brk = (n: number) => ({ chainId: `plan-${n}`, entryId: `audit-${n}`, seq: n, reason: "its content no longer matches its hash" });

describe("the audit:verify report", () => {
  it("counts what it checked, in the store's words", () => {
    expect(verificationReport({ store: "sharepoint", chains: 1, entries: 1, breaks: [] })).toEqual({
      lines: ["Audit trail intact: 1 chain, 1 entry checked in the sharepoint store."],
      exitCode: 0,
    });
  });

  it("names the first broken entry, then the others (at most twenty more)", () => {
    const { lines, exitCode } = verificationReport({ store: "sqlite", chains: 40, entries: 400, breaks: Array.from({ length: 23 }, (_, i) => brk(i + 1)) });
    expect(exitCode).toBe(1);
    expect(lines[0]).toBe("Audit trail BROKEN in 23 chains (40 chains, 400 entries checked in the sqlite store).");
    expect(lines[1]).toBe("First broken entry: chain plan-1, entry audit-1, position 1: its content no longer matches its hash.");
    expect(lines.filter((l) => l.startsWith("Also broken:"))).toHaveLength(20);
    expect(lines.at(-1)).toBe("… and 2 more broken chains.");
  });
});
