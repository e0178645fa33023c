import type { Ect, Person, School } from "../model/people.js";
import type { Plan } from "../model/plan.js";
import type { AuditEntry, CheckIn, NewOutboxMessage } from "../model/records.js";
import { can, explainRefusal, type Actor, type PlanAction } from "../permissions.js";
import { DomainError, forbidden } from "../errors.js";
import { schoolDate } from "../calendar.js";

/** What every use case is given: who is acting, when, and how to make ids. No I/O. */
export interface UseCaseContext {
  actor: Actor;
  now: Date;
  newId: () => string;
}

/** The directory facts about one ECT that use cases need, loaded by the server. */
export interface EctContext {
  ect: Ect;
  ectPerson: Person;
  school: School;
  /** Everyone at the ECT's school with a staff role (heads, leads, tutors, mentors). */
  schoolStaff: Person[];
  /** Officers of the ECT's appropriate body. */
  abOfficers: Person[];
  /** The trainee's ITT provider staff named in `ect.ittSigners` (ITT track only). */
  ittStaff?: Person[];
}

/** What a use case asks the store to commit, as one unit. */
export interface PlanWrites {
  create?: Plan[];
  save?: { plan: Plan; expectedVersion: number }[];
  audit: AuditEntry[];
  outbox?: NewOutboxMessage[];
  checkIns?: CheckIn[];
}

export const isoNow = (ctx: UseCaseContext) => ctx.now.toISOString();
/** Today in London (the school's calendar), not the UTC date. */
export const isoToday = (ctx: UseCaseContext) => schoolDate(ctx.now);

export function requireCan(ctx: UseCaseContext, action: PlanAction, ect: Ect, plan?: Plan, level?: number): void {
  if (!can(ctx.actor, action, ect, plan, level)) throw forbidden(explainRefusal(action));
}

export function auditEntry(ctx: UseCaseContext, action: string, ect: Ect, plan: Plan | undefined, summary: string): AuditEntry {
  return {
    id: ctx.newId(),
    at: isoNow(ctx),
    actorId: ctx.actor.id,
    actorName: ctx.actor.displayName,
    action,
    ectId: ect.id,
    ...(plan ? { planId: plan.id, version: plan.version, revision: plan.revision } : {}),
    summary,
  };
}

/** The saved plan: version moves on by one; the store refuses the write if someone else moved it first. */
export function nextVersion(ctx: UseCaseContext, plan: Plan, changes: Partial<Plan>): Plan {
  return { ...plan, ...changes, version: plan.version + 1, updatedAt: isoNow(ctx), updatedBy: ctx.actor.id };
}

export function requireVersion(plan: Plan, expectedVersion: number): void {
  if (plan.version !== expectedVersion) {
    throw new DomainError("conflict", "Someone else saved this plan after you opened it", [], {
      currentVersion: plan.version,
      expectedVersion,
    });
  }
}

export const headsOf = (ectCtx: EctContext) => ectCtx.schoolStaff.filter((p) => p.roles.includes("head"));
export const leadsOf = (ectCtx: EctContext) => ectCtx.schoolStaff.filter((p) => p.roles.includes("induction_lead"));
