import {
  defaultRatingScale,
  headsOf,
  sealOf,
  type EctContext,
  type RatingScale,
  type RecordChain,
  type RecordSignature,
  type RecordSignerRole,
  type ReviewOrAssessment,
} from "@ectsp/shared";

/** What a review or assessment layout needs: the revision printed, its chain, and the names it refers to by id. */
export interface RecordExportInput {
  /** The revision printed (usually the chain's current one). */
  record: ReviewOrAssessment;
  chain: RecordChain;
  ectName: string;
  schoolName: string;
  /** The scale the ratings are on, with its words for each rating. */
  scale: RatingScale;
  /** Who would sign in each role, for the "still to sign" lines. */
  signerNames: Partial<Record<RecordSignerRole, string>>;
  /** The support plan a review links to, named as its form. */
  supportPlan?: { id: string; name: string };
  exportedAt: Date;
  exportedByName: string;
}

/** The scales the app knows; a record on a scale it does not know is printed with the ids it holds. */
const scales: readonly RatingScale[] = [defaultRatingScale];
export const scaleById = (id: string | undefined): RatingScale => scales.find((s) => s.id === id) ?? defaultRatingScale;

export const isCurrent = (input: Pick<RecordExportInput, "record" | "chain">) => input.chain.current.id === input.record.id;

/**
 * The signatures that count for the revision printed: the chain's own for the current one;
 * for an earlier revision, those given on it whose seal matches it (they stay true of that text).
 */
export function signaturesOnPrinted(input: Pick<RecordExportInput, "record" | "chain">): RecordSignature[] {
  if (isCurrent(input)) return input.chain.signatures;
  const seal = sealOf(input.record);
  const out: RecordSignature[] = [];
  for (const s of input.chain.earlierSignatures) {
    if (s.recordId === input.record.id && s.sealSha256 === seal && !out.some((o) => o.role === s.role)) out.push(s);
  }
  return out;
}

export function recordExportInputFrom(
  record: ReviewOrAssessment,
  chain: RecordChain,
  ectCtx: EctContext,
  exportedAt: Date,
  exportedByName: string,
  supportPlan?: { id: string; name: string },
): RecordExportInput {
  const tutor = ectCtx.schoolStaff.find((p) => p.id === ectCtx.ect.inductionTutorId);
  const heads = headsOf(ectCtx).map((p) => p.displayName);
  const signerNames: Partial<Record<RecordSignerRole, string>> = {
    ect: ectCtx.ectPerson.displayName,
    ...(tutor ? { induction_tutor: tutor.displayName } : {}),
    ...(heads.length ? { head: heads.join(" or ") } : {}),
  };
  return {
    record,
    chain,
    ectName: ectCtx.ectPerson.displayName,
    schoolName: ectCtx.school.name,
    scale: scaleById(record.kind === "progress_review" ? record.scaleId : record.assessment.scaleId),
    signerNames,
    ...(supportPlan ? { supportPlan } : {}),
    exportedAt,
    exportedByName,
  };
}
