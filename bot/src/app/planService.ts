import { randomUUID } from "node:crypto";
import {
  DomainError,
  can,
  explainRefusal,
  forbidden,
  notFound,
  type Actor,
  type EctContext,
  type Person,
  type Plan,
  type PlanAction,
  type PlanWrites,
  type UseCaseContext,
} from "@ectsp/shared";
import { StaleVersionError, type Store } from "../store/store.js";
import type { Clock } from "../clock.js";

/**
 * The application layer: loads what a use case needs, checks the caller may see it, runs the
 * pure use case and commits its writes as one unit. Routes and card actions both come here,
 * so roles and domain rules are enforced once.
 */
export class PlanService {
  constructor(
    readonly store: Store,
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
    const [ectPerson, school, people, officers] = await Promise.all([
      this.store.getPerson(ect.personId),
      this.store.getSchool(ect.schoolId),
      this.store.listPeople({ schoolId: ect.schoolId }),
      this.store.listPeople({ abId: ect.abId }),
    ]);
    if (!ectPerson || !school) throw notFound("The ECT's record");
    return {
      ect,
      ectPerson,
      school,
      schoolStaff: people.filter((p) => p.roles.some((r) => r !== "ect")),
      abOfficers: officers.filter((p) => p.roles.includes("ab_officer")),
    };
  }

  /** Loads a plan the actor may act on; refuses with a reason when they may not. */
  async planFor(actor: Actor, planId: string, action: PlanAction = "read_plan"): Promise<{ plan: Plan; ectCtx: EctContext }> {
    const plan = await this.store.getPlan(planId);
    if (!plan) throw notFound("That plan");
    const ectCtx = await this.ectContext(plan.ectId);
    if (!can(actor, "read_plan", ectCtx.ect, plan)) throw forbidden(explainRefusal("read_plan"));
    if (action !== "read_plan" && !can(actor, action, ectCtx.ect, plan)) throw forbidden(explainRefusal(action));
    return { plan, ectCtx };
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
   * again rather than refuse. Edits carry the caller's version and are never retried.
   */
  async withRetry<T extends PlanWrites>(actor: Actor, planId: string, run: (plan: Plan, ectCtx: EctContext) => T | Promise<T>, attempts = 5): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const { plan, ectCtx } = await this.planFor(actor, planId);
      const result = await run(plan, ectCtx);
      try {
        await this.commit(result);
        return result;
      } catch (error) {
        const stale = error instanceof DomainError && error.kind === "conflict" && "currentVersion" in error.details;
        if (!stale || attempt >= attempts) throw error;
      }
    }
  }
}
