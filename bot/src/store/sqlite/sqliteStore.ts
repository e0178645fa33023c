import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import {
  AppropriateBody,
  AuditEntry,
  CheckIn,
  DirectoryAuditEntry,
  DomainError,
  Ect,
  OutboxKind,
  OutboxMessage,
  Person,
  Plan,
  PlanSummary,
  School,
  conflict,
  notFound,
  signatureProgress,
  type NewOutboxMessage,
} from "@ectsp/shared";
import { StaleVersionError, type ClaimOptions, ConversationRef, type EctFilter, type PlanChange, type PlanFilter, SentCard, type Store } from "../store.js";
import { migrate, migrations } from "./migrations.js";
import { appendSealedAudit } from "./auditChain.js";
import { inChainOrder } from "../auditOrder.js";
import type { Clock } from "../../clock.js";
import { ensureWritableDataDir } from "../dataDir.js";
import { claimOrder, claimStamp, dedupeMessages, holdsClaim, isClaimable, isLive, newOutboxMessage } from "../../scheduler/outboxPolicy.js";
// Issue 7 (records): evidence files beside the database, induction records in it.
import { existsSync, mkdtempSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EvidenceRecord, InductionRecord, type InductionRecordKind } from "@ectsp/shared";

export interface SqliteStoreOptions {
  /** The server's one clock: every time the store sets itself (outbox createdAt / notBefore, migrations) comes from it. */
  clock: Clock;
  /** How long a writer waits for another connection's lock before giving up. Default 5 s. */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) the embedded store at `filePath`: WAL journal, a busy timeout so
 * several instances can share the file, foreign keys on, and the schema migrated to the latest
 * version.
 */
export function openSqliteStore(filePath: string, options: SqliteStoreOptions): SqliteStore {
  const inMemory = filePath === ":memory:";
  const path = inMemory ? filePath : resolve(filePath);
  if (!inMemory) ensureWritableDataDir(dirname(path));
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: busyTimeoutMs });
  } catch (error) {
    // e.g. the folder is writable but the database file itself is read-only or not a database.
    const code = (error as { code?: string }).code;
    throw new Error(
      `Could not open the database file ${path}${code ? ` (${code})` : ""}. Check that DATA_DIR points at a folder this server can write to and that the file is writable.`,
      { cause: error },
    );
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    if (!inMemory) {
      const mode = db.pragma("journal_mode = WAL", { simple: true });
      if (String(mode).toLowerCase() !== "wal") throw new Error(`Could not switch ${path} to WAL (got ${String(mode)})`);
    }
    // FULL, not NORMAL: a commit a teacher is told is saved is on disk (fsync at every commit), so a
    // power cut cannot lose it. With WAL, NORMAL would only guarantee the file is not corrupted.
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    migrate(db, migrations, options.clock);
  } catch (error) {
    db.close();
    const code = (error as { code?: string }).code ?? "";
    if (/^SQLITE_(READONLY|CANTOPEN|PERM|IOERR)/.test(code)) {
      throw new Error(
        `Could not write the database file ${path} (${code}). Check that DATA_DIR points at a folder this server can write to and that the file is writable.`,
        { cause: error },
      );
    }
    throw error;
  }
  return new SqliteStore(db, path, options.clock);
}

// ---------- row shapes ----------

interface DataRow {
  data: string;
}

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

interface OutboxRow {
  seq: number;
  id: string;
  dedupe_key: string;
  kind: string;
  recipient_id: string;
  plan_id: string | null;
  ect_id: string | null;
  data: string;
  created_at: string;
  not_before: string;
  not_before_ms: number;
  status: string;
  attempts: number;
  claimed_by: string | null;
  claimed_until_ms: number | null;
  sent_at: string | null;
  last_error: string | null;
}

type Params = Record<string, string | number | bigint | null>;

const summaryColumns =
  "id, ect_id, school_id, ab_id, template_id, level, status, outcome, version, revision, start_date, end_date, review_date, updated_at, awaiting_signatures";

const epochMs = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`Not a date-time: ${iso}`);
  return ms;
};

/** Drops null columns so optional fields come back absent, as zod expects. */
function defined<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === null || o[k] === undefined) delete o[k];
  return o;
}

const sqliteCode = (e: unknown): string | undefined => (e instanceof Database.SqliteError ? e.code : undefined);

const maxErrorLength = 500;

