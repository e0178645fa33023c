import { describe, expect, it } from "vitest";
import {
  ProgressReview,
  RatingScale,
  defaultRatingScale,
  reviewedStandardTitle,
  reviewedStandards,
  validateProgressReview,
  type ReviewedStandard,
} from "./ratings.js";

const allSecure = () =>
  Object.fromEntries(reviewedStandards.map((c) => [c, { ratingId: "secure", statement: "" }])) as Record<
    ReviewedStandard,
    { ratingId: string; statement: string }
  >;

const review = (over: Partial<ProgressReview> = {}): ProgressReview =>
  ProgressReview.parse({
    ectId: "ect-1",
    date: "2026-03-20",
    onTrack: true,
    ratings: allSecure(),
    targets: [{ text: "Use questioning to check understanding before moving on", standards: ["4b", "6b"] }],
    ...over,
  });

describe("defaultRatingScale", () => {
  it("is the 2025 five-point scale from the escalation policy, in order", () => {
    expect(defaultRatingScale.levels.map((l) => l.label)).toEqual(["Exemplary", "Strong", "Secure", "Attention needed", "Cause for concern"]);
    expect(defaultRatingScale.levels.map((l) => l.id)).toEqual(["exemplary", "strong", "secure", "attention_needed", "cause_for_concern"]);
    expect(RatingScale.safeParse(defaultRatingScale).success).toBe(true);
  });

  it("requires a written statement only for Attention needed and Cause for concern", () => {
    expect(defaultRatingScale.levels.filter((l) => l.statementRequired).map((l) => l.label)).toEqual(["Attention needed", "Cause for concern"]);
  });

  it("carries the policy's exact descriptions", () => {
    const byId = new Map(defaultRatingScale.levels.map((l) => [l.id, l.description]));
    expect(byId.get("exemplary")).toBe(
      "The ECT consistently exceeds the expectations at this stage of induction. They demonstrate high levels of skill, initiative, and reflective practice, with clear evidence of impact on pupil progress and classroom practice. They are performing at a level well above what is typically expected at this point.",
    );
    expect(byId.get("strong")).toBe(
      "The ECT is securely meeting all expectations and in some areas, exceeding them. They demonstrate confidence, consistency, and growing independence in their practice. There is clear evidence of effective teaching and positive impact on pupil outcomes.",
    );
    expect(byId.get("secure")).toBe(
      "The ECT is meeting the expected standards for their stage of induction. They are making steady progress. While there may be areas for continued development, they are on track to successfully complete their induction.",
    );
    expect(byId.get("attention_needed")).toBe(
      "The ECT is making some progress, but there are areas where improvement is required to meet the expected standards. Targeted support and monitoring are needed to help them stay on track. Concerns may be emerging but are not yet critical.",
    );
    expect(byId.get("cause_for_concern")).toBe(
      "The ECT is not currently meeting the expectations, and there are significant concerns about their progress. Without immediate and sustained improvement, they may be at risk of not successfully completing their induction. A formal support plan should be considered or already in place.",
    );
  });
});

