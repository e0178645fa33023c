import { z } from "zod";
import { ProgressReview, defaultRatingScale, validateProgressReview, type RatingScale } from "../ratings.js";
import type { Violation } from "../errors.js";
import type { ProgressReviewRecord } from "../model/inductionRecords.js";
import { forbidden, validationFailed } from "../errors.js";
import { relationshipsTo } from "../permissions.js";
import { fileAtReviewPoint, type RecordedPoint } from "../reviewPoints.js";
import { termsOf } from "../model/people.js";
import { auditEntry, isoNow, isoToday, type EctContext, type UseCaseContext } from "./context.js";
import { dueOf, type RecordWrites } from "./recordAccess.js";

export const RecordProgressReviewInput = ProgressReview.omit({ ectId: true });
export type RecordProgressReviewInput = z.infer<typeof RecordProgressReviewInput>;

/** The default five-point scale is in force from this date (seed 003); earlier reviews were on track / not on track only. */
export const fivePointScaleFrom = "2025-09-01";

/**
 * A review dated before September 2025 cannot be rated on the five-point scale: it did not exist
 * yet. Such a review is refused on its date (422) rather than recorded on a scale not then in
 * force: the statutory judgement of the time (on track / not on track) stays on the form it was
 * made on. An AB's own scale is its own, and carries no start date here.
 */
function scaleInForce(date: string, scale: RatingScale): Violation[] {
  if (scale.id !== defaultRatingScale.id || date >= fivePointScaleFrom) return [];
  return [
    {
      path: "date",
      code: "scale-not-in-force",
      message:
        "Before 1 September 2025 progress reviews recorded only the statutory judgement (on track / not on track); the five-point ratings apply from September 2025. Record reviews from September 2025 here.",
      severity: "error",
    },
  ];
}

/**
 * The termly progress review (SG §2.48–2.54): every standard rated on the AB's scale, a statement
 * where the rating needs one, targets always, and the statutory judgement on track yes / no. Only
 * the ECT's induction tutor, the head or the induction lead records it. A review that is not
 * complete is refused whole: nothing is written. Not on track tells the AB at once (§4.1).
 * It files at the review point whose term contains its date (reviewPoints.ts): a date after
 * today, outside every point, or for a point in `recorded` already is refused.
 */
export function recordProgressReview(
  ctx: UseCaseContext,
  ectCtx: EctContext,
  input: RecordProgressReviewInput,
  options: { scale?: RatingScale; ectPlanIds?: readonly string[]; recorded?: readonly RecordedPoint[] } = {},
): RecordWrites & { record: ProgressReviewRecord; warnings: Violation[] } {
  const scale = options.scale ?? defaultRatingScale;
  const rel = relationshipsTo(ctx.actor, ectCtx.ect);
  if (!rel.has("induction_tutor") && !rel.has("head") && !rel.has("induction_lead")) {
    throw forbidden("Only the ECT's induction tutor, the headteacher or the induction lead can record a progress review.");
  }
  const review = ProgressReview.parse({ ...input, ectId: ectCtx.ect.id, scaleId: input.scaleId ?? scale.id });
  const checked = validateProgressReview(review, scale);
  // Warnings (on track yet a standard at the lowest rating) do not stop the save: they go back with it.
  const warnings = checked.filter((v) => v.severity === "warning");
  const violations = [...scaleInForce(review.date, scale), ...checked.filter((v) => v.severity !== "warning")];
  if (review.supportPlanId && options.ectPlanIds && !options.ectPlanIds.includes(review.supportPlanId)) {
    violations.push({
      path: "supportPlanId",
      code: "unknown-support-plan",
      message: "The linked support plan is not one of this ECT's plans.",
      severity: "error",
    });
  }
  if (violations.length > 0) throw validationFailed(violations, "The progress review has problems to fix: nothing was saved");
  const due = fileAtReviewPoint(ectCtx.ect, "progress_review", review.date, isoToday(ctx), {
    recorded: options.recorded ?? [],
    terms: termsOf(ectCtx.school),
  });
  const record: ProgressReviewRecord = {
    id: ctx.newId(),
    kind: "progress_review",
    ectId: ectCtx.ect.id,
    schoolId: ectCtx.ect.schoolId,
    abId: ectCtx.ect.abId,
    ...dueOf(due),
    revision: 1,
    scaleId: scale.id,
    review,
    recordedAt: isoNow(ctx),
    recordedBy: ctx.actor.id,
    recordedByName: ctx.actor.displayName,
  };
  const outbox =
    review.onTrack || !review.supportPlanId
      ? []
      : ectCtx.abOfficers.map((o) => ({
          kind: "insufficient_progress_alert" as const,
          recipientId: o.id,
          planId: review.supportPlanId!,
          ectId: ectCtx.ect.id,
          dedupeKey: `progress-review-not-on-track:${record.id}:${o.id}`,
          data: { recordId: record.id },
        }));
  return {
    record,
    warnings,
    records: [record],
    audit: [
      auditEntry(
        ctx,
        "recordProgressReview",
        ectCtx.ect,
        undefined,
        `Recorded a progress review (${due.label}); on track: ${review.onTrack ? "yes" : "no"}; ${review.targets.length} target(s)`,
      ),
    ],
    outbox,
  };
}
