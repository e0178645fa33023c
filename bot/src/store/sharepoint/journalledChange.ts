/**
 * A journalled change (changeJournal.ts) as data: what is journalled, the errors a caller hears,
 * and the pure decisions — is an item in place, has any of the change landed, is a failure worth
 * another round.
 */
import { z } from "zod";
import { AuditEntry, CheckIn, DomainError, OutboxMessage, Plan, auditChainId } from "@ectsp/shared";
import { storeBusyMark, type StoreBusy } from "../busy.js";
import { SharePointWriteError } from "./writeErrors.js";
import { StaleVersionError } from "../store.js";
import { GraphRequestError, GraphThrottledError, failure, type BatchResponse } from "./graph.js";
import type { ChainState } from "./auditChain.js";
import type { Fields, Item } from "./lists.js";
import type { Logger } from "../../logger.js";

/** A change as journalled: everything needed to write it from nothing. */
export const JournalledChange = z.object({
  changeId: z.string().min(1).max(64),
  createdAt: z.iso.datetime({ offset: true }),
  save: z.object({ plan: Plan, expectedVersion: z.number().int().min(1) }).optional(),
  creates: z.array(Plan),
  audit: z.array(AuditEntry),
  outbox: z.array(OutboxMessage),
  checkIns: z.array(CheckIn),
  /**
   * Other records the change puts in place (induction records, evidence): each list item keyed by
   * `key`, with these fields (body included) — created if absent, brought to these fields if not.
   * An `appendOnly` row is a new record: an item already there with other fields is another
   * writer's, so the change is refused rather than writing over it.
   */
  rows: z
    .array(
      z.object({
        list: z.enum(["inductionRecords", "evidence"]),
        key: z.string().min(1).max(128),
        fields: z.record(z.string(), z.unknown()),
        appendOnly: z.boolean().optional(),
      }),
    )
    .default([]),
});
export type JournalledChange = z.infer<typeof JournalledChange>;

/** How the other ports lay out the items a change writes. */
export interface ChangeFormat {
  planFields(plan: Plan, changeIds: string[]): Fields;
  outboxFields(m: OutboxMessage, seq: number): Fields;
  checkInFields(c: CheckIn): Fields;
  /** Chain heads and positions as stored now (one query per chain, sharing a $batch with other reads). */
  chainStates(chainIds: Iterable<string>): Promise<Map<string, ChainState>>;
  /** Entries this instance has just written (their chains' heads move on). */
  wroteAudit(sealed: AuditEntry[]): void;
  /** Chains whose heads a failed write may have moved. */
  forgetHeads(chainIds: string[]): void;
  /** What this instance knows of a plan's item (from reads and writes), and what it learns. */
  knownPlan(planId: string): (Item & { version: number }) | undefined;
  rememberPlan(item: Item): void;
  forgetPlan(planId: string): void;
}

export interface JournalOptions {
  instanceId: string;
  /** Between reconcile rounds when Graph gave no Retry-After (tests: 0). */
  retryDelayMs: number;
  /** How often to look for unfinished changes whose holder is gone (0: only at start-up). */
  sweepMs: number;
  /** Ids and error names only (a change's id, the instance that held it): never content. */
  logger?: Pick<Logger, "info" | "warn">;
}

/** How long the instance that started a change holds it before another may take it over. */
export const changeLeaseMs = 30_000;
/** Reconcile rounds while the caller waits. */
export const roundsInRequest = 4;
/** The shortest pause between background attempts, whatever the settings (no tight loop against a failing Graph). */
export const minBackgroundDelayMs = 100;
/** The longest pause between background attempts. */
export const maxBackgroundDelayMs = 5 * 60_000;
/** How many change ids a plan keeps (a replay is recognised among them). */
export const keptChangeIds = 100;

/**
 * Saving is delayed, not lost: the journal holds the change and it will complete (this instance
 * keeps trying; any other takes over if this one stops). Answered as 503 with Retry-After.
 */
export class ChangeDelayedError extends Error implements StoreBusy {
  readonly [storeBusyMark] = true;
  readonly completing = true;
  constructor(
    readonly changeId: string,
    readonly retryAfterSeconds: number,
    override readonly cause?: unknown,
  ) {
    super(`Change ${changeId} is recorded and will complete; SharePoint did not confirm it yet`);
    this.name = "ChangeDelayedError";
  }
}

