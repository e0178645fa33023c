/**
 * Roles from the tenant (issue 6): the school's roster, as its induction lead or head keeps it.
 * Who is an ECT, mentor, induction tutor, induction lead or head at the school, and who supports
 * each ECT (mentor, tutor, appropriate body, start date, FTE). Every change is written to the
 * directory audit with field names only, never values.
 *
 * Signing in maps the Entra object id to the roster person; a person the lead added before they
 * ever signed in is matched once by work email / UPN, and the object id is linked then.
 */
import { randomUUID } from "node:crypto";
import {
  DomainError,
  Ect,
  Person,
  conflict,
  ectEndReasonLabels,
  forbidden,
  notFound,
  linkedAbs,
  schoolView,
  signerLabels,
  type AbLinkInput,
  type AbWebhookInput,
  type AppropriateBody,
  type DirectoryAuditEntry,
  type Role,
  type RosterEctEndingInput,
  type RosterEctInput,
  type RosterEctView,
  type RosterPersonInput,
  type RosterPersonLeavingInput,
  type RosterPersonView,
  type RosterView,
  type School,
  type SchoolSettings,
  type SchoolSettingsResponse,
} from "@ectsp/shared";
import { DirectoryVersionConflict, type Store } from "../store/store.js";
import { abView, alertRoutes, ectView, personView, versionOf } from "./rosterViews.js";
import { setSchoolSettings, settingsOf } from "./schoolSettings.js";

export { noteSignIn, resolveTenantCaller, SIGN_IN_RECORD_MS } from "./rosterSignIn.js";
export { ectView, personView } from "./rosterViews.js";

const leads = (p: Person): boolean => (p.roles.includes("induction_lead") || p.roles.includes("head")) && !p.leftOn;

/**
 * What the client said about the version it read: If-Match "v<n>" (a change to that version),
 * "new" (If-None-Match: *, a create only) or nothing (a create; for a record that exists, 428).
 */
export type RosterCondition = number | "new" | undefined;

/** An update sent without the version it was based on: HTTP answers 428 (rosterRoutes.ts). */
export class RosterVersionRequired extends Error {
  constructor(readonly currentVersion: number) {
    super("Send the version you read (If-Match) so a newer change is never overwritten.");
    this.name = "RosterVersionRequired";
  }
}

const invalid = (path: string, code: string, message: string) => new DomainError("validation", message, [{ path, code, message, severity: "error" }]);

/** Ect.parse keeps explicit undefined keys; stores compare JSON, so drop them. */
const dropUndefined = (ect: Ect): Ect => Object.fromEntries(Object.entries(ect).filter(([, v]) => v !== undefined)) as Ect;

const changed = (before: Record<string, unknown> | undefined, after: Record<string, unknown>, fields: string[]): string[] =>
  before ? fields.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f])) : ["created"];

export class RosterService {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  /** The school the caller leads, or a refusal that says who may edit the roster. */
  private async ledSchool(caller: Person): Promise<School> {
    if (!leads(caller) || !caller.schoolId) throw forbidden("Only your school's induction lead or headteacher can change the roster.");
    const school = await this.store.getSchool(caller.schoolId);
    if (!school) throw notFound("Your school");
    return school;
  }

  private async audit(
    caller: Person,
    action: string,
    subjectId: string,
    fields: string[] | { summary: string },
    where: { schoolId?: string; abId?: string },
  ): Promise<void> {
    const entry: DirectoryAuditEntry = {
      id: randomUUID(),
      at: this.now().toISOString(),
      actorId: caller.id,
      actorName: caller.displayName,
      action,
      subjectId,
      summary: !Array.isArray(fields)
        ? fields.summary
        : fields[0] === "created"
          ? "Added to the roster"
          : fields.length
            ? `Changed ${fields.join("; ")}`
            : "No change",
      ...where,
    };
    await this.store.appendDirectoryAudit([entry]);
  }

