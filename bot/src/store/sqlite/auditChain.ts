/**
 * The embedded store's side of the hash-chained audit (shared/src/auditChain.ts): sealing entries
 * onto their chain's head as they are appended, and the migration that gave the audit table its
 * chain columns.
 */
import type Database from "better-sqlite3";
import { AuditEntry, auditChainId, sealAuditBatch, sealAuditEntries, type ChainHead } from "@ectsp/shared";

type Prepare = (sql: string) => Database.Statement;

const epochMs = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`Not a date-time: ${iso}`);
  return ms;
};

const insertSql = `INSERT INTO audit (id, at_ms, ect_id, plan_id, chain_id, chain_seq, hash, data)
  VALUES (@id, @atMs, @ectId, @planId, @chainId, @chainSeq, @hash, @data)`;

const insertParams = (e: AuditEntry) => ({
  id: e.id,
  atMs: epochMs(e.at),
  ectId: e.ectId,
  planId: e.planId ?? null,
  chainId: auditChainId(e),
  chainSeq: e.seq ?? null,
  hash: e.hash ?? null,
  data: JSON.stringify(e),
});

/**
 * Seals `entries` onto the heads of their chains as stored now and inserts them. Call it inside
 * the write transaction (IMMEDIATE): no other connection can append between reading a head and
 * writing after it, and UNIQUE(chain_id, chain_seq) would refuse it if one did.
 */
export function appendSealedAudit(prepare: Prepare, entries: readonly AuditEntry[]): AuditEntry[] {
  if (entries.length === 0) return [];
  const head = prepare("SELECT chain_seq AS seq, hash FROM audit WHERE chain_id = ? ORDER BY chain_seq DESC LIMIT 1");
  const heads = new Map<string, ChainHead>();
  for (const chainId of new Set(entries.map(auditChainId))) {
    const h = head.get(chainId) as ChainHead | undefined;
    if (h) heads.set(chainId, h);
  }
  const sealed = sealAuditBatch([...entries], heads);
  const insert = prepare(insertSql);
  for (const e of sealed) insert.run(insertParams(e));
  return sealed;
}

/**
 * Migration 5. The audit table is rebuilt with chain_id, chain_seq (UNIQUE together) and hash,
 * and every entry written before chains existed is sealed, chain by chain, in the order it was
 * appended (the table's own seq). So each older entry is vouched for from this migration on:
 * a change made to one before the upgrade cannot be told apart, but any change after it can.
 * Entries are read through the schema exactly as the store reads them, so their hashes cover
 * what a reader sees. The caller dropped the append-only triggers (the old table goes); they are
 * created again here, inside the same transaction.
 */
export function chainAuditTable(db: Database.Database): void {
  db.exec(/* sql */ `
    CREATE TABLE audit_chained (
      seq        INTEGER PRIMARY KEY AUTOINCREMENT,
      id         TEXT NOT NULL UNIQUE,
      at_ms      INTEGER NOT NULL,
      ect_id     TEXT NOT NULL,
      plan_id    TEXT,
      chain_id   TEXT NOT NULL,
      chain_seq  INTEGER NOT NULL CHECK (chain_seq >= 1),
      hash       TEXT NOT NULL,
      data       TEXT NOT NULL,
      UNIQUE (chain_id, chain_seq)
    ) STRICT;
  `);
  const rows = db.prepare("SELECT seq, data FROM audit ORDER BY seq").all() as { seq: number; data: string }[];
  const insert = db.prepare(`INSERT INTO audit_chained (seq, id, at_ms, ect_id, plan_id, chain_id, chain_seq, hash, data)
    VALUES (@seq, @id, @atMs, @ectId, @planId, @chainId, @chainSeq, @hash, @data)`);
  const heads = new Map<string, ChainHead>();
  for (const row of rows) {
    const entry = AuditEntry.parse(JSON.parse(row.data));
    const chainId = auditChainId(entry);
    const [sealed] = sealAuditEntries([entry], heads.get(chainId)) as [AuditEntry];
    heads.set(chainId, { seq: sealed.seq!, hash: sealed.hash! });
    insert.run({ seq: row.seq, ...insertParams(sealed) });
  }
  db.exec(/* sql */ `
    DROP TABLE audit;
    ALTER TABLE audit_chained RENAME TO audit;
    CREATE INDEX audit_plan ON audit(plan_id, at_ms);
    CREATE INDEX audit_ect ON audit(ect_id, at_ms);
    CREATE INDEX audit_at ON audit(at_ms);
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
      BEGIN SELECT RAISE(ABORT, 'audit is append-only: entries cannot be changed'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
      BEGIN SELECT RAISE(ABORT, 'audit is append-only: entries cannot be deleted'); END;
  `);
}