/** Graph could not be reached to write the journal entry, or to learn whether it was written. */
export class ChangeUnconfirmedError extends Error implements StoreBusy {
  readonly [storeBusyMark] = true;
  constructor(
    readonly changeId: string,
    readonly retryAfterSeconds: number,
    /** true: known not written (refused); false: not known whether it (or part of it) reached SharePoint. */
    readonly unchanged: boolean,
    override readonly cause?: unknown,
  ) {
    super(unchanged ? `Change ${changeId} was not written` : `Change ${changeId} could not be confirmed`);
    this.name = "ChangeUnconfirmedError";
  }
}

/** Whether a failed commit is known to have written nothing (refused, or the entry known not written). */
export function nothingWritten(e: unknown): boolean {
  if (e instanceof ChangeUnconfirmedError) return e.unchanged;
  return e instanceof StaleVersionError || e instanceof DomainError || e instanceof z.ZodError;
}

/** What this instance knows of the change's journal entry. */
export type JournalKnown = "written" | "absent" | "unknown";

/** What reading the change back found. */
export interface Observed {
  journal?: Item;
  state?: string;
  saved?: Item;
  created: (Item | undefined)[];
  outboxPresent: boolean[];
  checkIns: (Item | undefined)[];
  rows: (Item | undefined)[];
  chains: Map<string, ChainState>;
}

/**
 * The entry still to write, or undefined when it is in place. An id another change's entry holds
 * already (never by accident: ids are random) must not cost this change its trail: the entry is
 * written under an id of its own, derived from the change so that a replay finds it.
 */
export function entryToWrite(change: JournalledChange, a: AuditEntry, chains: Map<string, ChainState>): AuditEntry | undefined {
  const at = chains.get(auditChainId(a))?.at;
  const slot = at?.get(a.id.toLowerCase());
  if (!slot) return a;
  if (slot.changeId === undefined || slot.changeId === change.changeId) return undefined;
  const own = { ...a, id: `${a.id.slice(0, 90)}:${change.changeId}` };
  return at?.get(own.id.toLowerCase()) ? undefined : own;
}

/** A row whose item has the fields the change gives it (the body columns included). */
export const rowInPlace = (r: JournalledChange["rows"][number], item: Item): boolean =>
  Object.entries(r.fields).every(([k, v]) => JSON.stringify(item.fields[k] ?? null) === JSON.stringify(v ?? null));

/**
 * Whether any write of the change has landed. A plan save is its commit point (nothing else is
 * written before it); otherwise any item in place counts, so a change is never called refused
 * once part of it is there.
 */
export function anyApplied(change: JournalledChange, seen: Observed): boolean {
  if (change.save) return carries(seen.saved, change.changeId);
  const entryHere = (a: AuditEntry) => seen.chains.get(auditChainId(a))?.at.get(a.id.toLowerCase())?.changeId === change.changeId;
  return (
    seen.created.some((c) => carries(c, change.changeId)) ||
    change.rows.some((r, i) => seen.rows[i] !== undefined && rowInPlace(r, seen.rows[i])) ||
    seen.outboxPresent.some(Boolean) ||
    change.audit.some(entryHere)
  );
}

export const changeIdsOf = (fields: Fields | undefined): string[] =>
  typeof fields?.changeIds === "string" && fields.changeIds !== "" ? fields.changeIds.split("\n") : [];
export const carries = (item: Item | undefined, changeId: string) => changeIdsOf(item?.fields).includes(changeId);
export const is2xx = (r: BatchResponse | undefined) => !!r && r.status >= 200 && r.status < 300;
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Worth another round: anything but a refusal (throttled past the retries, a reset, a 5xx, a lost answer). */
export function isTransient(e: unknown): boolean {
  if (e instanceof StaleVersionError || e instanceof DomainError || e instanceof z.ZodError || e instanceof SharePointWriteError) return false;
  if (e instanceof GraphRequestError && !(e instanceof GraphThrottledError)) return e.status >= 500 || e.status === 408;
  return true;
}

export const failureOf = (a: BatchResponse | undefined): Error => (a ? failure(a, "Saving the change") : new Error("Saving the change: no answer"));

export const retryAfterOf = (e: unknown): number => (e instanceof GraphThrottledError ? Math.max(1, e.retryAfterSeconds) : 30);
