import {
  DomainError,
  chainViewsFor,
  conflict,
  forbidden,
  mayReadInductionRecords,
  type AuditEntry,
  type EctContext,
  type InductionRecord,
  type NewOutboxMessage,
  type Person,
} from "@ectsp/shared";
import type { PlanService } from "../app/planService.js";
import type { InductionRecordStore } from "../app/inductionRecords.js";

/**
 * What the sign-off, return and revision use cases (issue 16) are given: the application layer
 * (clock, ids, the ECT's directory facts) and the record store they append to.
 */
export interface RecordDeps {
  service: Pick<PlanService, "ectContext" | "context" | "now">;
  store: Pick<InductionRecordStore, "addRecords" | "listRecords">;
}

/** Load: the ECT and every record about them; an outsider is refused before anything is read. */
export async function loadEctRecords(deps: RecordDeps, actor: Person, ectId: string): Promise<{ ectCtx: EctContext; records: InductionRecord[] }> {
  const ectCtx = await deps.service.ectContext(ectId);
  if (!mayReadInductionRecords(actor, ectCtx.ect)) {
    throw forbidden("You can only act on records for ECTs you support, your school's ECTs if you lead it, or the ECTs your appropriate body covers.");
  }
  const records = await deps.store.listRecords({ ectIds: [ectCtx.ect.id] });
  return { ectCtx, records };
}

/**
 * Commit: the records, their audit and messages as one unit. Signature, return and revision ids
 * are fixed per revision (and role), so a second writer acting on the same revision at the same
 * moment is refused by the store's unique id (SQLite's key; SharePoint's unique key column) and
 * told so here, with nothing written.
 */
export async function commitRecordWrites(
  deps: RecordDeps,
  writes: { records: InductionRecord[]; audit: AuditEntry[]; outbox?: NewOutboxMessage[] },
  raced: string,
): Promise<void> {
  try {
    await deps.store.addRecords(writes.records, writes.audit, writes.outbox ?? []);
  } catch (e) {
    if (e instanceof DomainError && e.kind === "conflict") throw conflict(`${raced} Reload to see it. Nothing was changed.`);
    throw e;
  }
}

/** The chain the record now belongs to, as the caller sees it (read back after the commit). */
export function chainViewAfter(actor: Person, ectCtx: EctContext, records: readonly InductionRecord[], recordId: string) {
  const view = chainViewsFor(actor, ectCtx.ect, records).find((c) => c.current.id === recordId || c.earlier.some((r) => r.id === recordId));
  if (!view) throw new Error("The record's chain was not found after writing it");
  return view;
}