  /** Leads and heads see their school's whole roster (editable); AB officers the ECTs their AB covers (read only). */
  async view(caller: Person): Promise<RosterView> {
    if (leads(caller) && caller.schoolId) {
      const school = await this.ledSchool(caller);
      const [people, ects] = await Promise.all([this.store.listPeople({ schoolId: school.id }), this.store.listEcts({ schoolId: school.id })]);
      const abIds = [...new Set([...linkedAbs(school), ...ects.map((e) => e.abId)])];
      const abs = (await Promise.all(abIds.map((id) => this.store.getAppropriateBody(id)))).filter((a): a is AppropriateBody => !!a);
      const hooked = new Set((school.alertWebhooks ?? []).map((w) => w.abId));
      return {
        scope: "school",
        editable: true,
        schools: [schoolView(school)],
        appropriateBodies: abs.map((ab) => abView(ab, hooked.has(ab.id))),
        alertRoutes: alertRoutes([school]),
        people: people.map(personView),
        ects: ects.map(ectView),
      };
    }
    if (caller.roles.includes("ab_officer") && caller.abId) {
      const ab = await this.store.getAppropriateBody(caller.abId);
      const ects = await this.store.listEcts({ abId: caller.abId });
      const personIds = [...new Set(ects.flatMap((e) => [e.personId, e.mentorId, e.inductionTutorId].filter((x): x is string => !!x)))];
      // The schools its ECTs are at, and every school that linked this AB in its set-up.
      const linked = (await this.store.listSchools()).filter((s) => linkedAbs(s).includes(caller.abId!));
      const schoolIds = [...new Set([...ects.map((e) => e.schoolId), ...linked.map((s) => s.id)])];
      const [people, found] = await Promise.all([
        Promise.all(personIds.map((id) => this.store.getPerson(id))),
        Promise.all(schoolIds.map((id) => this.store.getSchool(id))),
      ]);
      const schools = found.filter((s): s is School => !!s);
      const routes = alertRoutes(schools, caller.abId);
      return {
        scope: "ab",
        editable: false,
        schools: schools.map(schoolView),
        appropriateBodies: ab ? [abView(ab, routes.length > 0)] : [],
        alertRoutes: routes,
        people: people.filter((p): p is Person => !!p).map(personView),
        ects: ects.map(ectView),
      };
    }
    throw forbidden("Only your school's induction lead or headteacher (or your appropriate body) can see the roster.");
  }

  async auditTrail(caller: Person): Promise<DirectoryAuditEntry[]> {
    const school = await this.ledSchool(caller);
    return this.store.listDirectoryAudit({ schoolId: school.id });
  }

  /**
   * Holds a write to the version the client read: a stale one is refused (409, with the record as
   * it is now and who changed it last), an update without a version is 428, and a create over a
   * record that exists is refused rather than overwriting it.
   */
  private async checkCondition(
    record: "person" | "ect",
    before: Person | Ect | undefined,
    condition: RosterCondition,
    schoolId: string,
  ): Promise<number | null> {
    if (!before) {
      if (typeof condition === "number") throw notFound(record === "person" ? "This person" : "This induction record");
      return null;
    }
    if (condition === undefined) throw new RosterVersionRequired(versionOf(before));
    if (condition === "new" || condition !== versionOf(before)) throw await this.stale(record, before, schoolId);
    return condition;
  }

  /** The 409 for a record someone else changed: who did (from the roster audit), and the record now. */
  private async stale(record: "person" | "ect", current: Person | Ect, schoolId: string): Promise<DomainError> {
    const last = (await this.store.listDirectoryAudit({ schoolId })).filter((e) => e.subjectId === current.id).at(-1);
    const who = last?.actorName ?? "Someone else";
    return conflict(`${who} changed this record while you were editing; reload to see their change.`, {
      currentVersion: versionOf(current),
      ...(last ? { changedBy: last.actorName } : {}),
      current: record === "person" ? personView(current as Person) : ectView(current as Ect),
    });
  }

  /** Writes through the store's conditional write; a writer that came in between gets the same 409. */
  private async savePerson(person: Person, expected: number | null, schoolId: string): Promise<Person> {
    try {
      return await this.store.savePerson(person, expected);
    } catch (e) {
      if (e instanceof DirectoryVersionConflict && e.current) throw await this.stale("person", e.current as Person, schoolId);
      throw e;
    }
  }

  private async saveEct(ect: Ect, expected: number | null, schoolId: string): Promise<Ect> {
    try {
      return await this.store.saveEct(ect, expected);
    } catch (e) {
      if (e instanceof DirectoryVersionConflict && e.current) throw await this.stale("ect", e.current as Ect, schoolId);
      throw e;
    }
  }

