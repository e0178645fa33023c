import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseloadRow, compareCaseloadRows } from "@ectsp/shared";
import { startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";

/**
 * The caseload over HTTP on the demo school (today is 27 November 2026): why each row needs
 * attention, the appropriate body's order across both schools, and what a tutor cannot widen.
 */
type Json = Record<string, any>;

let server: RunningServer;
let rows: Json[];

async function call(personId: string, path: string, init: RequestInit = {}): Promise<Json> {
  const res = await (await server.as(personId))(path, init);
  const body = (await res.json()) as Json;
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} as ${personId}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** A plan written, sent for signature and signed by `signers` (by person id), through the API. */
async function planFor(tutor: string, ectId: string, templateId: string, startDate: string, endDate: string, signers: string[]): Promise<Json> {
  const created = (await call(tutor, "/api/plans", { method: "POST", body: JSON.stringify({ ectId, templateId, content: { startDate, endDate } }) })).plan;
  const content = {
    ...structuredClone(created),
    targets: [{ id: crypto.randomUUID(), standards: ["4a"], text: "Use lesson time productively" }],
  };
  let plan = (
    await call(tutor, `/api/plans/${created.id}`, { method: "PUT", headers: { "if-match": `"v${created.version}"` }, body: JSON.stringify({ content }) })
  ).plan;
  plan = (await call(tutor, `/api/plans/${plan.id}/signature-requests`, { method: "POST", body: "{}" })).plan;
  for (const who of signers)
    plan = (await call(who, `/api/plans/${plan.id}/signatures`, { method: "POST", body: JSON.stringify({ revision: plan.revision }) })).plan;
  return plan;
}

const row = (ectId: string) => rows.find((r) => r.ectId === ectId) as Json;

beforeAll(async () => {
  server = await startTestServer();
  // Erin: a Level 2 plan that ended on 23 November, agreed, never reviewed: the review is overdue.
  await planFor(demoIds.tutorA, "ect-erin", "level_2", "2026-10-12", "2026-11-23", [demoIds.tutorA, "person-ect-erin"]);
  // Daniel: a new Level 2 plan ending on 1 December: the review is due within the week.
  await planFor(demoIds.tutorB, "ect-daniel", "level_2", "2026-10-27", "2026-12-01", [demoIds.tutorB, "person-ect-daniel"]);
  // Farah: the at-risk action plan, signed by her and her tutor, waiting on the head.
  await planFor(demoIds.tutorB, "ect-farah", "at_risk_action", "2026-11-30", "2026-12-28", [demoIds.tutorB, "person-ect-farah"]);
  // Amy: week 2's check-in was due on Monday 23 November and is unanswered; week 3's is not due yet.
  const amyPlan = (await call(demoIds.tutorA, "/api/caseload")).rows.find((r: Json) => r.ectId === "ect-amy").plan.id as string;
  await server.store.openCheckIns(
    [
      { id: "ci-amy-2", planId: amyPlan, ectId: "ect-amy", week: 2, dueOn: "2026-11-23", status: "open" },
      { id: "ci-amy-3", planId: amyPlan, ectId: "ect-amy", week: 3, dueOn: "2026-11-30", status: "open" },
    ],
    [],
    new Date("2026-11-27T10:00:00.000Z"),
  );
  rows = (await call(demoIds.abOfficer, "/api/caseload")).rows;
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe("why a caseload row needs attention", () => {
  it("names the check-in unanswered since its due day, counting only those past due", () => {
    expect(row("ect-amy").attention).toEqual([{ kind: "check_in_unanswered", since: "2026-11-23", count: 1 }]);
  });

  it("says a review is overdue, or due within the week, with its date", () => {
    expect(row("ect-erin").attention).toEqual([{ kind: "review_due", on: "2026-11-23", overdue: true }]);
    expect(row("ect-daniel").attention).toEqual([{ kind: "review_due", on: "2026-12-01", overdue: false }]);
  });

  it("names each signer still to sign, with the day signatures were asked for", () => {
    expect(row("ect-farah").attention).toEqual([
      { kind: "awaiting_signature", role: "head", amendment: false, since: "2026-11-27", signBy: expect.any(String) },
    ]);
  });

  it("says a draft has not been sent for signature", () => {
    expect(row("ect-chloe").attention).toEqual([{ kind: "not_sent_for_signature", amendment: false }]);
    // George's draft at the other school too: the AB reads the same reasons as the school.
    expect(row("ect-george").attention.map((r: Json) => r.kind)).toEqual(["not_sent_for_signature"]);
  });

  it("sends rows the shared schema reads back unchanged", () => {
    for (const r of rows) expect(CaseloadRow.parse(r).attention).toEqual(r.attention);
  });
});

describe("the appropriate body's caseload", () => {
  it("leads with the highest level, then overdue reviews, then name, across both schools", () => {
    expect(rows.map((r) => [r.ectName, r.plan?.status === "closed" ? undefined : r.plan?.level])).toEqual([
      ["Ben Okafor", 4],
      ["Farah Ahmed", 4],
      ["Erin Walsh", 2], // review overdue: first of Level 2
      ["Amy Clarke", 2],
      ["Daniel Hughes", 2],
      ["George Lam", 2],
      ["Chloe Evans", 1],
    ]);
    expect(new Set(rows.map((r) => r.schoolName))).toEqual(new Set(["Riverside Primary Academy", "Northgate High School"]));
    expect(row("ect-george").schoolName).toBe("Northgate High School");
    const parsed = rows.map((r) => CaseloadRow.parse(r));
    expect([...parsed].sort(compareCaseloadRows)).toEqual(parsed);
  });
});

describe("a tutor widening their caseload", () => {
  it("gets only their own ECTs whatever view or school they ask for", async () => {
    const own = (await call(demoIds.tutorA, "/api/caseload")).rows.map((r: Json) => r.ectId).sort();
    expect(own).toEqual(["ect-amy", "ect-ben", "ect-erin"]);
    for (const query of [
      "?view=ab",
      `?abId=${demoIds.ab}`,
      `?schoolId=${demoIds.otherSchool}`,
      `?school=${encodeURIComponent("Northgate High School")}&view=ab`,
    ]) {
      const asked = (await call(demoIds.tutorA, `/api/caseload${query}`)).rows as Json[];
      expect(asked.map((r) => r.ectId).sort(), query).toEqual(own);
      expect(JSON.stringify(asked), query).not.toMatch(/Northgate|George/);
    }
    // Northgate's head (and George's tutor) asks for Riverside: still only Northgate.
    const northgate = (await call(demoIds.otherHead, `/api/caseload?schoolId=${demoIds.school}&view=ab`)).rows as Json[];
    expect(northgate.map((r) => r.ectId)).toEqual(["ect-george"]);
    // The whole-caseload export stays refused to a tutor.
    expect((await (await server.as(demoIds.tutorA))("/api/caseload.csv?view=ab")).status).toBe(403);
  });
});
