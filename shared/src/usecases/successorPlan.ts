import type { Level, Plan, PlanContent } from "../model/plan.js";
import { keepPrinted } from "../printedFields.js";
import { templateForLevel } from "../templates.js";
import { blankContent, newPlan } from "./createPlan.js";
import { isoToday, type EctContext, type UseCaseContext } from "./context.js";
import { termsOf } from "../model/people.js";
import { successorStart } from "./successorStart.js";

export * from "./successorStart.js";

/**
 * The next plan, pre-filled from `successorStart`: the ladder's dates, the targets not met and the
 * review's next objectives; the next objectives also stay the statement of concern to start from
 * where the form prints one (Level 5's reasons for risk of failing, Level 1's reason).
 */
export function buildSuccessorPlan(ctx: UseCaseContext, ectCtx: EctContext, from: Plan, level: Level): Plan {
  const template = templateForLevel(level);
  const terms = termsOf(ectCtx.school);
  const start = successorStart(from, level, isoToday(ctx), terms);
  const content = blankContent(template, start.startDate, terms);
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
  // Only what the new form prints is carried over (issue 16): text in a field the form has no
  // place for would sit in the record unseen, and the next save would be refused for it.
  const printed: PlanContent = { ...blankContent(template, start.startDate, terms), ...keepPrinted(template, content) };
  return newPlan(ctx, ectCtx, { template, content: printed, predecessorId: from.id, level });
}
