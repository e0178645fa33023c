/**
 * The roster kept in the tab (issue 15), through the API on a real SQLite file in local mode:
 * versions with If-Match as plans have them (409 stale, 428 missing, no overwrite on create),
 * ending an ECT's record and a person leaving (and reinstating both), who may do any of it, and
 * "Signed in" as the server recorded it. Every refusal reads the records back: nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJson, startTestServer, type Json, type RunningServer } from "../../test-support/testServer.js";
import { testInstant } from "../../test-support/movableClock.js";
import { demoIds } from "../demo/demoSchool.js";

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const send = (method: string, body?: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  headers,
});
const v = (n: number) => ({ "if-match": `"v${n}"` });
const as = async (personId: string, path: string, init: RequestInit = {}) => readJson(await (await server.as(personId))(path, init));

/** What a refused write must leave as it was: the records and the school's roster audit. */
const snapshot = async (personIds: string[], ectIds: string[]) => ({
  people: await Promise.all(personIds.map((id) => server.store.getPerson(id))),
  ects: await Promise.all(ectIds.map((id) => server.store.getEct(id))),
  audit: await server.store.listDirectoryAudit({ schoolId: demoIds.school }),
});

const sam = { displayName: "Sam Patel", email: "sam.patel@demo.school.example", roles: ["mentor"] };
const ectOf = (personId: string, extra: Json = {}) => ({
  personId,
  mentorId: demoIds.mentorA,
  inductionTutorId: demoIds.tutorA,
  inductionStartDate: "2026-09-01",
  fte: 0.8,
  track: "ect",
  ...extra,
});

