import type {
  AppropriateBody,
  AuditEntry,
  CheckIn,
  DirectoryAuditEntry,
  Ect,
  EvidenceRecord,
  InductionRecord,
  InductionRecordKind,
  NewOutboxMessage,
  OutboxKind,
  OutboxMessage,
  Person,
  School,
} from "@ectsp/shared";
import type { ClaimOptions, ConversationRef, EctFilter, PlanChange, PlanFilter, SchoolSettingFields, SentCard, Store } from "../store.js";
import type { Clock } from "../../clock.js";
import { SqliteDatabase, openDatabase } from "./database.js";
import { SqliteDirectory } from "./directory.js";
import { SqlitePlans } from "./plans.js";
import { SqliteAudit } from "./audit.js";
import { SqliteRecords } from "./records.js";
import { SqliteReach } from "./reach.js";
import { SqliteRetention } from "./retention.js";

export interface SqliteStoreOptions {
  /** The server's one clock: every time the store sets itself (outbox createdAt / notBefore, migrations) comes from it. */
  clock: Clock;
  /** How long a writer waits for another connection's lock before giving up. Default 5 s. */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) the embedded store at `filePath`: WAL journal, a busy timeout so
 * several instances can share the file, foreign keys on, and the schema migrated to the latest
 * version (database.ts).
 */
export function openSqliteStore(filePath: string, options: SqliteStoreOptions): SqliteStore {
  const { db, path } = openDatabase(filePath, options.clock, options.busyTimeoutMs ?? 5000);
  return new SqliteStore(new SqliteDatabase(db), path, options.clock);
}

/**
 * The embedded store: one SQLite file, shared safely by several server instances. Each port is
 * its own class over the one connection, so a change that spans ports (a commit's plans, audit,
 * check-ins and messages) is still one transaction.
 */
export class SqliteStore implements Store {
  readonly kind = "sqlite" as const;
  private readonly directory: SqliteDirectory;
  private readonly plans: SqlitePlans;
  private readonly audit: SqliteAudit;
  private readonly records: SqliteRecords;
  private readonly reach: SqliteReach;
  private readonly retention: SqliteRetention;

  constructor(
    private readonly database: SqliteDatabase,
    readonly filePath: string,
    clock: Clock,
  ) {
    this.directory = new SqliteDirectory(database);
    this.plans = new SqlitePlans(database, clock);
    this.audit = new SqliteAudit(database);
    this.records = new SqliteRecords(database, filePath, clock);
    this.reach = new SqliteReach(database);
    this.retention = new SqliteRetention(database, (id) => this.records.evidencePath(id));
  }

  // ---------------- retention (issue 16, item 9) ----------------

  deleteEctRecords(deletion: Parameters<SqliteRetention["deleteEctRecords"]>[0]) {
    return this.retention.deleteEctRecords(deletion);
  }

  // ---------------- directory ----------------

  upsertAppropriateBody(ab: AppropriateBody) {
    return this.directory.upsertAppropriateBody(ab);
  }
  getAppropriateBody(id: string) {
    return this.directory.getAppropriateBody(id);
  }
  upsertSchool(school: School) {
    return this.directory.upsertSchool(school);
  }
  getSchool(id: string) {
    return this.directory.getSchool(id);
  }
  listSchools() {
    return this.directory.listSchools();
  }
  upsertPerson(person: Person) {
    return this.directory.upsertPerson(person);
  }
  getPerson(id: string) {
    return this.directory.getPerson(id);
  }
  getPersonByAadObjectId(aadObjectId: string) {
    return this.directory.getPersonByAadObjectId(aadObjectId);
  }
  listPeople(filter?: { schoolId?: string; abId?: string }) {
    return this.directory.listPeople(filter);
  }
  upsertEct(ect: Ect) {
    return this.directory.upsertEct(ect);
  }
  getEct(id: string) {
    return this.directory.getEct(id);
  }
  savePerson(person: Person, expectedVersion: number | null) {
    return this.directory.savePerson(person, expectedVersion);
  }
  saveEct(ect: Ect, expectedVersion: number | null) {
    return this.directory.saveEct(ect, expectedVersion);
  }
  saveSchoolSettings(schoolId: string, settings: SchoolSettingFields, expectedVersion: number) {
    return this.directory.saveSchoolSettings(schoolId, settings, expectedVersion);
  }
  recordSignIn(personId: string, at: string) {
    return this.directory.recordSignIn(personId, at);
  }
  listEcts(filter?: EctFilter) {
    return this.directory.listEcts(filter);
  }
  appendDirectoryAudit(entries: DirectoryAuditEntry[]) {
    return this.directory.appendDirectoryAudit(entries);
  }
  listDirectoryAudit(filter: { schoolId?: string; abId?: string }) {
    return this.directory.listDirectoryAudit(filter);
  }

