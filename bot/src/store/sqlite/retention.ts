/** The embedded store's retention deletions (issue 16, item 9): one transaction per ECT, files after it commits. */
import { existsSync, readdirSync, renameSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { AuditEntry, RetentionItems } from "@ectsp/shared";
import type { RetentionStore } from "../store.js";
import { SqlitePort, type SqliteDatabase } from "./database.js";
import { insertAudit } from "./audit.js";

/** A file set aside by a deletion: removed once the transaction commits, put back if it does not. */
const asideSuffix = ".retention-deleting";

export class SqliteRetention extends SqlitePort implements RetentionStore {
  constructor(
    database: SqliteDatabase,
    private readonly evidencePath: (id: string) => string,
  ) {
    super(database);
  }

  async deleteEctRecords(deletion: { ectId: string; items: RetentionItems; tombstone: AuditEntry }): Promise<void> {
    const { ectId } = deletion;
    const items = RetentionItems.parse(deletion.items);
    const tombstone = AuditEntry.parse(deletion.tombstone);
    if (tombstone.ectId !== ectId || tombstone.planId !== undefined) throw new Error("A retention tombstone belongs to the ECT's own chain");
    // Files are set aside first (a rename, undone if the transaction fails), so the rows never
    // outlive their files' removal and a crash leaves only set-aside files, swept below.
    const aside: { from: string; to: string }[] = [];
    // Only this ECT's evidence: an id of another ECT's named by mistake is left alone, file and all.
    const owned = this.stmt<{ id: string }>("SELECT id FROM evidence WHERE ect_id = @ectId AND id IN (SELECT value FROM json_each(@ids))")
      .all({ ectId, ids: JSON.stringify(items.evidenceIds) })
      .map((r) => r.id);
    for (const id of owned) {
      const from = this.evidencePath(id);
      const to = `${from}${asideSuffix}`;
      if (existsSync(from)) renameSync(from, to);
      // Set aside by an earlier attempt that never committed: this one finishes (or restores) it.
      if (existsSync(to)) aside.push({ from, to });
    }
    try {
      this.inWriteTransaction(() => {
        if (!this.stmt("SELECT 1 FROM audit WHERE id = ?").get(tombstone.id)) insertAudit(this.database, [tombstone]);
        this.stmt("INSERT OR IGNORE INTO retention_deleting (ect_id) VALUES (?)").run(ectId);
        const del = (table: string, ids: string[]) =>
          this.stmt(`DELETE FROM ${table} WHERE ect_id = @ectId AND id IN (SELECT value FROM json_each(@ids))`).run({ ectId, ids: JSON.stringify(ids) });
        // Children before their plans (foreign keys).
        del("evidence", items.evidenceIds);
        del("check_ins", items.checkInIds);
        del("induction_records", items.recordIds);
        del("plans", items.planIds);
        this.stmt("DELETE FROM retention_deleting WHERE ect_id = ?").run(ectId);
      });
    } catch (e) {
      for (const f of aside) if (existsSync(f.to) && !existsSync(f.from)) renameSync(f.to, f.from);
      throw e;
    }
    for (const f of aside) if (existsSync(f.to)) unlinkSync(f.to);
    this.sweep(owned[0]);
  }

  /** Set-aside files whose record is gone (a crash between commit and removal): removed now. */
  private sweep(anyId: string | undefined): void {
    if (!anyId) return;
    const dir = dirname(this.evidencePath(anyId));
    for (const name of readdirSync(dir)) {
      if (!name.endsWith(asideSuffix)) continue;
      const id = basename(name, asideSuffix);
      if (!this.stmt("SELECT 1 FROM evidence WHERE id = ?").get(id)) unlinkSync(join(dir, name));
    }
  }
}
