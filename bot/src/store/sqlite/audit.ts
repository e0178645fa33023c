/** The embedded store's plan audit: append-only (triggers refuse UPDATE and DELETE), hash-chained per plan (auditChain.ts). */
import { AuditEntry } from "@ectsp/shared";
import type { AuditStore } from "../store.js";
import { inChainOrder } from "../auditOrder.js";
import { appendSealedAudit } from "./auditChain.js";
import { SqlitePort, equalityFilter, whereClause, type DataRow, type SqliteDatabase } from "./database.js";

/**
 * Seals and appends audit entries: only ever inside a write transaction (see appendSealedAudit).
 * Every port that appends (plans, records) writes through here.
 */
export function insertAudit(database: SqliteDatabase, entries: AuditEntry[]): void {
  appendSealedAudit((sql) => database.stmt(sql), entries);
}

export class SqliteAudit extends SqlitePort implements AuditStore {
  async listAudit(filter: { planId?: string; ectId?: string }): Promise<AuditEntry[]> {
    const { where, params } = equalityFilter(filter, { planId: "plan_id", ectId: "ect_id" });
    const rows = this.stmt<DataRow>(`SELECT data FROM audit ${whereClause(where)} ORDER BY chain_id, chain_seq`).all(params);
    return inChainOrder(rows.map((r) => AuditEntry.parse(JSON.parse(r.data))));
  }

  async readAuditTrail(): Promise<AuditEntry[]> {
    return this.stmt<DataRow>("SELECT data FROM audit ORDER BY chain_id, chain_seq")
      .all()
      .map((r) => AuditEntry.parse(JSON.parse(r.data)));
  }
}
