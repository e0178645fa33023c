import { z } from "zod";
import { FormalAssessment, type FormalAssessmentRecord } from "../model/inductionRecords.js";
import { defaultRatingScale, reviewedStandards, reviewedStandardTitle, type RatingScale } from "../ratings.js";
import { forbidden, validationFailed, type Violation } from "../errors.js";
import { relationshipsTo } from "../permissions.js";
import { totalInductionTerms, inductionTimeline } from "../timeline.js";
import { fileAtReviewPoint, type RecordedPoint } from "../reviewPoints.js";
import { termsOf } from "../model/people.js";
import { auditEntry, isoNow, isoToday, type EctContext, type UseCaseContext } from "./context.js";
import { dueOf, type RecordWrites } from "./recordAccess.js";

export const RecordFormalAssessmentInput = FormalAssessment.omit({ ectId: true });
export type RecordFormalAssessmentInput = z.infer<typeof RecordFormalAssessmentInput>;

/**
 * A formal assessment at the end of year 1 or the end of induction (SG §2.55–2.61). Only the head
 * or the ECT's induction tutor may author it — never a mentor who is not also the tutor
 * (induction rules §13.8). The final one carries the head's recommendation (satisfactory,
 * unsatisfactory, consider an extension); the first says whether the ECT is on track. It files
 * at the assessment point whose term contains its date (reviewPoints.ts), never after today.
 */
export function recordFormalAssessment(
  ctx: UseCaseContext,
  ectCtx: EctContext,
  input: RecordFormalAssessmentInput,
  options: { scale?: RatingScale; recorded?: readonly RecordedPoint[] } = {},
): RecordWrites & { record: FormalAssessmentRecord } {
  const rel = relationshipsTo(ctx.actor, ectCtx.ect);
  if (!rel.has("induction_tutor") && !rel.has("head")) {
    throw forbidden("Only the headteacher or the ECT's induction tutor can write a formal assessment (never a mentor who is not also the tutor).");
  }
  const scale = options.scale ?? defaultRatingScale;
  const assessment = FormalAssessment.parse({ ...input, ectId: ectCtx.ect.id, scaleId: input.scaleId ?? scale.id });
  const violations: Violation[] = [];
  for (const code of reviewedStandards) {
    const r = assessment.ratings[code];
    if (!r) continue;
    const level = scale.levels.find((l) => l.id === r.ratingId);
    if (!level)
      violations.push({
        path: `ratings.${code}.ratingId`,
        code: "unknown-rating",
        message: `"${r.ratingId}" is not a rating on the ${scale.name} scale.`,
        severity: "error",
      });
    else if (level.statementRequired && !r.statement.trim()) {
      violations.push({
        path: `ratings.${code}.statement`,
        code: "rating-needs-statement",
        message: `Standard ${reviewedStandardTitle(code)} is rated "${level.label}": write a statement outlining the areas of concern.`,
        severity: "error",
      });
    }
  }
  if (assessment.number === 1) {
    if (assessment.onTrack === undefined)
      violations.push({
        path: "onTrack",
        code: "assessment-needs-judgement",
        message: "Say whether the ECT is on track to complete induction.",
        severity: "error",
      });
    if (assessment.recommendation)
      violations.push({
        path: "recommendation",
        code: "recommendation-at-final-only",
        message: "The recommendation to the AB is made at the final assessment.",
        severity: "error",
      });
    if (assessment.abDecision)
      violations.push({ path: "abDecision", code: "decision-at-final-only", message: "The AB decides at the end of induction.", severity: "error" });
  } else {
    if (!assessment.recommendation)
      violations.push({
        path: "recommendation",
        code: "assessment-needs-recommendation",
        message: "Record the head's recommendation: satisfactory, unsatisfactory or consider an extension.",
        severity: "error",
      });
    const timeline = inductionTimeline(ectCtx.ect, assessment.date, termsOf(ectCtx.school));
    if (assessment.abDecision === "fail" && timeline.termsServed + 1e-9 < totalInductionTerms(ectCtx.ect)) {
      violations.push({
        path: "abDecision",
        code: "fail-before-full-period",
        message: "Nobody can fail induction before completing a full induction period.",
        severity: "error",
      });
    }
  }
  if (violations.length > 0) throw validationFailed(violations, "The formal assessment has problems to fix: nothing was saved");
  const due = fileAtReviewPoint(ectCtx.ect, "formal_assessment", assessment.date, isoToday(ctx), {
    finalAssessment: assessment.number === 2,
    recorded: options.recorded ?? [],
    terms: termsOf(ectCtx.school),
  });
  const record: FormalAssessmentRecord = {
    id: ctx.newId(),
    kind: "formal_assessment",
    ectId: ectCtx.ect.id,
    schoolId: ectCtx.ect.schoolId,
    abId: ectCtx.ect.abId,
    ...dueOf(due),
    revision: 1,
    assessment,
    recordedAt: isoNow(ctx),
    recordedBy: ctx.actor.id,
    recordedByName: ctx.actor.displayName,
  };
  const judgement = assessment.number === 1 ? `on track: ${assessment.onTrack ? "yes" : "no"}` : `recommendation: ${assessment.recommendation}`;
  return {
    record,
    records: [record],
    audit: [
      auditEntry(ctx, "recordFormalAssessment", ectCtx.ect, undefined, `Recorded formal assessment ${assessment.number === 2 ? "(final)" : "1"}; ${judgement}`),
    ],
  };
}
