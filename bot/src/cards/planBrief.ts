import { ladderLevel, planStage, targetWord, templateById, type Plan } from "@ectsp/shared";
import { planLink, type PlanLinks } from "./card.js";

/** What every card says about the plan it is about: names and dates, never the whole plan. */
export interface PlanBrief {
  planId: string;
  /** The form's name, e.g. "Level 2 – Support plan 1". */
  title: string;
  ectName: string;
  level?: number;
  levelName?: string;
  status: Plan["status"];
  /** The status as people read it everywhere (planStage): "Awaiting signatures (1 of 3)". */
  stage: string;
  startDate?: string;
  endDate?: string;
  reviewDate?: string;
  weeksTotal: number;
  /** The link to the plan (planLink): a Teams deep link once the app has a Teams app id. */
  url: string;
  /** The form's word for what it holds (targetWord): "objective" on the Level forms; "target" when absent. */
  targetWord?: "objective" | "target";
}

/** "objective" or "target", as the plan's form words it. */
export const wordOf = (plan: Pick<PlanBrief, "targetWord">): "objective" | "target" => plan.targetWord ?? "target";

/**
 * The brief of a plan. `dates` gives the dates to show when they are not the plan's own: an
 * amendment's card shows the dates being approved.
 */
export function planBrief(
  plan: Plan,
  ectName: string,
  links: PlanLinks,
  dates: Pick<Plan, "startDate" | "endDate" | "reviewDate" | "weeks"> = plan,
): PlanBrief {
  return {
    planId: plan.id,
    title: templateById(plan.templateId).name,
    ectName,
    ...(plan.level ? { level: plan.level, levelName: ladderLevel(plan.level).name } : {}),
    status: plan.status,
    stage: planStage(plan),
    ...(dates.startDate ? { startDate: dates.startDate } : {}),
    ...(dates.endDate ? { endDate: dates.endDate } : {}),
    ...(dates.reviewDate ? { reviewDate: dates.reviewDate } : {}),
    weeksTotal: dates.weeks.length,
    url: planLink(links, plan.id),
    targetWord: targetWord(plan.templateId),
  };
}
