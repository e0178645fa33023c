import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";

type Json = Record<string, any>;

let server: RunningServer;
let planId: string;
let targetId: string;
beforeAll(async () => {
  server = await startTestServer();
  const [summary] = await server.store.listPlanSummaries({ ectIds: ["ect-amy"], status: ["active", "agreed"] });
  const plan = await server.store.getPlan(summary!.id);
  planId = plan!.id;
  targetId = plan!.targets[0]!.id;
});
afterAll(async () => {
  await server?.stop();
});

const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"), Buffer.alloc(2000, 0x20), Buffer.from("\n%%EOF\n")]);
const evidenceFiles = () => (existsSync(join(server.dataDir, "evidence")) ? readdirSync(join(server.dataDir, "evidence")) : []);
const upload = (as: (p: string, i?: RequestInit) => Promise<Response>, name: string, body: Buffer, type = "application/pdf") =>
  as(`/api/plans/${planId}/targets/${targetId}/evidence?filename=${encodeURIComponent(name)}`, { method: "POST", body, headers: { "content-type": type } });

const ratings = (ratingId: string, statement = "") =>
  Object.fromEntries(["1", "2", "3", "4", "5", "6", "7", "8", "P2"].map((c) => [c, { ratingId, statement }]));

describe("evidence on targets over HTTP (embedded store)", () => {
  it("uploads, lists, lets the covering AB officer download, refuses an ECT of another school, and audits a soft delete", async () => {
    const tutor = await server.as(demoIds.tutorA);
    const officer = await server.as(demoIds.abOfficer);
    const george = await server.as("person-ect-george");

    const res = await upload(tutor, "../../Lesson obs <Amy>.pdf", pdf);
    expect(res.status).toBe(201);
    const { evidence } = (await res.json()) as Json;
    expect(evidence.fileName).toBe("Lesson obs _Amy_.pdf");
    expect(evidence.kind).toBe("pdf");

    const list = (await (await tutor(`/api/plans/${planId}/targets/${targetId}/evidence`)).json()) as Json;
    expect(list.evidence.map((e: Json) => e.id)).toContain(evidence.id);

    const download = await officer(`/api/evidence/${evidence.id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect(download.headers.get("content-disposition")).toContain('filename="Lesson obs _Amy_.pdf"');
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);

    const refused = await george(`/api/evidence/${evidence.id}`);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect((await george(`/api/plans/${planId}/targets/${targetId}/evidence`)).status).toBe(403);

    const deleted = await tutor(`/api/evidence/${evidence.id}`, { method: "DELETE" });
    expect(deleted.status).toBe(200);
    expect((await officer(`/api/evidence/${evidence.id}`)).status).toBe(404);
    const after = (await (await tutor(`/api/plans/${planId}/evidence`)).json()) as Json;
    expect(after.evidence.map((e: Json) => e.id)).not.toContain(evidence.id);
    // Kept for the record, hidden; both the upload and the delete are in the audit trail, without content.
    expect((await server.store.getEvidence(evidence.id))?.deletedBy).toBe(demoIds.tutorA);
    const actions = (await server.store.listAudit({ planId })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["attachEvidence", "openEvidence", "deleteEvidence"]));
  });

  it("refuses an oversize file and an .exe renamed .pdf with problem JSON, leaving no file and no record", async () => {
    const tutor = await server.as(demoIds.tutorA);
    const before = { files: evidenceFiles().length, rows: (await server.store.listEvidence({ planId, includeDeleted: true })).length };

    const big = await upload(tutor, "big.pdf", Buffer.concat([pdf, Buffer.alloc(10 * 1024 * 1024, 0x20)]));
    expect(big.status).toBe(413);
    expect(((await big.json()) as Json).detail).toContain("10 MB");

    const exe = Buffer.concat([Buffer.from("MZ\x90\x00\x03\x00\x00\x00", "latin1"), Buffer.alloc(500, 0)]);
    const renamed = await upload(tutor, "homework.pdf", exe);
    expect(renamed.status).toBe(422);
    const body = (await renamed.json()) as Json;
    expect(body.violations[0].code).toBe("evidence-type-not-allowed");
    expect(body.detail).toContain("Windows program");

    const mismatch = await upload(tutor, "photo.png", pdf, "image/png");
    expect(mismatch.status).toBe(422);

    expect(evidenceFiles().length).toBe(before.files);
    expect((await server.store.listEvidence({ planId, includeDeleted: true })).length).toBe(before.rows);
  });
});

describe("progress reviews, formal assessments, the AB's view and the CSV", () => {
  it("refuses a cause for concern without a statement (422, nothing written), records reviews, and lists not on track first", async () => {
    const tutorA = await server.as(demoIds.tutorA);
    const tutorB = await server.as(demoIds.tutorB);
    const officer = await server.as(demoIds.abOfficer);
    const targets = [{ text: "Consistent routines at transitions", standards: ["7b"] }];

    const refused = await tutorA("/api/ects/ect-amy/progress-reviews", {
      method: "POST",
      body: JSON.stringify({
        date: "2026-11-27",
        onTrack: false,
        evidenceSummary: "Observations",
        supportPlanId: planId,
        ratings: { ...ratings("secure"), "7": { ratingId: "cause_for_concern", statement: "" } },
        targets,
      }),
    });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as Json).violations.map((v: Json) => v.code)).toContain("rating-needs-statement");
    expect(await server.store.listRecords({ ectIds: ["ect-amy"] })).toEqual([]);

    const amy = await tutorA("/api/ects/ect-amy/progress-reviews", {
      method: "POST",
      body: JSON.stringify({
        date: "2026-11-27",
        onTrack: false,
        evidenceSummary: "Three observations",
        supportPlanId: planId,
        ratings: { ...ratings("secure"), "7": { ratingId: "cause_for_concern", statement: "Behaviour routines are not yet consistent" } },
        targets,
      }),
    });
    expect(amy.status).toBe(201);
    expect(((await amy.json()) as Json).record.due.label).toContain("Progress review");
    const chloe = await tutorB("/api/ects/ect-chloe/progress-reviews", {
      method: "POST",
      body: JSON.stringify({ date: "2026-11-26", onTrack: true, ratings: ratings("strong"), targets }),
    });
    expect(chloe.status).toBe(201);

    const listing = (await (await officer("/api/ab/reviews")).json()) as Json;
    const names = listing.rows.map((r: Json) => r.ectName);
    expect(names[0]).toBe("Amy Clarke");
    expect(names.at(-1)).toBe("Chloe Evans");
    expect(listing.rows).toHaveLength(7);
    expect(listing.rows[0].latest).toMatchObject({ onTrack: false, lowestRating: "Cause for concern" });
    expect((await tutorA("/api/ab/reviews")).status).toBe(403);
    const csv = await (await officer("/api/ab/reviews.csv")).text();
    expect(csv.split("\r\n")[1]).toContain("Amy Clarke");

    const caseload = await (await officer("/api/caseload.csv")).text();
    const amyLine = caseload.split("\r\n").find((l) => l.startsWith("Amy Clarke"))!;
    expect(amyLine).toContain("Lowest: Cause for concern; not on track (progress review, 2026-11-27)");
    const erinLine = caseload.split("\r\n").find((l) => l.startsWith("Erin Walsh"))!;
    expect(erinLine.endsWith(",")).toBe(true);
  });

  it("lets only the head or induction tutor write a formal assessment, never a mentor who is not the tutor", async () => {
    // Ben started a year before Amy: his end-of-year-1 assessment (Summer 2026) is in the past, so it can be recorded today.
    const mentor = await server.as(demoIds.mentorB); // Ben's mentor
    const tutor = await server.as(demoIds.tutorA);
    const body = JSON.stringify({ date: "2026-07-10", number: 1, onTrack: true, ratings: ratings("secure"), targets: [{ text: "Keep going", standards: [] }] });
    const refused = await mentor("/api/ects/ect-ben/formal-assessments", { method: "POST", body });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Json).detail).toContain("never a mentor");
    const ok = await tutor("/api/ects/ect-ben/formal-assessments", { method: "POST", body });
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as Json).record.due.label).toContain("Formal assessment 1");
  });
});

describe("an ECT's private concern", () => {
  it("is visible to the ECT and the induction tutor only, and audited without its content", async () => {
    const amy = await server.as("person-ect-amy");
    const text = "I have not had my PD time for three weeks";
    const raised = await amy("/api/ects/ect-amy/concerns", { method: "POST", body: JSON.stringify({ text }) });
    expect(raised.status).toBe(201);
    const seen = async (personId: string) =>
      ((await (await (await server.as(personId))("/api/ects/ect-amy/concerns")).json()) as Json).concerns?.map((c: Json) => c.text) ?? [];
    expect(await seen("person-ect-amy")).toEqual([text]);
    expect(await seen(demoIds.tutorA)).toEqual([text]);
    expect(await seen(demoIds.head)).toEqual([]);
    expect(await seen(demoIds.mentorA)).toEqual([]);
    expect(await seen(demoIds.abOfficer)).toEqual([]);
    const records = ((await (await (await server.as(demoIds.head))("/api/ects/ect-amy/records")).json()) as Json).records;
    expect(records.some((r: Json) => r.kind === "concern")).toBe(false);
    const audit = (await server.store.listAudit({ ectId: "ect-amy" })).filter((a) => a.action === "raiseConcern");
    expect(audit).toHaveLength(1);
    expect(audit[0]!.summary).not.toContain("PD time");
  });
});
