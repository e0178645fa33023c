/**
 * The directory port on SharePoint: appropriate bodies, schools, people, ECTs and the roster's own
 * audit. Reads of the first four answer from this instance's DirectoryCache (directoryCache.ts:
 * kept fresh by the lists' delta queries); writes go to the lists, then into the cache. The
 * directory audit is read from its list each time.
 */
import { AppropriateBody, DirectoryAuditEntry, Ect, Person, School, conflict } from "@ectsp/shared";
import { DirectoryVersionConflict, atVersion, signIns, withSettings, type DirectoryStore, type EctFilter, type SchoolSettingFields } from "../store.js";
import { ok, send } from "./graph.js";
import { listTitle } from "./listSchema.js";
import { cmp, eq, num, type Fields, type SiteLists } from "./lists.js";
import type { DirectoryCache } from "./directoryCache.js";

const aadClash = (personId: string) => conflict("Another person already has this Entra object id", { personId });

/** The records written with a version check, by list. */
type Versioned = { people: Person; ects: Ect; schools: School };
const recordKind = { people: "person", ects: "ect", schools: "school" } as const;

/** A copy, so a caller changing what it was given cannot change the cache. */
const copy = <T>(x: T | undefined): T | undefined => (x === undefined ? undefined : structuredClone(x));

export class SharePointDirectory implements DirectoryStore {
  constructor(
    private readonly lists: SiteLists,
    private readonly cache: DirectoryCache,
  ) {}

  async upsertAppropriateBody(ab: AppropriateBody): Promise<void> {
    const v = AppropriateBody.parse(ab);
    await this.lists.upsert("appropriateBodies", v.id, this.lists.fieldsFor("appropriateBodies", v.id, { name: v.name.slice(0, 255) }, v));
    this.cache.put("appropriateBodies", v);
  }

  async getAppropriateBody(id: string): Promise<AppropriateBody | undefined> {
    return copy((await this.cache.records("appropriateBodies")).get(id));
  }

  async upsertSchool(school: School): Promise<void> {
    const v = School.parse(school);
    await this.lists.upsert("schools", v.id, this.schoolFields(v));
    this.cache.put("schools", v);
  }

  private schoolFields(v: School): Fields {
    return this.lists.fieldsFor("schools", v.id, { name: v.name.slice(0, 255), abId: v.abId }, v);
  }

  async saveSchoolSettings(schoolId: string, settings: SchoolSettingFields, expectedVersion: number): Promise<School> {
    // Built on the school as read from its item: links and webhooks written meanwhile are kept.
    return this.conditionalWrite("schools", schoolId, expectedVersion, School, (current) => {
      const stored = School.parse(withSettings(current!, settings, expectedVersion + 1));
      return { record: stored, fields: this.schoolFields(stored) };
    });
  }

  async getSchool(id: string): Promise<School | undefined> {
    return copy((await this.cache.records("schools")).get(id));
  }

  async listSchools(): Promise<School[]> {
    const all = [...(await this.cache.records("schools")).values()];
    return structuredClone(all).sort((a, b) => cmp(a.name, b.name) || cmp(a.id, b.id));
  }

  async upsertPerson(person: Person): Promise<void> {
    const v = Person.parse(person);
    await this.lists.upsert("people", v.id, this.personFields(v), () => aadClash(v.id));
    this.cache.put("people", v);
  }

  async savePerson(person: Person, expectedVersion: number | null): Promise<Person> {
    const v = Person.parse(person);
    return this.conditionalWrite("people", v.id, expectedVersion, Person, (current) => {
      const stored = Person.parse({ ...signIns(v, current), version: (expectedVersion ?? 0) + 1 });
      return { record: stored, fields: this.personFields(stored) };
    });
  }

