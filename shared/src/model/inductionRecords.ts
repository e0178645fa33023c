import { z } from "zod";
import { FormText, Id, IsoDate, IsoDateTime } from "./ids.js";
import { ProgressReview, ReviewTarget, ReviewedStandard, StandardRating } from "../ratings.js";

/**
 * Induction records beside the plans (issue 7): evidence attached to a plan's targets, termly
 * progress reviews, formal assessments and an ECT's private concerns. Records are kept, never
 * changed in place: a later review is a new record, a deleted file is hidden, not removed.
 */

// ------------------------------------------------------------------ evidence

/** The file types evidence may be: PDF, Word (.docx), images and plain text. */
export const EvidenceKind = z.enum(["pdf", "docx", "png", "jpeg", "gif", "webp", "text"]);
export type EvidenceKind = z.infer<typeof EvidenceKind>;

/** 10 MB: the largest evidence file accepted. */
export const maxEvidenceBytes = 10 * 1024 * 1024;

/** What is known about an evidence file; the bytes live in the store (a file, a document library). */
export const EvidenceRecord = z.object({
  id: Id,
  ectId: Id,
  planId: Id,
  targetId: Id,
  /** The sanitised name it is downloaded as. */
  fileName: z.string().min(1).max(200),
  kind: EvidenceKind,
  /** The content type the bytes were verified to be (not what the uploader claimed). */
  contentType: z.string().min(1).max(100),
  size: z.number().int().min(1).max(maxEvidenceBytes),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  uploadedAt: IsoDateTime,
  uploadedBy: Id,
  uploadedByName: z.string().max(200),
  /** Soft delete: the record and file are kept (retention), but hidden from lists and downloads. */
  deletedAt: IsoDateTime.optional(),
  deletedBy: Id.optional(),
});
export type EvidenceRecord = z.infer<typeof EvidenceRecord>;

// ------------------------------------------------------------------ reviews and assessments

const recordBase = {
  id: Id,
  ectId: Id,
  schoolId: Id,
  abId: Id,
  /** The review point this record answers: the one whose term contains its date (reviewPoints.ts). */
  due: z.object({ number: z.number().int().min(1), date: IsoDate, term: z.string().max(100), label: z.string().max(200) }).optional(),
  recordedAt: IsoDateTime,
  recordedBy: Id,
  recordedByName: z.string().max(200),
  /**
   * 1 for a first record; a revision after the AB returns it is the returned revision + 1
   * (issue 16). A revision is a new record with its own id: the earlier one is kept unchanged.
   */
  revision: z.number().int().min(1).default(1),
  /** The id of the earlier revision this record replaces (absent on a first record). */
  revises: Id.optional(),
};

/** A termly progress review as recorded (SG §2.48–2.54; ratings on the AB's scale, seed 003). */
export const ProgressReviewRecord = z.object({
  ...recordBase,
  kind: z.literal("progress_review"),
  scaleId: Id,
  review: ProgressReview,
});
export type ProgressReviewRecord = z.infer<typeof ProgressReviewRecord>;

/** The head's recommendation at the final assessment (SG §2.60; induction rules §13.8). */
export const AssessmentRecommendation = z.enum(["satisfactory", "unsatisfactory", "consider_extension"]);
export type AssessmentRecommendation = z.infer<typeof AssessmentRecommendation>;

/** The AB's decision, recorded on the final assessment when it is known (SG §2.67). */
export const AbDecision = z.enum(["pass", "extend", "fail"]);
export type AbDecision = z.infer<typeof AbDecision>;

export const FormalAssessment = z.object({
  ectId: Id,
  date: IsoDate,
  /** 1: end of induction year 1; 2: the final assessment. */
  number: z.union([z.literal(1), z.literal(2)]),
  /** Performance against the Teachers' Standards at this time (SG §2.59). */
  ratings: z.partialRecord(ReviewedStandard, StandardRating).default({}),
  scaleId: Id.optional(),
  evidenceSummary: FormText().default(""),
  /** First assessment: is the ECT on track? (The satisfactory judgement is made at the final one.) */
  onTrack: z.boolean().optional(),
  targets: z.array(ReviewTarget).max(20).default([]),
  /** Final assessment: the head's recommendation to the AB. */
  recommendation: AssessmentRecommendation.optional(),
  abDecision: AbDecision.optional(),
  /** The ECT's comments (added before signatures, SG §2.61). */
  ectComments: FormText().default(""),
});
export type FormalAssessment = z.infer<typeof FormalAssessment>;

export const FormalAssessmentRecord = z.object({
  ...recordBase,
  kind: z.literal("formal_assessment"),
  assessment: FormalAssessment,
});
export type FormalAssessmentRecord = z.infer<typeof FormalAssessmentRecord>;

// ------------------------------------------------------------------ concerns

/**
 * Who a concern goes to (seed 003 "Raising concerns"; SG §2.64): first the induction tutor, then
 * the appropriate body's named contact (also where a concern about the school goes when the
 * school's own procedure has not resolved it).
 */
