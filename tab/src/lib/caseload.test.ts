import { describe, expect, it } from "vitest";
import { needsAttention, rowStage, signaturesAwaited } from "./caseload";
import type { CaseloadRow } from "./types";

type RowPlan = NonNullable<CaseloadRow["plan"]>;
const plan = (patch: Partial<RowPlan> | Record<string, unknown>): RowPlan => ({
  id: "p",
  templateId: "level_2",
  level: 2,
  status: "draft",
  awaitingSignatures: 0,
  overdueCheckIns: 0,
  ...patch,
});
const row = (p: RowPlan): CaseloadRow => ({
  ectId: "e",
  ectName: "Erin",
  schoolId: "s",
  schoolName: "S",
  abId: "ab",
  track: "ect",
  year: "ECT1",
  plan: p,
  planCount: 1,
});

describe("a caseload row's stage", () => {
  it("is the server's stage when the row has one", () => {
    const p = plan({ status: "active", stage: "Active · amendment proposed, not yet sent for signature", awaitingSignatures: 2 });
    expect(rowStage(p)).toBe("Active · amendment proposed, not yet sent for signature");
    expect(signaturesAwaited(p)).toBe(2);
  });

  it("else reads the signature progress the row carries", () => {
    const p = plan({ status: "awaiting_signatures", awaitingSignatures: 1, signatureProgress: { signed: 2, of: 3, amendment: false } });
    expect(rowStage(p)).toBe("Awaiting signatures (2 of 3)");
    expect(signaturesAwaited(p)).toBe(1);
  });

  it("reads the summary's signature progress: awaiting, and an amendment on a running plan", () => {
    const awaiting = plan({ status: "awaiting_signatures", awaitingSignatures: { signed: 1, of: 3, amendment: false } });
    expect(rowStage(awaiting)).toBe("Awaiting signatures (1 of 3)");
    expect(signaturesAwaited(awaiting)).toBe(2);
    const amending = plan({ status: "active", awaitingSignatures: { signed: 0, of: 2, amendment: true } });
    expect(rowStage(amending)).toBe("Active · amendment awaiting signatures (0 of 2)");
    expect(needsAttention(row(amending))).toBe(true);
  });

  it("falls back to the status and the count when the server sends only a count", () => {
    const old = plan({ status: "awaiting_signatures", awaitingSignatures: 2 });
    expect(rowStage(old)).toBe("Awaiting signatures");
    expect(signaturesAwaited(old)).toBe(2);
    expect(rowStage(plan({ status: "active" }))).toBe("Active");
    expect(needsAttention(row(plan({ status: "active" })))).toBe(false);
    expect(signaturesAwaited(plan({ status: "closed", awaitingSignatures: { signed: 0, of: 2, amendment: true } }))).toBe(0);
  });
});