  /** Creates or changes a person at the caller's school. Their sign-in link (Entra object id) and times are kept. */
  async putPerson(caller: Person, id: string, input: RosterPersonInput, condition: RosterCondition): Promise<{ person: RosterPersonView; created: boolean }> {
    const school = await this.ledSchool(caller);
    const before = await this.store.getPerson(id);
    if (before && before.schoolId !== school.id) throw forbidden("This person is not on your school's roster.");
    const expected = await this.checkCondition("person", before, condition, school.id);
    const email = input.email.toLowerCase();
    const clash = (await this.store.listPeople()).find((p) => p.id !== id && p.email.toLowerCase() === email);
    if (clash) throw invalid("email", "email-in-use", "Someone else on the roster already has this email address.");
    if (id === caller.id && !input.roles.some((r) => r === "induction_lead" || r === "head")) {
      throw invalid("roles", "cannot-remove-own-lead", "You cannot remove your own induction lead or headteacher role. Ask the head or another lead.");
    }
    const ectRecords = before ? await this.store.listEcts({ personId: id }) : [];
    if (ectRecords.length > 0 && !input.roles.includes("ect"))
      throw invalid("roles", "still-an-ect", "This person has an induction record: keep the ECT role.");
    const { displayName: _n, email: _e, roles: _r, version: _v, ...kept } = before ?? {};
    const person = await this.savePerson(
      Person.parse({ ...kept, id, displayName: input.displayName, email: input.email, roles: [...new Set(input.roles)], schoolId: school.id }),
      expected,
      school.id,
    );
    await this.audit(caller, before ? "roster_person_updated" : "roster_person_added", id, changed(before, person, ["displayName", "email", "roles"]), {
      schoolId: school.id,
    });
    return { person: personView(person), created: !before };
  }

  /** Creates or updates an ECT's induction record: who supports them, their AB, start date and FTE. */
  async putEct(caller: Person, id: string, input: RosterEctInput, condition: RosterCondition): Promise<{ ect: RosterEctView; created: boolean }> {
    const school = await this.ledSchool(caller);
    const before = await this.store.getEct(id);
    if (before && before.schoolId !== school.id) throw forbidden("This ECT is not at your school.");
    const expected = await this.checkCondition("ect", before, condition, school.id);
    if (before?.endedOn) throw new DomainError("invalid_state", "This induction record has ended. Reinstate it to change it.");
    const atSchool = async (personId: string, role: Role, field: string, label: string): Promise<void> => {
      const p = await this.store.getPerson(personId);
      if (!p || p.schoolId !== school.id) throw invalid(field, "not-on-roster", `The ${label} must be on your school's roster.`);
      if (p.leftOn) throw invalid(field, "has-left", `${p.displayName} has left the school, so cannot be the ${label}.`);
      if (!p.roles.includes(role)) throw invalid(field, "missing-role", `${p.displayName} does not have the ${label} role on the roster.`);
    };
    await atSchool(input.personId, "ect", "personId", "ECT");
    if (before && before.personId !== input.personId) throw invalid("personId", "person-fixed", "An induction record stays with its ECT.");
    const others = (await this.store.listEcts({ personId: input.personId })).filter((e) => e.id !== id);
    if (others.length > 0) throw invalid("personId", "already-an-ect", "This person already has an induction record.");
    const mentorId = input.mentorId === undefined ? before?.mentorId : (input.mentorId ?? undefined);
    const tutorId = input.inductionTutorId === undefined ? before?.inductionTutorId : (input.inductionTutorId ?? undefined);
    if (mentorId && mentorId !== before?.mentorId) await atSchool(mentorId, "mentor", "mentorId", "mentor");
    if (tutorId && tutorId !== before?.inductionTutorId) await atSchool(tutorId, "induction_tutor", "inductionTutorId", "induction tutor");
    const track = input.track ?? before?.track ?? "ect";
    const ittSigners = await this.ittSignersFor(school, track, input, before);
    const abId = input.abId ?? before?.abId ?? school.abId;
    if (!(await this.store.getAppropriateBody(abId))) throw invalid("abId", "unknown-ab", "There is no such appropriate body.");
    // Only an AB the school works with: filing an ECT elsewhere would put the school's records (and alerts) in another AB's hands.
    if (!linkedAbs(school).includes(abId)) {
      throw invalid("abId", "ab-not-linked", "Your school does not work with this appropriate body. Link it in your school's set-up first.");
    }
    const parsed = Ect.parse({
      ...(before ?? {}),
      id,
      personId: input.personId,
      schoolId: school.id,
      abId,
      mentorId,
      inductionTutorId: tutorId,
      inductionStartDate: input.inductionStartDate,
      fte: input.fte,
      track,
      ittSigners,
    });
    const ect = await this.saveEct(dropUndefined(parsed), expected, school.id);
    const fieldNames: Record<string, string> = {
      mentorId: "mentor",
      inductionTutorId: "induction tutor",
      abId: "appropriate body",
      inductionStartDate: "start date",
      ittSigners: "ITT signers",
    };
    const fields = changed(before, ect, ["mentorId", "inductionTutorId", "abId", "inductionStartDate", "fte", "track", "ittSigners"]).map(
      (f) => fieldNames[f] ?? f,
    );
    await this.audit(caller, before ? "roster_ect_updated" : "roster_ect_added", id, fields, { schoolId: school.id, abId });
    return { ect: ectView(ect), created: !before };
  }

