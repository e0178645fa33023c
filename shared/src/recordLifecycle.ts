import type {
  FormalAssessmentRecord,
  InductionRecord,
  ProgressReviewRecord,
  RecordReturn,
  RecordSignature,
  RecordSignerRole,
} from "./model/inductionRecords.js";
import { digestOf } from "./seal.js";

/**
 * Sign-off, return and revision of reviews and assessments (issue 16 item 3), pure. Records stay
 * append-only: a signature, a return and a revision are each new records; a chain is read back
 * from them. A revision names the record it `revises`; the chain's current revision is the one
 * nothing revises. Signatures count only on the current revision and only while the content
 * they sealed is unchanged.
 */

export type ReviewOrAssessment = ProgressReviewRecord | FormalAssessmentRecord;

export const isReviewOrAssessment = (r: InductionRecord): r is ReviewOrAssessment => r.kind === "progress_review" || r.kind === "formal_assessment";

/** What a signature seals: the judgement itself, the point it answers and its revision (not ids of signatures or who typed it). */
export function sealedContentOf(record: ReviewOrAssessment) {
  return record.kind === "progress_review"
    ? { kind: record.kind, ectId: record.ectId, due: record.due, revision: record.revision, scaleId: record.scaleId, review: record.review }
    : { kind: record.kind, ectId: record.ectId, due: record.due, revision: record.revision, assessment: record.assessment };
}

/** The sealSha256 a signature on this revision must carry. */
export const sealOf = (record: ReviewOrAssessment): string => digestOf(sealedContentOf(record));

/**
 * Who must sign, in the order the tab lists them. Both kinds: the ECT (after their comments,
 * SG §2.61), the induction tutor who wrote it and the head. SG asks at least the head and the
 * ECT for a formal assessment; the tutor signs too because the tutor authors it and the AB's
 * forms carry all three. (A person holding two roles signs once for both: see signRecord.)
 */
export function requiredRecordSigners(record: ReviewOrAssessment): RecordSignerRole[] {
  void record;
  return ["ect", "induction_tutor", "head"];
}

export type RecordChainStatus = "awaiting_signatures" | "signed" | "returned";

export interface RecordChain {
  /** The latest revision. */
  current: ReviewOrAssessment;
  /** Older revisions, oldest first. */
  earlier: ReviewOrAssessment[];
  /** Signatures on `current` whose seal matches it, one per role (the first), in the order of requiredRecordSigners. */
  signatures: RecordSignature[];
  /** Signatures on earlier revisions, by revision then role. */
  earlierSignatures: RecordSignature[];
  /** Every return on the chain, oldest first (each names the revision it returned). */
  returns: RecordReturn[];
  /** returned: the latest return is on the current revision (it waits for the school to revise it). */
  status: RecordChainStatus;
  missingSigners: RecordSignerRole[];
}

const byTime = <T extends { recordedAt: string; id: string }>(a: T, b: T) =>
  a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** The ids of revisions some later revision replaces. */
export function supersededIds(records: readonly InductionRecord[]): Set<string> {
  const out = new Set<string>();
  for (const r of records) if (isReviewOrAssessment(r) && r.revises) out.add(r.revises);
  return out;
}

/** Only the current revisions of reviews and assessments: what listings, judgements and review points count. */
export function currentRevisions(records: readonly InductionRecord[]): ReviewOrAssessment[] {
  const superseded = supersededIds(records);
  return records.filter(isReviewOrAssessment).filter((r) => !superseded.has(r.id));
}

/** Every review/assessment chain in the records, oldest first by its first revision. */
export function recordChains(records: readonly InductionRecord[]): RecordChain[] {
  const reviews = records.filter(isReviewOrAssessment);
  const byId = new Map(reviews.map((r) => [r.id, r]));
  const rootOf = (r: ReviewOrAssessment): string => {
    const seen = new Set<string>();
    let at = r;
    while (at.revises && byId.has(at.revises) && !seen.has(at.id)) {
      seen.add(at.id);
      at = byId.get(at.revises)!;
    }
    return at.id;
  };
  const groups = new Map<string, ReviewOrAssessment[]>();
  for (const r of reviews) {
    const root = rootOf(r);
    groups.set(root, [...(groups.get(root) ?? []), r]);
  }
  const signatures = records.filter((r): r is RecordSignature => r.kind === "record_signature").sort(byTime);
  const returns = records.filter((r): r is RecordReturn => r.kind === "record_return").sort(byTime);
  const chains = [...groups.values()].map((revisions): RecordChain => {
    revisions.sort((a, b) => a.revision - b.revision || byTime(a, b));
    const current = revisions.at(-1)!;
    const ids = new Set(revisions.map((r) => r.id));
    const seal = sealOf(current);
    const onCurrent: RecordSignature[] = [];
    for (const s of signatures) {
      if (s.recordId === current.id && s.sealSha256 === seal && !onCurrent.some((o) => o.role === s.role)) onCurrent.push(s);
    }
    const order = requiredRecordSigners(current);
    const roleRank = (s: RecordSignature) => order.indexOf(s.role);
    onCurrent.sort((a, b) => roleRank(a) - roleRank(b));
    const revisionRank = (s: RecordSignature) => revisions.findIndex((r) => r.id === s.recordId);
    const chainReturns = returns.filter((r) => ids.has(r.recordId));
    const missingSigners = order.filter((role) => !onCurrent.some((s) => s.role === role));
    const returned = chainReturns.at(-1)?.recordId === current.id;
    return {
      current,
      earlier: revisions.slice(0, -1),
      signatures: onCurrent,
      earlierSignatures: signatures
        .filter((s) => s.recordId !== current.id && ids.has(s.recordId))
        .sort((a, b) => revisionRank(a) - revisionRank(b) || roleRank(a) - roleRank(b)),
      returns: chainReturns,
      status: returned ? "returned" : missingSigners.length === 0 ? "signed" : "awaiting_signatures",
      missingSigners,
    };
  });
  return chains.sort((a, b) => byTime(a.earlier[0] ?? a.current, b.earlier[0] ?? b.current));
}

/** The chain holding this record id (any revision of it), if any. */
export function recordChain(records: readonly InductionRecord[], recordId: string): RecordChain | undefined {
  return recordChains(records).find((c) => c.current.id === recordId || c.earlier.some((r) => r.id === recordId));
}