describe("roster versions (If-Match, as plans)", () => {
  it("creates a person at version 1 and changes them against the version read; GET /api/roster shows versions", async () => {
    const created = await as(demoIds.lead, "/api/roster/people/person-sam", send("PUT", sam));
    expect(created.status).toBe(201);
    expect(created.etag).toBe('"v1"');
    expect(created.body.person).toMatchObject({ id: "person-sam", version: 1, signedIn: false, entraLinked: false });

    const changed = await as(demoIds.lead, "/api/roster/people/person-sam", send("PUT", { ...sam, roles: ["mentor", "induction_tutor"] }, v(1)));
    expect(changed.status).toBe(200);
    expect(changed.etag).toBe('"v2"');
    const roster = await as(demoIds.head, "/api/roster");
    expect(roster.body.people.find((p: Json) => p.id === "person-sam")).toMatchObject({ version: 2, roles: ["mentor", "induction_tutor"] });
    expect(roster.body.ects.every((e: Json) => Number.isInteger(e.version) && e.version >= 1)).toBe(true);
  });

  it("refuses a stale version with 409 naming who changed it and the record now, and writes nothing", async () => {
    const before = await snapshot(["person-sam"], []);
    const stale = await as(demoIds.head, "/api/roster/people/person-sam", send("PUT", { ...sam, displayName: "Samuel Patel" }, v(1)));
    expect(stale.status).toBe(409);
    expect(stale.type).toContain("application/problem+json");
    expect(stale.body).toMatchObject({ currentVersion: 2, changedBy: "Imran Malik", current: { id: "person-sam", version: 2, displayName: "Sam Patel" } });
    expect(stale.body.detail).toBe("Imran Malik changed this record while you were editing; reload to see their change.");
    expect(await snapshot(["person-sam"], [])).toEqual(before);
  });

  it("answers 428 to a change without If-Match, and refuses to create over an existing id, writing nothing", async () => {
    const before = await snapshot(["person-sam", demoIds.mentorA], ["ect-amy"]);
    const missing = await as(demoIds.lead, "/api/roster/people/person-sam", send("PUT", { ...sam, displayName: "Overwritten" }));
    expect(missing.status).toBe(428);
    expect(missing.body.currentVersion).toBe(2);
    const overEct = await as(demoIds.lead, "/api/roster/ects/ect-amy", send("PUT", ectOf("person-ect-amy", { fte: 0.5 })));
    expect(overEct.status).toBe(428);
    const createOnly = await as(demoIds.lead, "/api/roster/people/person-sam", send("PUT", sam, { "if-none-match": "*" }));
    expect(createOnly.status).toBe(409);
    expect(createOnly.body.currentVersion).toBe(2);
    // A malformed version, and a version for a record that does not exist.
    expect((await as(demoIds.lead, "/api/roster/people/person-sam", send("PUT", sam, { "if-match": "2" }))).status).toBe(400);
    expect((await as(demoIds.lead, "/api/roster/people/person-nobody", send("PUT", sam, v(1)))).status).toBe(404);
    expect(await server.store.getPerson("person-nobody")).toBeUndefined();
    expect(await snapshot(["person-sam", demoIds.mentorA], ["ect-amy"])).toEqual(before);
  });

  it("the lead adds an ECT with start, FTE, track, mentor and tutor; it is in the caseload; the head's stale save is refused", async () => {
    expect(
      (await as(demoIds.lead, "/api/roster/people/person-ruby", send("PUT", { displayName: "Ruby Osei", email: "ruby@demo.school.example", roles: ["ect"] })))
        .status,
    ).toBe(201);
    const added = await as(demoIds.lead, "/api/roster/ects/ect-ruby", send("PUT", ectOf("person-ruby", { track: "itt" })));
    expect(added.status).toBe(201);
    expect(added.body.ect).toMatchObject({ version: 1, fte: 0.8, track: "itt", mentorId: demoIds.mentorA, inductionTutorId: demoIds.tutorA, abId: demoIds.ab });
    const rows = (await as(demoIds.lead, "/api/caseload")).body.rows as Json[];
    expect(rows.find((r) => r.ectId === "ect-ruby")).toMatchObject({ ectName: "Ruby Osei" });

    // Both leads read version 1; the lead saves first.
    expect((await as(demoIds.lead, "/api/roster/ects/ect-ruby", send("PUT", ectOf("person-ruby", { track: "itt", fte: 1 }), v(1)))).status).toBe(200);
    const before = await snapshot([], ["ect-ruby"]);
    const second = await as(
      demoIds.head,
      "/api/roster/ects/ect-ruby",
      send("PUT", ectOf("person-ruby", { track: "itt", fte: 0.5, mentorId: demoIds.mentorB }), v(1)),
    );
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ currentVersion: 2, changedBy: "Imran Malik", current: { id: "ect-ruby", fte: 1, mentorId: demoIds.mentorA } });
    expect(await snapshot([], ["ect-ruby"])).toEqual(before);
  });
});

