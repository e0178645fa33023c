/**
 * Issue 16, item 9: the induction lead confirms that records past their retention date are
 * deleted. Pure: the server loads each named ECT's holdings and any tombstone this confirmation
 * already wrote, and commits what this decides.
 */
import type { Ect, Person } from "../model/people.js";
import type { AuditEntry } from "../model/records.js";
import { openPlanStatuses } from "../model/plan.js";
import { DomainError, forbidden, notFound, type Violation } from "../errors.js";
import {
  assessRetention,
  countsFromTombstone,
  countsOf,
  retentionTombstoneAction,
  retentionTombstoneId,
  tombstoneSummary,
  type ConfirmRetentionInput,
  type EctHoldings,
  type RetentionCounts,
  type RetentionItems,
} from "../retentionDue.js";
import { isoNow, isoToday, type UseCaseContext } from "./context.js";

/** Only the school's own induction lead decides that its records go (not the head, tutor or AB). */
export function mayConfirmRetention(actor: Pick<Person, "roles" | "schoolId">, schoolId: string): boolean {
  return actor.roles.includes("induction_lead") && actor.schoolId === schoolId;
}

/** One ECT's deletion, for the store: what goes, and the content-free tombstone that says so. */
export interface RetentionDeletion {
  ectId: string;
  items: RetentionItems;
  tombstone: AuditEntry;
  /** What the answer reports: on a replay, what the tombstone recorded (all of it, not what was left). */
  counts: RetentionCounts;
  /** A replay of a confirmation whose tombstone is written: finishing it, not deciding again. */
  replay: boolean;
}

export interface ConfirmRetentionFacts {
  /** The caller's school (their own: a lead confirms for no other). */
  schoolId: string;
  /** The ECTs named, as found at the caller's school (a missing one is not the school's). */
  holdings: Map<string, EctHoldings>;
  /** Tombstones this confirmation already wrote, by ECT id (a lost reply being sent again). */
  tombstones: Map<string, AuditEntry>;
}

/** Items recorded after the confirmation are never taken by it, even when finishing it. */
function recordedBy(h: EctHoldings, at: string): RetentionItems {
  // Nor an open plan, ever (one could only be a plan made since), nor anything on one.
  const spared = new Set(h.plans.filter((p) => p.createdAt > at || openPlanStatuses.includes(p.status)).map((p) => p.id));
  const plans = h.plans.filter((p) => !spared.has(p.id)).map((p) => p.id);
  const kept = new Set(plans);
  return {
    planIds: plans.sort(),
    checkInIds: h.checkIns
      .filter((c) => kept.has(c.planId))
      .map((c) => c.id)
      .sort(),
    recordIds: h.records
      .filter((r) => r.recordedAt <= at)
      .map((r) => r.id)
      .sort(),
    evidenceIds: h.evidence
      .filter((e) => e.uploadedAt <= at && !spared.has(e.planId))
      .map((e) => e.id)
      .sort(),
  };
}

/**
 * Decides the deletions a confirmation asks for, or refuses it whole: not the school's lead
 * (403); an ECT not at the school (404); a date not yet passed or a plan still open (422, naming
 * the ECT and the date); the list changed since it was shown (409). Nothing is decided for any
 * ECT unless every one named may go.
 */
export function confirmRetentionDeletion(ctx: UseCaseContext, input: ConfirmRetentionInput, facts: ConfirmRetentionFacts): RetentionDeletion[] {
  if (!mayConfirmRetention(ctx.actor, facts.schoolId)) throw forbidden("Only the school's induction lead can confirm that records are deleted.");
  const today = isoToday(ctx);
  const violations: Violation[] = [];
  const changed: { ectId: string; currentVersion: string | null }[] = [];
  const out: RetentionDeletion[] = [];
  input.ects.forEach(({ ectId, version }, i) => {
    const h = facts.holdings.get(ectId);
    if (!h || h.ect.schoolId !== facts.schoolId) throw notFound(`ECT ${ectId} at your school`);
    const done = facts.tombstones.get(ectId);
    if (done) {
      const items = recordedBy(h, done.at);
      out.push({ ectId, items, tombstone: done, counts: countsFromTombstone(done.summary) ?? countsOf(items), replay: true });
      return;
    }
    const a = assessRetention(h, today);
    if (!a.due) {
      const path = `ects.${i}.ectId`;
      if (a.reason.kind === "date_not_passed")
        violations.push({
          path,
          code: "retention-date-not-passed",
          severity: "error",
          message: `Kept until ${a.reason.retainUntil}: not due for deletion yet.`,
        });
      else if (a.reason.kind === "open_plan")
        violations.push({ path, code: "retention-open-plan", severity: "error", message: "A plan is still open: nothing is deleted while a plan runs." });
      else changed.push({ ectId, currentVersion: null });
      return;
    }
    if (a.version !== version) {
      changed.push({ ectId, currentVersion: a.version });
      return;
    }
    out.push({ ectId, items: a.items, counts: a.counts, tombstone: tombstone(ctx, h.ect, input.confirmationId, a.counts, a.retainUntil), replay: false });
  });
  if (violations.length) throw new DomainError("validation", "Some of these records are not due for deletion. Nothing was deleted.", violations);
  if (changed.length)
    throw new DomainError("conflict", "What is due has changed since the list was shown. Nothing was deleted: reload the list.", [], { changed });
  return out;
}

function tombstone(ctx: UseCaseContext, ect: Ect, confirmationId: string, counts: RetentionCounts, date: string): AuditEntry {
  // The ECT's own chain (no planId): the plans' chains stay whole, so the trail still verifies.
  return {
    id: retentionTombstoneId(confirmationId, ect.id),
    at: isoNow(ctx),
    actorId: ctx.actor.id,
    actorName: ctx.actor.displayName,
    action: retentionTombstoneAction,
    ectId: ect.id,
    summary: tombstoneSummary(counts, date),
  };
}
