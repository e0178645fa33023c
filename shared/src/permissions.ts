import type { Ect, Person, Role } from "./model/people.js";
import type { Plan } from "./model/plan.js";
import type { EditAccess } from "./model/planView.js";
import { ladderLevel } from "./ladder.js";
import { targetWord } from "./templates.js";

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

/**
 * Which parts of the plan the actor may change when editing (field-level):
 * - "all": they lead the plan (everything but the ECT's own comments);
 * - "weekly_plan": the ECT's mentor writing the plan with the tutor (seed 003, Levels 2–3, or
 *   4–5 when the tutor shares it): each week's action, by whom, resources, success criteria and
 *   evaluation — never the targets, the dates or anything else;
 * - "week_evaluations": each week's evaluation of progress;
 * - "ect_comments": the ECT's comment on progress on each week.
 */
export const editScopes = ["all", "weekly_plan", "week_evaluations", "ect_comments", "none"] as const;
export type EditScope = (typeof editScopes)[number];

/** The plan fields editScope reads. */
export type ScopedPlan = Pick<Plan, "level" | "status" | "signers"> & { sharedWithMentor?: boolean | undefined; templateId?: Plan["templateId"] };

/**
 * Seed 003: at Level 1 the mentor leads; at Levels 2–3 "Induction Tutor and mentor develop" the
 * plan; at Levels 4–5 the tutor leads with the AB, and the mentor writes the weeks only when the
 * tutor shares the plan with them. Level 6 is HR's, and ITT plans sit outside the ladder.
 */
export function mentorWritesWeeks(plan: Pick<ScopedPlan, "level" | "sharedWithMentor">): boolean {
  if (plan.level === 2 || plan.level === 3) return true;
  return (plan.level === 4 || plan.level === 5) && plan.sharedWithMentor === true;
}

/** Levels whose plan the tutor or lead may share with the mentor (the others settle it by level). */
export const shareableLevels: readonly number[] = [4, 5];

export function editScope(actor: Actor, ect: Ect, plan: ScopedPlan): EditScope {
  if (can(actor, "edit_plan", ect, plan)) return "all";
  if (plan.status !== "closed" && relationshipsTo(actor, ect).has("mentor") && mentorWritesWeeks(plan)) return "weekly_plan";
  if (can(actor, "evaluate_week", ect, plan)) return "week_evaluations";
  if (can(actor, "answer_check_in", ect, plan)) return "ect_comments";
  return "none";
}

const ectCommentPath = /^weeks\.\d+\.ectComment$/;
const scopePaths: Record<Exclude<EditScope, "all" | "none">, RegExp> = {
  weekly_plan: /^weeks\.\d+\.(action|byWhom|resources|successCriteria|evaluation)$/,
  week_evaluations: /^weeks\.\d+\.evaluation$/,
  ect_comments: ectCommentPath,
};

/**
 * May a person with this scope change the field at `path` (as describeChanges names it: a
 * whole row such as "weeks.2" is adding or removing it)? The server refuses a save that changes
 * anything else; the tab asks it to decide which fields are inputs. The ECT's comment on
 * progress is theirs alone, whoever leads.
 */
export function mayChangePath(scope: EditScope, path: string): boolean {
  if (scope === "none") return false;
  if (scope === "all") return !ectCommentPath.test(path);
  return scopePaths[scope].test(path);
}

/** Who leads the plan at its level, as the ladder says (ITT plans: the school's induction tutor). */
export function levelLead(level: number | undefined): Role {
  return level !== undefined && level >= 1 && level <= 6 ? ladderLevel(level).ledBy : "induction_tutor";
}

/**
 * Who is asked to evaluate each week (the weekly evaluation prompt): whoever leads the level —
 * the mentor at Level 1, the induction tutor at 2–5 — and only them. Sharing a Level 4–5 plan
 * with the mentor lets them write it; it does not move the tutor's duty to evaluate and update
 * the AB weekly. With nobody in the leading role, the other one is asked rather than nobody.
 */
export function weekEvaluatorId(ect: Pick<Ect, "mentorId" | "inductionTutorId">, level: number | undefined): string | undefined {
  return levelLead(level) === "mentor" ? (ect.mentorId ?? ect.inductionTutorId) : (ect.inductionTutorId ?? ect.mentorId);
}

const leadNames: Partial<Record<Role, string>> = { mentor: "mentor", induction_tutor: "induction tutor", head: "headteacher" };

/**
 * The viewer's scope and what it means, in words: one pure function, so the banner, the editor
 * and the server's refusals say the same thing. `names` adds the people's names where known.
 */
export function editAccess(actor: Actor, ect: Ect, plan: ScopedPlan, names: { lead?: string | undefined } = {}): EditAccess {
  const scope = editScope(actor, ect, plan);
  const leadRole = levelLead(plan.level);
  const lead = `the ${leadNames[leadRole] ?? "person leading the plan"}`;
  const named = names.lead ? ` (${names.lead})` : "";
  const shareable = plan.level !== undefined && shareableLevels.includes(plan.level);
  const mentorSharing = shareable ? { shared: plan.sharedWithMentor === true, mayChange: scope === "all" && plan.status !== "closed" } : undefined;
  const access = (summary: string, ask = true): EditAccess => ({
    scope,
    summary,
    ...(ask ? { askRole: leadRole } : {}),
    ...(mentorSharing ? { mentorSharing } : {}),
  });
  if (plan.status === "closed") return access("This plan is closed: you can read it, and nobody can change it now.", false);
  switch (scope) {
    case "all": {
      const rel = relationshipsTo(actor, ect);
      const leads = rel.has(leadRole as Relationship) || (leadRole === "induction_tutor" && rel.has("induction_lead"));
      // A tutor on a Level 1 plan may change it all, but the mentor leads it (seed 003).
      return access(
        `${leads ? "You lead this plan: you can change all of it." : `You can change all of this plan; ${lead}${named} leads it.`} The ECT writes their own comments on progress.`,
        false,
      );
    }
    case "weekly_plan":
      return access(
        `${shareable ? `The ${leadNames[leadRole] ?? "lead"} has shared this plan with you. ` : ""}You can change the weekly actions, resources and success criteria, and evaluate each week. The ${plan.templateId ? targetWord(plan.templateId) : "target"}s and dates are written by ${lead}${named}.`,
      );
    case "week_evaluations":
      return access(
        `You can write each week's evaluation of progress. The rest of the plan is written by ${lead}${named}${shareable ? ": ask them to share the plan with you to change the weekly actions" : ""}.`,
      );
    case "ect_comments":
      return access(
        `You can add your comment on progress to each week. The rest of the plan is written by your ${leadNames[leadRole] ?? "induction tutor"}${named}: ask them about any change.`,
      );
    case "none":
      return access(`You can read this plan but not change it. To change something, ask ${lead}${named}.`);
  }
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
