import {
  can,
  editScope,
  missingSigners,
  planActions,
  validSignatures,
  validatePlan,
  type Actor,
  type EctContext,
  type Plan,
  type PlanAction,
} from "@ectsp/shared";

/**
 * A plan as the tab shows it: the plan, who the ECT is, what the rules say about it now, and
 * what this caller may do — so the tab hides what the server would refuse anyway.
 */
export function planView(actor: Actor, plan: Plan, ectCtx: EctContext, today: string) {
  const allowed = Object.fromEntries(planActions.map((a) => [a, can(actor, a, ectCtx.ect, plan)])) as Record<PlanAction, boolean>;
  const names = new Map([...ectCtx.schoolStaff, ...ectCtx.abOfficers, ectCtx.ectPerson].map((p) => [p.id, p.displayName]));
  return {
    plan,
    ect: {
      id: ectCtx.ect.id,
      name: ectCtx.ectPerson.displayName,
      schoolName: ectCtx.school.name,
      mentorName: ectCtx.ect.mentorId ? names.get(ectCtx.ect.mentorId) : undefined,
      inductionTutorName: ectCtx.ect.inductionTutorId ? names.get(ectCtx.ect.inductionTutorId) : undefined,
      track: ectCtx.ect.track,
    },
    signers: plan.signers.map((s) => ({ ...s, name: s.personId ? names.get(s.personId) : undefined })),
    /** Who the lead may name as a signer: the school's staff (only sent to those who may assign). */
    signerCandidates: allowed.request_signatures ? ectCtx.schoolStaff.map((p) => ({ id: p.id, name: p.displayName })) : [],
    validSignatures: validSignatures(plan),
    missingSigners: missingSigners(plan),
    violations: validatePlan(plan, { today, ect: ectCtx.ect }),
    allowed,
    editScope: editScope(actor, ectCtx.ect, plan),
  };
}