  async recordSignIn(personId: string, at: string): Promise<void> {
    // Read, change the times, write back with If-Match: a sign-in never loses a roster write, nor bumps its version.
    for (let attempt = 0; attempt < 3; attempt++) {
      const item = await this.lists.findOne("people", personId);
      if (!item) return;
      const p = Person.parse(this.lists.bodyOf("people", item.fields));
      const signedIn: Person = {
        ...p,
        firstSignedInAt: p.firstSignedInAt ?? at,
        lastSignedInAt: p.lastSignedInAt && p.lastSignedInAt > at ? p.lastSignedInAt : at,
      };
      const res = await send(this.lists.client, "PATCH", `${this.lists.itemsPath("people")}/${item.itemId}/fields`, this.personFields(signedIn), {
        "if-match": item.etag,
      });
      if (res.status === 412) continue;
      ok(res, `Saving to ${listTitle(this.lists.settings.listPrefix, "people")}`);
      this.cache.put("people", signedIn);
      return;
    }
  }

  private personFields(v: Person): Fields {
    return this.lists.fieldsFor(
      "people",
      v.id,
      {
        displayName: v.displayName.slice(0, 255),
        aadObjectId: v.aadObjectId ?? `none:${v.id}`,
        schoolId: v.schoolId,
        abId: v.abId,
        version: v.version ?? 1,
      },
      v,
    );
  }

