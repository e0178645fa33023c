import type { Ect, Person, Role } from "./model/people.js";
import type { Plan } from "./model/plan.js";

/** Who is acting: the signed-in person with their roles and where they belong. */
export type Actor = Pick<Person, "id" | "displayName" | "roles" | "schoolId" | "abId">;

/** How the actor stands towards one ECT. Several may hold at once (a tutor who is also the head). */
export type Relationship = "self" | "mentor" | "induction_tutor" | "induction_lead" | "head" | "ab_officer" | "itt_staff";

export type PlanAction =
  | "read_plan"
  | "read_audit"
  | "create_plan"
  | "edit_plan"
  | "comment"
  | "answer_check_in"
  | "evaluate_week"
  | "request_signatures"
  | "sign"
  | "start_plan"
  | "review"
  | "escalate";

/** Every use case the permission matrix covers, in a stable order (tests and docs iterate it). */
export const planActions: readonly PlanAction[] = [
  "read_plan",
  "read_audit",
  "create_plan",
  "edit_plan",
  "comment",
  "answer_check_in",
  "evaluate_week",
  "request_signatures",
  "sign",
  "start_plan",
  "review",
  "escalate",
];

const has = (actor: Actor, role: Role) => actor.roles.includes(role);
/** ITT provider staff read and sign a trainee's plan; the school writes and comments on it. */
const onlyIttStaff = (rel: Set<Relationship>) => rel.size === 1 && rel.has("itt_staff");

export function relationshipsTo(actor: Actor, ect: Ect): Set<Relationship> {
  const r = new Set<Relationship>();
  if (ect.personId === actor.id) r.add("self");
  if (ect.mentorId === actor.id && has(actor, "mentor")) r.add("mentor");
  if (ect.inductionTutorId === actor.id && has(actor, "induction_tutor")) r.add("induction_tutor");
  if (actor.schoolId === ect.schoolId && has(actor, "induction_lead")) r.add("induction_lead");
  if (actor.schoolId === ect.schoolId && has(actor, "head")) r.add("head");
  if (actor.abId === ect.abId && has(actor, "ab_officer")) r.add("ab_officer");
  // ITT provider staff the trainee's record names: they read and sign that trainee's plan.
  if (ect.track === "itt" && has(actor, "itt_staff") && Object.values(ect.ittSigners ?? {}).includes(actor.id)) r.add("itt_staff");
  return r;
}

/** Levels a relationship may create or lead: mentors lead Level 1; heads start Level 6 (HR). */
function leadsLevel(rel: Set<Relationship>, level: number | undefined): boolean {
  if (rel.has("induction_tutor") || rel.has("induction_lead")) return true;
  if (rel.has("mentor") && level === 1) return true;
  if (rel.has("head") && level === 6) return true;
  return false;
}

/**
 * May the actor do this to this ECT's plan (or, for create_plan, to a new plan at `level`)?
 * Pure: the server calls it on every route and card action; the tab calls it to hide controls.
 */
export function can(
  actor: Actor,
  action: PlanAction,
  ect: Ect,
  plan?: Pick<Plan, "level" | "status" | "signers"> & { level?: number },
  level?: number,
): boolean {
  const rel = relationshipsTo(actor, ect);
  if (rel.size === 0) return false;
  const planLevel = plan?.level ?? level;
  const closed = plan?.status === "closed";
  switch (action) {
    case "read_plan":
    case "read_audit":
      return true; // any relationship at all: self, their staff, their school's leaders, their AB
    case "comment":
      return !closed && !onlyIttStaff(rel);
    case "create_plan":
      return leadsLevel(rel, planLevel);
    case "edit_plan":
    case "request_signatures":
    case "start_plan":
    case "review":
      return !closed && leadsLevel(rel, planLevel);
    case "escalate":
      return !closed && (leadsLevel(rel, planLevel) || rel.has("head"));
    case "evaluate_week":
      return !closed && (rel.has("mentor") || rel.has("induction_tutor") || rel.has("induction_lead"));
    case "answer_check_in":
      return !closed && rel.has("self");
    case "sign":
      return !closed && !!plan && plan.signers.some((s) => s.personId === actor.id);
  }
}

/** Why not, in words a user can act on. */
export function explainRefusal(action: PlanAction): string {
  const reasons: Record<PlanAction, string> = {
    read_plan:
      "You can only see plans for ECTs you support, your school's ECTs if you lead it, the ECTs your appropriate body covers, or the trainees whose record names you as their ITT provider's staff.",
    read_audit: "You can only see the history of plans you can read.",
    create_plan: "Only the ECT's induction tutor or the induction lead can start this plan (mentors lead Level 1; heads start Level 6).",
    edit_plan: "Only the person leading this plan can change it.",
    comment: "You cannot comment on this plan.",
    answer_check_in: "Only the ECT can answer their weekly check-in.",
    evaluate_week: "Only the ECT's mentor or induction tutor can evaluate a week.",
    request_signatures: "Only the person leading this plan can ask for signatures.",
    sign: "You are not one of the people who must sign this plan.",
    start_plan: "Only the person leading this plan can start it.",
    review: "Only the person leading this plan can record its review.",
    escalate: "Only the induction tutor, the induction lead or the head can escalate this plan.",
  };
  return reasons[action];
}

/** Which parts of the plan the actor may change when editing (field-level, for shared plans). */
export type EditScope = "all" | "week_evaluations" | "ect_comments" | "none";

export function editScope(actor: Actor, ect: Ect, plan: Pick<Plan, "level" | "status" | "signers">): EditScope {
  if (can(actor, "edit_plan", ect, plan)) return "all";
  if (can(actor, "evaluate_week", ect, plan)) return "week_evaluations";
  if (can(actor, "answer_check_in", ect, plan)) return "ect_comments";
  return "none";
}

/** Which ECTs an actor's caseload covers, as store filters (the store does the lookup). */
export type CaseloadScope =
  { kind: "self"; personId: string } | { kind: "staff"; personId: string; schoolId?: string; wholeSchool: boolean } | { kind: "ab"; abId: string };

export function caseloadScopes(actor: Actor): CaseloadScope[] {
  const scopes: CaseloadScope[] = [];
  if (has(actor, "ect")) scopes.push({ kind: "self", personId: actor.id });
  const wholeSchool = has(actor, "head") || has(actor, "induction_lead");
  if (wholeSchool || has(actor, "mentor") || has(actor, "induction_tutor")) {
    scopes.push({ kind: "staff", personId: actor.id, ...(actor.schoolId ? { schoolId: actor.schoolId } : {}), wholeSchool });
  }
  if (has(actor, "ab_officer") && actor.abId) scopes.push({ kind: "ab", abId: actor.abId });
  return scopes;
}
