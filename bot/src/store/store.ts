import type {
  AppropriateBody,
  AuditEntry,
  CheckIn,
  DirectoryAuditEntry,
  Ect,
  NewOutboxMessage,
  OutboxMessage,
  Person,
  Plan,
  PlanStatus,
  PlanSummary,
  School,
} from "@ectsp/shared";
import type { EvidenceRecord, InductionRecord, InductionRecordKind, RetentionItems } from "@ectsp/shared";
import { OutboxKind } from "@ectsp/shared";
import { z } from "zod";

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

/**
 * A roster write against a person or ECT record that is no longer at the version the writer read
 * (or a create whose id exists already). Nothing was written; `current` is the record as stored.
 */
export class DirectoryVersionConflict extends Error {
  constructor(
    readonly record: "person" | "ect" | "school",
    readonly id: string,
    /** null: the writer expected no record. */
    readonly expectedVersion: number | null,
    readonly current: Person | Ect | School | undefined,
  ) {
    super(`The ${record} ${id} is at version ${current ? (current.version ?? 1) : "none"}, not ${expectedVersion ?? "none"}`);
    this.name = "DirectoryVersionConflict";
  }
}

/** The school's settings (PUT /api/roster/school): the keys a settings write replaces, the rest of the school kept. */
export const schoolSettingKeys = ["ittProviderName", "probationTerms", "termDates"] as const satisfies readonly (keyof School)[];
export type SchoolSettingFields = Partial<Pick<School, (typeof schoolSettingKeys)[number]>>;

/** `current` with its settings replaced by `settings` (a key left out is cleared), at `version`. */
export function withSettings(current: School, settings: SchoolSettingFields, version: number): School {
  const rest = Object.fromEntries(Object.entries(current).filter(([k]) => !(schoolSettingKeys as readonly string[]).includes(k))) as School;
  const given = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  return { ...rest, ...given, version };
}

/** Whether the stored record is the one a conditional write expects (null: none). A record from before versions counts as 1. */
export const atVersion = (current: { version?: number } | undefined, expected: number | null): boolean =>
  expected === null ? current === undefined : current !== undefined && (current.version ?? 1) === expected;

