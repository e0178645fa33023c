import type { Level, Plan } from "../model/plan.js";
import { templateForLevel } from "../templates.js";
import { blankContent, newPlan } from "./createPlan.js";
import { isoToday, type EctContext, type UseCaseContext } from "./context.js";
import { successorStart } from "./successorStart.js";

export * from "./successorStart.js";

/**
 * The next plan, pre-filled from `successorStart`: the ladder's dates, the targets not met and the
 * review's next objectives; the next objectives also stay the statement of concern to start from.
 */
export function buildSuccessorPlan(ctx: UseCaseContext, ectCtx: EctContext, from: Plan, level: Level): Plan {
  const template = templateForLevel(level);
  const start = successorStart(from, level, isoToday(ctx));
  const content = blankContent(template, start.startDate);
  content.term = start.term;
  if (start.endDate) content.endDate = start.endDate;
  if (start.reviewDate) content.reviewDate = start.reviewDate;
  content.targets = start.objectives.map((o) => ({ id: ctx.newId(), ...o.target }));
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