export const ConcernContact = z.enum(["induction_tutor", "appropriate_body"]);
export type ConcernContact = z.infer<typeof ConcernContact>;

export const ConcernRecord = z.object({
  id: Id,
  kind: z.literal("concern"),
  ectId: Id,
  schoolId: Id,
  abId: Id,
  contact: ConcernContact,
  /** Concerns about the AB's own service follow the AB's complaints policy; about the school, the school's. */
  about: z.enum(["induction", "school", "appropriate_body"]).default("induction"),
  text: FormText(4000).trim().min(1),
  /** The people who may read it besides the ECT (the tutor, or the AB's officers). */
  visibleTo: z.array(Id).max(50),
  recordedAt: IsoDateTime,
  recordedBy: Id,
  recordedByName: z.string().max(200),
});
export type ConcernRecord = z.infer<typeof ConcernRecord>;

// ------------------------------------------------------------------ sign-off and returns

/** Who signs a review or assessment (SG §2.61: the ECT adds comments, then all sign). */
export const RecordSignerRole = z.enum(["ect", "induction_tutor", "head"]);
export type RecordSignerRole = z.infer<typeof RecordSignerRole>;

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * One signature on one revision of a review or assessment. `sealSha256` is the digest of what
 * was signed (recordLifecycle.ts `sealOf`), so a signature cannot be carried to other content.
 */
export const RecordSignature = z.object({
  id: Id,
  kind: z.literal("record_signature"),
  ectId: Id,
  schoolId: Id,
  abId: Id,
  /** The review/assessment revision signed. */
  recordId: Id,
  role: RecordSignerRole,
  name: z.string().max(200),
  sealSha256: Sha256Hex,
  /** The ECT's comments, added as they sign (SG §2.61: the ECT comments, then all sign). */
  comments: FormText(4000).optional(),
  recordedAt: IsoDateTime,
  recordedBy: Id,
  recordedByName: z.string().max(200),
});
export type RecordSignature = z.infer<typeof RecordSignature>;

/** Why an AB officer sends a record back to the school (ECT Manager's common reasons). */
export const ReturnReason = z.enum([
  "targets_not_specific",
  "no_reference_to_standards",
  "statement_missing",
  "evidence_insufficient",
  "ratings_inconsistent",
  "other",
]);
export type ReturnReason = z.infer<typeof ReturnReason>;

export const returnReasonLabels: Record<ReturnReason, string> = {
  targets_not_specific: "Targets are not specific",
  no_reference_to_standards: "No reference to the Teachers' Standards",
  statement_missing: "A statement is missing",
  evidence_insufficient: "Evidence is insufficient",
  ratings_inconsistent: "Ratings are inconsistent with the evidence",
  other: "Other (see comments)",
};

/** The AB returning one revision to the school with reasons and comments (issue 16 item 3). */
export const RecordReturn = z.object({
  id: Id,
  kind: z.literal("record_return"),
  ectId: Id,
  schoolId: Id,
  abId: Id,
  /** The revision returned. */
  recordId: Id,
  reasons: z.array(ReturnReason).max(6),
  comments: FormText(4000).trim().min(1, { message: "Say what the school should change" }),
  recordedAt: IsoDateTime,
  recordedBy: Id,
  recordedByName: z.string().max(200),
});
export type RecordReturn = z.infer<typeof RecordReturn>;

export const InductionRecord = z.discriminatedUnion("kind", [ProgressReviewRecord, FormalAssessmentRecord, ConcernRecord, RecordSignature, RecordReturn]);
export type InductionRecord = z.infer<typeof InductionRecord>;
export type InductionRecordKind = InductionRecord["kind"];

/** One row of the AB's review listing (GET /api/ab/reviews): the latest judgement per ECT. */
export const AbReviewRow = z.object({
  ectId: z.string(),
  ectName: z.string(),
  schoolId: z.string(),
  schoolName: z.string(),
  latest: z
    .object({
      id: z.string(),
      kind: z.enum(["progress_review", "formal_assessment"]),
      label: z.string(),
      date: z.string(),
      onTrack: z.boolean().optional(),
      lowestRating: z.string().optional(),
      recommendation: z.string().optional(),
      targets: z.number().int(),
      recordedByName: z.string(),
      /** Its current revision (1 unless the AB returned it and the school revised it). */
      revision: z.number().int().min(1).optional(),
      /** Sign-off (recordLifecycle.ts): waiting for signatures, signed by all, or returned to the school. */
      status: z.enum(["awaiting_signatures", "signed", "returned"]).optional(),
    })
    .optional(),
  /** The first review point without a record (reviewPoints.ts openReviewPoints), even when it is already past. */
  nextDue: z.object({ label: z.string(), date: z.string() }).optional(),
  /** Statutory events already past with no record answering them. */
  overdue: z.array(z.object({ label: z.string(), date: z.string() })),
});
export type AbReviewRow = z.infer<typeof AbReviewRow>;
