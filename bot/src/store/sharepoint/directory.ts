/** The directory port on SharePoint: appropriate bodies, schools, people, ECTs and the roster's own audit. */
import { AppropriateBody, DirectoryAuditEntry, Ect, Person, School, conflict } from "@ectsp/shared";
import type { DirectoryStore, EctFilter } from "../store.js";
import { ok, send } from "./graph.js";
import { listTitle } from "./listSchema.js";
import { cmp, eq, num, type SiteLists } from "./lists.js";

export class SharePointDirectory implements DirectoryStore {
  constructor(private readonly lists: SiteLists) {}

  async upsertAppropriateBody(ab: AppropriateBody): Promise<void> {
    const v = AppropriateBody.parse(ab);
    await this.lists.upsert("appropriateBodies", v.id, this.lists.fieldsFor("appropriateBodies", v.id, { name: v.name.slice(0, 255) }, v));
  }

  async getAppropriateBody(id: string): Promise<AppropriateBody | undefined> {
    return this.lists.getRecord("appropriateBodies", id, AppropriateBody);
  }

  async upsertSchool(school: School): Promise<void> {
    const v = School.parse(school);
    await this.lists.upsert("schools", v.id, this.lists.fieldsFor("schools", v.id, { name: v.name.slice(0, 255), abId: v.abId }, v));
  }

  async getSchool(id: string): Promise<School | undefined> {
    return this.lists.getRecord("schools", id, School);
  }

  async listSchools(): Promise<School[]> {
    const items = await this.lists.query("schools");
    return items.map((i) => School.parse(this.lists.bodyOf("schools", i.fields))).sort((a, b) => cmp(a.name, b.name) || cmp(a.id, b.id));
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
  }

  async getPerson(id: string): Promise<Person | undefined> {
    return this.lists.getRecord("people", id, Person);
  }

  async getPersonByAadObjectId(aadObjectId: string): Promise<Person | undefined> {
    if (aadObjectId.startsWith("none:")) return undefined;
    const [item] = await this.lists.query("people", eq("aadObjectId", aadObjectId));
    return item ? Person.parse(this.lists.bodyOf("people", item.fields)) : undefined;
  }

  async listPeople(filter: { schoolId?: string; abId?: string } = {}): Promise<Person[]> {
    const where: string[] = [];
    if (filter.schoolId !== undefined) where.push(eq("schoolId", filter.schoolId));
    if (filter.abId !== undefined) where.push(eq("abId", filter.abId));
    const items = await this.lists.query("people", where.join(" and ") || undefined);
    return items.map((i) => Person.parse(this.lists.bodyOf("people", i.fields))).sort((a, b) => cmp(a.displayName, b.displayName) || cmp(a.id, b.id));
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
  }

  async getEct(id: string): Promise<Ect | undefined> {
    return this.lists.getRecord("ects", id, Ect);
  }

  async listEcts(filter: EctFilter = {}): Promise<Ect[]> {
    const where: string[] = [];
    for (const k of ["schoolId", "abId", "mentorId", "inductionTutorId", "personId"] as const) {
      const v = filter[k];
      if (v !== undefined) where.push(eq(k, v));
    }
    const items = await this.lists.query("ects", where.join(" and ") || undefined);
    return items.map((i) => Ect.parse(this.lists.bodyOf("ects", i.fields))).sort((a, b) => cmp(a.id, b.id));
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