  /**
   * A roster write, only if the record is still at `expected` (null: there is none). Reads the
   * item itself (not the cache, which may be behind another instance's write), then writes with
   * the item's ETag: a 412 means it moved in between, so it looks again (a sign-in moves the ETag
   * without a new version). A create that meets an item made meanwhile is a conflict too.
   */
  private async conditionalWrite<K extends keyof Versioned>(
    key: K,
    id: string,
    expected: number | null,
    schema: { parse(x: unknown): Versioned[K] },
    build: (current: Versioned[K] | undefined) => { record: Versioned[K]; fields: Fields },
  ): Promise<Versioned[K]> {
    type R = Versioned[K];
    const kind = recordKind[key];
    const operation = `Saving to ${listTitle(this.lists.settings.listPrefix, key)}`;
    const refuse = (current: R | undefined): never => {
      if (current) this.cache.put(key, current as never);
      throw new DirectoryVersionConflict(kind, id, expected, current);
    };
    let current: R | undefined;
    let sent: { record: R; fields: Fields } | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      const item = await this.lists.findOne(key, id);
      current = item ? schema.parse(this.lists.bodyOf(key, item.fields)) : undefined;
      // Our own write landed but its answer was lost (the retried PATCH then meets its own ETag, or
      // the connection dropped): the item holds what we sent, so it is saved, not someone else's change.
      if (sent && item && holds(item.fields, sent.fields)) {
        this.cache.put(key, sent.record as never);
        return sent.record;
      }
      if (!atVersion(current, expected)) refuse(current);
      const { record, fields } = build(current);
      sent = { record, fields };
      if (!item) {
        const res = await send(this.lists.client, "POST", this.lists.itemsPath(key), { fields });
        if (res.status === 409) {
          // Created meanwhile; or, for a person, another one holds this Entra object id.
          const now = await this.lists.findOne(key, id);
          if (now) refuse(schema.parse(this.lists.bodyOf(key, now.fields)));
          throw aadClash(id);
        }
        ok(res, operation);
        this.lists.itemIds.set(`${key}:${id.toLowerCase()}`, String((res.body as { id: string }).id));
      } else {
        let res;
        try {
          res = await send(this.lists.client, "PATCH", `${this.lists.itemsPath(key)}/${item.itemId}/fields`, fields, { "if-match": item.etag });
        } catch (e) {
          // No answer at all: whether it landed is read back on the next pass.
          if (attempt < 2) continue;
          throw e;
        }
        if (res.status === 412) continue;
        if (res.status === 409) throw aadClash(id);
        ok(res, operation);
      }
      this.cache.put(key, record as never);
      return record;
    }
    // Moved under us three times running: answer as stale, with what was read last.
    return refuse(current);
  }

  async getPerson(id: string): Promise<Person | undefined> {
    return copy((await this.cache.records("people")).get(id));
  }

  async getPersonByAadObjectId(aadObjectId: string): Promise<Person | undefined> {
    if (aadObjectId.startsWith("none:")) return undefined;
    for (const p of (await this.cache.records("people")).values()) if (p.aadObjectId === aadObjectId) return copy(p);
    return undefined;
  }

  async listPeople(filter: { schoolId?: string; abId?: string } = {}): Promise<Person[]> {
    const all = [...(await this.cache.records("people")).values()].filter(
      (p) => (filter.schoolId === undefined || p.schoolId === filter.schoolId) && (filter.abId === undefined || p.abId === filter.abId),
    );
    return structuredClone(all).sort((a, b) => cmp(a.displayName, b.displayName) || cmp(a.id, b.id));
  }

  async upsertEct(ect: Ect): Promise<void> {
    const v = Ect.parse(ect);
    await this.lists.upsert("ects", v.id, this.ectFields(v));
    this.cache.put("ects", v);
  }

  async saveEct(ect: Ect, expectedVersion: number | null): Promise<Ect> {
    const v = Ect.parse(ect);
    return this.conditionalWrite("ects", v.id, expectedVersion, Ect, () => {
      const stored: Ect = { ...v, version: (expectedVersion ?? 0) + 1 };
      return { record: stored, fields: this.ectFields(stored) };
    });
  }

  private ectFields(v: Ect): Fields {
    return this.lists.fieldsFor(
      "ects",
      v.id,
      {
        personId: v.personId,
        schoolId: v.schoolId,
        abId: v.abId,
        mentorId: v.mentorId,
        inductionTutorId: v.inductionTutorId,
        version: v.version ?? 1,
      },
      v,
    );
  }

  async getEct(id: string): Promise<Ect | undefined> {
    return copy((await this.cache.records("ects")).get(id));
  }

  async listEcts(filter: EctFilter = {}): Promise<Ect[]> {
    const keys = ["schoolId", "abId", "mentorId", "inductionTutorId", "personId"] as const;
    const all = [...(await this.cache.records("ects")).values()].filter((e) => keys.every((k) => filter[k] === undefined || e[k] === filter[k]));
    return structuredClone(all).sort((a, b) => cmp(a.id, b.id));
  }

  // ================================================================ roster (issue 6): directory audit

  async appendDirectoryAudit(entries: DirectoryAuditEntry[]): Promise<void> {
    for (const raw of entries) {
      const e = DirectoryAuditEntry.parse(raw);
      const fields = this.lists.fieldsFor("directoryAudit", e.id, { atMs: Date.parse(e.at), seq: this.lists.nextSeq(), schoolId: e.schoolId, abId: e.abId }, e);
      const res = await send(this.lists.client, "POST", this.lists.itemsPath("directoryAudit"), { fields });
      if (res.status === 409) continue; // appended already: append-only, so the first one stands
      ok(res, `Saving to ${listTitle(this.lists.settings.listPrefix, "directoryAudit")}`);
    }
  }

  async listDirectoryAudit(filter: { schoolId?: string; abId?: string }): Promise<DirectoryAuditEntry[]> {
    const where: string[] = [];
    if (filter.schoolId !== undefined) where.push(eq("schoolId", filter.schoolId));
    if (filter.abId !== undefined) where.push(eq("abId", filter.abId));
    const items = await this.lists.query("directoryAudit", where.join(" and ") || undefined);
    return items
      .sort((a, b) => num(a.fields.atMs) - num(b.fields.atMs) || num(a.fields.seq) - num(b.fields.seq) || num(a.itemId) - num(b.itemId))
      .map((i) => DirectoryAuditEntry.parse(this.lists.bodyOf("directoryAudit", i.fields)));
  }
}

/** Does a list item hold every field of a write (as SharePoint returns them)? */
function holds(itemFields: Record<string, unknown>, written: Fields): boolean {
  return Object.entries(written).every(([k, v]) => JSON.stringify(itemFields[k] ?? null) === JSON.stringify(v ?? null));
}
