import { z } from "zod";
import { FormText, Id, IsoDate } from "./model/ids.js";
import { StandardCode, standardHeadings } from "./standards/index.js";
import type { Violation } from "./errors.js";

/**
 * Progress-review judgements.
 *
 * The statutory judgement at a progress review is only "on track" / "not on track" (SG §2.52,
 * induction rules §12). Rating each Teachers' Standard on a scale is an appropriate body's local
 * practice, so the scale is data an AB can configure. `defaultRatingScale` is the five-point scale
 * from the escalation policy (seed 003) used from September 2025.
 */

export const RatingLevel = z.object({
  id: z.string().min(1).max(64),
  label: z.string().min(1).max(100),
  description: z.string().max(2000),
  /** A written statement outlining the areas of concern is required at this rating. */
  statementRequired: z.boolean(),
});
export type RatingLevel = z.infer<typeof RatingLevel>;

export const RatingScale = z
  .object({
    id: Id,
    name: z.string().min(1).max(200),
    /** Highest rating first. */
    levels: z.array(RatingLevel).min(2).max(10),
  })
  .refine((s) => new Set(s.levels.map((l) => l.id)).size === s.levels.length, {
    message: "Each rating on a scale needs its own id",
    path: ["levels"],
  });
export type RatingScale = z.infer<typeof RatingScale>;

/** The five-point scale for progress reviews from September 2025 (seed 003), worded exactly as the policy words it. */
export const defaultRatingScale: RatingScale = {
  id: "progress_review_2025",
  name: "Progress review ratings (from September 2025)",
  levels: [
    {
      id: "exemplary",
      label: "Exemplary",
      description:
        "The ECT consistently exceeds the expectations at this stage of induction. They demonstrate high levels of skill, initiative, and reflective practice, with clear evidence of impact on pupil progress and classroom practice. They are performing at a level well above what is typically expected at this point.",
      statementRequired: false,
    },
    {
      id: "strong",
      label: "Strong",
      description:
        "The ECT is securely meeting all expectations and in some areas, exceeding them. They demonstrate confidence, consistency, and growing independence in their practice. There is clear evidence of effective teaching and positive impact on pupil outcomes.",
      statementRequired: false,
    },
    {
      id: "secure",
      label: "Secure",
      description:
        "The ECT is meeting the expected standards for their stage of induction. They are making steady progress. While there may be areas for continued development, they are on track to successfully complete their induction.",
      statementRequired: false,
    },
    {
      id: "attention_needed",
      label: "Attention needed",
      description:
        "The ECT is making some progress, but there are areas where improvement is required to meet the expected standards. Targeted support and monitoring are needed to help them stay on track. Concerns may be emerging but are not yet critical.",
      statementRequired: true,
    },
    {
      id: "cause_for_concern",
      label: "Cause for concern",
      description:
        "The ECT is not currently meeting the expectations, and there are significant concerns about their progress. Without immediate and sustained improvement, they may be at risk of not successfully completing their induction. A formal support plan should be considered or already in place.",
      statementRequired: true,
    },
  ],
};

/** The standards a progress review rates: the eight Part One headings and Part Two as a whole. */
export const ReviewedStandard = z.enum(["1", "2", "3", "4", "5", "6", "7", "8", "P2"]);
export type ReviewedStandard = z.infer<typeof ReviewedStandard>;
export const reviewedStandards: readonly ReviewedStandard[] = ReviewedStandard.options;

/** The heading shown for each rated standard, from the Teachers' Standards data. */
export function reviewedStandardTitle(code: ReviewedStandard): string {
  if (code === "P2") return "Part Two: Personal and professional conduct";
  const heading = standardHeadings.find((h) => h.code === code);
  return heading ? `${code}. ${heading.title}` : code;
}

export const StandardRating = z.object({
  /** The id of a level on the review's rating scale. */
  ratingId: z.string().min(1).max(64),
  /** Written statement outlining the areas of concern (required at some ratings). */
  statement: FormText().default(""),
});
export type StandardRating = z.infer<typeof StandardRating>;

export const ReviewTarget = z.object({
  text: FormText(2000).trim().min(1, { message: "Write the target" }),
  /** Teachers' Standards the target develops (e.g. 7d). */
  standards: z.array(StandardCode).max(12).default([]),
});
export type ReviewTarget = z.infer<typeof ReviewTarget>;

