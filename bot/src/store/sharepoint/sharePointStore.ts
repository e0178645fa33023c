/**
 * The SharePoint adapter of the Store: every record a list item on one site, via Microsoft
 * Graph with an app-only credential (Sites.Selected). The lists are defined in listSchema.ts and
 * created by `npm run provision:sharepoint`. Each port is its own file (directory.ts, plans.ts with
 * planWrites.ts, audit.ts, records.ts, reach.ts) over the lists' shared plumbing (lists.ts).
 *
 * Round trips:
 * - Reads issued together (in the same tick, e.g. Promise.all) go out as ONE JSON $batch of up
 *   to 20 requests; a read on its own is a plain GET. Opening a plan is one GET. Plan and
 *   check-in reads by id made together become filters of 15 ids (planReads.ts).
 * - The directory (ABs, schools, people, ECTs) is cached per instance and kept fresh by the
 *   lists' delta queries, riding along with other reads (directoryCache.ts): resolving the caller
 *   and an ECT's context usually costs no request, so the API opens a plan in one round trip.
 * - A commit that saves one plan is ONE $batch: the plan PATCH with If-Match first, then the
 *   audit entries, messages and check-ins, each `dependsOn` the plan write, so a stale plan (412)
 *   writes nothing else (424s). The item id and ETag come from a cache filled by reads; on a
 *   miss the plan is looked up first.
 * - Changes with several plans write the plans as a serial chain, then the rest; if any part
 *   fails, the parts already written are undone (plans patched back, new items removed) and the
 *   error says whether the store was left unchanged.
 * - Audit entries are sealed onto their chain's head (read with the change's other reads, in the
 *   same $batch) and written last, as a serial chain of requests. A position another instance
 *   took meanwhile answers 409 on the unique chainPosition column: the head is read again and
 *   only the audit entries still to write are sealed and written again (auditChain.ts).
 *
 * Throttling (429/503/504 with Retry-After) is retried by the Graph client's RetryHandler, and
 * inside a $batch per sub-request by graph.ts `batch` with the same budget; what outlasts it
 * surfaces as SharePointThrottledError (a change: whether it was left unchanged) or
 * GraphThrottledError (anything else), both carrying the wait. Uniqueness (plan ids,
 * message dedupe keys, Entra object ids, job names) is enforced by unique columns: a duplicate
 * create answers 409.
 */
import type { Clock } from "../../clock.js";
import type { Client } from "@microsoft/microsoft-graph-client";
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
import { createGraphClient, ok, send, type GraphConnectionOptions, type SharePointSettings } from "./graph.js";
import { listKeys, listTitle, type ListKey } from "./listSchema.js";
import { SiteLists } from "./lists.js";
import { SharePointDirectory } from "./directory.js";
import { DirectoryCache, type DirectoryFreshness } from "./directoryCache.js";
import { PlanReads } from "./planReads.js";
import { PlanCache, SharePointPlans, checkInFields, planFields } from "./plans.js";
import { ChangeJournal } from "./changeJournal.js";
import { outboxFields } from "./reach.js";
import { randomUUID } from "node:crypto";
import type { Logger } from "../../logger.js";
import { PlanWrites } from "./planWrites.js";
import { SharePointAudit } from "./audit.js";
import { SharePointRecords } from "./records.js";
import { SharePointRetention } from "./retention.js";
import { SharePointReach } from "./reach.js";

export { SharePointThrottledError, SharePointWriteError } from "./writeErrors.js";

export interface SharePointStoreOptions extends GraphConnectionOptions {
  /** The server's one clock: every time the store sets itself (outbox createdAt / notBefore, write order) comes from it. */
  clock: Clock;
  /** This server instance (it holds the changes it journals); default a fresh id. */
  instanceId?: string;
  /** How often to roll forward changes an instance that is gone left unfinished (default 30 s; 0: only when opening). */
  journalSweepMs?: number;
  /** Where the change journal says what it did after a fault (ids only). */
  logger?: Pick<Logger, "info" | "warn">;
  /** How fresh the cached directory is kept (directoryCache.ts; default refresh after 15 s, wait after 60 s). */
  directoryFreshness?: DirectoryFreshness;
}

/** Opens the store: resolves the configured lists on the site (one request). */
export async function openSharePointStore(settings: SharePointSettings, options: SharePointStoreOptions): Promise<SharePointStore> {
  const client = createGraphClient(settings, options);
  const res = ok(await send(client, "GET", `/sites/${settings.siteId}/lists?$select=id,displayName&$top=5000`), "Reading the site's lists");
  const found = new Map(((res.body as { value?: { id: string; displayName: string }[] }).value ?? []).map((l) => [l.displayName, l.id]));
  const ids = {} as Record<ListKey, string>;
  const missing: string[] = [];
  for (const key of listKeys) {
    const id = found.get(listTitle(settings.listPrefix, key));
    if (id) ids[key] = id;
    else missing.push(listTitle(settings.listPrefix, key));
  }
  if (missing.length > 0) {
    throw new Error(
      `SharePoint site ${settings.siteId} lacks the lists ${missing.map((m) => `"${m}"`).join(", ")}. Run \`npm run provision:sharepoint\` first.`,
    );
  }
  const store = new SharePointStore(client, settings, ids, options);
  // On start-up: finish what an instance that stopped (this one, before a restart) left half-written.
  await store.recoverChanges();
  store.startRecovering();
  return store;
}

