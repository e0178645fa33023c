import { z } from "zod";
import { Review, type Plan } from "../model/plan.js";
import { invalidState, validationFailed, type Violation } from "../errors.js";
import { requireTransition } from "../planStates.js";
import { targetWord } from "../templates.js";
import { auditEntry, isoNow, nextVersion, requireCan, requireVersion, type EctContext, type PlanWrites, type UseCaseContext } from "./context.js";

export const RecordReviewInput = z.object({
  version: z.number().int().min(1),
  review: Review.omit({ recordedBy: true, recordedAt: true }),
});
export type RecordReviewInput = z.infer<typeof RecordReviewInput>;

/**
 * The lead records the review: per-target outcome with evidence, the evaluation, next
 * objectives and whether the ECT is on track. The plan moves to "in review" until concluded.
 */
export function recordReview(ctx: UseCaseContext, ectCtx: EctContext, plan: Plan, input: RecordReviewInput): PlanWrites & { plan: Plan } {
  requireCan(ctx, "review", ectCtx.ect, plan);
  requireVersion(plan, input.version);
  requireTransition(plan, "review");
  if (plan.amendment) {
    throw invalidState("An amendment to this plan is waiting: have it signed or withdraw it, then review the plan as agreed.");
  }
  const violations: Violation[] = [];
  // The form's own word ("objective 2" on a Level form, "target 2" on the others).
  const word = targetWord(plan.templateId);
  const targetIds = new Set(plan.targets.map((t) => t.id));
  input.review.targetOutcomes.forEach((o, i) => {
    if (!targetIds.has(o.targetId)) {
      violations.push({
        path: `review.targetOutcomes.${i}.targetId`,
        code: "unknown-target",
        message: `This outcome is for ${word === "objective" ? "an" : "a"} ${word} that is not on the plan`,
        severity: "error",
      });
    }
  });
  const seen = new Set<string>();
  input.review.targetOutcomes.forEach((o, i) => {
    if (seen.has(o.targetId)) {
      violations.push({ path: `review.targetOutcomes.${i}`, code: "duplicate-target-outcome", message: `Each ${word} has one outcome`, severity: "error" });
    }
    seen.add(o.targetId);
  });
  // A review is a judgement on every target: none is left unassessed, none without its evidence.
  const given = new Map(input.review.targetOutcomes.map((o, i) => [o.targetId, { o, i }]));
  plan.targets.forEach((t, n) => {
    const found = given.get(t.id);
    if (!found) {
      violations.push({
        path: `targets.${n}`,
        code: "target-outcome-missing",
        message: `Say whether ${word} ${n + 1} was met, partially met or not met`,
        severity: "error",
      });
    } else if (!found.o.evidence.trim()) {
      violations.push({
        path: `review.targetOutcomes.${found.i}.evidence`,
        code: "target-evidence-missing",
        message: `Give the evidence for ${word} ${n + 1}'s outcome`,
        severity: "error",
      });
    }
  });
  if (violations.length > 0) throw validationFailed(violations, "The review has problems to fix");
  const review = { ...input.review, recordedBy: ctx.actor.id, recordedAt: isoNow(ctx) };
  const saved = nextVersion(ctx, plan, { review, status: "in_review" });
  const counts = (["met", "partially_met", "not_met"] as const).map(
    (k) => `${review.targetOutcomes.filter((o) => o.outcome === k).length} ${k.replace("_", " ")}`,
  );
  return {
    plan: saved,
    save: [{ plan: saved, expectedVersion: input.version }],
    audit: [
      auditEntry(
        ctx,
        "recordReview",
        ectCtx.ect,
        saved,
        `Recorded the review: ${counts.join(", ")}; on track: ${review.onTrack === undefined ? "not yet decided" : review.onTrack ? "yes" : "no"}`,
      ),
    ],
  };
}
