/** The embedded store's records (issue 7): evidence files beside the database, induction records in it. */
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { AuditEntry, DomainError, EvidenceRecord, InductionRecord, conflict, notFound, type InductionRecordKind, type NewOutboxMessage } from "@ectsp/shared";
import type { RecordStore } from "../store.js";
import type { Clock } from "../../clock.js";
import { SqlitePort, epochMs, sqliteCode, whereClause, type DataRow, type Params, type SqliteDatabase } from "./database.js";
import { insertAudit } from "./audit.js";
import { insertOutboxRow, newOutboxRow } from "./reach.js";

export class SqliteRecords extends SqlitePort implements RecordStore {
  constructor(
    database: SqliteDatabase,
    private readonly filePath: string,
    private readonly clock: Clock,
  ) {
    super(database);
  }

  private evidenceFolder?: string;

  /** DATA_DIR/evidence beside the database file (a temp folder for an in-memory database). */
  private evidenceDir(): string {
    if (!this.evidenceFolder) {
      this.evidenceFolder = this.filePath === ":memory:" ? mkdtempSync(join(tmpdir(), "ectsp-evidence-")) : join(dirname(this.filePath), "evidence");
      mkdirSync(this.evidenceFolder, { recursive: true });
    }
    return this.evidenceFolder;
  }

  /** Where an evidence file lives (also read by the retention deletion, sqlite/retention.ts). */
  evidencePath(id: string): string {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) throw new DomainError("validation", "Evidence ids are letters, digits, - and _ only.");
    return join(this.evidenceDir(), id);
  }

  async addEvidence(record: EvidenceRecord, content: Uint8Array, audit: AuditEntry[]): Promise<void> {
    const rec = EvidenceRecord.parse(record);
    const entries = audit.map((a) => AuditEntry.parse(a));
    if (content.length !== rec.size) throw new DomainError("validation", `The file is ${content.length} bytes, not the ${rec.size} its record says.`);
    const path = this.evidencePath(rec.id);
    if (existsSync(path) || this.stmt("SELECT 1 FROM evidence WHERE id = ?").get(rec.id)) throw conflict(`Evidence ${rec.id} already exists`);
    // The file first (written aside, then renamed into place), then the row and its audit in one
    // transaction; if the transaction fails the file goes, so nothing is left behind.
    const part = `${path}.${randomUUID()}.part`;
    try {
      writeFileSync(part, content, { flag: "wx" });
      renameSync(part, path);
    } catch (e) {
      if (existsSync(part)) unlinkSync(part);
      throw e;
    }
    try {
      this.inWriteTransaction(() => {
        this.stmt(
          `INSERT INTO evidence (id, ect_id, plan_id, target_id, deleted, at_ms, data)
             VALUES (@id, @ectId, @planId, @targetId, 0, @atMs, @data)`,
        ).run({ id: rec.id, ectId: rec.ectId, planId: rec.planId, targetId: rec.targetId, atMs: epochMs(rec.uploadedAt), data: JSON.stringify(rec) });
        insertAudit(this.database, entries);
      });
    } catch (e) {
      if (existsSync(path)) unlinkSync(path);
      throw e;
    }
  }

  async getEvidence(id: string): Promise<EvidenceRecord | undefined> {
    const row = this.stmt<DataRow>("SELECT data FROM evidence WHERE id = ?").get(id);
    return row ? EvidenceRecord.parse(JSON.parse(row.data)) : undefined;
  }

  async listEvidence(filter: { planId?: string; targetId?: string; ectId?: string; includeDeleted?: boolean }): Promise<EvidenceRecord[]> {
    const where: string[] = [];
    const params: Params = {};
    for (const [column, key] of [
      ["plan_id", "planId"],
      ["target_id", "targetId"],
      ["ect_id", "ectId"],
    ] as const) {
      const v = filter[key];
      if (v !== undefined) {
        where.push(`${column} = @${key}`);
        params[key] = v;
      }
    }
    if (!filter.includeDeleted) where.push("deleted = 0");
    return this.stmt<DataRow>(`SELECT data FROM evidence ${whereClause(where)} ORDER BY at_ms, id`)
      .all(params)
      .map((r) => EvidenceRecord.parse(JSON.parse(r.data)));
  }

  async readEvidenceContent(id: string): Promise<Uint8Array | undefined> {
    if (!this.stmt("SELECT 1 FROM evidence WHERE id = ?").get(id)) return undefined;
    const path = this.evidencePath(id);
    return existsSync(path) ? readFileSync(path) : undefined;
  }

  async markEvidenceDeleted(record: EvidenceRecord, audit: AuditEntry[]): Promise<void> {
    const rec = EvidenceRecord.parse(record);
    if (!rec.deletedAt) throw new DomainError("invalid_state", "Mark the record deleted (deletedAt) to hide it.");
    const entries = audit.map((a) => AuditEntry.parse(a));
    this.inWriteTransaction(() => {
      const r = this.stmt("UPDATE evidence SET deleted = 1, data = @data WHERE id = @id AND deleted = 0").run({ id: rec.id, data: JSON.stringify(rec) });
      if (r.changes === 0) throw notFound(`Evidence ${rec.id}`);
      insertAudit(this.database, entries);
    });
  }

  async addRecords(records: InductionRecord[], audit: AuditEntry[], outbox: NewOutboxMessage[] = []): Promise<void> {
    const rows = records.map((r) => InductionRecord.parse(r));
    const entries = audit.map((a) => AuditEntry.parse(a));
    const messages = outbox.map((m) => newOutboxRow(m, this.clock.now()));
    this.inWriteTransaction(() => {
      const insert = this.stmt("INSERT INTO induction_records (id, kind, ect_id, ab_id, at_ms, data) VALUES (@id, @kind, @ectId, @abId, @atMs, @data)");
      for (const r of rows) {
        try {
          insert.run({ id: r.id, kind: r.kind, ectId: r.ectId, abId: r.abId, atMs: epochMs(r.recordedAt), data: JSON.stringify(r) });
        } catch (e) {
          if (sqliteCode(e) === "SQLITE_CONSTRAINT_UNIQUE") throw conflict(`Record ${r.id} already exists`);
          throw e;
        }
      }
      insertAudit(this.database, entries);
      for (const m of messages) insertOutboxRow(this.database, m);
    });
  }

  async getInductionRecord(id: string): Promise<InductionRecord | undefined> {
    const row = this.stmt<DataRow>("SELECT data FROM induction_records WHERE id = ?").get(id);
    return row ? InductionRecord.parse(JSON.parse(row.data)) : undefined;
  }

  async listRecords(filter: { ectIds?: string[]; kind?: InductionRecordKind }): Promise<InductionRecord[]> {
    const where: string[] = [];
    const params: Params = {};
    if (filter.ectIds !== undefined) {
      if (filter.ectIds.length === 0) return [];
      where.push("ect_id IN (SELECT value FROM json_each(@ectIds))");
      params.ectIds = JSON.stringify(filter.ectIds);
    }
    if (filter.kind !== undefined) {
      where.push("kind = @kind");
      params.kind = filter.kind;
    }
    return this.stmt<DataRow>(`SELECT data FROM induction_records ${whereClause(where)} ORDER BY at_ms, seq`)
      .all(params)
      .map((r) => InductionRecord.parse(JSON.parse(r.data)));
  }
}