/** The embedded store: one SQLite file, shared safely by several server instances. */
export class SqliteStore implements Store {
  readonly kind = "sqlite" as const;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    readonly filePath: string,
    private readonly clock: Clock,
  ) {}

  private stmt<R = unknown>(sql: string): Database.Statement<unknown[], R> {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s as Database.Statement<unknown[], R>;
  }

  // ---------------- directory ----------------

  async upsertAppropriateBody(ab: AppropriateBody): Promise<void> {
    const v = AppropriateBody.parse(ab);
    this.stmt(
      `INSERT INTO appropriate_bodies (id, name, data) VALUES (@id, @name, @data)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, data = excluded.data`,
    ).run({ id: v.id, name: v.name, data: JSON.stringify(v) });
  }

  async getAppropriateBody(id: string): Promise<AppropriateBody | undefined> {
    const row = this.stmt<DataRow>("SELECT data FROM appropriate_bodies WHERE id = ?").get(id);
    return row ? AppropriateBody.parse(JSON.parse(row.data)) : undefined;
  }

  async upsertSchool(school: School): Promise<void> {
    const v = School.parse(school);
    this.stmt(
      `INSERT INTO schools (id, name, ab_id, data) VALUES (@id, @name, @abId, @data)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, ab_id = excluded.ab_id, data = excluded.data`,
    ).run({ id: v.id, name: v.name, abId: v.abId, data: JSON.stringify(v) });
  }

  async getSchool(id: string): Promise<School | undefined> {
    const row = this.stmt<DataRow>("SELECT data FROM schools WHERE id = ?").get(id);
    return row ? School.parse(JSON.parse(row.data)) : undefined;
  }

  async listSchools(): Promise<School[]> {
    return this.stmt<DataRow>("SELECT data FROM schools ORDER BY name, id")
      .all()
      .map((r) => School.parse(JSON.parse(r.data)));
  }

  async upsertPerson(person: Person): Promise<void> {
    const v = Person.parse(person);
    try {
      this.stmt(
        `INSERT INTO people (id, display_name, aad_object_id, school_id, ab_id, data)
         VALUES (@id, @displayName, @aadObjectId, @schoolId, @abId, @data)
         ON CONFLICT(id) DO UPDATE SET display_name = excluded.display_name, aad_object_id = excluded.aad_object_id,
           school_id = excluded.school_id, ab_id = excluded.ab_id, data = excluded.data`,
      ).run({
        id: v.id,
        displayName: v.displayName,
        aadObjectId: v.aadObjectId ?? null,
        schoolId: v.schoolId ?? null,
        abId: v.abId ?? null,
        data: JSON.stringify(v),
      });
    } catch (e) {
      if (sqliteCode(e) === "SQLITE_CONSTRAINT_UNIQUE") {
        throw conflict("Another person already has this Entra object id", { personId: v.id });
      }
      throw e;
    }
  }

  async getPerson(id: string): Promise<Person | undefined> {
    const row = this.stmt<DataRow>("SELECT data FROM people WHERE id = ?").get(id);
    return row ? Person.parse(JSON.parse(row.data)) : undefined;
  }

  async getPersonByAadObjectId(aadObjectId: string): Promise<Person | undefined> {
    const row = this.stmt<DataRow>("SELECT data FROM people WHERE aad_object_id = ?").get(aadObjectId);
    return row ? Person.parse(JSON.parse(row.data)) : undefined;
  }

  async listPeople(filter: { schoolId?: string; abId?: string } = {}): Promise<Person[]> {
    const { where, params } = equalityFilter(filter, { schoolId: "school_id", abId: "ab_id" });
    return this.stmt<DataRow>(`SELECT data FROM people ${whereClause(where)} ORDER BY display_name, id`)
      .all(params)
      .map((r) => Person.parse(JSON.parse(r.data)));
  }

  async upsertEct(ect: Ect): Promise<void> {
    const v = Ect.parse(ect);
    this.stmt(
      `INSERT INTO ects (id, person_id, school_id, ab_id, mentor_id, induction_tutor_id, data)
       VALUES (@id, @personId, @schoolId, @abId, @mentorId, @inductionTutorId, @data)
       ON CONFLICT(id) DO UPDATE SET person_id = excluded.person_id, school_id = excluded.school_id, ab_id = excluded.ab_id,
         mentor_id = excluded.mentor_id, induction_tutor_id = excluded.induction_tutor_id, data = excluded.data`,
    ).run({
      id: v.id,
      personId: v.personId,
      schoolId: v.schoolId,
      abId: v.abId,
      mentorId: v.mentorId ?? null,
      inductionTutorId: v.inductionTutorId ?? null,
      data: JSON.stringify(v),
    });
  }

  async getEct(id: string): Promise<Ect | undefined> {
    const row = this.stmt<DataRow>("SELECT data FROM ects WHERE id = ?").get(id);
    return row ? Ect.parse(JSON.parse(row.data)) : undefined;
  }

  async listEcts(filter: EctFilter = {}): Promise<Ect[]> {
    const where: string[] = [];
    const params: Params = {};
    const eq = (column: string, key: keyof EctFilter) => {
      const value = filter[key];
      if (value !== undefined) {
        where.push(`${column} = @${key}`);
        params[key] = value;
      }
    };
    eq("school_id", "schoolId");
    eq("ab_id", "abId");
    eq("mentor_id", "mentorId");
    eq("induction_tutor_id", "inductionTutorId");
    eq("person_id", "personId");
    return this.stmt<DataRow>(`SELECT data FROM ects ${whereClause(where)} ORDER BY id`)
      .all(params)
      .map((r) => Ect.parse(JSON.parse(r.data)));
  }

  // ---------------- plans ----------------

  async getPlan(id: string): Promise<Plan | undefined> {
    const row = this.stmt<DataRow>("SELECT data FROM plans WHERE id = ?").get(id);
    return row ? Plan.parse(JSON.parse(row.data)) : undefined;
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
    const outbox = (change.outbox ?? []).map((m) => this.newOutboxRow(m, this.clock.now()));

    const run = this.db.transaction((): Plan[] => {
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

      this.insertAudit(audit);

      for (const c of checkIns) this.upsertCheckIn(c);
      for (const m of outbox) this.insertOutboxRow(m);
      return stored;
    });
    return run.immediate();
  }

  // ---------------- audit ----------------

  async listAudit(filter: { planId?: string; ectId?: string }): Promise<AuditEntry[]> {
    const { where, params } = equalityFilter(filter, { planId: "plan_id", ectId: "ect_id" });
    const rows = this.stmt<DataRow>(`SELECT data FROM audit ${whereClause(where)} ORDER BY chain_id, chain_seq`).all(params);
    return inChainOrder(rows.map((r) => AuditEntry.parse(JSON.parse(r.data))));
  }

  async readAuditTrail(): Promise<AuditEntry[]> {
    return this.stmt<DataRow>("SELECT data FROM audit ORDER BY chain_id, chain_seq")
      .all()
      .map((r) => AuditEntry.parse(JSON.parse(r.data)));
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

  // ---------------- outbox ----------------

  private newOutboxRow(m: NewOutboxMessage, now: Date): OutboxMessage {
    return newOutboxMessage(m, now, randomUUID());
  }

  /** Inserts a new message unless one with the same dedupe key exists. */
  private insertOutboxRow(m: OutboxMessage): void {
    this.stmt(
      `INSERT INTO outbox (id, dedupe_key, kind, recipient_id, plan_id, ect_id, data, created_at, not_before, not_before_ms, status, attempts)
       VALUES (@id, @dedupeKey, @kind, @recipientId, @planId, @ectId, @data, @createdAt, @notBefore, @notBeforeMs, 'pending', 0)
       ON CONFLICT(dedupe_key) DO NOTHING`,
    ).run({
      id: m.id,
      dedupeKey: m.dedupeKey,
      kind: m.kind,
      recipientId: m.recipientId,
      planId: m.planId ?? null,
      ectId: m.ectId ?? null,
      data: JSON.stringify(m.data),
      createdAt: m.createdAt,
      notBefore: m.notBefore,
      notBeforeMs: epochMs(m.notBefore),
    });
  }

  async enqueue(messages: NewOutboxMessage[], now: Date): Promise<void> {
    const rows = dedupeMessages(messages).map((m) => this.newOutboxRow(m, now));
    this.db
      .transaction(() => {
        for (const m of rows) this.insertOutboxRow(m);
      })
      .immediate();
  }

  async claimDue(options: ClaimOptions): Promise<OutboxMessage[]> {
    const { instanceId, now, leaseMs, limit } = options;
    if (limit <= 0) return [];
    const nowMs = now.getTime();
    // The WHERE and ORDER BY are outboxPolicy's isClaimable and claimOrder in index form; the
    // policy still decides each row, so the two cannot drift apart unnoticed.
    const claim = this.db.transaction((): OutboxRow[] => {
      const due = this.stmt<{ seq: number; status: string; not_before_ms: number; claimed_until_ms: number | null; attempts: number }>(
        `SELECT seq, status, not_before_ms, claimed_until_ms, attempts FROM outbox
         WHERE status = 'pending' AND not_before_ms <= @now AND (claimed_until_ms IS NULL OR claimed_until_ms < @now)
         ORDER BY not_before_ms, seq LIMIT @limit`,
      )
        .all({ now: nowMs, limit: Math.floor(limit) })
        .filter((r) => isClaimable({ status: r.status as OutboxMessage["status"], notBeforeMs: r.not_before_ms, claimedUntilMs: r.claimed_until_ms }, nowMs))
        .sort((a, b) => claimOrder({ notBeforeMs: a.not_before_ms, seq: a.seq }, { notBeforeMs: b.not_before_ms, seq: b.seq }));
      const update = this.stmt("UPDATE outbox SET claimed_by = @claimedBy, claimed_until_ms = @claimedUntilMs, attempts = @attempts WHERE seq = @seq");
      const read = this.stmt<OutboxRow>("SELECT * FROM outbox WHERE seq = ?");
      return due.map(({ seq, attempts }) => {
        update.run({ ...claimStamp(attempts, instanceId, nowMs, leaseMs), seq });
        return read.get(seq)!;
      });
    });
    return claim.immediate().map(toOutboxMessage);
  }

  /**
   * Marks a claimed message sent. Only the instance that holds the claim can: from any other
   * instance (or for a message no longer pending) this is a no-op, so a late call from an
   * instance whose lease was taken over cannot clobber the new holder's state.
   */
  async markSent(id: string, instanceId: string, now: Date): Promise<void> {
    this.stmt("UPDATE outbox SET status = 'sent', sent_at = @sentAt WHERE id = @id AND claimed_by = @instanceId AND status = 'pending'").run({
      id,
      instanceId,
      sentAt: now.toISOString(),
    });
  }

  /**
   * Records a failed send by the claim holder (a no-op from anyone else). With `retryAt` the
   * message goes back to pending, due again at `retryAt` and claimable by any instance; without
   * it the message is failed for good.
   */
  async markFailed(id: string, instanceId: string, error: string, now: Date, retryAt?: Date): Promise<void> {
    const lastError = error.slice(0, maxErrorLength);
    if (retryAt) {
      this.stmt(
        `UPDATE outbox SET status = 'pending', not_before = @notBefore, not_before_ms = @notBeforeMs,
           claimed_by = NULL, claimed_until_ms = NULL, last_error = @lastError
         WHERE id = @id AND claimed_by = @instanceId AND status = 'pending'`,
      ).run({ id, instanceId, lastError, notBefore: retryAt.toISOString(), notBeforeMs: retryAt.getTime() });
    } else {
      this.stmt(
        `UPDATE outbox SET status = 'failed', last_error = @lastError
         WHERE id = @id AND claimed_by = @instanceId AND status = 'pending'`,
      ).run({ id, instanceId, lastError });
    }
  }

  async listOutbox(filter: { status?: OutboxMessage["status"]; recipientId?: string; planId?: string }): Promise<OutboxMessage[]> {
    const { where, params } = equalityFilter(filter, { status: "status", recipientId: "recipient_id", planId: "plan_id" });
    return this.stmt<OutboxRow>(`SELECT * FROM outbox ${whereClause(where)} ORDER BY seq`)
      .all(params)
      .map(toOutboxMessage);
  }

  async releaseClaims(instanceId: string, ids?: string[]): Promise<number> {
    if (ids && ids.length === 0) return 0;
    const release = this.db.transaction((): number => {
      const held = this.stmt<{ seq: number; id: string; status: string; claimed_by: string | null }>(
        "SELECT seq, id, status, claimed_by FROM outbox WHERE claimed_by = ? AND status = 'pending'",
      )
        .all(instanceId)
        .filter((r) => holdsClaim({ status: r.status, claimedBy: r.claimed_by }, instanceId) && (!ids || ids.includes(r.id)));
      const clear = this.stmt("UPDATE outbox SET claimed_by = NULL, claimed_until_ms = NULL WHERE seq = ?");
      for (const r of held) clear.run(r.seq);
      return held.length;
    });
    return release.immediate();
  }

  async wakeRecipient(recipientId: string, now: Date): Promise<number> {
    const nowMs = now.getTime();
    const wake = this.db.transaction((): number => {
      const waiting = this.stmt<{ seq: number; status: string; not_before_ms: number; claimed_until_ms: number | null }>(
        "SELECT seq, status, not_before_ms, claimed_until_ms FROM outbox WHERE recipient_id = ? AND status = 'pending' AND not_before_ms > ?",
      )
        .all(recipientId, nowMs)
        // Not due yet, so claimable once brought forward: unless a live claim holds it.
        .filter((r) => isClaimable({ status: "pending", notBeforeMs: nowMs, claimedUntilMs: r.claimed_until_ms }, nowMs));
      const due = this.stmt("UPDATE outbox SET not_before = @at, not_before_ms = @ms WHERE seq = @seq");
      for (const r of waiting) due.run({ at: now.toISOString(), ms: nowMs, seq: r.seq });
      return waiting.length;
    });
    return wake.immediate();
  }

  // ---------------- instances ----------------

  async heartbeatInstance(instanceId: string, now: Date, liveUntil: Date): Promise<number> {
    const nowMs = now.getTime();
    const beat = this.db.transaction((): number => {
      this.stmt(
        `INSERT INTO instances (instance_id, live_until_ms, heartbeat_at) VALUES (@instanceId, @until, @at)
         ON CONFLICT(instance_id) DO UPDATE SET live_until_ms = excluded.live_until_ms, heartbeat_at = excluded.heartbeat_at`,
      ).run({ instanceId, until: liveUntil.getTime(), at: now.toISOString() });
      return this.stmt<{ live_until_ms: number }>("SELECT live_until_ms FROM instances WHERE live_until_ms > ?")
        .all(nowMs)
        .filter((r) => isLive({ liveUntilMs: r.live_until_ms }, nowMs)).length;
    });
    return beat.immediate();
  }

  async retireInstance(instanceId: string, now: Date): Promise<void> {
    this.stmt("UPDATE instances SET live_until_ms = @now, heartbeat_at = @at WHERE instance_id = @instanceId").run({
      instanceId,
      now: now.getTime(),
      at: now.toISOString(),
    });
  }

  // ---------------- jobs ----------------

  async claimJob(name: string, instanceId: string, now: Date, leaseMs: number): Promise<boolean> {
    const nowMs = now.getTime();
    const result = this.stmt(
      `INSERT INTO jobs (name, claimed_by, claimed_at_ms, claimed_until_ms) VALUES (@name, @instanceId, @now, @until)
       ON CONFLICT(name) DO UPDATE SET claimed_by = excluded.claimed_by, claimed_at_ms = excluded.claimed_at_ms,
         claimed_until_ms = excluded.claimed_until_ms
       WHERE jobs.claimed_until_ms < @now`,
    ).run({ name, instanceId, now: nowMs, until: nowMs + leaseMs });
    return result.changes === 1;
  }

  // ---------------- the bot's reach ----------------

  async saveConversationRef(personId: string, ref: ConversationRef): Promise<void> {
    const v = ConversationRef.parse(ref);
    this.stmt(
      `INSERT INTO conversation_refs (person_id, conversation_id, data) VALUES (@personId, @conversationId, @data)
       ON CONFLICT(person_id) DO UPDATE SET conversation_id = excluded.conversation_id, data = excluded.data`,
    ).run({ personId, conversationId: v.conversationId, data: JSON.stringify(v) });
  }

  async getConversationRef(personId: string): Promise<ConversationRef | undefined> {
    const row = this.stmt<DataRow>("SELECT data FROM conversation_refs WHERE person_id = ?").get(personId);
    return row ? ConversationRef.parse(JSON.parse(row.data)) : undefined;
  }

  async saveChannelRef(abId: string, ref: ConversationRef): Promise<void> {
    const v = ConversationRef.parse(ref);
    this.stmt(
      `INSERT INTO channel_refs (ab_id, conversation_id, data) VALUES (@abId, @conversationId, @data)
       ON CONFLICT(ab_id) DO UPDATE SET conversation_id = excluded.conversation_id, data = excluded.data`,
    ).run({ abId, conversationId: v.conversationId, data: JSON.stringify(v) });
  }

  async getChannelRef(abId: string): Promise<ConversationRef | undefined> {
    const row = this.stmt<DataRow>("SELECT data FROM channel_refs WHERE ab_id = ?").get(abId);
    return row ? ConversationRef.parse(JSON.parse(row.data)) : undefined;
  }

  async setReminderMute(personId: string, kind: OutboxKind, muted: boolean, now: Date): Promise<void> {
    const k = OutboxKind.parse(kind);
    this.stmt(
      `INSERT INTO reminder_mutes (person_id, kind, muted, changed_at) VALUES (@personId, @kind, @muted, @at)
       ON CONFLICT(person_id, kind) DO UPDATE SET muted = excluded.muted, changed_at = excluded.changed_at`,
    ).run({ personId, kind: k, muted: muted ? 1 : 0, at: now.toISOString() });
  }

  async listReminderMutes(personId: string): Promise<OutboxKind[]> {
    return this.stmt<{ kind: string }>("SELECT kind FROM reminder_mutes WHERE person_id = ? AND muted = 1 ORDER BY kind")
      .all(personId)
      .map((r) => OutboxKind.parse(r.kind));
  }

  async openCheckIns(checkIns: CheckIn[], messages: NewOutboxMessage[], now: Date): Promise<string[]> {
    const rows = checkIns.map((c) => CheckIn.parse(c));
    const outbox = messages.map((m) => this.newOutboxRow(m, now));
    return this.db
      .transaction((): string[] => {
        const created: string[] = [];
        const insert = this.stmt(
          `INSERT INTO check_ins (id, plan_id, ect_id, week, due_on, status, data)
           VALUES (@id, @planId, @ectId, @week, @dueOn, @status, @data) ON CONFLICT(id) DO NOTHING`,
        );
        for (const c of rows) {
          const r = insert.run({ id: c.id, planId: c.planId, ectId: c.ectId, week: c.week, dueOn: c.dueOn, status: c.status, data: JSON.stringify(c) });
          if (r.changes === 1) created.push(c.id);
        }
        for (const m of outbox) this.insertOutboxRow(m);
        return created;
      })
      .immediate();
  }

  async recordSentCard(card: SentCard): Promise<void> {
    const v = SentCard.parse(card);
    this.stmt(
      `INSERT INTO sent_cards (outbox_id, plan_id, kind, recipient_id, data) VALUES (@outboxId, @planId, @kind, @recipientId, @data)
       ON CONFLICT(outbox_id) DO UPDATE SET plan_id = excluded.plan_id, kind = excluded.kind, recipient_id = excluded.recipient_id, data = excluded.data`,
    ).run({ outboxId: v.outboxId, planId: v.planId ?? null, kind: v.kind, recipientId: v.recipientId, data: JSON.stringify(v) });
  }

  async listSentCards(filter: { planId: string; kinds?: OutboxKind[] }): Promise<SentCard[]> {
    if (filter.kinds && filter.kinds.length === 0) return [];
    const where = ["plan_id = @planId"];
    const params: Params = { planId: filter.planId };
    if (filter.kinds) {
      where.push("kind IN (SELECT value FROM json_each(@kinds))");
      params.kinds = JSON.stringify(filter.kinds);
    }
    return this.stmt<DataRow>(`SELECT data FROM sent_cards ${whereClause(where)} ORDER BY rowid`)
      .all(params)
      .map((r) => SentCard.parse(JSON.parse(r.data)));
  }

  // ---------------- roster (issue 6): directory audit ----------------

  async appendDirectoryAudit(entries: DirectoryAuditEntry[]): Promise<void> {
    const rows = entries.map((e) => DirectoryAuditEntry.parse(e));
    const insert = this.stmt("INSERT OR IGNORE INTO directory_audit (id, at_ms, school_id, ab_id, data) VALUES (@id, @atMs, @schoolId, @abId, @data)");
    this.db
      .transaction(() => {
        for (const e of rows) insert.run({ id: e.id, atMs: Date.parse(e.at), schoolId: e.schoolId ?? null, abId: e.abId ?? null, data: JSON.stringify(e) });
      })
      .immediate();
  }

  async listDirectoryAudit(filter: { schoolId?: string; abId?: string }): Promise<DirectoryAuditEntry[]> {
    const { where, params } = equalityFilter(filter, { schoolId: "school_id", abId: "ab_id" });
    return this.stmt<DataRow>(`SELECT data FROM directory_audit ${whereClause(where)} ORDER BY at_ms, seq`)
      .all(params)
      .map((r) => DirectoryAuditEntry.parse(JSON.parse(r.data)));
  }

  // ---------------- records (issue 7): evidence, progress reviews, assessments, concerns ----------------

  private evidenceFolder?: string;

  /** DATA_DIR/evidence beside the database file (a temp folder for an in-memory database). */
  private evidenceDir(): string {
    if (!this.evidenceFolder) {
      this.evidenceFolder = this.filePath === ":memory:" ? mkdtempSync(join(tmpdir(), "ectsp-evidence-")) : join(dirname(this.filePath), "evidence");
      mkdirSync(this.evidenceFolder, { recursive: true });
    }
    return this.evidenceFolder;
  }

  private evidencePath(id: string): string {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) throw new DomainError("validation", "Evidence ids are letters, digits, - and _ only.");
    return join(this.evidenceDir(), id);
  }

  /** Seals and appends audit entries: only ever inside a write transaction (see appendSealedAudit). */
  private insertAudit(entries: AuditEntry[]): void {
    appendSealedAudit((sql) => this.stmt(sql), entries);
  }

  async addEvidence(record: EvidenceRecord, content: Uint8Array, audit: AuditEntry[]): Promise<void> {
    const rec = EvidenceRecord.parse(record);
    const entries = audit.map((a) => AuditEntry.parse(a));
    if (content.length !== rec.size) throw new DomainError("validation", `The file is ${content.length} bytes, not the ${rec.size} its record says.`);
    const path = this.evidencePath(rec.id);
    if (existsSync(path) || this.stmt("SELECT 1 FROM evidence WHERE id = ?").get(rec.id)) throw conflict(`Evidence ${rec.id} already exists`);
    // The file first (written aside, then renamed into place), then the row and its audit in one
    // transaction; if the transaction fails the file goes, so nothing is left behind.
    const part = `${path}.${randomUUID()}.part`;
    try {
      writeFileSync(part, content, { flag: "wx" });
      renameSync(part, path);
    } catch (e) {
      if (existsSync(part)) unlinkSync(part);
      throw e;
    }
    try {
      this.db
        .transaction(() => {
          this.stmt(
            `INSERT INTO evidence (id, ect_id, plan_id, target_id, deleted, at_ms, data)
             VALUES (@id, @ectId, @planId, @targetId, 0, @atMs, @data)`,
          ).run({ id: rec.id, ectId: rec.ectId, planId: rec.planId, targetId: rec.targetId, atMs: epochMs(rec.uploadedAt), data: JSON.stringify(rec) });
          this.insertAudit(entries);
        })
        .immediate();
    } catch (e) {
      if (existsSync(path)) unlinkSync(path);
      throw e;
    }
  }

  async getEvidence(id: string): Promise<EvidenceRecord | undefined> {
    const row = this.stmt<DataRow>("SELECT data FROM evidence WHERE id = ?").get(id);
    return row ? EvidenceRecord.parse(JSON.parse(row.data)) : undefined;
  }

  async listEvidence(filter: { planId?: string; targetId?: string; ectId?: string; includeDeleted?: boolean }): Promise<EvidenceRecord[]> {
    const where: string[] = [];
    const params: Params = {};
    for (const [column, key] of [
      ["plan_id", "planId"],
      ["target_id", "targetId"],
      ["ect_id", "ectId"],
    ] as const) {
      const v = filter[key];
      if (v !== undefined) {
        where.push(`${column} = @${key}`);
        params[key] = v;
      }
    }
    if (!filter.includeDeleted) where.push("deleted = 0");
    return this.stmt<DataRow>(`SELECT data FROM evidence ${whereClause(where)} ORDER BY at_ms, id`)
      .all(params)
      .map((r) => EvidenceRecord.parse(JSON.parse(r.data)));
  }

  async readEvidenceContent(id: string): Promise<Uint8Array | undefined> {
    if (!this.stmt("SELECT 1 FROM evidence WHERE id = ?").get(id)) return undefined;
    const path = this.evidencePath(id);
    return existsSync(path) ? readFileSync(path) : undefined;
  }

  async markEvidenceDeleted(record: EvidenceRecord, audit: AuditEntry[]): Promise<void> {
    const rec = EvidenceRecord.parse(record);
    if (!rec.deletedAt) throw new DomainError("invalid_state", "Mark the record deleted (deletedAt) to hide it.");
    const entries = audit.map((a) => AuditEntry.parse(a));
    this.db
      .transaction(() => {
        const r = this.stmt("UPDATE evidence SET deleted = 1, data = @data WHERE id = @id AND deleted = 0").run({ id: rec.id, data: JSON.stringify(rec) });
        if (r.changes === 0) throw notFound(`Evidence ${rec.id}`);
        this.insertAudit(entries);
      })
      .immediate();
  }

  async addRecords(records: InductionRecord[], audit: AuditEntry[], outbox: NewOutboxMessage[] = []): Promise<void> {
    const rows = records.map((r) => InductionRecord.parse(r));
    const entries = audit.map((a) => AuditEntry.parse(a));
    const messages = outbox.map((m) => this.newOutboxRow(m, this.clock.now()));
    this.db
      .transaction(() => {
        const insert = this.stmt("INSERT INTO induction_records (id, kind, ect_id, ab_id, at_ms, data) VALUES (@id, @kind, @ectId, @abId, @atMs, @data)");
        for (const r of rows) {
          try {
            insert.run({ id: r.id, kind: r.kind, ectId: r.ectId, abId: r.abId, atMs: epochMs(r.recordedAt), data: JSON.stringify(r) });
          } catch (e) {
            if (sqliteCode(e) === "SQLITE_CONSTRAINT_UNIQUE") throw conflict(`Record ${r.id} already exists`);
            throw e;
          }
        }
        this.insertAudit(entries);
        for (const m of messages) this.insertOutboxRow(m);
      })
      .immediate();
  }

  async getInductionRecord(id: string): Promise<InductionRecord | undefined> {
    const row = this.stmt<DataRow>("SELECT data FROM induction_records WHERE id = ?").get(id);
    return row ? InductionRecord.parse(JSON.parse(row.data)) : undefined;
  }

  async listRecords(filter: { ectIds?: string[]; kind?: InductionRecordKind }): Promise<InductionRecord[]> {
    const where: string[] = [];
    const params: Params = {};
    if (filter.ectIds !== undefined) {
      if (filter.ectIds.length === 0) return [];
      where.push("ect_id IN (SELECT value FROM json_each(@ectIds))");
      params.ectIds = JSON.stringify(filter.ectIds);
    }
    if (filter.kind !== undefined) {
      where.push("kind = @kind");
      params.kind = filter.kind;
    }
    return this.stmt<DataRow>(`SELECT data FROM induction_records ${whereClause(where)} ORDER BY at_ms, seq`)
      .all(params)
      .map((r) => InductionRecord.parse(JSON.parse(r.data)));
  }

  // ---------------- end of records (issue 7) ----------------

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

