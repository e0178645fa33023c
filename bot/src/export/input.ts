import { templateById, type EctContext, type Plan, type PlanTemplate } from "@ectsp/shared";

/** What a layout needs: the plan, its template, and the names the plan refers to by id. */
export interface ExportInput {
  plan: Plan;
  template: PlanTemplate;
  ectName: string;
  schoolName: string;
  mentorName?: string;
  tutorName?: string;
  /** personId → display name, for signers who have not signed yet. */
  people: ReadonlyMap<string, string>;
  exportedAt: Date;
}

/** Builds the export input from what the service loads for a read (planFor). */
export function exportInputFrom(plan: Plan, ectCtx: EctContext, exportedAt: Date): ExportInput {
  const people = new Map<string, string>();
  for (const p of [ectCtx.ectPerson, ...ectCtx.schoolStaff, ...ectCtx.abOfficers]) people.set(p.id, p.displayName);
  const mentorName = ectCtx.ect.mentorId ? people.get(ectCtx.ect.mentorId) : undefined;
  const tutorName = ectCtx.ect.inductionTutorId ? people.get(ectCtx.ect.inductionTutorId) : undefined;
  return {
    plan,
    template: templateById(plan.templateId),
    ectName: ectCtx.ectPerson.displayName,
    schoolName: ectCtx.school.name,
    ...(mentorName ? { mentorName } : {}),
    ...(tutorName ? { tutorName } : {}),
    people,
    exportedAt,
  };
}
