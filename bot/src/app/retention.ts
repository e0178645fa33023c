/**
 * Issue 16, item 9, the server side: what has passed its retention date at a school (read by the
 * daily job and the lead's list alike), and the lead's confirmation: load → authorise → decide
 * (shared confirmRetentionDeletion) → delete with the tombstone → answer what was deleted.
 */
import { randomUUID } from "node:crypto";
import {
  confirmRetentionDeletion,
  forbidden,
  mayConfirmRetention,
  retentionTombstoneId,
  schoolDate,
  type AuditEntry,
  type ConfirmRetentionInput,
  type Person,
  type RetentionDeletionResult,
  type RetentionDueList,
} from "@ectsp/shared";
import type { Store } from "../store/store.js";
import { HttpProblem, problem } from "../http/problem.js";
import { retentionDue, schoolHoldings } from "./retentionDue.js";

export class RetentionService {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  private requireLead(caller: Person): string {
    if (!caller.schoolId || !mayConfirmRetention(caller, caller.schoolId))
      throw forbidden("Only the school's induction lead sees and confirms what is due for deletion.");
    return caller.schoolId;
  }

  async dueList(caller: Person): Promise<RetentionDueList> {
    const schoolId = this.requireLead(caller);
    const today = schoolDate(this.now());
    return { today, due: await retentionDue(this.store, schoolId, today) };
  }

  async confirm(caller: Person, input: ConfirmRetentionInput): Promise<RetentionDeletionResult> {
    const schoolId = this.requireLead(caller);
    const now = this.now();
    const named = new Set(input.ects.map((e) => e.ectId));
    const holdings = await schoolHoldings(this.store, schoolId, named);
    // A confirmation sent again (its reply lost) finds the tombstones it wrote and finishes them.
    const tombstones = new Map<string, AuditEntry>();
    for (const ectId of holdings.keys()) {
      const stone = (await this.store.listAudit({ ectId })).find((e) => e.id === retentionTombstoneId(input.confirmationId, ectId));
      if (stone) tombstones.set(ectId, stone);
    }
    const deletions = confirmRetentionDeletion({ actor: caller, now, newId: randomUUID }, input, { schoolId, holdings, tombstones });
    const result: RetentionDeletionResult = { deleted: [] };
    for (const d of deletions) {
      try {
        await this.store.deleteEctRecords(d);
      } catch (error) {
        const started = (await this.store.listAudit({ ectId: d.ectId }).catch(() => [])).some((e) => e.id === d.tombstone.id);
        if (!started && result.deleted.length === 0) throw error;
        // Part of it is done: say so, never "nothing was deleted". Sending the same confirmation again finishes it.
        throw new HttpProblem(
          problem(
            503,
            "Deletion not finished",
            `${result.deleted.length} ECT record(s) were deleted${started ? " and another was started" : ""}; the rest could not be finished now. Confirm again to finish: nothing is deleted twice.`,
            { retryAfterSeconds: 5, unchanged: false },
          ),
        );
      }
      result.deleted.push({ ectId: d.ectId, counts: d.counts, tombstoneId: d.tombstone.id, confirmedAt: d.tombstone.at });
    }
    return result;
  }
}
