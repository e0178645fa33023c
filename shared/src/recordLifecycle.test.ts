import { describe, expect, it } from "vitest";
import type { InductionRecord, ProgressReviewRecord, RecordReturn, RecordSignature, RecordSignerRole } from "./model/inductionRecords.js";
import { InductionRecord as InductionRecordSchema } from "./model/inductionRecords.js";
import { currentRevisions, recordChain, recordChains, sealOf, sealedContentOf } from "./recordLifecycle.js";
import { openReviewPoints, recordedPoints, reviewPointFor } from "./reviewPoints.js";
import type { Ect } from "./model/people.js";

const ect: Ect = {
  id: "ect-1",
  personId: "person-1",
  schoolId: "school-1",
  abId: "ab-1",
  inductionStartDate: "2026-09-01",
  fte: 1,
  absences: [],
  extensions: [],
  track: "ect",
};

const base = { ectId: "ect-1", schoolId: "school-1", abId: "ab-1", recordedBy: "person-tutor", recordedByName: "Tutor" };

function review(id: string, revision: number, at: string, over: Partial<ProgressReviewRecord> = {}): ProgressReviewRecord {
  return {
    ...base,
    id,
    kind: "progress_review",
    revision,
    recordedAt: at,
    scaleId: "default",
    due: { number: 1, date: "2026-12-31", term: "Autumn 2026", label: "Progress review 1 (Autumn 2026)" },
    review: {
      ectId: "ect-1",
      date: "2026-11-27",
      onTrack: true,
      evidenceSummary: `summary of ${id}`,
      ratings: {},
      targets: [{ text: "Plan lessons", standards: [] }],
    },
    ...over,
  };
}
const sign = (id: string, recordId: string, role: RecordSignerRole, seal: string, at: string): RecordSignature => ({
  ...base,
  id,
  kind: "record_signature",
  recordId,
  role,
  name: role,
  sealSha256: seal,
  recordedAt: at,
});
const ret = (id: string, recordId: string, at: string): RecordReturn => ({
  ...base,
  id,
  kind: "record_return",
  recordId,
  reasons: ["targets_not_specific"],
  comments: "Targets are not specific",
  recordedAt: at,
  recordedBy: "person-ab",
  recordedByName: "AB officer",
});

const r1 = review("r1", 1, "2026-11-27T10:00:00Z");
const r2 = review("r2", 2, "2026-11-30T10:00:00Z", { revises: "r1", review: { ...r1.review, evidenceSummary: "revised" } });

describe("record chains", () => {
  it("a first record awaits all three signatures; signed once all three sign its content", () => {
    expect(recordChains([r1])).toMatchObject([{ current: { id: "r1" }, status: "awaiting_signatures", missingSigners: ["ect", "induction_tutor", "head"] }]);
    const all = [r1, ...(["ect", "induction_tutor", "head"] as const).map((role, i) => sign(`s${i}`, "r1", role, sealOf(r1), `2026-11-28T0${i}:00:00Z`))];
    expect(recordChains(all)[0]).toMatchObject({ status: "signed", missingSigners: [] });
  });

  it("a signature whose seal does not match the content does not count", () => {
    const changed = { ...r1, review: { ...r1.review, onTrack: false } };
    const chain = recordChains([changed, sign("s1", "r1", "head", sealOf(r1), "2026-11-28T00:00:00Z")])[0]!;
    expect(chain.signatures).toEqual([]);
    expect(chain.missingSigners).toContain("head");
  });

  it("a return on the current revision marks it returned; a revision needs fresh signatures and keeps the history", () => {
    const s1 = sign("s1", "r1", "ect", sealOf(r1), "2026-11-28T00:00:00Z");
    const back = ret("x1", "r1", "2026-11-29T00:00:00Z");
    expect(recordChains([r1, s1, back])[0]).toMatchObject({ status: "returned" });
    const chains = recordChains([r2, r1, s1, back]);
    expect(chains).toHaveLength(1);
    expect(chains[0]).toMatchObject({
      current: { id: "r2", revision: 2 },
      earlier: [{ id: "r1" }],
      signatures: [],
      earlierSignatures: [{ id: "s1" }],
      returns: [{ id: "x1", recordId: "r1" }],
      status: "awaiting_signatures",
    });
    expect(recordChain([r1, r2], "r1")?.current.id).toBe("r2");
    expect(recordChain([r1, r2], "nope")).toBeUndefined();
  });

  it("the seal covers the judgement and the revision, not who typed it", () => {
    expect(sealOf(r1)).toMatch(/^[0-9a-f]{64}$/);
    expect(sealOf({ ...r1, recordedByName: "Someone else" })).toBe(sealOf(r1));
    expect(sealOf({ ...r1, revision: 2 })).not.toBe(sealOf(r1));
    expect(sealedContentOf(r1)).toMatchObject({ kind: "progress_review", revision: 1, review: { date: "2026-11-27" } });
  });

  it("only current revisions count: signatures, returns and superseded revisions are not reviews", () => {
    const all: InductionRecord[] = [r1, r2, sign("s1", "r1", "ect", sealOf(r1), "2026-11-28T00:00:00Z"), ret("x1", "r1", "2026-11-29T00:00:00Z")];
    expect(currentRevisions(all).map((r) => r.id)).toEqual(["r2"]);
    expect(recordedPoints(all)).toEqual([{ kind: "progress_review", date: "2026-11-27", due: r2.due }]);
  });

  it("a revision files at the same point: the superseded revision is not a duplicate", () => {
    // The point is taken by r1 alone; once r2 revises r1 the point is still answered once (by r2).
    expect(reviewPointFor(ect, "progress_review", "2026-11-27", { recorded: recordedPoints([r1]) })).toMatchObject({ ok: false, code: "already-recorded" });
    expect(recordedPoints([r1, r2])).toHaveLength(1);
    expect(openReviewPoints(ect, recordedPoints([r1, r2]))[0]?.label).toBe("Progress review 2 (Spring 2027)");
  });

  it("the new kinds parse as induction records; a return needs comments", () => {
    expect(InductionRecordSchema.parse(sign("s1", "r1", "ect", sealOf(r1), "2026-11-28T00:00:00Z")).kind).toBe("record_signature");
    expect(InductionRecordSchema.parse(ret("x1", "r1", "2026-11-29T00:00:00Z")).kind).toBe("record_return");
    expect(InductionRecordSchema.safeParse({ ...ret("x1", "r1", "2026-11-29T00:00:00Z"), comments: "  " }).success).toBe(false);
    expect(InductionRecordSchema.parse({ ...r1, revision: undefined }).kind === "progress_review" && "revision").toBeTruthy();
  });
});
