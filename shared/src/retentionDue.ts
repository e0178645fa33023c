/**
 * Issue 16, item 9: what has passed its retention date and may be deleted (pure; the caller
 * passes today's school date from the injected clock).
 *
 * The unit is the ECT. An induction lead thinks "this teacher's induction records", and a plan,
 * its check-ins, its evidence and the termly reviews are one record of one induction: deleting
 * half of it would leave a trail that tells a partial story. So an ECT is due only once EVERY
 * plan and record they have has passed its date, and then all of them go together (the ECT and
 * person records stay: they are the roster, not the induction record, and other schools' or the
 * AB's own records may name them).
 *
 * Each item's date is derived, never earlier than what was promised for it:
 * - a plan: the later of the date set on it at creation and six years after the ECT's expected
 *   end of induction as the ECT stands now (an extension granted since then moves it later);
 * - its check-ins: the plan's date;
 * - evidence: the later of its plan's date and the rule applied on the day it was uploaded;
 * - an induction record of any kind (reviews, assessments, concerns, sign-offs, returns…): the
 *   rule (retention.ts) applied on the day it was recorded, with the ECT as they stand now.
 * The ECT's date is the latest of them all. "Retain until D" keeps D itself: due from D + 1.
 */
import { z } from "zod";
import type { Ect } from "./model/people.js";
import { openPlanStatuses, type Plan } from "./model/plan.js";
import type { CheckIn } from "./model/records.js";
import type { EvidenceRecord, InductionRecord } from "./model/inductionRecords.js";
import { retainUntil } from "./retention.js";
import { schoolDate } from "./calendar.js";
import { digestOf } from "./seal.js";
import type { TermCalendar } from "./termCalendar.js";

/** What the store holds about one ECT, as much as the dates need (no content is read). */
export interface EctHoldings {
  ect: Ect;
  /** The school's term dates, as the induction timeline reads them (absent: the default calendar). */
  terms?: TermCalendar;
  plans: Pick<Plan, "id" | "status" | "retainUntil" | "createdAt">[];
  checkIns: Pick<CheckIn, "id" | "planId">[];
  /** Every kind of induction record: the rule reads only the id and when it was recorded. */
  records: Pick<InductionRecord, "id" | "recordedAt">[];
  /** Deleted (hidden) evidence included: its record and file are kept until now. */
  evidence: Pick<EvidenceRecord, "id" | "planId" | "uploadedAt">[];
}

/** The ids of what one deletion removes. */
export const RetentionItems = z.object({
  planIds: z.array(z.string()),
  checkInIds: z.array(z.string()),
  recordIds: z.array(z.string()),
  evidenceIds: z.array(z.string()),
});
export type RetentionItems = z.infer<typeof RetentionItems>;

/** How many of each a deletion removes (or removed): what the tombstone and the answer say. */
export const RetentionCounts = z.object({
  plans: z.number().int().min(0),
  checkIns: z.number().int().min(0),
  records: z.number().int().min(0),
  evidenceFiles: z.number().int().min(0),
});
export type RetentionCounts = z.infer<typeof RetentionCounts>;

export const countsOf = (items: RetentionItems): RetentionCounts => ({
  plans: items.planIds.length,
  checkIns: items.checkInIds.length,
  records: items.recordIds.length,
  evidenceFiles: items.evidenceIds.length,
});

/** Why an ECT with records is not due: its latest date has not passed, or a plan is still open. */
export type NotDueReason = { kind: "date_not_passed"; retainUntil: string } | { kind: "open_plan"; planIds: string[] } | { kind: "nothing_held" };

export type RetentionAssessment =
  | { due: true; ectId: string; retainUntil: string; items: RetentionItems; counts: RetentionCounts; version: string }
  | { due: false; ectId: string; reason: NotDueReason };

const later = (a: string, b: string) => (a > b ? a : b);
const dayOf = (instant: string) => schoolDate(instant);

/** The date an ECT's whole record may be deleted after (undefined: they hold nothing). */
export function ectRetainUntil(h: EctHoldings): string | undefined {
  const rule = (instant: string) => retainUntil(h.ect, dayOf(instant), h.terms);
  const planDate = new Map(h.plans.map((p) => [p.id, later(p.retainUntil, rule(p.createdAt))]));
  const dates = [
    ...planDate.values(),
    ...h.checkIns.map((c) => planDate.get(c.planId)).filter((d): d is string => !!d),
    ...h.evidence.map((e) => later(planDate.get(e.planId) ?? "", rule(e.uploadedAt))),
    ...h.records.map((r) => rule(r.recordedAt)),
  ];
  return dates.length ? dates.reduce(later) : undefined;
}

