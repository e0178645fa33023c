import type { Level, Plan, Target } from "../model/plan.js";
import { templateForLevel } from "../templates.js";
import { blankContent, newPlan } from "./createPlan.js";
import { isoToday, type EctContext, type UseCaseContext } from "./context.js";

/** Targets not met at review (all of them if there was no review), ready to carry over. */
export function targetsToCarry(plan: Plan): Target[] {
  const outcomes = new Map((plan.review?.targetOutcomes ?? []).map((o) => [o.targetId, o.outcome]));
  return plan.targets.filter((t) => outcomes.get(t.id) !== "met");
}

/**
 * The next plan, pre-filled: targets not met carry over with their standards and success
 * criteria; the review's next objectives become the statement of concern to start from.
 */
export function buildSuccessorPlan(ctx: UseCaseContext, ectCtx: EctContext, from: Plan, level: Level): Plan {
  const template = templateForLevel(level);
  const content = blankContent(template, isoToday(ctx));
  content.targets = targetsToCarry(from).map((t) => ({
    id: ctx.newId(),
    standards: [...t.standards],
    text: t.text,
    ectActions: t.ectActions,
    schoolActions: t.schoolActions,
    supportedBy: t.supportedBy,
    resources: t.resources,
    successCriteria: t.successCriteria,
    timeScale: "",
    observationOutcome: "",
    outcomeEntries: [],
    carriedFromTargetId: t.id,
  }));
  content.statementOfConcern = from.review?.nextObjectives || from.statementOfConcern;
  if (level === 1) {
    content.previousObjectives = from.targets
      .map((t) => t.text)
      .filter(Boolean)
      .join("\n");
    content.previousEvaluation = from.review?.evaluation ?? "";
  }
  content.relatedStandards = [...new Set(content.targets.flatMap((t) => t.standards))];
  return newPlan(ctx, ectCtx, { template, content, predecessorId: from.id, level });
}
