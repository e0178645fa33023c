import { ladderLevel, templateById, type Plan } from "@ectsp/shared";
import { planUrl } from "./card.js";

/** What every card says about the plan it is about: names and dates, never the whole plan. */
export interface PlanBrief {
  planId: string;
  /** The form's name, e.g. "Level 2 – Support plan 1". */
  title: string;
  ectName: string;
  level?: number;
  levelName?: string;
  status: Plan["status"];
  startDate?: string;
  endDate?: string;
  reviewDate?: string;
  weeksTotal: number;
  /** Deep link to the plan in the tab. */
  url: string;
}

export function planBrief(plan: Plan, ectName: string, publicUrl: string): PlanBrief {
  return {
    planId: plan.id,
    title: templateById(plan.templateId).name,
    ectName,
    ...(plan.level ? { level: plan.level, levelName: ladderLevel(plan.level).name } : {}),
    status: plan.status,
    ...(plan.startDate ? { startDate: plan.startDate } : {}),
    ...(plan.endDate ? { endDate: plan.endDate } : {}),
    ...(plan.reviewDate ? { reviewDate: plan.reviewDate } : {}),
    weeksTotal: plan.weeks.length,
    url: planUrl(publicUrl, plan.id),
  };
}
