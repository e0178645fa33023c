import type Database from "better-sqlite3";
import type { Clock } from "../../clock.js";
import { chainAuditTable } from "./auditChain.js";

/**
 * Versioned schema migrations for the embedded store. Append new migrations to the end with the
 * next version number; never edit one that has shipped. Each runs in its own transaction and is
 * recorded in `schema_migrations`, so reopening a file applies only what is new.
 *
 * Conventions:
 * - Every row keeps the full record as validated JSON in `data`; the other columns are copies of
 *   the fields we filter, sort or join on (written from the same object, so they cannot drift).
 * - Instants we compare (outbox due times, leases, audit order) are also kept as integer epoch
 *   milliseconds (`*_ms`), because ISO strings with different offsets do not sort as text.
 * - Nothing is hard-deleted. The audit trail is append-only, enforced by triggers.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** A step SQL cannot do (e.g. hashing), run after `sql` in the same transaction. Must not read the clock. */
  after?: (db: Database.Database) => void;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: "initial schema",
    sql: /* sql */ `
      CREATE TABLE appropriate_bodies (
        id    TEXT PRIMARY KEY,
        name  TEXT NOT NULL,
        data  TEXT NOT NULL
      ) STRICT;

      CREATE TABLE schools (
        id     TEXT PRIMARY KEY,
        name   TEXT NOT NULL,
        ab_id  TEXT NOT NULL REFERENCES appropriate_bodies(id),
        data   TEXT NOT NULL
      ) STRICT;
      CREATE INDEX schools_ab ON schools(ab_id);

      CREATE TABLE people (
        id             TEXT PRIMARY KEY,
        display_name   TEXT NOT NULL,
        aad_object_id  TEXT UNIQUE,
        school_id      TEXT REFERENCES schools(id),
        ab_id          TEXT REFERENCES appropriate_bodies(id),
        data           TEXT NOT NULL
      ) STRICT;
      CREATE INDEX people_school ON people(school_id);
      CREATE INDEX people_ab ON people(ab_id);

      CREATE TABLE ects (
        id                  TEXT PRIMARY KEY,
        person_id           TEXT NOT NULL REFERENCES people(id),
        school_id           TEXT NOT NULL REFERENCES schools(id),
        ab_id               TEXT NOT NULL REFERENCES appropriate_bodies(id),
        mentor_id           TEXT REFERENCES people(id),
        induction_tutor_id  TEXT REFERENCES people(id),
        data                TEXT NOT NULL
      ) STRICT;
      CREATE INDEX ects_person ON ects(person_id);
      CREATE INDEX ects_school ON ects(school_id);
      CREATE INDEX ects_ab ON ects(ab_id);
      CREATE INDEX ects_mentor ON ects(mentor_id);
      CREATE INDEX ects_tutor ON ects(induction_tutor_id);

      CREATE TABLE plans (
        id           TEXT PRIMARY KEY,
        ect_id       TEXT NOT NULL REFERENCES ects(id),
        school_id    TEXT NOT NULL REFERENCES schools(id),
        ab_id        TEXT NOT NULL REFERENCES appropriate_bodies(id),
        status       TEXT NOT NULL,
        level        INTEGER,
        template_id  TEXT NOT NULL,
        outcome      TEXT,
        version      INTEGER NOT NULL,
        revision     INTEGER NOT NULL,
        updated_at   TEXT NOT NULL,
        start_date   TEXT,
        end_date     TEXT,
        review_date  TEXT,
        data         TEXT NOT NULL
      ) STRICT;
      -- Covering indexes: a caseload listing reads summaries from the index alone, never
      -- touching the (large) data column. Each leads with the column it filters on.
      CREATE INDEX plans_ect ON plans(ect_id, status, id, school_id, ab_id, template_id, level, outcome,
        version, revision, updated_at, start_date, end_date, review_date);
      CREATE INDEX plans_school ON plans(school_id, status, id, ect_id, ab_id, template_id, level, outcome,
        version, revision, updated_at, start_date, end_date, review_date);
      CREATE INDEX plans_ab ON plans(ab_id, status, id, ect_id, school_id, template_id, level, outcome,
        version, revision, updated_at, start_date, end_date, review_date);
      CREATE INDEX plans_status ON plans(status, id, ect_id, school_id, ab_id, template_id, level, outcome,
        version, revision, updated_at, start_date, end_date, review_date);

      CREATE TABLE check_ins (
        id       TEXT PRIMARY KEY,
        plan_id  TEXT NOT NULL REFERENCES plans(id),
        ect_id   TEXT NOT NULL REFERENCES ects(id),
        week     INTEGER NOT NULL,
        due_on   TEXT NOT NULL,
        status   TEXT NOT NULL,
        data     TEXT NOT NULL
      ) STRICT;
      CREATE INDEX check_ins_plan ON check_ins(plan_id, status);
      CREATE INDEX check_ins_ect ON check_ins(ect_id, status);
      CREATE INDEX check_ins_status ON check_ins(status);

      -- Append-only. seq keeps insertion order for entries with the same instant.
      CREATE TABLE audit (
        seq      INTEGER PRIMARY KEY AUTOINCREMENT,
        id       TEXT NOT NULL UNIQUE,
        at_ms    INTEGER NOT NULL,
        ect_id   TEXT NOT NULL,
        plan_id  TEXT,
        data     TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_plan ON audit(plan_id, at_ms);
      CREATE INDEX audit_ect ON audit(ect_id, at_ms);
      CREATE INDEX audit_at ON audit(at_ms);
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only: entries cannot be changed'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only: entries cannot be deleted'); END;

      CREATE TABLE outbox (
        seq               INTEGER PRIMARY KEY AUTOINCREMENT,
        id                TEXT NOT NULL UNIQUE,
        dedupe_key        TEXT NOT NULL UNIQUE,
        kind              TEXT NOT NULL,
        recipient_id      TEXT NOT NULL,
        plan_id           TEXT,
        ect_id            TEXT,
        data              TEXT NOT NULL,
        created_at        TEXT NOT NULL,
        not_before        TEXT NOT NULL,
        not_before_ms     INTEGER NOT NULL,
        status            TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        attempts          INTEGER NOT NULL DEFAULT 0,
        claimed_by        TEXT,
        claimed_until_ms  INTEGER,
        sent_at           TEXT,
        last_error        TEXT
      ) STRICT;
      CREATE INDEX outbox_due ON outbox(status, not_before_ms);
      CREATE INDEX outbox_recipient ON outbox(recipient_id);
      CREATE INDEX outbox_plan ON outbox(plan_id);

      CREATE TABLE jobs (
        name              TEXT PRIMARY KEY,
        claimed_by        TEXT NOT NULL,
        claimed_at_ms     INTEGER NOT NULL,
        claimed_until_ms  INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: "bot reach: conversation references, sent cards, reminder mutes",
    sql: /* sql */ `
      -- One personal conversation per person (the latest the bot has seen).
      CREATE TABLE conversation_refs (
        person_id        TEXT PRIMARY KEY REFERENCES people(id),
        conversation_id  TEXT NOT NULL,
        data             TEXT NOT NULL
      ) STRICT;

      -- One alert channel per appropriate body.
      CREATE TABLE channel_refs (
        ab_id            TEXT PRIMARY KEY REFERENCES appropriate_bodies(id),
        conversation_id  TEXT NOT NULL,
        data             TEXT NOT NULL
      ) STRICT;

      -- Preferences, not records: unmuting sets muted = 0.
      CREATE TABLE reminder_mutes (
        person_id  TEXT NOT NULL REFERENCES people(id),
        kind       TEXT NOT NULL,
        muted      INTEGER NOT NULL CHECK (muted IN (0, 1)),
        changed_at TEXT NOT NULL,
        PRIMARY KEY (person_id, kind)
      ) STRICT;

      CREATE TABLE sent_cards (
        outbox_id        TEXT PRIMARY KEY,
        plan_id          TEXT,
        kind             TEXT NOT NULL,
        recipient_id     TEXT NOT NULL,
        data             TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sent_cards_plan ON sent_cards(plan_id, kind);
    `,
  },
  {
    // Issue 6 (roster). Planned as 4, but 3 was still free when this was added.
    version: 3,
    name: "directory audit: roster and appropriate body changes",
    sql: /* sql */ `
      -- Append-only, like the plan audit: who changed which roster record, never the values.
      CREATE TABLE directory_audit (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        id         TEXT NOT NULL UNIQUE,
        at_ms      INTEGER NOT NULL,
        school_id  TEXT,
        ab_id      TEXT,
        data       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX directory_audit_school ON directory_audit(school_id, at_ms);
      CREATE INDEX directory_audit_ab ON directory_audit(ab_id, at_ms);
      CREATE TRIGGER directory_audit_no_update BEFORE UPDATE ON directory_audit
        BEGIN SELECT RAISE(ABORT, 'directory audit is append-only: entries cannot be changed'); END;
      CREATE TRIGGER directory_audit_no_delete BEFORE DELETE ON directory_audit
        BEGIN SELECT RAISE(ABORT, 'directory audit is append-only: entries cannot be deleted'); END;
    `,
  },
  {
    // Issue 7 (records). Planned as 3; 4 because the roster's migration took 3 first.
    version: 4,
    name: "induction records: evidence on targets, progress reviews, assessments, concerns",
    sql: /* sql */ `
      -- Evidence metadata; the bytes are files under DATA_DIR/evidence/<id>. Soft delete only.
      CREATE TABLE evidence (
        id          TEXT PRIMARY KEY,
        ect_id      TEXT NOT NULL REFERENCES ects(id),
        plan_id     TEXT NOT NULL REFERENCES plans(id),
        target_id   TEXT NOT NULL,
        deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
        at_ms       INTEGER NOT NULL,
        data        TEXT NOT NULL
      ) STRICT;
      CREATE INDEX evidence_plan ON evidence(plan_id, target_id, at_ms);
      CREATE INDEX evidence_ect ON evidence(ect_id, at_ms);
      CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
        BEGIN SELECT RAISE(ABORT, 'evidence records are kept: mark them deleted instead'); END;

      -- Progress reviews, formal assessments and concerns: appended, never changed.
      CREATE TABLE induction_records (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        id         TEXT NOT NULL UNIQUE,
        kind       TEXT NOT NULL,
        ect_id     TEXT NOT NULL REFERENCES ects(id),
        ab_id      TEXT NOT NULL,
        at_ms      INTEGER NOT NULL,
        data       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX induction_records_ect ON induction_records(ect_id, kind, at_ms);
      CREATE INDEX induction_records_ab ON induction_records(ab_id, kind, at_ms);
      CREATE TRIGGER induction_records_no_update BEFORE UPDATE ON induction_records
        BEGIN SELECT RAISE(ABORT, 'induction records are append-only'); END;
      CREATE TRIGGER induction_records_no_delete BEFORE DELETE ON induction_records
        BEGIN SELECT RAISE(ABORT, 'induction records are append-only'); END;
    `,
  },
  {
    // Issue 12. The audit table is rebuilt with its chain columns (SQLite cannot add a table
    // constraint to an existing table), and the entries written before chains existed are sealed
    // in the order they were appended. The append-only triggers must go for the copy (the old
    // table is dropped) and are created again on the new table before this transaction commits,
    // so no connection ever sees the trail without them. See chainAuditTable in auditChain.ts.
    version: 5,
    name: "hash-chained audit: entries sealed per plan (chain_id, chain_seq, hash)",
    sql: /* sql */ `
      DROP TRIGGER audit_no_update;
      DROP TRIGGER audit_no_delete;
    `,
    after: chainAuditTable,
  },
  {
    // Issue 12. Caseload rows say "awaiting signatures (n of m)" from the summary alone, so the
    // covering indexes carry the new column too. Plans written before this cannot be awaiting
    // signatures (neither the status nor amendments existed), so the column starts empty.
    version: 6,
    name: "plan summaries: awaiting signatures (n of m)",
    sql: /* sql */ `
      ALTER TABLE plans ADD COLUMN awaiting_signatures TEXT;
      DROP INDEX plans_ect;
      DROP INDEX plans_school;
      DROP INDEX plans_ab;
      DROP INDEX plans_status;
      CREATE INDEX plans_ect ON plans(ect_id, status, id, school_id, ab_id, template_id, level, outcome,
        version, revision, updated_at, start_date, end_date, review_date, awaiting_signatures);
      CREATE INDEX plans_school ON plans(school_id, status, id, ect_id, ab_id, template_id, level, outcome,
        version, revision, updated_at, start_date, end_date, review_date, awaiting_signatures);
      CREATE INDEX plans_ab ON plans(ab_id, status, id, ect_id, school_id, template_id, level, outcome,
        version, revision, updated_at, start_date, end_date, review_date, awaiting_signatures);
      CREATE INDEX plans_status ON plans(status, id, ect_id, school_id, ab_id, template_id, level, outcome,
        version, revision, updated_at, start_date, end_date, review_date, awaiting_signatures);
    `,
  },
  {
    // Issue 14. The live server instances share the per-app send rate: each renews its record
    // every few seconds and counts the live ones. A stop hands its claims back by instance.
    version: 7,
    name: "instances sharing the outbox; claims by instance",
    sql: /* sql */ `
      CREATE TABLE instances (
        instance_id    TEXT PRIMARY KEY,
        live_until_ms  INTEGER NOT NULL,
        heartbeat_at   TEXT NOT NULL
      ) STRICT;
      CREATE INDEX instances_live ON instances(live_until_ms);
      CREATE INDEX outbox_claimed ON outbox(claimed_by) WHERE claimed_by IS NOT NULL;
    `,
  },
  {
    // Issue 15: roster records carry a version, so two leads never overwrite each other; the
    // records already here are at version 1.
    version: 8,
    name: "roster versions",
    sql: /* sql */ `
      ALTER TABLE people ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE ects ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    `,
  },
  {
    // Issue 16, item 9: records past their retention date are deleted once the lead confirms.
    // Evidence and induction records still refuse any DELETE, except for an ECT named in
    // retention_deleting, which only a retention deletion's own transaction fills (and empties
    // before it commits: sqlite/retention.ts). The audit stays append-only.
    version: 9,
    name: "retention deletions",
    sql: /* sql */ `
      CREATE TABLE retention_deleting (ect_id TEXT PRIMARY KEY) STRICT;
      DROP TRIGGER evidence_no_delete;
      CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
        WHEN NOT EXISTS (SELECT 1 FROM retention_deleting WHERE ect_id = OLD.ect_id)
        BEGIN SELECT RAISE(ABORT, 'evidence records are kept: mark them deleted instead'); END;
      DROP TRIGGER induction_records_no_delete;
      CREATE TRIGGER induction_records_no_delete BEFORE DELETE ON induction_records
        WHEN NOT EXISTS (SELECT 1 FROM retention_deleting WHERE ect_id = OLD.ect_id)
        BEGIN SELECT RAISE(ABORT, 'induction records are append-only'); END;
    `,
  },
];

const ensureTable = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  TEXT NOT NULL
  ) STRICT;
`;

export interface AppliedMigration {
  version: number;
  name: string;
  applied_at: string;
}

/**
 * Applies every migration newer than the file's schema, each in its own IMMEDIATE transaction
 * (so two instances starting together do not both apply one). Returns the versions applied now.
 * Refuses to open a file written by a newer release.
 */
export function migrate(db: Database.Database, list: readonly Migration[], clock: Clock): number[] {
  for (let i = 0; i < list.length; i++) {
    const m = list[i]!;
    if (m.version !== i + 1) throw new Error(`Migrations must be numbered 1, 2, 3…: found ${m.version} at position ${i + 1}`);
  }
  db.exec(ensureTable);
  const applied: number[] = [];
  const isApplied = db.prepare<[number], { version: number }>("SELECT version FROM schema_migrations WHERE version = ?");
  const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  const latest = db.prepare<[], { v: number | null }>("SELECT MAX(version) AS v FROM schema_migrations");

  const known = list.length;
  const onDisk = latest.get()?.v ?? 0;
  if (onDisk > known) {
    throw new Error(`The database schema is at version ${onDisk}, newer than this release knows (${known}). Upgrade the server.`);
  }

  for (const m of list) {
    const apply = db.transaction(() => {
      if (isApplied.get(m.version)) return false;
      db.exec(m.sql);
      m.after?.(db);
      record.run(m.version, m.name, clock.now().toISOString());
      return true;
    });
    if (apply.immediate()) applied.push(m.version);
  }
  return applied;
}

export function appliedMigrations(db: Database.Database): AppliedMigration[] {
  return db.prepare<[], AppliedMigration>("SELECT version, name, applied_at FROM schema_migrations ORDER BY version").all();
}
