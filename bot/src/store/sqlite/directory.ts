/** The embedded store's directory: appropriate bodies, schools, people, ECTs and the roster's own audit. */
import { AppropriateBody, DirectoryAuditEntry, Ect, Person, School, conflict } from "@ectsp/shared";
import { DirectoryVersionConflict, atVersion, signIns, withSettings, type DirectoryStore, type EctFilter, type SchoolSettingFields } from "../store.js";
import { SqlitePort, equalityFilter, sqliteCode, whereClause, type DataRow, type Params } from "./database.js";

export class SqliteDirectory extends SqlitePort implements DirectoryStore {
  async upsertAppropriateBody(ab: AppropriateBody): Promise<void> {
    const v = AppropriateBody.parse(ab);
    this.stmt(
      `INSERT INTO appropriate_bodies (id, name, data) VALUES (@id, @name, @data)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, data = excluded.data`,
    ).run({ id: v.id, name: v.name, data: JSON.stringify(v) });
  }

  async getAppropriateBody(id: string): Promise<AppropriateBody | undefined> {
    const row = this.stmt<DataRow>("SELECT data FROM appropriate_bodies WHERE id = ?").get(id);
    return row ? AppropriateBody.parse(JSON.parse(row.data)) : undefined;
  }

  async upsertSchool(school: School): Promise<void> {
    const v = School.parse(school);
    this.stmt(
      `INSERT INTO schools (id, name, ab_id, data) VALUES (@id, @name, @abId, @data)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, ab_id = excluded.ab_id, data = excluded.data`,
    ).run({ id: v.id, name: v.name, abId: v.abId, data: JSON.stringify(v) });
  }

  async getSchool(id: string): Promise<School | undefined> {
    const row = this.stmt<DataRow>("SELECT data FROM schools WHERE id = ?").get(id);
    return row ? School.parse(JSON.parse(row.data)) : undefined;
  }

  async saveSchoolSettings(schoolId: string, settings: SchoolSettingFields, expectedVersion: number): Promise<School> {
    // Read, compare and write in one write transaction, as for the roster's people and ECTs.
    return this.inWriteTransaction(() => {
      const row = this.stmt<DataRow>("SELECT data FROM schools WHERE id = ?").get(schoolId);
      const current = row ? School.parse(JSON.parse(row.data)) : undefined;
      if (!current || !atVersion(current, expectedVersion)) throw new DirectoryVersionConflict("school", schoolId, expectedVersion, current);
      const stored = School.parse(withSettings(current, settings, expectedVersion + 1));
      this.stmt("UPDATE schools SET data = @data WHERE id = @id").run({ id: schoolId, data: JSON.stringify(stored) });
      return stored;
    });
  }

  async listSchools(): Promise<School[]> {
    return this.stmt<DataRow>("SELECT data FROM schools ORDER BY name, id")
      .all()
      .map((r) => School.parse(JSON.parse(r.data)));
  }

  async upsertPerson(person: Person): Promise<void> {
    this.writePerson(Person.parse(person));
  }

  async savePerson(person: Person, expectedVersion: number | null): Promise<Person> {
    const v = Person.parse(person);
    // Read, compare and write in one write transaction: no other writer can come in between.
    return this.inWriteTransaction(() => {
      const row = this.stmt<DataRow>("SELECT data FROM people WHERE id = ?").get(v.id);
      const current = row ? Person.parse(JSON.parse(row.data)) : undefined;
      if (!atVersion(current, expectedVersion)) throw new DirectoryVersionConflict("person", v.id, expectedVersion, current);
      const stored = Person.parse({ ...signIns(v, current), version: (expectedVersion ?? 0) + 1 });
      this.writePerson(stored);
      return stored;
    });
  }

  async recordSignIn(personId: string, at: string): Promise<void> {
    // In SQL, so a roster write at the same moment is neither lost nor refused: the version stays.
    this.stmt(
      `UPDATE people SET data = json_set(data,
         '$.firstSignedInAt', coalesce(json_extract(data, '$.firstSignedInAt'), @at),
         '$.lastSignedInAt', CASE WHEN json_extract(data, '$.lastSignedInAt') > @at THEN json_extract(data, '$.lastSignedInAt') ELSE @at END)
       WHERE id = @id`,
    ).run({ id: personId, at });
  }

  private writePerson(v: Person): void {
    try {
      this.stmt(
        `INSERT INTO people (id, display_name, aad_object_id, school_id, ab_id, version, data)
         VALUES (@id, @displayName, @aadObjectId, @schoolId, @abId, @version, @data)
         ON CONFLICT(id) DO UPDATE SET display_name = excluded.display_name, aad_object_id = excluded.aad_object_id,
           school_id = excluded.school_id, ab_id = excluded.ab_id, version = excluded.version, data = excluded.data`,
      ).run({
        id: v.id,
        displayName: v.displayName,
        aadObjectId: v.aadObjectId ?? null,
        schoolId: v.schoolId ?? null,
        abId: v.abId ?? null,
        version: v.version ?? 1,
        data: JSON.stringify(v),
      });
    } catch (e) {
      if (sqliteCode(e) === "SQLITE_CONSTRAINT_UNIQUE") {
        throw conflict("Another person already has this Entra object id", { personId: v.id });
      }
      throw e;
    }
  }

