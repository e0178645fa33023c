import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJson, startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";

/**
 * The school's settings over HTTP: its induction lead or head sets the ITT provider name and the
 * probation length against the version read; everyone else is refused and nothing changes.
 */
type Json = Record<string, any>;

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const put = (body: unknown, ifMatch?: string): RequestInit => ({
  method: "PUT",
  body: JSON.stringify(body),
  ...(ifMatch ? { headers: { "if-match": ifMatch } } : {}),
});

/** What a refused write must leave as it was: the school as stored and the directory audit. */
const schoolRecord = async (schoolId: string) => ({
  school: await server.store.getSchool(schoolId),
  audit: await server.store.listDirectoryAudit({ schoolId }),
});

describe("the school's settings", () => {
  it("are read by the lead with their version; a school without a probation length has seed 003's two terms", async () => {
    const lead = await server.as(demoIds.lead);
    const read = await readJson(await lead("/api/roster/school"));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ schoolId: demoIds.school, settings: { probationTerms: 2 } });
    expect(read.etag).toBe(`"v${read.body.version}"`);
  });

  it("are set by the lead against the version read, audited by field name only, and a second write on the old version is a 409", async () => {
    const lead = await server.as(demoIds.lead);
    const { body: before, etag } = await readJson(await lead("/api/roster/school"));
    const saved = await readJson(await lead("/api/roster/school", put({ ittProviderName: "  MID-ESSEX ITT ", probationTerms: 3 }, etag!)));
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ schoolId: demoIds.school, version: before.version + 1, settings: { ittProviderName: "MID-ESSEX ITT", probationTerms: 3 } });
    expect(saved.etag).toBe(`"v${before.version + 1}"`);
    expect(await server.store.getSchool(demoIds.school)).toMatchObject({ ittProviderName: "MID-ESSEX ITT", probationTerms: 3 });
    const audit = (await server.store.listDirectoryAudit({ schoolId: demoIds.school })).at(-1)!;
    expect(audit).toMatchObject({ action: "school_settings_changed", actorId: demoIds.lead, subjectId: demoIds.school });
    expect(audit.summary).toBe("Changed ITT provider name; probation length");
    expect(audit.summary).not.toContain("MID-ESSEX");

    // The head, holding the version read before the lead's save, is told who changed it; nothing of theirs lands.
    const head = await server.as(demoIds.head);
    const kept = await schoolRecord(demoIds.school);
    const stale = await readJson(await head("/api/roster/school", put({ probationTerms: 4 }, etag!)));
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ currentVersion: before.version + 1, changedBy: "Imran Malik", current: { settings: { probationTerms: 3 } } });
    expect(await schoolRecord(demoIds.school)).toEqual(kept);

    // On the current version the head may clear the provider name (an empty name names none).
    const cleared = await readJson(await head("/api/roster/school", put({ ittProviderName: "", probationTerms: 3 }, saved.etag!)));
    expect(cleared.status).toBe(200);
    expect(cleared.body.settings).toEqual({ probationTerms: 3 });
    expect((await server.store.getSchool(demoIds.school))?.ittProviderName).toBeUndefined();
  });

  it("refuses a write without a version (428), a bad version header, and bad values (400 naming the field), changing nothing", async () => {
    const lead = await server.as(demoIds.lead);
    const kept = await schoolRecord(demoIds.school);
    const { etag } = await readJson(await lead("/api/roster/school"));
    const noVersion = await readJson(await lead("/api/roster/school", put({ probationTerms: 2 })));
    expect(noVersion.status).toBe(428);
    expect(noVersion.body.currentVersion).toBe(kept.school!.version);
    expect((await readJson(await lead("/api/roster/school", put({ probationTerms: 2 }, "v1")))).status).toBe(400);
    for (const [body, path] of [
      [{ probationTerms: 7 }, "probationTerms"],
      [{ probationTerms: 1.5 }, "probationTerms"],
      [{ probationTerms: -1 }, "probationTerms"],
      [{}, "probationTerms"],
      [{ probationTerms: 2, ittProviderName: "x".repeat(201) }, "ittProviderName"],
      [{ probationTerms: 2, schoolId: demoIds.otherSchool }, ""],
    ] as const) {
      const bad = await readJson(await lead("/api/roster/school", put(body, etag!)));
      expect(bad.status).toBe(400);
      expect(bad.body.violations.map((v: Json) => v.path)).toContain(path);
    }
    expect(await schoolRecord(demoIds.school)).toEqual(kept);
  });

  it("refuses tutors, mentors, ECTs and AB officers, and changes only the caller's own school", async () => {
    const { etag } = await readJson(await (await server.as(demoIds.lead))("/api/roster/school"));
    const kept = await schoolRecord(demoIds.school);
    const otherKept = await schoolRecord(demoIds.otherSchool);
    for (const who of [demoIds.tutorA, demoIds.mentorA, "person-ect-amy", demoIds.abOfficer]) {
      const as = await server.as(who);
      expect((await readJson(await as("/api/roster/school", put({ probationTerms: 5 }, etag!)))).status).toBe(403);
      expect((await readJson(await as("/api/roster/school"))).status).toBe(403);
    }
    // Another school's head sets their own school's settings, never this one's.
    const otherHead = await server.as(demoIds.otherHead);
    const theirs = await readJson(await otherHead("/api/roster/school"));
    expect(theirs.body.schoolId).toBe(demoIds.otherSchool);
    const set = await readJson(await otherHead("/api/roster/school", put({ probationTerms: 1 }, theirs.etag!)));
    expect(set.status).toBe(200);
    expect(await schoolRecord(demoIds.school)).toEqual(kept);
    expect((await server.store.getSchool(demoIds.otherSchool))?.probationTerms).toBe(1);
    expect(otherKept.school?.probationTerms).toBeUndefined();

    // Not signed in.
    expect((await fetch(`${server.url}/api/roster/school`, put({ probationTerms: 5 }, etag!))).status).toBe(401);
    expect(await schoolRecord(demoIds.school)).toEqual(kept);
  });
});
