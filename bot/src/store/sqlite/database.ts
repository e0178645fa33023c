/**
 * The embedded store's one SQLite connection, shared by every port (directory.ts, plans.ts,
 * audit.ts, records.ts, reach.ts) so that a change spanning ports is still one transaction, and
 * the row helpers they share.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { migrate, migrations } from "./migrations.js";
import type { Clock } from "../../clock.js";
import { ensureWritableDataDir } from "../dataDir.js";

/**
 * Opens (creating if needed) the database file at `filePath`: WAL journal, a busy timeout so
 * several instances can share the file, foreign keys on, and the schema migrated to the latest
 * version. Returns the connection and the file's resolved path.
 */
export function openDatabase(filePath: string, clock: Clock, busyTimeoutMs: number): { db: Database.Database; path: string } {
  const inMemory = filePath === ":memory:";
  const path = inMemory ? filePath : resolve(filePath);
  if (!inMemory) ensureWritableDataDir(dirname(path));
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: busyTimeoutMs });
  } catch (error) {
    // e.g. the folder is writable but the database file itself is read-only or not a database.
    const code = (error as { code?: string }).code;
    throw new Error(
      `Could not open the database file ${path}${code ? ` (${code})` : ""}. Check that DATA_DIR points at a folder this server can write to and that the file is writable.`,
      { cause: error },
    );
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    if (!inMemory) {
      const mode = db.pragma("journal_mode = WAL", { simple: true });
      if (String(mode).toLowerCase() !== "wal") throw new Error(`Could not switch ${path} to WAL (got ${String(mode)})`);
    }
    // FULL, not NORMAL: a commit a teacher is told is saved is on disk (fsync at every commit), so a
    // power cut cannot lose it. With WAL, NORMAL would only guarantee the file is not corrupted.
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    migrate(db, migrations, clock);
  } catch (error) {
    db.close();
    const code = (error as { code?: string }).code ?? "";
    if (/^SQLITE_(READONLY|CANTOPEN|PERM|IOERR)/.test(code)) {
      throw new Error(
        `Could not write the database file ${path} (${code}). Check that DATA_DIR points at a folder this server can write to and that the file is writable.`,
        { cause: error },
      );
    }
    throw error;
  }
  return { db, path };
}

/** The connection every port works through, with its prepared statements cached by SQL text. */
export class SqliteDatabase {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly db: Database.Database) {}

  stmt<R = unknown>(sql: string): Database.Statement<unknown[], R> {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s as Database.Statement<unknown[], R>;
  }

  /**
   * Runs `work` as one IMMEDIATE transaction: the write lock is taken at the start, so what it
   * reads (a chain's head, the due messages) cannot change under it before it writes.
   */
  inWriteTransaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** What each port's class stands on: the one shared connection. */
export abstract class SqlitePort {
  constructor(protected readonly database: SqliteDatabase) {}

  protected stmt<R = unknown>(sql: string): Database.Statement<unknown[], R> {
    return this.database.stmt<R>(sql);
  }

  protected inWriteTransaction<T>(work: () => T): T {
    return this.database.inWriteTransaction(work);
  }
}

// ---------- row shapes and helpers ----------

export interface DataRow {
  data: string;
}

export type Params = Record<string, string | number | bigint | null>;

export const epochMs = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`Not a date-time: ${iso}`);
  return ms;
};

/** Drops null columns so optional fields come back absent, as zod expects. */
export function defined<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === null || o[k] === undefined) delete o[k];
  return o;
}

export const sqliteCode = (e: unknown): string | undefined => (e instanceof Database.SqliteError ? e.code : undefined);

export const whereClause = (where: string[]) => (where.length > 0 ? `WHERE ${where.join(" AND ")}` : "");

/** WHERE terms and parameters for the filter fields that are set: `{ planId: "plan_id" }` gives `plan_id = @planId`. */
export function equalityFilter<F extends object>(filter: F, columns: { [K in keyof F]?: string }): { where: string[]; params: Params } {
  const where: string[] = [];
  const params: Params = {};
  for (const [key, column] of Object.entries(columns) as [string, string][]) {
    const value = (filter as Record<string, unknown>)[key];
    if (value === undefined) continue;
    where.push(`${column} = @${key}`);
    params[key] = value as Params[string];
  }
  return { where, params };
}