  // ---------------- plans and check-ins ----------------

  getPlan(id: string) {
    return this.plans.getPlan(id);
  }
  getPlanToChange(id: string, version?: number) {
    return this.plans.getPlanToChange(id, version);
  }
  listPlanSummaries(filter: PlanFilter) {
    return this.plans.listPlanSummaries(filter);
  }
  countPlans() {
    return this.plans.countPlans();
  }
  commit(change: PlanChange) {
    return this.plans.commit(change);
  }
  getCheckIn(id: string) {
    return this.plans.getCheckIn(id);
  }
  listCheckIns(filter: { planId?: string; ectId?: string; status?: CheckIn["status"] }) {
    return this.plans.listCheckIns(filter);
  }
  openCheckIns(checkIns: CheckIn[], messages: NewOutboxMessage[], now: Date) {
    return this.plans.openCheckIns(checkIns, messages, now);
  }

  // ---------------- audit ----------------

  listAudit(filter: { planId?: string; ectId?: string }) {
    return this.audit.listAudit(filter);
  }
  readAuditTrail() {
    return this.audit.readAuditTrail();
  }

  // ---------------- records (issue 7) ----------------

  addEvidence(record: EvidenceRecord, content: Uint8Array, audit: AuditEntry[]) {
    return this.records.addEvidence(record, content, audit);
  }
  getEvidence(id: string) {
    return this.records.getEvidence(id);
  }
  listEvidence(filter: { planId?: string; targetId?: string; ectId?: string; includeDeleted?: boolean }) {
    return this.records.listEvidence(filter);
  }
  readEvidenceContent(id: string) {
    return this.records.readEvidenceContent(id);
  }
  markEvidenceDeleted(record: EvidenceRecord, audit: AuditEntry[]) {
    return this.records.markEvidenceDeleted(record, audit);
  }
  addRecords(records: InductionRecord[], audit: AuditEntry[], outbox?: NewOutboxMessage[]) {
    return this.records.addRecords(records, audit, outbox);
  }
  getInductionRecord(id: string) {
    return this.records.getInductionRecord(id);
  }
  listRecords(filter: { ectIds?: string[]; kind?: InductionRecordKind }) {
    return this.records.listRecords(filter);
  }

  // ---------------- outbox, instances, jobs and the bot's reach ----------------

  enqueue(messages: NewOutboxMessage[], now: Date) {
    return this.reach.enqueue(messages, now);
  }
  claimDue(options: ClaimOptions) {
    return this.reach.claimDue(options);
  }
  markSent(id: string, instanceId: string, now: Date) {
    return this.reach.markSent(id, instanceId, now);
  }
  markFailed(id: string, instanceId: string, error: string, now: Date, retryAt?: Date) {
    return this.reach.markFailed(id, instanceId, error, now, retryAt);
  }
  listOutbox(filter: { status?: OutboxMessage["status"]; recipientId?: string; planId?: string }) {
    return this.reach.listOutbox(filter);
  }
  releaseClaims(instanceId: string, ids?: string[]) {
    return this.reach.releaseClaims(instanceId, ids);
  }
  wakeRecipient(recipientId: string, now: Date) {
    return this.reach.wakeRecipient(recipientId, now);
  }
  heartbeatInstance(instanceId: string, now: Date, liveUntil: Date) {
    return this.reach.heartbeatInstance(instanceId, now, liveUntil);
  }
  retireInstance(instanceId: string, now: Date) {
    return this.reach.retireInstance(instanceId, now);
  }
  claimJob(name: string, instanceId: string, now: Date, leaseMs: number) {
    return this.reach.claimJob(name, instanceId, now, leaseMs);
  }
  saveConversationRef(personId: string, ref: ConversationRef) {
    return this.reach.saveConversationRef(personId, ref);
  }
  getConversationRef(personId: string) {
    return this.reach.getConversationRef(personId);
  }
  saveChannelRef(abId: string, ref: ConversationRef) {
    return this.reach.saveChannelRef(abId, ref);
  }
  getChannelRef(abId: string) {
    return this.reach.getChannelRef(abId);
  }
  setReminderMute(personId: string, kind: OutboxKind, muted: boolean, now: Date) {
    return this.reach.setReminderMute(personId, kind, muted, now);
  }
  listReminderMutes(personId: string) {
    return this.reach.listReminderMutes(personId);
  }
  recordSentCard(card: SentCard) {
    return this.reach.recordSentCard(card);
  }
  listSentCards(filter: { planId: string; kinds?: OutboxKind[] }) {
    return this.reach.listSentCards(filter);
  }

  async close(): Promise<void> {
    this.database.close();
  }
}
