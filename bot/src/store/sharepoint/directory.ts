/**
 * The directory port on SharePoint: appropriate bodies, schools, people, ECTs and the roster's own
 * audit. Reads of the first four answer from this instance's DirectoryCache (directoryCache.ts:
 * kept fresh by the lists' delta queries); writes go to the lists, then into the cache. The
 * directory audit is read from its list each time.
 */
import { AppropriateBody, DirectoryAuditEntry, Ect, Person, School, conflict } from "@ectsp/shared";
import type { DirectoryStore, EctFilter } from "../store.js";
import { ok, send } from "./graph.js";
import { listTitle } from "./listSchema.js";
import { cmp, eq, num, type SiteLists } from "./lists.js";
import type { DirectoryCache } from "./directoryCache.js";

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
    await this.lists.upsert("schools", v.id, this.lists.fieldsFor("schools", v.id, { name: v.name.slice(0, 255), abId: v.abId }, v));
    this.cache.put("schools", v);
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
    const fields = this.lists.fieldsFor(
      "people",
      v.id,
      { displayName: v.displayName.slice(0, 255), aadObjectId: v.aadObjectId ?? `none:${v.id}`, schoolId: v.schoolId, abId: v.abId },
      v,
    );
    await this.lists.upsert("people", v.id, fields, () => conflict("Another person already has this Entra object id", { personId: v.id }));
    this.cache.put("people", v);
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
    await this.lists.upsert(
      "ects",
      v.id,
      this.lists.fieldsFor(
        "ects",
        v.id,
        { personId: v.personId, schoolId: v.schoolId, abId: v.abId, mentorId: v.mentorId, inductionTutorId: v.inductionTutorId },
        v,
      ),
    );
    this.cache.put("ects", v);
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
