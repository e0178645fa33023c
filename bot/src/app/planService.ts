import { randomUUID } from "node:crypto";
import {
  DomainError,
  can,
  explainRefusal,
  forbidden,
  notFound,
  openPlanStatuses,
  type Actor,
  type AuditEntry,
  type CaseloadRow,
  type CheckIn,
  type EctContext,
  type EvidenceRecord,
  type Person,
  type Plan,
  type PlanAction,
  type PlanSummary,
  type PlanWrites,
  type UseCaseContext,
} from "@ectsp/shared";
import { StaleVersionError, type Store } from "../store/store.js";
import type { Clock } from "../clock.js";
import { listCaseload } from "./caseload.js";

/**
 * The application layer's access to plans: loads what a use case needs, checks the caller may
 * see it, and commits a use case's writes as one unit. The use cases themselves (load, authorise,
 * run the domain, commit, notify) live one per file in bot/src/plans/; routes and card actions
 * call those, never the store. The store stays private: what callers may read is named here.
 */
export class PlanService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly newId: () => string = randomUUID,
  ) {}

  context(actor: Actor): UseCaseContext {
    return { actor, now: this.clock.now(), newId: this.newId };
  }

  now(): Date {
    return this.clock.now();
  }

  async actor(personId: string): Promise<Person | undefined> {
    return this.store.getPerson(personId);
  }

  async ectContext(ectId: string): Promise<EctContext> {
    const ect = await this.store.getEct(ectId);
    if (!ect) throw notFound("That ECT");
    const ittIds = ect.track === "itt" ? [...new Set(Object.values(ect.ittSigners ?? {}))] : [];
    const [ectPerson, school, people, officers, itt] = await Promise.all([
      this.store.getPerson(ect.personId),
      this.store.getSchool(ect.schoolId),
      this.store.listPeople({ schoolId: ect.schoolId }),
      this.store.listPeople({ abId: ect.abId }),
      Promise.all(ittIds.map((id) => this.store.getPerson(id))),
    ]);
    if (!ectPerson || !school) throw notFound("The ECT's record");
    // ITT provider staff may be on the school's roster, but they are not its staff.
    const schoolRoles = (p: Person) => p.roles.some((r) => r !== "ect" && r !== "itt_staff");
    return {
      ect,
      ectPerson,
      school,
      schoolStaff: people.filter(schoolRoles),
      abOfficers: officers.filter((p) => p.roles.includes("ab_officer")),
      ittStaff: itt.filter((p): p is Person => !!p && p.roles.includes("itt_staff")),
    };
  }

  /**
   * Loads a plan the actor may act on; refuses with a reason when they may not. `toChange`: the
   * plan is loaded to base a change on (at `version` when the caller names the one it read),
   * which lets the store answer from what it holds already (PlanStore.getPlanToChange).
   */
  async planFor(actor: Actor, planId: string, action: PlanAction = "read_plan", toChange?: { version?: number }): Promise<{ plan: Plan; ectCtx: EctContext }> {
    const plan = toChange ? await this.store.getPlanToChange(planId, toChange.version) : await this.store.getPlan(planId);
    if (!plan) throw notFound("That plan");
    const ectCtx = await this.ectContext(plan.ectId);
    if (!can(actor, "read_plan", ectCtx.ect, plan)) throw forbidden(explainRefusal("read_plan"));
    if (action !== "read_plan" && !can(actor, action, ectCtx.ect, plan)) throw forbidden(explainRefusal(action));
    return { plan, ectCtx };
  }

  /** The plan a successor follows (same ECT, so whoever reads the successor may read it). */
  async predecessorOf(plan: Plan): Promise<Plan | undefined> {
    if (!plan.predecessorId) return undefined;
    const before = await this.store.getPlan(plan.predecessorId);
    return before && before.ectId === plan.ectId ? before : undefined;
  }

  /** The ECT's open plans, in full: creating another is refused while one is open. */
  async openPlansOf(ectId: string): Promise<Plan[]> {
    const open = await this.store.listPlanSummaries({ ectIds: [ectId], status: openPlanStatuses });
    return (await Promise.all(open.map((s) => this.store.getPlan(s.id)))).filter((p): p is Plan => !!p);
  }

  /** Every plan an ECT has had, as summaries (the caller has been checked against the ECT). */
  async planSummariesOf(ectId: string): Promise<PlanSummary[]> {
    return this.store.listPlanSummaries({ ectIds: [ectId] });
  }

  async checkIn(id: string): Promise<CheckIn | undefined> {
    return this.store.getCheckIn(id);
  }

  /** A plan's audit trail (the caller has been checked with read_audit). */
  async auditOf(planId: string): Promise<AuditEntry[]> {
    return this.store.listAudit({ planId });
  }

  /** The evidence attached to a plan's targets, deleted files left out (the caller has been checked with read_plan). */
  async evidenceOf(planId: string): Promise<EvidenceRecord[]> {
    return this.store.listEvidence({ planId });
  }

  /** The caller's caseload: the ECTs their roles cover, one row each. */
  async caseload(actor: Actor, today: string): Promise<CaseloadRow[]> {
    return listCaseload(this.store, actor, today);
  }

  async commit(writes: PlanWrites): Promise<Plan[]> {
    if (!writes.create?.length && !writes.save?.length && !writes.audit.length && !writes.outbox?.length && !writes.checkIns?.length) return [];
    try {
      return await this.store.commit(writes);
    } catch (error) {
      if (error instanceof StaleVersionError) {
        throw new DomainError("conflict", "Someone else saved this plan after you opened it", [], {
          currentVersion: error.currentVersion,
          expectedVersion: error.expectedVersion,
        });
      }
      throw error;
    }
  }

  /**
   * For writes that do not depend on what the caller last saw (a comment, a signature on the
   * same revision, a check-in answer): if another write lands in between, reload and apply
   * again rather than refuse. Edits carry the caller's version and are never retried. Returns
   * the plan as loaded for the attempt that committed, beside the result.
   */
  async withRetry<T extends PlanWrites>(
    actor: Actor,
    planId: string,
    run: (plan: Plan, ectCtx: EctContext) => T | Promise<T>,
    attempts = 5,
  ): Promise<T & { before: Plan; ectCtx: EctContext }> {
    for (let attempt = 1; ; attempt++) {
      // The first attempt may start from the plan as this instance holds it; after a conflict, from the store.
      const { plan, ectCtx } = await this.planFor(actor, planId, "read_plan", attempt === 1 ? {} : undefined);
      const result = await run(plan, ectCtx);
      try {
        await this.commit(result);
        return Object.assign(result, { before: plan, ectCtx });
      } catch (error) {
        const stale = error instanceof DomainError && error.kind === "conflict" && "currentVersion" in error.details;
        if (!stale || attempt >= attempts) throw error;
      }
    }
  }
}
