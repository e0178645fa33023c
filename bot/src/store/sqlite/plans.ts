/** The embedded store's plans and their weekly check-ins, written with their audit entries and messages in one transaction. */
import { AuditEntry, CheckIn, DomainError, Plan, PlanSummary, conflict, notFound, signatureProgress, type NewOutboxMessage } from "@ectsp/shared";
import { StaleVersionError, type PlanChange, type PlanFilter, type PlanStore } from "../store.js";
import type { Clock } from "../../clock.js";
import { SqlitePort, defined, equalityFilter, sqliteCode, whereClause, type DataRow, type Params, type SqliteDatabase } from "./database.js";
import { insertAudit } from "./audit.js";
import { insertOutboxRow, newOutboxRow } from "./reach.js";

interface PlanSummaryRow {
  id: string;
  ect_id: string;
  school_id: string;
  ab_id: string;
  template_id: string;
  level: number | null;
  status: string;
  outcome: string | null;
  version: number;
  revision: number;
  start_date: string | null;
  end_date: string | null;
  review_date: string | null;
  updated_at: string;
  awaiting_signatures: string | null;
}

const summaryColumns =
  "id, ect_id, school_id, ab_id, template_id, level, status, outcome, version, revision, start_date, end_date, review_date, updated_at, awaiting_signatures";

export class SqlitePlans extends SqlitePort implements PlanStore {
  constructor(
    database: SqliteDatabase,
    private readonly clock: Clock,
  ) {
    super(database);
  }

  async getPlan(id: string): Promise<Plan | undefined> {
    const row = this.stmt<DataRow>("SELECT data FROM plans WHERE id = ?").get(id);
    return row ? Plan.parse(JSON.parse(row.data)) : undefined;
  }

  /** Reading the file costs nothing worth saving: always the plan as stored. */
  async getPlanToChange(id: string, _version?: number): Promise<Plan | undefined> {
    return this.getPlan(id);
  }

  async listPlanSummaries(filter: PlanFilter): Promise<PlanSummary[]> {
    const where: string[] = [];
    const params: Params = {};
    if (filter.ectIds !== undefined) {
      if (filter.ectIds.length === 0) return [];
      where.push("ect_id IN (SELECT value FROM json_each(@ectIds))");
      params.ectIds = JSON.stringify(filter.ectIds);
    }
    if (filter.schoolId !== undefined) {
      where.push("school_id = @schoolId");
      params.schoolId = filter.schoolId;
    }
    if (filter.abId !== undefined) {
      where.push("ab_id = @abId");
      params.abId = filter.abId;
    }
    if (filter.status !== undefined) {
      if (filter.status.length === 0) return [];
      where.push("status IN (SELECT value FROM json_each(@status))");
      params.status = JSON.stringify(filter.status);
    }
    return this.stmt<PlanSummaryRow>(`SELECT ${summaryColumns} FROM plans ${whereClause(where)} ORDER BY updated_at DESC, id`)
      .all(params)
      .map(toSummary);
  }

  async countPlans(): Promise<number> {
    return this.stmt<{ n: number }>("SELECT COUNT(*) AS n FROM plans").get()?.n ?? 0;
  }

  async commit(change: PlanChange): Promise<Plan[]> {
    // As on SharePoint, where the one save is the change's commit point (changeJournal.ts).
    if ((change.save?.length ?? 0) > 1) throw new DomainError("invalid_state", "A change saves at most one plan");
    // Validate everything first, outside the write lock; a bad record fails the whole change.
    const creates = (change.create ?? []).map((p) => {
      const plan = Plan.parse(p);
      if (plan.version !== 1) {
        throw new DomainError("invalid_state", `A new plan starts at version 1, not ${plan.version}`, [], { planId: plan.id });
      }
      return plan;
    });
    const saves = (change.save ?? []).map(({ plan, expectedVersion }) => ({
      expectedVersion,
      plan: Plan.parse({ ...plan, version: expectedVersion + 1 }),
    }));
    const audit = change.audit.map((a) => AuditEntry.parse(a));
    const checkIns = (change.checkIns ?? []).map((c) => CheckIn.parse(c));
    const outbox = (change.outbox ?? []).map((m) => newOutboxRow(m, this.clock.now()));

    const run = (): Plan[] => {
      const stored: Plan[] = [];
      const insertPlan = this.stmt(
        `INSERT INTO plans (id, ect_id, school_id, ab_id, status, level, template_id, outcome, version, revision,
           updated_at, start_date, end_date, review_date, awaiting_signatures, data)
         VALUES (@id, @ectId, @schoolId, @abId, @status, @level, @templateId, @outcome, @version, @revision,
           @updatedAt, @startDate, @endDate, @reviewDate, @awaitingSignatures, @data)`,
      );
      for (const plan of creates) {
        try {
          insertPlan.run(planColumns(plan));
        } catch (e) {
          if (sqliteCode(e) === "SQLITE_CONSTRAINT_PRIMARYKEY") throw conflict(`Plan ${plan.id} already exists`, { planId: plan.id });
          throw e;
        }
        stored.push(plan);
      }

      const updatePlan = this.stmt(
        `UPDATE plans SET ect_id = @ectId, school_id = @schoolId, ab_id = @abId, status = @status, level = @level,
           template_id = @templateId, outcome = @outcome, version = @version, revision = @revision, updated_at = @updatedAt,
           start_date = @startDate, end_date = @endDate, review_date = @reviewDate,
           awaiting_signatures = @awaitingSignatures, data = @data
         WHERE id = @id AND version = @expectedVersion`,
      );
      const currentVersion = this.stmt<{ version: number }>("SELECT version FROM plans WHERE id = ?");
      for (const { plan, expectedVersion } of saves) {
        const result = updatePlan.run({ ...planColumns(plan), expectedVersion });
        if (result.changes === 0) {
          const current = currentVersion.get(plan.id);
          if (!current) throw notFound(`Plan ${plan.id}`);
          throw new StaleVersionError(plan.id, expectedVersion, current.version);
        }
        stored.push(plan);
      }

      insertAudit(this.database, audit);

      for (const c of checkIns) this.upsertCheckIn(c);
      for (const m of outbox) insertOutboxRow(this.database, m);
      return stored;
    };
    return this.inWriteTransaction(run);
  }