/** `person` with the sign-in times the store recorded on `current`: a roster write never sets them. */
export function signIns(person: Person, current: Person | undefined): Person {
  const { firstSignedInAt: _first, lastSignedInAt: _last, ...rest } = person;
  return {
    ...rest,
    ...(current?.firstSignedInAt ? { firstSignedInAt: current.firstSignedInAt } : {}),
    ...(current?.lastSignedInAt ? { lastSignedInAt: current.lastSignedInAt } : {}),
  };
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
 * commits it in one transaction; SharePoint journals it first, then writes the plan with
 * If-Match and the rest, each idempotent by the change's id (sharepoint/changeJournal.ts).
 */
export interface PlanChange {
  /** Plans to create (version 1). */
  create?: Plan[];
  /**
   * Plans to save: at most one (the change's commit point, which a replay recognises); it must
   * still be at `expectedVersion`, and is stored at expectedVersion + 1.
   */
  save?: { plan: Plan; expectedVersion: number }[];
  audit: AuditEntry[];
  outbox?: NewOutboxMessage[];
  checkIns?: CheckIn[];
}

/**
 * Where the bot can reach someone proactively: a conversation it has seen (a personal chat
 * after install or a message; an AB's team channel). `reference` is the messaging platform's
 * own reference, opaque to everything outside `bot/src/teams/`; the other fields are copies the
 * rest of the app may read.
 */
export const ConversationRef = z.object({
  conversationId: z.string().min(1).max(1024),
  serviceUrl: z.string().min(1).max(2048),
  channelId: z.string().min(1).max(64),
  tenantId: z.string().max(128).optional(),
  /** The user's id on the channel (a Teams MRI, "29:…"); Adaptive Card refresh.userIds lists these. */
  channelUserId: z.string().max(512).optional(),
  aadObjectId: z.string().max(64).optional(),
  /** The platform's full conversation reference (JSON). */
  reference: z.record(z.string(), z.unknown()),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type ConversationRef = z.infer<typeof ConversationRef>;

/** A card the bot posted, kept so it can be updated in place when the plan changes. */
export const SentCard = z.object({
  outboxId: z.string().min(1).max(128),
  kind: OutboxKind,
  recipientId: z.string().min(1).max(128),
  planId: z.string().min(1).max(128).optional(),
  conversationId: z.string().min(1).max(1024),
  activityId: z.string().min(1).max(1024),
  sentAt: z.iso.datetime({ offset: true }),
});
export type SentCard = z.infer<typeof SentCard>;

export interface ClaimOptions {
  /** Who is claiming (the server instance id). */
  instanceId: string;
  now: Date;
  /** How long a claim holds before another instance may take the message over. */
  leaseMs: number;
  limit: number;
}

/**
 * The store, split into ports by what they store. Two adapters implement every port: the
 * embedded SQLite file (the default) and SharePoint lists via Microsoft Graph; each port has
 * its own contract suite (bot/test-support/store/) run against both. Nothing is ever hard-deleted,
 * except by RetentionStore once a record's retention date has passed and the lead confirmed it.
 */

/** People, schools, appropriate bodies, ECTs and the roster's own audit. */
export interface DirectoryStore {
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
  /**
   * The roster's writes (upsertPerson/upsertEct are for set-up and seeding: last writer wins).
   * Writes the record only if the stored one is at `expectedVersion` (a record without a version
   * counts as 1), or with `expectedVersion` null only if there is none; stores and returns it at
   * expectedVersion + 1 (or 1). Otherwise throws DirectoryVersionConflict and writes nothing.
   * A recorded sign-in on the stored person is kept.
   */
  savePerson(person: Person, expectedVersion: number | null): Promise<Person>;
  saveEct(ect: Ect, expectedVersion: number | null): Promise<Ect>;
  /**
   * Replaces the school's settings (schoolSettingKeys) only if the stored school is at
   * `expectedVersion` (a school without a version counts as 1), keeping its other fields as
   * stored; returns it at expectedVersion + 1. Otherwise throws DirectoryVersionConflict (current:
   * the school as stored, or undefined if there is none) and writes nothing.
   */
  saveSchoolSettings(schoolId: string, settings: SchoolSettingFields, expectedVersion: number): Promise<School>;
  /** Records that the person signed in at `at` (first time kept, last time set). Not a roster change: the version stays. */
  recordSignIn(personId: string, at: string): Promise<void>;
  /** Appends directory audit entries (an id seen before is ignored). Append-only, like the plan audit. */
  appendDirectoryAudit(entries: DirectoryAuditEntry[]): Promise<void>;
  /** Entries for one school or one AB, oldest first. */
  listDirectoryAudit(filter: { schoolId?: string; abId?: string }): Promise<DirectoryAuditEntry[]>;
}

/** Plans and their weekly check-ins, written together with their audit entries and messages. */
export interface PlanStore {
  getPlan(id: string): Promise<Plan | undefined>;
  /**
   * The plan to base a change on: the store may answer from what this instance last read or
   * wrote of it (when `version` is given, only if that is the version held) instead of reading
   * it, because the change is committed against that version and refused (StaleVersionError)
   * if the plan has moved on meanwhile. Never for showing a plan: that is `getPlan`.
   */
  getPlanToChange(id: string, version?: number): Promise<Plan | undefined>;
  listPlanSummaries(filter: PlanFilter): Promise<PlanSummary[]>;
  countPlans(): Promise<number>;
  /**
   * Commits a use case's writes. Throws StaleVersionError (and writes nothing) when a saved
   * plan's version is not the expected one. Returns the plans as stored.
   */
  commit(change: PlanChange): Promise<Plan[]>;
  getCheckIn(id: string): Promise<CheckIn | undefined>;
  listCheckIns(filter: { planId?: string; ectId?: string; status?: CheckIn["status"] }): Promise<CheckIn[]>;
  /**
   * Opens check-ins and enqueues their messages as one unit. A check-in whose id exists already
   * is left exactly as it is (an answered one stays answered); messages dedupe by key as in
   * `enqueue`. Returns the ids of the check-ins created now.
   */
  openCheckIns(checkIns: CheckIn[], messages: NewOutboxMessage[], now: Date): Promise<string[]>;
}

/** The plan audit: append-only, hash-chained per plan. */
export interface AuditStore {
  // Every path that appends audit entries (commit, addEvidence, markEvidenceDeleted, addRecords)
  // has the STORE seal them (seq, prevHash, hash; shared/src/auditChain.ts) onto the head of their
  // chain as stored at that moment: whatever seal a caller put on an entry is replaced.
  /** A plan's entries in chain order (the order appended); several chains (an ECT's) merged by time. */
  listAudit(filter: { planId?: string; ectId?: string }): Promise<AuditEntry[]>;
  /** Every audit entry in the store, chain by chain, each in chain order: what `npm run audit:verify` checks. */
  readAuditTrail(): Promise<AuditEntry[]>;
}

/** Evidence on targets, progress reviews, assessments, concerns (issue 7). */
export interface RecordStore {
  /**
   * Stores an evidence file and its record with their audit entries, as one unit: if any part
   * fails, nothing is left behind (no file, no record, no audit entry).
   */
  addEvidence(record: EvidenceRecord, content: Uint8Array, audit: AuditEntry[]): Promise<void>;
  /** One evidence record, deleted or not (callers hide deleted ones). */
  getEvidence(id: string): Promise<EvidenceRecord | undefined>;
  /** Evidence records, oldest first; deleted ones only with includeDeleted. */
  listEvidence(filter: { planId?: string; targetId?: string; ectId?: string; includeDeleted?: boolean }): Promise<EvidenceRecord[]>;
  /** The bytes of an evidence file (kept after a soft delete). */
  readEvidenceContent(id: string): Promise<Uint8Array | undefined>;
  /** Soft delete: sets deletedAt/deletedBy on the record (the file is kept) and appends the audit entries, as one unit. */
  markEvidenceDeleted(record: EvidenceRecord, audit: AuditEntry[]): Promise<void>;
  /** Appends induction records (reviews, assessments, concerns) with their audit entries and messages, as one unit. */
  addRecords(records: InductionRecord[], audit: AuditEntry[], outbox?: NewOutboxMessage[]): Promise<void>;
  getInductionRecord(id: string): Promise<InductionRecord | undefined>;
  /** Records for these ECTs (all when omitted), oldest first by recordedAt. */
  listRecords(filter: { ectIds?: string[]; kind?: InductionRecordKind }): Promise<InductionRecord[]>;
}

/**
 * The outbox and the bot's reach: messages claimed through the store so instances never
 * double-send, the live instances sharing the send rate, scheduled jobs, conversation
 * references, posted cards and reminder preferences.
 */
export interface ReachStore {
  /** Adds messages; one whose dedupeKey exists already is ignored. */
  enqueue(messages: NewOutboxMessage[], now: Date): Promise<void>;
  /** Atomically claims up to `limit` due messages not held by a live claim (which, and in what order: outboxPolicy). */
  claimDue(options: ClaimOptions): Promise<OutboxMessage[]>;
  markSent(id: string, instanceId: string, now: Date): Promise<void>;
  markFailed(id: string, instanceId: string, error: string, now: Date, retryAt?: Date): Promise<void>;
  listOutbox(filter: { status?: OutboxMessage["status"]; recipientId?: string; planId?: string }): Promise<OutboxMessage[]>;
  /**
   * Hands back messages `instanceId` holds and has not sent (all of them, or those in `ids`): they
   * are pending and unclaimed at once, so another instance can take them without waiting for the
   * lease. Returns how many were handed back.
   */
  releaseClaims(instanceId: string, ids?: string[]): Promise<number>;
  /**
   * The bot can now reach this person (they opened a chat, or the app was installed for them):
   * their pending messages that were backing off become due at `now`. Messages held by a live
   * claim are left to their holder. Returns how many were brought forward.
   */
  wakeRecipient(recipientId: string, now: Date): Promise<number>;
  /**
   * Records that `instanceId` is live until `liveUntil` (creating its record or renewing it) and
   * returns how many instances are live at `now`, this one included.
   */
  heartbeatInstance(instanceId: string, now: Date, liveUntil: Date): Promise<number>;
  /** Marks `instanceId` as gone (a graceful stop), so the others take its share at their next heartbeat. */
  retireInstance(instanceId: string, now: Date): Promise<void>;
  /**
   * Claims a named piece of scheduled work (e.g. "weekly-checkins:2026-W48") for one instance.
   * Returns true for exactly one caller until the lease ends.
   */
  claimJob(name: string, instanceId: string, now: Date, leaseMs: number): Promise<boolean>;
  /** Saves (replacing) the personal conversation the bot uses to reach this person. */
  saveConversationRef(personId: string, ref: ConversationRef): Promise<void>;
  getConversationRef(personId: string): Promise<ConversationRef | undefined>;
  /** Saves (replacing) the team channel where an appropriate body receives its alerts. */
  saveChannelRef(abId: string, ref: ConversationRef): Promise<void>;
  getChannelRef(abId: string): Promise<ConversationRef | undefined>;
  /** Mutes or unmutes one kind of reminder for one person. Which kinds may be muted is the caller's rule. */
  setReminderMute(personId: string, kind: OutboxKind, muted: boolean, now: Date): Promise<void>;
  listReminderMutes(personId: string): Promise<OutboxKind[]>;
  /** Records a posted card (one per outbox message; recording again replaces it). */
  recordSentCard(card: SentCard): Promise<void>;
  listSentCards(filter: { planId: string; kinds?: OutboxKind[] }): Promise<SentCard[]>;
}

/**
 * Issue 16, item 9: an ECT's induction record deleted once its retention date has passed and the
 * school's induction lead confirmed it (shared/src/retentionDue.ts decides what is due).
 */
export interface RetentionStore {
  /**
   * Deletes the named plans, check-ins, induction records (of every kind), evidence records and
   * evidence files of one ECT (ids of another ECT are left alone), and appends the content-free
   * tombstone to the ECT's audit chain; the audit entries already there are kept, so every chain
   * still verifies. Idempotent: the tombstone is appended once (by its id) and what is gone
   * already is skipped, so running it again after a failure or a lost reply finishes it.
   * SQLite: one transaction (files removed once it commits). SharePoint: the tombstone first (the
   * commit point), then files, evidence, check-ins, records, plans.
   */
  deleteEctRecords(deletion: { ectId: string; items: RetentionItems; tombstone: AuditEntry }): Promise<void>;
}

/** The whole store: every port, from one adapter. */
export interface Store extends DirectoryStore, PlanStore, AuditStore, RecordStore, ReachStore, RetentionStore {
  readonly kind: "sqlite" | "sharepoint";
  close(): Promise<void>;
}