  async getPerson(id: string): Promise<Person | undefined> {
    const row = this.stmt<DataRow>("SELECT data FROM people WHERE id = ?").get(id);
    return row ? Person.parse(JSON.parse(row.data)) : undefined;
  }

  async getPersonByAadObjectId(aadObjectId: string): Promise<Person | undefined> {
    const row = this.stmt<DataRow>("SELECT data FROM people WHERE aad_object_id = ?").get(aadObjectId);
    return row ? Person.parse(JSON.parse(row.data)) : undefined;
  }

  async listPeople(filter: { schoolId?: string; abId?: string } = {}): Promise<Person[]> {
    const { where, params } = equalityFilter(filter, { schoolId: "school_id", abId: "ab_id" });
    return this.stmt<DataRow>(`SELECT data FROM people ${whereClause(where)} ORDER BY display_name, id`)
      .all(params)
      .map((r) => Person.parse(JSON.parse(r.data)));
  }

  async upsertEct(ect: Ect): Promise<void> {
    this.writeEct(Ect.parse(ect));
  }

  async saveEct(ect: Ect, expectedVersion: number | null): Promise<Ect> {
    const v = Ect.parse(ect);
    return this.inWriteTransaction(() => {
      const row = this.stmt<DataRow>("SELECT data FROM ects WHERE id = ?").get(v.id);
      const current = row ? Ect.parse(JSON.parse(row.data)) : undefined;
      if (!atVersion(current, expectedVersion)) throw new DirectoryVersionConflict("ect", v.id, expectedVersion, current);
      const stored: Ect = { ...v, version: (expectedVersion ?? 0) + 1 };
      this.writeEct(stored);
      return stored;
    });
  }

  private writeEct(v: Ect): void {
    this.stmt(
      `INSERT INTO ects (id, person_id, school_id, ab_id, mentor_id, induction_tutor_id, version, data)
       VALUES (@id, @personId, @schoolId, @abId, @mentorId, @inductionTutorId, @version, @data)
       ON CONFLICT(id) DO UPDATE SET person_id = excluded.person_id, school_id = excluded.school_id, ab_id = excluded.ab_id,
         mentor_id = excluded.mentor_id, induction_tutor_id = excluded.induction_tutor_id, version = excluded.version, data = excluded.data`,
    ).run({
      id: v.id,
      personId: v.personId,
      schoolId: v.schoolId,
      abId: v.abId,
      mentorId: v.mentorId ?? null,
      inductionTutorId: v.inductionTutorId ?? null,
      version: v.version ?? 1,
      data: JSON.stringify(v),
    });
  }

  async getEct(id: string): Promise<Ect | undefined> {
    const row = this.stmt<DataRow>("SELECT data FROM ects WHERE id = ?").get(id);
    return row ? Ect.parse(JSON.parse(row.data)) : undefined;
  }

  async listEcts(filter: EctFilter = {}): Promise<Ect[]> {
    const where: string[] = [];
    const params: Params = {};
    const eq = (column: string, key: keyof EctFilter) => {
      const value = filter[key];
      if (value !== undefined) {
        where.push(`${column} = @${key}`);
        params[key] = value;
      }
    };
    eq("school_id", "schoolId");
    eq("ab_id", "abId");
    eq("mentor_id", "mentorId");
    eq("induction_tutor_id", "inductionTutorId");
    eq("person_id", "personId");
    return this.stmt<DataRow>(`SELECT data FROM ects ${whereClause(where)} ORDER BY id`)
      .all(params)
      .map((r) => Ect.parse(JSON.parse(r.data)));
  }

  // ---------------- roster (issue 6): directory audit ----------------

  async appendDirectoryAudit(entries: DirectoryAuditEntry[]): Promise<void> {
    const rows = entries.map((e) => DirectoryAuditEntry.parse(e));
    const insert = this.stmt("INSERT OR IGNORE INTO directory_audit (id, at_ms, school_id, ab_id, data) VALUES (@id, @atMs, @schoolId, @abId, @data)");
    this.inWriteTransaction(() => {
      for (const e of rows) insert.run({ id: e.id, atMs: Date.parse(e.at), schoolId: e.schoolId ?? null, abId: e.abId ?? null, data: JSON.stringify(e) });
    });
  }

  async listDirectoryAudit(filter: { schoolId?: string; abId?: string }): Promise<DirectoryAuditEntry[]> {
    const { where, params } = equalityFilter(filter, { schoolId: "school_id", abId: "ab_id" });
    return this.stmt<DataRow>(`SELECT data FROM directory_audit ${whereClause(where)} ORDER BY at_ms, seq`)
      .all(params)
      .map((r) => DirectoryAuditEntry.parse(JSON.parse(r.data)));
  }
}