const sorted = (ids: string[]) => [...ids].sort();

/**
 * Whether one ECT's record is due for deletion on `today` (a school date). Never due before the
 * day after its date, never while a plan is open, never for an ECT who holds nothing. The
 * `version` names exactly the items listed: a confirmation carries it back, so what is deleted
 * is what the lead was shown.
 */
export function assessRetention(h: EctHoldings, today: string): RetentionAssessment {
  const ectId = h.ect.id;
  const date = ectRetainUntil(h);
  if (!date) return { due: false, ectId, reason: { kind: "nothing_held" } };
  const open = h.plans.filter((p) => openPlanStatuses.includes(p.status)).map((p) => p.id);
  if (open.length) return { due: false, ectId, reason: { kind: "open_plan", planIds: sorted(open) } };
  if (!(today > date)) return { due: false, ectId, reason: { kind: "date_not_passed", retainUntil: date } };
  const items: RetentionItems = {
    planIds: sorted(h.plans.map((p) => p.id)),
    checkInIds: sorted(h.checkIns.map((c) => c.id)),
    recordIds: sorted(h.records.map((r) => r.id)),
    evidenceIds: sorted(h.evidence.map((e) => e.id)),
  };
  return { due: true, ectId, retainUntil: date, items, counts: countsOf(items), version: retentionVersion(ectId, date, items) };
}

/** The digest a confirmation carries back: the ECT, its date and every item id. */
export const retentionVersion = (ectId: string, date: string, items: RetentionItems): string => digestOf({ ectId, date, items }).slice(0, 32);

// ------------------------------------------------------------------ what the API shows

/** One ECT whose record has passed its date, as the induction lead's list shows it. */
export const RetentionDueRow = z.object({
  ectId: z.string(),
  ectName: z.string(),
  retainUntil: z.string(),
  counts: RetentionCounts,
  /** Carried back by the confirmation: the list changed since it was shown if this differs. */
  version: z.string(),
});
export type RetentionDueRow = z.infer<typeof RetentionDueRow>;

export const RetentionDueList = z.object({
  today: z.string(),
  due: z.array(RetentionDueRow),
});
export type RetentionDueList = z.infer<typeof RetentionDueList>;

/** The lead's confirmation: each ECT as listed (with the version shown) and an id for this confirmation. */
export const ConfirmRetentionInput = z.object({
  /** Made by the tab once per confirmation: sending it again (a lost reply) answers what was done. */
  confirmationId: z
    .string()
    .min(8)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, { message: "Letters, digits, - and _ only" }),
  ects: z
    .array(z.object({ ectId: z.string().min(1).max(128), version: z.string().min(1).max(64) }))
    .min(1)
    .max(200)
    .refine((a) => new Set(a.map((e) => e.ectId)).size === a.length, { message: "Name each ECT once" }),
});
export type ConfirmRetentionInput = z.infer<typeof ConfirmRetentionInput>;

export const RetentionDeletionResult = z.object({
  deleted: z.array(z.object({ ectId: z.string(), counts: RetentionCounts, tombstoneId: z.string(), confirmedAt: z.string() })),
});
export type RetentionDeletionResult = z.infer<typeof RetentionDeletionResult>;

// ------------------------------------------------------------------ the tombstone

/** The audit action of a retention deletion's tombstone (in the ECT's own chain, `ect:<id>`). */
export const retentionTombstoneAction = "retention_deleted";

/** The tombstone's id for one ECT in one confirmation: a replay finds it, so nothing is done twice. */
export const retentionTombstoneId = (confirmationId: string, ectId: string) => `retention-${confirmationId}-${ectId}`.slice(0, 128);

/** Content-free: counts and the date passed, never a name or a word of the records. */
export function tombstoneSummary(counts: RetentionCounts, date: string): string {
  return (
    `Deleted under the retention schedule (kept until ${date}): ${counts.plans} plans, ${counts.checkIns} check-ins, ` +
    `${counts.records} induction records, ${counts.evidenceFiles} evidence files`
  );
}

/** The counts a tombstone recorded (for answering a replayed confirmation truthfully). */
export function countsFromTombstone(summary: string): RetentionCounts | undefined {
  const m = /: (\d+) plans, (\d+) check-ins, (\d+) induction records, (\d+) evidence files$/.exec(summary);
  return m ? { plans: Number(m[1]), checkIns: Number(m[2]), records: Number(m[3]), evidenceFiles: Number(m[4]) } : undefined;
}
