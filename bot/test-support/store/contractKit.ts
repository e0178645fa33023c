/**
 * What every port's contract suite (directoryContract.ts, planContract.ts, auditContract.ts,
 * recordContract.ts, reachContract.ts, persistenceContract.ts) shares: the store under test, the
 * hooks that hand each test a fresh seeded store, and small helpers for comparing what it returns.
 *
 * `makeStore` is called before every test and must hand out an EMPTY store. Tests nevertheless
 * use random ids and filtered queries where they can, so a slow backend may reuse one store
 * across tests everywhere except the outbox-claim cases (which claim whatever is due).
 */
import { afterEach, beforeEach } from "vitest";
import { PlanSummary, signatureProgress, type AuditEntry, type Plan } from "@ectsp/shared";
import type { Store } from "@ectsp/bot/store/store.js";
import { movableClock, type MovableClock } from "../movableClock.js";
import { minutes, seedWorld, t0, type World } from "./testData.js";

export interface StoreUnderTest {
  store: Store;
  /** Closes `store` and returns a fresh instance over the same data. */
  reopen: () => Promise<Store>;
  /**
   * Opens another instance over the same data, as a second server would. When given, the
   * concurrency cases spread their callers over both instances.
   */
  openAnother?: () => Promise<Store>;
  /** Closes every instance handed out and removes the data. */
  cleanup: () => Promise<void>;
  /**
   * Makes the backend refuse every write until the returned function is called, the way it
   * really can (SharePoint: Graph throttling every $batch). Absent where the backend cannot be
   * made to (the embedded file): the cases that need it then use a write the store itself refuses.
   */
  refuseWrites?: () => () => void;
}

/**
 * `makeStore(clock)` must hand the store `clock` as its only source of time: the contract moves
 * it far from today and checks every time the store sets itself.
 */
export type MakeStore = (clock: MovableClock) => Promise<StoreUnderTest>;

/** What a test works with: the whole store (the setup needs its directory to seed the world). */
export interface ContractContext {
  clock: MovableClock;
  sut: StoreUnderTest;
  store: Store;
  /** A second instance over the same data when the adapter offers one; otherwise the same store. */
  other: Store;
  w: World;
}

/**
 * Registers, in the calling describe, a beforeEach that makes a fresh store and seeds the world
 * into it (handing both to `ready`) and an afterEach that cleans it up.
 */
export function useSeededStore(makeStore: MakeStore, ready: (ctx: ContractContext) => void): void {
  let sut: StoreUnderTest;

  beforeEach(async () => {
    const clock = movableClock(t0);
    sut = await makeStore(clock);
    const store = sut.store;
    const other = sut.openAnother ? await sut.openAnother() : store;
    const w = await seedWorld(store);
    ready({ clock, sut, store, other, w });
  });

  afterEach(async () => {
    await sut.cleanup();
  });
}

export const byId = <T extends { id: string }>(xs: T[]): T[] => [...xs].sort((a, b) => a.id.localeCompare(b.id));
export const byKey = <T extends { outboxId: string }>(xs: T[]): T[] => [...xs].sort((a, b) => a.outboxId.localeCompare(b.outboxId));
export const idsOf = (xs: { id: string }[]): string[] => xs.map((x) => x.id).sort();
/** A plan's caseload row as the store must list it, "awaiting signatures (n of m)" included. */
export const summaryOf = (plan: Plan): PlanSummary => PlanSummary.parse({ ...plan, awaitingSignatures: signatureProgress(plan) });
/** Entries as the caller wrote them: without the seal the store adds (the chain cases check that). */
export const unsealed = (xs: AuditEntry[]): AuditEntry[] => xs.map(({ seq: _seq, prevHash: _prev, hash: _hash, ...e }) => e);
export const at = (iso: string) => new Date(iso);
export const lease = minutes(1);