export const ProgressReview = z.object({
  ectId: Id,
  date: IsoDate,
  /** The statutory judgement: is the ECT on track to meet the Teachers' Standards by the end of induction? */
  onTrack: z.boolean(),
  evidenceSummary: FormText().default(""),
  /** The scale the ratings use; the AB's configured scale, or the default. */
  scaleId: Id.optional(),
  /** One rating per standard heading; a draft may leave some out (validateProgressReview reports them). */
  ratings: z.partialRecord(ReviewedStandard, StandardRating).default({}),
  /** "All progress reports will still require targets to be included" (seed 003). */
  targets: z.array(ReviewTarget).min(1, { message: "Targets are always required: add at least one" }).max(20),
  /** When the ECT is not on track, the support plan that follows (induction rules §13.4). */
  supportPlanId: Id.optional(),
});
export type ProgressReview = z.infer<typeof ProgressReview>;

const hasText = (s: string | undefined) => (s ?? "").trim().length > 0;

function ratingsOnScale(review: ProgressReview, scale: RatingScale): Violation[] {
  const out: Violation[] = [];
  if (review.scaleId !== undefined && review.scaleId !== scale.id) {
    out.push({
      path: "scaleId",
      code: "rating-scale-mismatch",
      message: `This review was rated on the scale "${review.scaleId}", not "${scale.name}".`,
      severity: "error",
    });
  }
  for (const code of reviewedStandards) {
    const rating = review.ratings[code];
    const title = reviewedStandardTitle(code);
    if (!rating || !hasText(rating.ratingId)) {
      out.push({ path: `ratings.${code}`, code: "standard-not-rated", message: `Rate standard ${title}.`, severity: "incomplete" });
      continue;
    }
    const level = scale.levels.find((l) => l.id === rating.ratingId);
    if (!level) {
      const allowed = scale.levels.map((l) => l.label).join(", ");
      out.push({
        path: `ratings.${code}.ratingId`,
        code: "unknown-rating",
        message: `"${rating.ratingId}" is not a rating on the ${scale.name} scale for standard ${title}. Use one of: ${allowed}.`,
        severity: "error",
      });
      continue;
    }
    if (level.statementRequired && !hasText(rating.statement)) {
      out.push({
        path: `ratings.${code}.statement`,
        code: "rating-needs-statement",
        message: `Standard ${title} is rated "${level.label}": write a statement outlining the areas of concern.`,
        severity: "incomplete",
      });
    }
  }
  return out;
}

function targetsIncluded(review: ProgressReview): Violation[] {
  const targets = review.targets ?? [];
  if (targets.length === 0) {
    return [{ path: "targets", code: "review-needs-targets", message: "Targets are always required: add at least one target.", severity: "incomplete" }];
  }
  return targets.flatMap((t, i): Violation[] =>
    hasText(t.text) ? [] : [{ path: `targets.${i}.text`, code: "target-needs-text", message: `Target ${i + 1}: write the target.`, severity: "incomplete" }],
  );
}

function notOnTrackRecord(review: ProgressReview): Violation[] {
  if (review.onTrack) return [];
  const out: Violation[] = [];
  if (!hasText(review.evidenceSummary)) {
    out.push({
      path: "evidenceSummary",
      code: "review-needs-evidence",
      message: "The ECT is not on track: summarise the evidence behind the judgement.",
      severity: "incomplete",
    });
  }
  if (!review.supportPlanId) {
    out.push({
      path: "supportPlanId",
      code: "review-needs-support-plan",
      message: "The ECT is not on track: link the support plan that will help them get back on track.",
      severity: "incomplete",
    });
  }
  return out;
}

function judgementMatchesRatings(review: ProgressReview, scale: RatingScale): Violation[] {
  if (!review.onTrack) return [];
  const worst = scale.levels[scale.levels.length - 1];
  if (!worst) return [];
  const flagged = reviewedStandards.filter((c) => review.ratings[c]?.ratingId === worst.id);
  if (flagged.length === 0) return [];
  return [
    {
      path: "onTrack",
      code: "on-track-with-lowest-rating",
      message: `The ECT is recorded as on track, but standard ${flagged.join(", ")} is rated "${worst.label}". Check the judgement.`,
      severity: "warning",
    },
  ];
}

/** What is wrong with a progress review against the AB's rating scale. */
export function validateProgressReview(review: ProgressReview, scale: RatingScale = defaultRatingScale): Violation[] {
  return [...ratingsOnScale(review, scale), ...targetsIncluded(review), ...notOnTrackRecord(review), ...judgementMatchesRatings(review, scale)];
}