describe("RatingScale schema", () => {
  it("accepts an AB's own scale", () => {
    const threePoint = {
      id: "ab-3",
      name: "Three point",
      levels: [
        { id: "ahead", label: "Ahead", description: "", statementRequired: false },
        { id: "on_track", label: "On track", description: "", statementRequired: false },
        { id: "behind", label: "Behind", description: "", statementRequired: true },
      ],
    };
    expect(RatingScale.parse(threePoint).levels).toHaveLength(3);
  });

  it("rejects duplicate rating ids", () => {
    const result = RatingScale.safeParse({
      id: "dup",
      name: "Duplicate",
      levels: [
        { id: "a", label: "A", description: "", statementRequired: false },
        { id: "a", label: "B", description: "", statementRequired: true },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("Each rating on a scale needs its own id");
  });
});

describe("ProgressReview schema", () => {
  it("always requires targets", () => {
    const result = ProgressReview.safeParse({ ectId: "ect-1", date: "2026-03-20", onTrack: true, ratings: allSecure(), targets: [] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ["targets"], message: "Targets are always required: add at least one" });
  });

  it("rejects a standard that is not a review heading", () => {
    const result = ProgressReview.safeParse({
      ectId: "ect-1",
      date: "2026-03-20",
      onTrack: true,
      ratings: { "9": { ratingId: "secure" } },
      targets: [{ text: "x" }],
    });
    expect(result.success).toBe(false);
  });

  it("rates the eight Part One headings and Part Two", () => {
    expect(reviewedStandards).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "P2"]);
    expect(reviewedStandardTitle("7")).toBe("7. Manage behaviour effectively to ensure a good and safe learning environment");
    expect(reviewedStandardTitle("P2")).toBe("Part Two: Personal and professional conduct");
  });
});

describe("validateProgressReview", () => {
  it("passes a complete on-track review", () => {
    expect(validateProgressReview(review(), defaultRatingScale)).toEqual([]);
  });

  it("requires a statement where the rating requires one", () => {
    const ratings = { ...allSecure(), "7": { ratingId: "attention_needed", statement: "  " } };
    expect(validateProgressReview(review({ ratings }), defaultRatingScale)).toEqual([
      {
        path: "ratings.7.statement",
        code: "rating-needs-statement",
        message:
          'Standard 7. Manage behaviour effectively to ensure a good and safe learning environment is rated "Attention needed": write a statement outlining the areas of concern.',
        severity: "incomplete",
      },
    ]);
    const withStatement = { ...allSecure(), "7": { ratingId: "attention_needed", statement: "Low-level disruption in Year 9 lessons." } };
    expect(validateProgressReview(review({ ratings: withStatement }), defaultRatingScale)).toEqual([]);
  });

  it("rejects a rating id that is not on the scale", () => {
    const ratings = { ...allSecure(), "3": { ratingId: "outstanding", statement: "" } };
    const v = validateProgressReview(review({ ratings }), defaultRatingScale);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ path: "ratings.3.ratingId", code: "unknown-rating", severity: "error" });
    expect(v[0]?.message).toContain('"outstanding" is not a rating');
    expect(v[0]?.message).toContain("Exemplary, Strong, Secure, Attention needed, Cause for concern");
  });

  it("requires every standard to be rated", () => {
    const { P2: _omitted, ...ratings } = allSecure();
    const v = validateProgressReview(review({ ratings }), defaultRatingScale);
    expect(v).toEqual([
      { path: "ratings.P2", code: "standard-not-rated", message: "Rate standard Part Two: Personal and professional conduct.", severity: "incomplete" },
    ]);
  });

  it("requires targets even when built without the schema", () => {
    const v = validateProgressReview({ ...review(), targets: [] }, defaultRatingScale);
    expect(v).toEqual([
      { path: "targets", code: "review-needs-targets", message: "Targets are always required: add at least one target.", severity: "incomplete" },
    ]);
  });

  it("asks for evidence and a support plan when the ECT is not on track", () => {
    const notOnTrack = review({ onTrack: false });
    expect(validateProgressReview(notOnTrack).map((v) => `${v.path} ${v.severity}`)).toEqual(["evidenceSummary incomplete", "supportPlanId incomplete"]);
    const complete = review({ onTrack: false, evidenceSummary: "Three observations show...", supportPlanId: "plan-9" });
    expect(validateProgressReview(complete)).toEqual([]);
  });

  it("warns when an on-track ECT has a standard rated Cause for concern", () => {
    const ratings = { ...allSecure(), "6": { ratingId: "cause_for_concern", statement: "Marking is not used to plan." } };
    expect(validateProgressReview(review({ ratings }))).toEqual([
      {
        path: "onTrack",
        code: "on-track-with-lowest-rating",
        message: 'The ECT is recorded as on track, but standard 6 is rated "Cause for concern". Check the judgement.',
        severity: "warning",
      },
    ]);
  });

  it("checks a review against the AB's own scale", () => {
    const scale = RatingScale.parse({
      id: "ab-3",
      name: "Three point",
      levels: [
        { id: "ahead", label: "Ahead", description: "", statementRequired: false },
        { id: "on_track", label: "On track", description: "", statementRequired: false },
        { id: "behind", label: "Behind", description: "", statementRequired: true },
      ],
    });
    const ratings = Object.fromEntries(reviewedStandards.map((c) => [c, { ratingId: "on_track", statement: "" }]));
    expect(validateProgressReview(review({ ratings, scaleId: "ab-3" }), scale)).toEqual([]);
    expect(validateProgressReview(review({ ratings, scaleId: "other" }), scale)[0]).toMatchObject({
      path: "scaleId",
      code: "rating-scale-mismatch",
      severity: "error",
    });
    // "secure" is on the default scale but not this one.
    expect(validateProgressReview(review(), scale).filter((v) => v.code === "unknown-rating")).toHaveLength(9);
  });
});