  /**
   * Ends an ECT's induction record at the school (completed, left, moved), or reinstates it
   * (`ending` null). An ended ECT leaves the live caseload; their plans and records stay as they
   * were, readable by whoever could read them. Audited with the reason's category only.
   */
  async endEct(caller: Person, id: string, ending: RosterEctEndingInput | null, condition: RosterCondition): Promise<{ ect: RosterEctView }> {
    const school = await this.ledSchool(caller);
    const before = await this.store.getEct(id);
    if (!before || before.schoolId !== school.id) throw before ? forbidden("This ECT is not at your school.") : notFound("This induction record");
    const expected = (await this.checkCondition("ect", before, condition, school.id))!;
    const { endedOn: _on, endReason: _why, ...rest } = before;
    let next: Ect;
    if (ending) {
      if (before.endedOn) throw new DomainError("invalid_state", "This induction record has ended already.");
      if (ending.endedOn < before.inductionStartDate) throw invalid("endedOn", "before-start", "The record cannot end before the induction started.");
      next = { ...rest, endedOn: ending.endedOn, endReason: ending.reason };
    } else {
      if (!before.endedOn) throw new DomainError("invalid_state", "This induction record has not ended.");
      const person = await this.store.getPerson(before.personId);
      if (person?.leftOn) throw new DomainError("invalid_state", `${person.displayName} has left the school: reinstate them first.`);
      next = rest;
    }
    const ect = await this.saveEct(next, expected, school.id);
    await this.audit(
      caller,
      ending ? "roster_ect_ended" : "roster_ect_reinstated",
      id,
      { summary: ending ? `Ended the induction record: ${ectEndReasonLabels[ending.reason].toLowerCase()}` : "Reinstated the induction record" },
      { schoolId: school.id, abId: ect.abId },
    );
    return { ect: ectView(ect) };
  }

  /**
   * Records that a person left the school (`leaving` null: reinstates them). From then on they
   * hold no school role: the server refuses them (server.ts), and nobody can name them as a
   * mentor or tutor. Whoever still depends on them is handed on first, so no live ECT is left
   * without support or with a signer who cannot sign.
   */
  async personLeaves(caller: Person, id: string, leaving: RosterPersonLeavingInput | null, condition: RosterCondition): Promise<{ person: RosterPersonView }> {
    const school = await this.ledSchool(caller);
    const before = await this.store.getPerson(id);
    if (!before || before.schoolId !== school.id) throw before ? forbidden("This person is not on your school's roster.") : notFound("This person");
    const expected = (await this.checkCondition("person", before, condition, school.id))!;
    const { leftOn: _left, ...rest } = before;
    if (leaving) {
      if (before.leftOn) throw new DomainError("invalid_state", `${before.displayName} has left already.`);
      if (id === caller.id) throw invalid("leftOn", "cannot-leave-self", "You cannot record yourself as having left. Ask the head or another lead.");
      const live = (await this.store.listEcts({ schoolId: school.id })).filter((e) => !e.endedOn);
      if (live.some((e) => e.personId === id))
        throw invalid("leftOn", "live-induction", `${before.displayName} has an induction record that has not ended: end it first.`);
      const supported = live.filter((e) => e.mentorId === id || e.inductionTutorId === id || Object.values(e.ittSigners ?? {}).includes(id));
      if (supported.length > 0) {
        const names = (await Promise.all(supported.map((e) => this.store.getPerson(e.personId)))).map((p) => p?.displayName ?? "an ECT");
        throw invalid("leftOn", "still-supporting", `${before.displayName} still supports ${names.join(", ")}: choose someone else for them first.`);
      }
    }
    const person = await this.savePerson(leaving ? { ...rest, leftOn: leaving.leftOn } : rest, expected, school.id);
    await this.audit(
      caller,
      leaving ? "roster_person_left" : "roster_person_reinstated",
      id,
      { summary: leaving ? "Recorded as having left the school" : "Reinstated on the roster" },
      {
        schoolId: school.id,
      },
    );
    return { person: personView(person) };
  }