/** Every port over one SiteLists, so reads from different ports issued together share a $batch. */
export class SharePointStore implements Store {
  readonly kind = "sharepoint" as const;
  private readonly lists: SiteLists;
  private readonly plans: PlanCache;
  private readonly directory: SharePointDirectory;
  private readonly directoryCache: DirectoryCache;
  private readonly planReads: PlanReads;
  private readonly audit: SharePointAudit;
  private readonly planStore: SharePointPlans;
  private readonly records: SharePointRecords;
  private readonly reach: SharePointReach;
  private readonly retention: SharePointRetention;

  private readonly journal: ChangeJournal;

  constructor(
    client: Client,
    readonly settings: SharePointSettings,
    listIds: Record<ListKey, string>,
    options: SharePointStoreOptions,
  ) {
    this.lists = new SiteLists(client, settings, listIds, options.clock);
    this.plans = new PlanCache(this.lists);
    this.directoryCache = new DirectoryCache(this.lists, options.clock, options.directoryFreshness);
    this.directory = new SharePointDirectory(this.lists, this.directoryCache);
    this.planReads = new PlanReads(this.lists, this.plans, (id) => this.planStore.getPlan(id));
    this.audit = new SharePointAudit(this.lists);
    const lists = this.lists;
    const plans = this.plans;
    const audit = this.audit;
    this.journal = new ChangeJournal(
      lists,
      {
        planFields: (plan, changeIds) => ({ ...planFields(lists, plan), changeIds: changeIds.join("\n") }),
        outboxFields: (m, seq) => outboxFields(lists, m, seq),
        checkInFields: (c) => checkInFields(lists, c),
        chainStates: (chainIds) => audit.chainStates(chainIds),
        wroteAudit: (sealed) => audit.wrote(sealed),
        forgetHeads: (chainIds) => audit.forget(chainIds),
        knownPlan: (planId) => plans.known(planId),
        rememberPlan: (item) => void plans.rememberPlan(item),
        forgetPlan: (planId) => plans.forget(planId),
      },
      {
        instanceId: options.instanceId ?? `sharepoint-${randomUUID()}`,
        retryDelayMs: (options.retryDelaySeconds ?? 3) * 1000,
        sweepMs: options.journalSweepMs ?? 30_000,
        ...(options.logger ? { logger: options.logger } : {}),
      },
    );
    const writes = new PlanWrites(this.lists, this.plans, this.audit, this.journal);
    this.planStore = new SharePointPlans(this.lists, this.plans, writes, this.audit);
    this.records = new SharePointRecords(this.lists, this.audit, writes);
    this.reach = new SharePointReach(this.lists, writes);
    this.retention = new SharePointRetention(this.lists, this.audit, writes, this.plans);
  }

  /** Issue 16, item 9 (retention.ts): resumable by running it again. */
  deleteEctRecords(deletion: Parameters<SharePointRetention["deleteEctRecords"]>[0]) {
    return this.retention.deleteEctRecords(deletion);
  }

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

  // ================================================================ plans

  getPlanToChange(id: string, version?: number) {
    return this.planStore.getPlanToChange(id, version);
  }

  getPlan(id: string) {
    // Plan reads made together are fetched together (planReads.ts).
    return this.planReads.getPlan(id);
  }

  listPlanSummaries(filter: PlanFilter) {
    return this.planStore.listPlanSummaries(filter);
  }

  countPlans() {
    return this.planStore.countPlans();
  }

  commit(change: PlanChange) {
    return this.planStore.commit(change);
  }

  getCheckIn(id: string) {
    return this.planStore.getCheckIn(id);
  }

  listCheckIns(filter: { planId?: string; ectId?: string; status?: CheckIn["status"] }) {
    if (filter.planId !== undefined && filter.ectId === undefined) return this.planReads.checkInsOf(filter.planId, filter.status);
    return this.planStore.listCheckIns(filter);
  }

  openCheckIns(checkIns: CheckIn[], messages: NewOutboxMessage[], now: Date) {
    return this.planStore.openCheckIns(checkIns, messages, now);
  }

  // ================================================================ audit

  listAudit(filter: { planId?: string; ectId?: string }) {
    return this.audit.listAudit(filter);
  }

  readAuditTrail() {
    return this.audit.readAuditTrail();
  }

  // ================================================================ records (issue 7)

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

  // ================================================================ the bot's reach

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

  /** Rolls forward the changes left unfinished by instances that are gone (their lease ended). Returns how many. */
  recoverChanges(): Promise<number> {
    return this.journal.sweep();
  }

  /** Looks for such changes every `journalSweepMs` from now on. */
  startRecovering(): void {
    this.journal.startSweeping();
  }

  /** Refreshes the cached directory now and waits: sees every directory write finished anywhere before the call. */
  refreshDirectory(): Promise<void> {
    return this.directoryCache.refreshNow();
  }

  /** Waits until this instance's background work on delayed changes has ended (tests; a graceful stop). */
  settle(): Promise<void> {
    return this.journal.settle();
  }

  async close(): Promise<void> {
    // Pending closes of journal entries go out; changes still being rolled forward are left to the sweep of another instance.
    await this.journal.stop();
    this.plans.clear();
    this.audit.clear();
    this.lists.itemIds.clear();
    this.directoryCache.clear();
  }
}
