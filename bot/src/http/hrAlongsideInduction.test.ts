import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJson, startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";

/**
 * Issue 16, item 8, over HTTP (the test clock: 27 November 2026): seed 003's HR v ECT Induction
 * table for an ECT, with the school's probation length, for those who may read the ECT's records.
 */
type Json = Record<string, any>;

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const current = (body: Json) => body.columns.filter((c: Json) => c.current).map((c: Json) => c.heading);

describe("HR alongside induction", () => {
  it("shows an ECT1 in the first term of induction under the probation policy, and follows the school's probation length", async () => {
    const tutor = await server.as(demoIds.tutorA);
    const read = await readJson(await tutor("/api/ects/ect-amy/hr-alongside-induction"));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ title: "HR v ECT Induction", probationTerms: 2, thisTerm: { applies: "probation" } });
    expect(current(read.body)).toEqual(["Term 1 of induction"]);
    expect(read.body.rows.map((r: Json) => r.label)).toEqual([
      "Statutory ECT induction",
      "Probation Policy *",
      "Disciplinary incl. conduct",
      "Appraisal",
      "Capability",
    ]);

    // The lead sets a school probation of none: the same term is now under the disciplinary and capability policies.
    const lead = await server.as(demoIds.lead);
    const { etag } = await readJson(await lead("/api/roster/school"));
    expect(
      (await readJson(await lead("/api/roster/school", { method: "PUT", headers: { "if-match": etag! }, body: JSON.stringify({ probationTerms: 0 }) }))).status,
    ).toBe(200);
    const after = await readJson(await tutor("/api/ects/ect-amy/hr-alongside-induction"));
    expect(after.body).toMatchObject({ probationTerms: 0, thisTerm: { applies: "disciplinary_and_capability" } });
    expect(after.body.rows.find((r: Json) => r.policy === "probation").cells.every((c: Json) => c.text === "NO")).toBe(true);
  });

  it("is read by the ECT and their AB; refused to another school's head and to no one signed in; 404 for an unknown ECT", async () => {
    for (const who of ["person-ect-amy", demoIds.abOfficer, demoIds.lead]) {
      expect((await readJson(await (await server.as(who))("/api/ects/ect-amy/hr-alongside-induction"))).status).toBe(200);
    }
    const other = await readJson(await (await server.as(demoIds.otherHead))("/api/ects/ect-amy/hr-alongside-induction"));
    expect(other.status).toBe(403);
    expect(other.body.columns).toBeUndefined();
    expect((await fetch(`${server.url}/api/ects/ect-amy/hr-alongside-induction`)).status).toBe(401);
    expect((await readJson(await (await server.as(demoIds.lead))("/api/ects/ect-nobody/hr-alongside-induction"))).status).toBe(404);
  });
});
