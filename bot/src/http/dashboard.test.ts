import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJson, startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";

/**
 * Issue 15 over HTTP: GET /api/ab/dashboard for an AB officer (their AB's schools only) and a
 * head (their school), refused to everyone else; GET /api/ects/:id/journey for whoever may read
 * the ECT's records, refused to an AB officer of another AB. Refusals are problem JSON that say
 * nothing about the ECTs.
 */
let server: RunningServer;
const OTHER_AB = "ab-hillside";
beforeAll(async () => {
  server = await startTestServer();
  // A second appropriate body with one school and one ECT, beside the demo's.
  await server.store.upsertAppropriateBody({ id: OTHER_AB, name: "Hillside Teaching School Hub" });
  await server.store.upsertSchool({ id: "school-hillside", name: "Hillside Secondary", abId: OTHER_AB });
  await server.store.upsertPerson({ id: "person-officer-hill", displayName: "Olu Adeyemi", email: "olu@hill.example", roles: ["ab_officer"], abId: OTHER_AB });
  await server.store.upsertPerson({ id: "person-ect-zoe", displayName: "Zoe Quinn", email: "zoe@hill.example", roles: ["ect"], schoolId: "school-hillside" });
  await server.store.upsertEct({
    id: "ect-zoe",
    personId: "person-ect-zoe",
    schoolId: "school-hillside",
    abId: OTHER_AB,
    inductionStartDate: "2026-09-01",
    fte: 0.6,
    absences: [],
    extensions: [],
    track: "ect",
  });
});
afterAll(async () => {
  await server?.stop();
});

const get = async (personId: string, path: string) => readJson(await (await server.as(personId))(path));
const levels = (row: Record<string, any>) => [row.schoolName, row.ects, row.counts["1"], row.counts["2"], row.counts["3"], row.counts["4"], row.counts.none];

describe("GET /api/ab/dashboard", () => {
  it("gives the AB officer their AB's schools, ECTs by the level of their open plan", async () => {
    const { status, body } = await get(demoIds.abOfficer, "/api/ab/dashboard");
    expect(status).toBe(200);
    expect(body.scope).toBe("appropriate_body");
    expect(body.levelsBySchool.map(levels)).toEqual([
      //  school                   ECTs L1 L2 L3 L4 none
      ["Northgate High School", 1, 0, 1, 0, 0, 0],
      ["Riverside Primary Academy", 6, 1, 1, 0, 1, 3],
    ]);
    expect(JSON.stringify(body)).not.toContain("Hillside");
    // Ben's Level 3 plan was escalated and Daniel's Level 2 closed on track, both this term.
    const autumn = body.terms.find((t: Record<string, any>) => t.term === "Autumn 2026");
    expect(autumn.closed).toMatchObject({ escalated: 1, on_track: 1, continued: 0 });
    expect(body.timeAtLevel.map((l: Record<string, any>) => l.level)).toEqual([1, 2, 3, 4]);
  });

  it("gives the other AB's officer only their own school", async () => {
    const { body } = await get("person-officer-hill", "/api/ab/dashboard");
    expect(body.levelsBySchool.map(levels)).toEqual([["Hillside Secondary", 1, 0, 0, 0, 0, 1]]);
    expect(body.terms).toEqual([]);
  });

  it("gives a head their own school", async () => {
    const { body } = await get(demoIds.otherHead, "/api/ab/dashboard");
    expect(body.scope).toBe("school");
    expect(body.levelsBySchool.map((s: Record<string, any>) => s.schoolName)).toEqual(["Northgate High School"]);
  });

  it.each([
    ["an induction tutor", demoIds.tutorA],
    ["a mentor", demoIds.mentorA],
    ["an ECT", "person-ect-amy"],
  ])("refuses %s with problem JSON that names no one", async (_who, personId) => {
    const { status, type, body } = await get(personId, "/api/ab/dashboard");
    expect(status).toBe(403);
    expect(type).toContain("application/problem+json");
    expect(body.detail).toMatch(/appropriate body officers/);
    expect(JSON.stringify(body)).not.toMatch(/Riverside|Northgate|Amy|Level/);
  });
});

describe("GET /api/ects/:ectId/journey", () => {
  it("gives the covering AB officer the ECT's terms, reviews and plans with their levels", async () => {
    const { status, body } = await get(demoIds.abOfficer, "/api/ects/ect-ben/journey");
    expect(status).toBe(200);
    expect(body).toMatchObject({ ectName: "Ben Okafor", schoolName: "Riverside Primary Academy", totalTerms: 6, stage: "ECT2" });
    expect(body.terms.map((t: Record<string, any>) => t.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(body.plans.map((p: Record<string, any>) => [p.level, p.open, p.outcome ?? null])).toEqual([
      [3, false, "escalated"],
      [4, true, null],
    ]);
    expect(body.reviewPoints.filter((p: Record<string, any>) => p.kind === "formal_assessment")).toHaveLength(2);
  });

  it("gives a part-time ECT's own AB officer six terms over ten school terms", async () => {
    const { status, body } = await get("person-officer-hill", "/api/ects/ect-zoe/journey");
    expect(status).toBe(200);
    expect(body.fte).toBe(0.6);
    expect(body.terms).toHaveLength(6);
    expect(new Set(body.terms.flatMap((t: Record<string, any>) => t.schoolTerms)).size).toBe(10);
  });

  it("lets the ECT's mentor read it (the records rule)", async () => {
    expect((await get(demoIds.mentorA, "/api/ects/ect-amy/journey")).status).toBe(200);
  });

  it.each([
    ["an AB officer of another AB", "person-officer-hill", "ect-ben", /Ben|Okafor|Riverside|level_3|Level/],
    ["an AB officer asking for the other AB's ECT", demoIds.abOfficer, "ect-zoe", /Zoe|Quinn|Hillside/],
    ["an ECT of another school", "person-ect-george", "ect-ben", /Ben|Okafor|Riverside|level_3/],
  ])("refuses %s with problem JSON that leaks nothing", async (_who, personId, ectId, secret) => {
    const { status, type, body } = await get(personId, `/api/ects/${ectId}/journey`);
    expect(status).toBe(403);
    expect(type).toContain("application/problem+json");
    expect(JSON.stringify(body)).not.toMatch(secret);
    expect(body).not.toHaveProperty("terms");
  });

  it("answers 404 for an ECT that does not exist", async () => {
    expect((await get(demoIds.abOfficer, "/api/ects/ect-nobody/journey")).status).toBe(404);
  });
});