  // ---------------- check-ins ----------------

  private upsertCheckIn(c: CheckIn): void {
    this.stmt(
      `INSERT INTO check_ins (id, plan_id, ect_id, week, due_on, status, data)
       VALUES (@id, @planId, @ectId, @week, @dueOn, @status, @data)
       ON CONFLICT(id) DO UPDATE SET plan_id = excluded.plan_id, ect_id = excluded.ect_id, week = excluded.week,
         due_on = excluded.due_on, status = excluded.status, data = excluded.data`,
    ).run({ id: c.id, planId: c.planId, ectId: c.ectId, week: c.week, dueOn: c.dueOn, status: c.status, data: JSON.stringify(c) });
  }

  async getCheckIn(id: string): Promise<CheckIn | undefined> {
    const row = this.stmt<DataRow>("SELECT data FROM check_ins WHERE id = ?").get(id);
    return row ? CheckIn.parse(JSON.parse(row.data)) : undefined;
  }

  async listCheckIns(filter: { planId?: string; ectId?: string; status?: CheckIn["status"] }): Promise<CheckIn[]> {
    const { where, params } = equalityFilter(filter, { planId: "plan_id", ectId: "ect_id", status: "status" });
    return this.stmt<DataRow>(`SELECT data FROM check_ins ${whereClause(where)} ORDER BY due_on, week, id`)
      .all(params)
      .map((r) => CheckIn.parse(JSON.parse(r.data)));
  }

  async openCheckIns(checkIns: CheckIn[], messages: NewOutboxMessage[], now: Date): Promise<string[]> {
    const rows = checkIns.map((c) => CheckIn.parse(c));
    const outbox = messages.map((m) => newOutboxRow(m, now));
    return this.inWriteTransaction((): string[] => {
      const created: string[] = [];
      const insert = this.stmt(
        `INSERT INTO check_ins (id, plan_id, ect_id, week, due_on, status, data)
           VALUES (@id, @planId, @ectId, @week, @dueOn, @status, @data) ON CONFLICT(id) DO NOTHING`,
      );
      for (const c of rows) {
        const r = insert.run({ id: c.id, planId: c.planId, ectId: c.ectId, week: c.week, dueOn: c.dueOn, status: c.status, data: JSON.stringify(c) });
        if (r.changes === 1) created.push(c.id);
      }
      for (const m of outbox) insertOutboxRow(this.database, m);
      return created;
    });
  }
}

function planColumns(plan: Plan): Params {
  return {
    id: plan.id,
    ectId: plan.ectId,
    schoolId: plan.schoolId,
    abId: plan.abId,
    status: plan.status,
    level: plan.level ?? null,
    templateId: plan.templateId,
    outcome: plan.outcome ?? null,
    version: plan.version,
    revision: plan.revision,
    updatedAt: plan.updatedAt,
    startDate: plan.startDate ?? null,
    endDate: plan.endDate ?? null,
    reviewDate: plan.reviewDate ?? null,
    awaitingSignatures: awaitingColumn(plan),
    data: JSON.stringify(plan),
  };
}

/** "Awaiting signatures (n of m)", computed when the plan is written and kept beside its summary. */
function awaitingColumn(plan: Plan): string | null {
  const progress = signatureProgress(plan);
  return progress ? JSON.stringify(progress) : null;
}

function toSummary(r: PlanSummaryRow): PlanSummary {
  return PlanSummary.parse(
    defined({
      id: r.id,
      ectId: r.ect_id,
      schoolId: r.school_id,
      abId: r.ab_id,
      templateId: r.template_id,
      level: r.level,
      status: r.status,
      outcome: r.outcome,
      version: r.version,
      revision: r.revision,
      startDate: r.start_date,
      endDate: r.end_date,
      reviewDate: r.review_date,
      updatedAt: r.updated_at,
      awaitingSignatures: r.awaiting_signatures === null ? null : (JSON.parse(r.awaiting_signatures) as unknown),
    }),
  );
}
