import type {
  AppropriateBody,
  AuditEntry,
  CheckIn,
  Ect,
  NewOutboxMessage,
  OutboxMessage,
  Person,
  Plan,
  PlanStatus,
  PlanSummary,
  School,
} from "@ectsp/shared";

/** A write against a stale plan version. The caller reloads and shows what changed. */
export class StaleVersionError extends Error {
  constructor(
    readonly planId: string,
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(`Plan ${planId} is at version ${currentVersion}, not ${expectedVersion}`);
    this.name = "StaleVersionError";
  }
}

export interface PlanFilter {
  ectIds?: string[];
  schoolId?: string;
  abId?: string;
  status?: PlanStatus[];
}

export interface EctFilter {
  schoolId?: string;
  abId?: string;
  mentorId?: string;
  inductionTutorId?: string;
  personId?: string;
}

/**
 * What a use case writes, committed as one unit: the plan (created or saved against the
 * version the writer read), its audit entries and the messages to send. The embedded store
 * commits it in one transaction; SharePoint writes the plan with If-Match first, then the
 * rest idempotently.
 */
export interface PlanChange {
  /** Plans to create (version 1). */
  create?: Plan[];
  /** Plans to save; each must still be at `expectedVersion`, and is stored at expectedVersion + 1. */
  save?: { plan: Plan; expectedVersion: number }[];
  audit: AuditEntry[];
  outbox?: NewOutboxMessage[];
  checkIns?: CheckIn[];
}

export interface ClaimOptions {
  /** Who is claiming (the server instance id). */
  instanceId: string;
  now: Date;
  /** How long a claim holds before another instance may take the message over. */
  leaseMs: number;
  limit: number;
}

/**
 * The one store interface. Two adapters implement it: the embedded SQLite file (the default)
 * and SharePoint lists via Microsoft Graph. The same contract suite runs against both.
 * Nothing is ever hard-deleted.
 */
export interface Store {
  readonly kind: "sqlite" | "sharepoint";

  // --- directory ---
  upsertAppropriateBody(ab: AppropriateBody): Promise<void>;
  getAppropriateBody(id: string): Promise<AppropriateBody | undefined>;
  upsertSchool(school: School): Promise<void>;
  getSchool(id: string): Promise<School | undefined>;
  listSchools(): Promise<School[]>;
  upsertPerson(person: Person): Promise<void>;
  getPerson(id: string): Promise<Person | undefined>;
  getPersonByAadObjectId(aadObjectId: string): Promise<Person | undefined>;
  listPeople(filter?: { schoolId?: string; abId?: string }): Promise<Person[]>;
  upsertEct(ect: Ect): Promise<void>;
  getEct(id: string): Promise<Ect | undefined>;
  listEcts(filter?: EctFilter): Promise<Ect[]>;

  // --- plans ---
  getPlan(id: string): Promise<Plan | undefined>;
  listPlanSummaries(filter: PlanFilter): Promise<PlanSummary[]>;
  countPlans(): Promise<number>;
  /**
   * Commits a use case's writes. Throws StaleVersionError (and writes nothing) when a saved
   * plan's version is not the expected one. Returns the plans as stored.
   */
  commit(change: PlanChange): Promise<Plan[]>;

  // --- audit (append-only) ---
  listAudit(filter: { planId?: string; ectId?: string }): Promise<AuditEntry[]>;

  // --- check-ins ---
  getCheckIn(id: string): Promise<CheckIn | undefined>;
  listCheckIns(filter: { planId?: string; ectId?: string; status?: CheckIn["status"] }): Promise<CheckIn[]>;

  // --- outbox: claimed through the store so instances never double-send ---
  /** Adds messages; one whose dedupeKey exists already is ignored. */
  enqueue(messages: NewOutboxMessage[], now: Date): Promise<void>;
  /** Atomically claims up to `limit` due messages not held by a live claim. */
  claimDue(options: ClaimOptions): Promise<OutboxMessage[]>;
  markSent(id: string, instanceId: string, now: Date): Promise<void>;
  markFailed(id: string, instanceId: string, error: string, now: Date, retryAt?: Date): Promise<void>;
  listOutbox(filter: { status?: OutboxMessage["status"]; recipientId?: string; planId?: string }): Promise<OutboxMessage[]>;

  /**
   * Claims a named piece of scheduled work (e.g. "weekly-checkins:2026-W48") for one instance.
   * Returns true for exactly one caller until the lease ends.
   */
  claimJob(name: string, instanceId: string, now: Date, leaseMs: number): Promise<boolean>;

  close(): Promise<void>;
}