describe("who may change the roster", () => {
  it.each([
    ["tutor", demoIds.tutorA, true],
    ["mentor", demoIds.mentorA, true],
    ["ECT", "person-ect-amy", true],
    ["AB officer", demoIds.abOfficer, true],
    // Another school's head keeps their own roster: only this school's records are out of reach.
    ["other school's head", demoIds.otherHead, false],
  ])("the %s is refused every write to this school's roster, and nothing is written", async (_who, attacker, noRoster) => {
    const before = await snapshot(["person-sam", "person-intruder"], ["ect-amy", "ect-intruder"]);
    const writes: [string, RequestInit][] = [
      ["/api/roster/people/person-sam", send("PUT", { ...sam, roles: ["induction_lead"] }, v(2))],
      ...(noRoster
        ? ([
            ["/api/roster/people/person-intruder", send("PUT", { ...sam, email: "intruder@demo.school.example" })],
            ["/api/roster/ects/ect-intruder", send("PUT", ectOf("person-sam"))],
          ] as [string, RequestInit][])
        : []),
      ["/api/roster/ects/ect-amy", send("PUT", ectOf("person-ect-amy", { fte: 0.1 }), v(1))],
      ["/api/roster/ects/ect-amy/ending", send("PUT", { endedOn: "2026-11-27", reason: "left_school" }, v(1))],
      ["/api/roster/people/person-sam/leaving", send("PUT", { leftOn: "2026-11-27" }, v(2))],
      ["/api/roster/people/person-sam/leaving", send("DELETE", undefined, v(2))],
    ];
    for (const [path, init] of writes) expect((await as(attacker, path, init)).status, `${init.method} ${path}`).toBe(403);
    // Another school's lead cannot file this school's people on their own roster either.
    const filedElsewhere = noRoster ? undefined : await as(attacker, "/api/roster/ects/ect-intruder", send("PUT", ectOf("person-sam")));
    expect(filedElsewhere?.body.violations[0].code).toBe(noRoster ? undefined : "not-on-roster");
    expect(await snapshot(["person-sam", "person-intruder"], ["ect-amy", "ect-intruder"])).toEqual(before);
  });

  it("refuses bad input with 400 problem JSON, and writes nothing", async () => {
    const before = await snapshot(["person-sam"], ["ect-amy"]);
    const bad: [string, RequestInit][] = [
      ["/api/roster/ects/ect-amy", send("PUT", ectOf("person-ect-amy", { fte: 2 }), v(1))],
      ["/api/roster/ects/ect-amy", send("PUT", ectOf("person-ect-amy", { inductionStartDate: "1 Sept" }), v(1))],
      ["/api/roster/ects/ect-amy", send("PUT", ectOf("person-ect-amy", { track: "pgce" }), v(1))],
      ["/api/roster/ects/ect-amy/ending", send("PUT", { endedOn: "2026-11-27", reason: "fired" }, v(1))],
      ["/api/roster/ects/ect-amy/ending", send("PUT", { endedOn: "2026-11-27", reason: "left_school", note: "x" }, v(1))],
      ["/api/roster/people/person-sam/leaving", send("PUT", { leftOn: "yesterday" }, v(2))],
    ];
    for (const [path, init] of bad) {
      const res = await as(demoIds.lead, path, init);
      expect(res.status, `${path} ${typeof init.body === "string" ? init.body : ""}`).toBe(400);
      expect(res.type).toContain("application/problem+json");
    }
    expect(await snapshot(["person-sam"], ["ect-amy"])).toEqual(before);
  });
});

