import { holdersOf, templateById, type EctContext, type EvidenceRecord, type Plan, type PlanTemplate, type SignerRole } from "@ectsp/shared";

/** What a layout needs: the plan, its template, and the names the plan refers to by id. */
export interface ExportInput {
  plan: Plan;
  template: PlanTemplate;
  ectName: string;
  schoolName: string;
  /** The ITT provider's name, the school's setting: it heads the ITT paperwork where seed 002 has "MID-ESSEX ITT". */
  ittProviderName?: string;
  mentorName?: string;
  tutorName?: string;
  /** personId → display name, for signers who have not signed yet. */
  people: ReadonlyMap<string, string>;
  /**
   * personId → the signer roles today's roster gives them for this ECT (for the certificate's
   * note on a person who signed two roles). Absent: the certificate relies on the check made
   * when they signed.
   */
  rosterRoles?: ReadonlyMap<string, readonly SignerRole[]>;
  exportedAt: Date;
  /**
   * The plan's audit chain as it stood when the copy was made: how many entries, and the last
   * one's hash. Printed on the certificate as an anchor held outside the store, so a trail later
   * cut short or rewritten from some entry on no longer reaches it.
   */
  trailHead?: { seq: number; hash: string };
  /** The evidence attached to the plan's targets (deleted files are not listed), each printed under its target. */
  evidence?: readonly EvidenceRecord[];
}

/** Builds the export input from what the service loads for a read (planFor). */
export function exportInputFrom(
  plan: Plan,
  ectCtx: EctContext,
  exportedAt: Date,
  trailHead?: { seq: number; hash: string },
  evidence: readonly EvidenceRecord[] = [],
): ExportInput {
  const people = new Map<string, string>();
  for (const p of [ectCtx.ectPerson, ...ectCtx.schoolStaff, ...ectCtx.abOfficers, ...(ectCtx.ittStaff ?? [])]) people.set(p.id, p.displayName);
  const mentorName = ectCtx.ect.mentorId ? people.get(ectCtx.ect.mentorId) : undefined;
  const tutorName = ectCtx.ect.inductionTutorId ? people.get(ectCtx.ect.inductionTutorId) : undefined;
  const rosterRoles = new Map<string, SignerRole[]>();
  for (const role of new Set(plan.signers.map((s) => s.role))) {
    for (const holder of holdersOf(role, ectCtx)) rosterRoles.set(holder.id, [...(rosterRoles.get(holder.id) ?? []), role]);
  }
  return {
    plan,
    template: templateById(plan.templateId),
    ectName: ectCtx.ectPerson.displayName,
    schoolName: ectCtx.school.name,
    ...(ectCtx.school.ittProviderName ? { ittProviderName: ectCtx.school.ittProviderName } : {}),
    ...(mentorName ? { mentorName } : {}),
    ...(tutorName ? { tutorName } : {}),
    people,
    rosterRoles,
    exportedAt,
    ...(trailHead ? { trailHead } : {}),
    evidence: evidence.filter((e) => e.planId === plan.id && !e.deletedAt),
  };
}