  /**
   * A trainee's ITT provider staff, by the role each signs in (seed 002). Only a trainee (track
   * "itt") has them, and each named person must be on this school's roster as ITT provider
   * staff: naming them lets them read and sign that trainee's plan, nothing more. Left out, the
   * record keeps what it had; an ECT (track "ect") has none.
   */
  private async ittSignersFor(school: School, track: "ect" | "itt", input: RosterEctInput, before: Ect | undefined): Promise<Ect["ittSigners"]> {
    const given = input.ittSigners ?? (track === "itt" ? before?.ittSigners : undefined);
    const named = Object.entries(given ?? {}).filter((e): e is [string, string] => typeof e[1] === "string");
    if (named.length === 0) return undefined;
    if (track !== "itt") {
      throw invalid("ittSigners", "itt-signers-need-itt-track", 'Only a trainee on an ITT course (track "itt") has ITT provider staff who sign their plan.');
    }
    for (const [role, personId] of named) {
      const p = await this.store.getPerson(personId);
      const label = signerLabels[role as keyof typeof signerLabels] ?? role;
      if (!p || p.schoolId !== school.id) {
        throw invalid(`ittSigners.${role}`, "not-on-roster", `The ${label} must be on your school's roster as ITT provider staff.`);
      }
      if (!p.roles.includes("itt_staff")) {
        throw invalid(
          `ittSigners.${role}`,
          "not-itt-staff",
          `${p.displayName} does not have the ITT provider staff role on the roster, so cannot sign as ${label}: add the role first.`,
        );
      }
    }
    return Object.fromEntries(named);
  }

  /**
   * Links the caller's school to an appropriate body it works with, or unlinks it. Audited for the
   * school and the AB, so the AB sees which schools link it. The school's own AB stays linked, and
   * an AB with ECTs still filed under it cannot be unlinked.
   */
  async putAbLink(caller: Person, abId: string, input: AbLinkInput): Promise<{ linked: boolean }> {
    const school = await this.ledSchool(caller);
    if (!(await this.store.getAppropriateBody(abId))) throw notFound("The appropriate body");
    const others = (school.linkedAbIds ?? []).filter((id) => id !== abId);
    if (!input.linked) {
      if (school.abId === abId) throw invalid("linked", "own-ab", "This is your school's appropriate body: it stays linked.");
      if ((await this.store.listEcts({ schoolId: school.id, abId })).length > 0)
        throw invalid("linked", "ects-filed", "ECTs at your school are filed under this appropriate body: move them first.");
    }
    const isLinked = linkedAbs(school).includes(abId);
    if (isLinked === input.linked) return { linked: input.linked };
    const alertWebhooks = (school.alertWebhooks ?? []).filter((w) => input.linked || w.abId !== abId);
    await this.store.upsertSchool({ ...school, linkedAbIds: input.linked ? [...others, abId] : others, alertWebhooks });
    await this.audit(caller, input.linked ? "school_ab_linked" : "school_ab_unlinked", abId, ["appropriate body link"], { schoolId: school.id, abId });
    return { linked: input.linked };
  }

  /** The caller's school's settings (schoolSettings.ts), for its lead or head. */
  async schoolSettings(caller: Person): Promise<SchoolSettingsResponse> {
    if (!leads(caller) || !caller.schoolId) throw forbidden("Only your school's induction lead or headteacher can see its settings.");
    return settingsOf(await this.ledSchool(caller));
  }

  /** Sets the caller's school's settings against the version read (schoolSettings.ts). */
  putSchoolSettings(caller: Person, input: SchoolSettings, condition: RosterCondition): Promise<SchoolSettingsResponse> {
    return setSchoolSettings(this.store, this.now, caller, input, condition);
  }

  /**
   * Sets or removes where the caller's school's alerts for an appropriate body go (a Workflows
   * webhook, for an AB outside the tenant). Held per school and AB: it only ever carries this
   * school's ECTs, so no school can redirect another's alerts.
   */
  async putAbWebhook(caller: Person, abId: string, input: AbWebhookInput): Promise<{ webhookConfigured: boolean }> {
    if (!leads(caller) || !caller.schoolId)
      throw forbidden("Only your school's induction lead or headteacher can set where its alerts to an appropriate body go.");
    const school = await this.ledSchool(caller);
    if (!(await this.store.getAppropriateBody(abId))) throw notFound("The appropriate body");
    if (!linkedAbs(school).includes(abId)) throw forbidden("Your school does not work with this appropriate body: link it in your school's set-up first.");
    const others = (school.alertWebhooks ?? []).filter((w) => w.abId !== abId);
    await this.store.upsertSchool({ ...school, alertWebhooks: input.url ? [...others, { abId, url: input.url }] : others });
    await this.audit(caller, input.url ? "ab_webhook_set" : "ab_webhook_removed", abId, ["alert webhook"], { abId, schoolId: school.id });
    return { webhookConfigured: !!input.url };
  }
}
