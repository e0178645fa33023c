import type { Ect } from "../model/people.js";
import type { ConcernRecord, InductionRecord } from "../model/inductionRecords.js";
import { relationshipsTo, type Actor } from "../permissions.js";
import type { StatutoryEvent } from "../timeline.js";
import type { AuditEntry, NewOutboxMessage } from "../model/records.js";

/** What a records use case asks the store to commit (records are appended, never changed). */
export interface RecordWrites {
  records: InductionRecord[];
  audit: AuditEntry[];
  outbox?: NewOutboxMessage[];
}

/** Reviews and assessments: anyone with a relationship to the ECT may read them (the ECT sees every record about them). */
export function mayReadInductionRecords(actor: Actor, ect: Ect): boolean {
  return relationshipsTo(actor, ect).size > 0;
}

/** A concern is private: the ECT who raised it and the contacts it was raised with. */
export function mayReadConcern(actor: Actor, ect: Ect, concern: Pick<ConcernRecord, "visibleTo">): boolean {
  return ect.personId === actor.id || concern.visibleTo.includes(actor.id);
}

/** The records an actor may see, concerns filtered to the private few. */
export function visibleRecords<T extends InductionRecord>(actor: Actor, ect: Ect, records: readonly T[]): T[] {
  if (!mayReadInductionRecords(actor, ect) && !records.some((r) => r.kind === "concern" && r.visibleTo.includes(actor.id))) return [];
  return records.filter((r) => (r.kind === "concern" ? mayReadConcern(actor, ect, r) : mayReadInductionRecords(actor, ect)));
}

export const dueOf = (e: StatutoryEvent | undefined) => (e ? { due: { number: e.number, date: e.date, term: e.term, label: e.label } } : {});
