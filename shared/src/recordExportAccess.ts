import type { Ect } from "./model/people.js";
import { relationshipsTo, type Actor } from "./permissions.js";
import { mayReadInductionRecords } from "./usecases/recordAccess.js";

/**
 * Who may take an induction record away as a document (issue 16 item 1), pure and zod-free (the
 * tab imports it to show the links). One review or assessment: anyone who may read the ECT's
 * induction records (a concern is private and never exported this way). The whole record, every
 * plan, review and assessment in one PDF, is what goes to the AB or, carried by the ECT, to a
 * new school: the AB's officers, the school's induction lead and head, and the ECT themselves;
 * not a mentor or tutor on their own.
 */
export function mayExportRecord(actor: Actor, ect: Ect): boolean {
  return mayReadInductionRecords(actor, ect);
}

export function mayExportWholeRecord(actor: Actor, ect: Ect): boolean {
  const rel = relationshipsTo(actor, ect);
  return rel.has("ab_officer") || rel.has("induction_lead") || rel.has("head") || rel.has("self");
}

export const wholeRecordRefusal =
  "Only the ECT, their school's induction lead or headteacher, or an officer of their appropriate body can download the whole induction record.";
