import {
  agreementDigest,
  can,
  combine,
  editAccess,
  holdsSignerRole,
  levelLead,
  missingSigners,
  planActions,
  planStage,
  signatureProgress,
  signaturesOn,
  signerChoices,
  signerLabels,
  validSignatures,
  validatePlan,
  versionToSign,
  type Actor,
  type EctContext,
  type Plan,
  type PlanAction,
  type PlanView,
} from "@ectsp/shared";

/**
 * A plan as the tab shows it (shared PlanView): the plan, who the ECT is, where it stands, who
 * signs and what they sealed, what the rules say about it now, and what this caller may do — so
 * the tab hides what the server would refuse anyway. `predecessor` is the plan this one follows,
 * when it is a successor (its outcome and the reason it ended).
 */
export function planView(actor: Actor, plan: Plan, ectCtx: EctContext, today: string, predecessor?: Plan): PlanView {
  const allowed = Object.fromEntries(planActions.map((a) => [a, can(actor, a, ectCtx.ect, plan)])) as Record<PlanAction, boolean>;
  const people = [...ectCtx.schoolStaff, ...ectCtx.abOfficers, ...(ectCtx.ittStaff ?? []), ectCtx.ectPerson];
  const names = new Map(people.map((p) => [p.id, p.displayName]));
  const signing = signaturesOn(plan, versionToSign(plan));
  const progress = signatureProgress(plan);
  const mentorName = ectCtx.ect.mentorId ? names.get(ectCtx.ect.mentorId) : undefined;
  const inductionTutorName = ectCtx.ect.inductionTutorId ? names.get(ectCtx.ect.inductionTutorId) : undefined;
  const leadRole = levelLead(plan.level);
  const access = editAccess(actor, ectCtx.ect, plan, {
    lead: leadRole === "mentor" ? mentorName : leadRole === "induction_tutor" ? inductionTutorName : undefined,
  });
  return {
    plan,
    ect: {
      id: ectCtx.ect.id,
      name: ectCtx.ectPerson.displayName,
      schoolName: ectCtx.school.name,
      ...(mentorName ? { mentorName } : {}),
      ...(inductionTutorName ? { inductionTutorName } : {}),
      track: ectCtx.ect.track,
    },
    stage: planStage(plan),
    ...(progress ? { signatureProgress: progress } : {}),
    signers: plan.signers.map((s) => {
      const signature = signing.find((v) => v.role === s.role);
      const name = signature?.name ?? (s.personId ? names.get(s.personId) : undefined);
      // The same person named in another role on this form, where the roster gives them that role too.
      const alsoSignsAs = s.personId
        ? plan.signers.filter((o) => o.role !== s.role && o.personId === s.personId && holdsSignerRole(s.personId!, o.role, ectCtx)).map((o) => o.role)
        : [];
      return {
        role: s.role,
        roleLabel: signerLabels[s.role],
        ...(s.personId ? { personId: s.personId } : {}),
        ...(name ? { name } : {}),
        ...(signature ? { signature } : {}),
        alsoSignsAs,
      };
    }),
    signerChoices: allowed.request_signatures ? signerChoices(plan, ectCtx) : [],
    validSignatures: validSignatures(plan),
    missingSigners: missingSigners(plan),
    agreedDigest: agreementDigest(plan, plan),
    ...(plan.amendment ? { amendmentDigest: agreementDigest(plan, combine(plan.amendment.content, plan)) } : {}),
    ...(predecessor
      ? {
          predecessor: {
            id: predecessor.id,
            templateId: predecessor.templateId,
            ...(predecessor.level !== undefined ? { level: predecessor.level } : {}),
            ...(predecessor.outcome ? { outcome: predecessor.outcome } : {}),
            ...(predecessor.outcomeReason ? { outcomeReason: predecessor.outcomeReason } : {}),
          },
        }
      : {}),
    violations: validatePlan(plan, { today, ect: ectCtx.ect }),
    allowed,
    editScope: access.scope,
    access,
  };
}