describe("ending an ECT's record, and a person leaving", () => {
  it("an ended ECT leaves the live caseload, their plan stays readable, the record cannot be changed until reinstated", async () => {
    const lead = (await as(demoIds.lead, "/api/caseload")).body.rows as Json[];
    const withPlan = lead.find((r) => r.plan && r.ectId !== "ect-ruby")!;
    const ectId = withPlan.ectId as string;
    const version = (await server.store.getEct(ectId))?.version ?? 1;
    const ended = await as(demoIds.lead, `/api/roster/ects/${ectId}/ending`, send("PUT", { endedOn: "2026-11-27", reason: "moved_school" }, v(version)));
    expect(ended.status).toBe(200);
    expect(ended.body.ect).toMatchObject({ endedOn: "2026-11-27", endReason: "moved_school", version: version + 1 });
    expect(((await as(demoIds.lead, "/api/caseload")).body.rows as Json[]).map((r) => r.ectId)).not.toContain(ectId);
    // Their plan stays readable to those who could read it.
    expect((await as(demoIds.lead, `/api/plans/${withPlan.plan.id}`)).status).toBe(200);

    const before = await snapshot([], [ectId]);
    const ect = (await server.store.getEct(ectId))!;
    const change = await as(demoIds.lead, `/api/roster/ects/${ectId}`, send("PUT", ectOf(ect.personId, { fte: 0.5 }), v(version + 1)));
    expect(change.status).toBe(409);
    expect(change.body.detail).toMatch(/Reinstate it/);
    expect(
      (await as(demoIds.lead, `/api/roster/ects/${ectId}/ending`, send("PUT", { endedOn: "2026-11-27", reason: "left_school" }, v(version + 1)))).status,
    ).toBe(409);
    expect(await snapshot([], [ectId])).toEqual(before);

    const back = await as(demoIds.head, `/api/roster/ects/${ectId}/ending`, send("DELETE", undefined, v(version + 1)));
    expect(back.status).toBe(200);
    expect(back.body.ect.endedOn).toBeUndefined();
    expect(((await as(demoIds.lead, "/api/caseload")).body.rows as Json[]).map((r) => r.ectId)).toContain(ectId);
    const actions = (await server.store.listDirectoryAudit({ schoolId: demoIds.school })).filter((e) => e.subjectId === ectId).map((e) => e.action);
    expect(actions.slice(-2)).toEqual(["roster_ect_ended", "roster_ect_reinstated"]);
  });

  it("a person still supporting a live ECT cannot leave; once they have, they cannot act; the lead reinstates them", async () => {
    // Mentor B supports live ECTs: refused, and nothing written.
    const before = await snapshot([demoIds.mentorB], []);
    const refused = await as(demoIds.lead, `/api/roster/people/${demoIds.mentorB}/leaving`, send("PUT", { leftOn: "2026-11-27" }, v(1)));
    expect(refused.status).toBe(422);
    expect(refused.body.violations[0].code).toBe("still-supporting");
    expect(await snapshot([demoIds.mentorB], [])).toEqual(before);

    // Sam supports nobody. A token Sam holds from before stops working when Sam leaves.
    const samActs = await server.as("person-sam");
    expect((await samActs("/api/me")).status).toBe(200);
    const left = await as(demoIds.lead, "/api/roster/people/person-sam/leaving", send("PUT", { leftOn: "2026-11-27" }, v(2)));
    expect(left.status).toBe(200);
    expect(left.body.person).toMatchObject({ leftOn: "2026-11-27", version: 3 });
    expect((await samActs("/api/me")).status).toBe(403);
    expect((await samActs("/api/caseload")).status).toBe(403);
    await expect(server.as("person-sam")).rejects.toThrow(/403/);
    // Nobody can name someone who has left as a mentor.
    const naming = await as(
      demoIds.lead,
      "/api/roster/ects/ect-ruby",
      send("PUT", ectOf("person-ruby", { track: "itt", fte: 1, mentorId: "person-sam" }), v(2)),
    );
    expect(naming.status).toBe(422);

    const back = await as(demoIds.lead, "/api/roster/people/person-sam/leaving", send("DELETE", undefined, v(3)));
    expect(back.status).toBe(200);
    expect(back.body.person.leftOn).toBeUndefined();
    expect((await samActs("/api/me")).status).toBe(200);
    const actions = (await server.store.listDirectoryAudit({ schoolId: demoIds.school })).filter((e) => e.subjectId === "person-sam").map((e) => e.action);
    expect(actions.slice(-2)).toEqual(["roster_person_left", "roster_person_reinstated"]);
  });
});

describe('"Signed in" shows what happened', () => {
  it("is true with first and last times only for someone who signed in", async () => {
    const fresh = await as(
      demoIds.lead,
      "/api/roster/people/person-nia",
      send("PUT", { displayName: "Nia Rowe", email: "nia@demo.school.example", roles: ["mentor"] }),
    );
    expect(fresh.body.person).toMatchObject({ signedIn: false });
    expect(fresh.body.person.firstSignedInAt).toBeUndefined();
    await server.as("person-nia");
    const nia = ((await as(demoIds.lead, "/api/roster")).body.people as Json[]).find((p) => p.id === "person-nia");
    const at = new Date(testInstant).toISOString();
    // A sign-in is not a roster change: the version stays.
    expect(nia).toMatchObject({ signedIn: true, firstSignedInAt: at, lastSignedInAt: at, version: 1 });
  });
});