// ---------- helpers ----------

const whereClause = (where: string[]) => (where.length > 0 ? `WHERE ${where.join(" AND ")}` : "");

/** WHERE terms and parameters for the filter fields that are set: `{ planId: "plan_id" }` gives `plan_id = @planId`. */
function equalityFilter<F extends object>(filter: F, columns: { [K in keyof F]?: string }): { where: string[]; params: Params } {
  const where: string[] = [];
  const params: Params = {};
  for (const [key, column] of Object.entries(columns) as [string, string][]) {
    const value = (filter as Record<string, unknown>)[key];
    if (value === undefined) continue;
    where.push(`${column} = @${key}`);
    params[key] = value as Params[string];
  }
  return { where, params };
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

function toOutboxMessage(r: OutboxRow): OutboxMessage {
  return OutboxMessage.parse(
    defined({
      id: r.id,
      kind: r.kind,
      recipientId: r.recipient_id,
      planId: r.plan_id,
      ectId: r.ect_id,
      dedupeKey: r.dedupe_key,
      data: JSON.parse(r.data) as unknown,
      createdAt: r.created_at,
      notBefore: r.not_before,
      status: r.status,
      attempts: r.attempts,
      claimedBy: r.claimed_by,
      claimedUntil: r.claimed_until_ms === null ? null : new Date(r.claimed_until_ms).toISOString(),
      sentAt: r.sent_at,
      lastError: r.last_error,
    }),
  );
}
