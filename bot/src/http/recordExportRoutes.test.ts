import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import mammoth from "mammoth";
import { PDFParse } from "pdf-parse";
import { defaultRatingScale, digestOf, sealedContentOf, sealOf, type ProgressReviewRecord, type RecordSignature } from "@ectsp/shared";
import { startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";
import { DRAFT_MARK } from "../export/model.js";

type Json = Record<string, any>;
type Fetch = (path: string, init?: RequestInit) => Promise<Response>;

let server: RunningServer;
let tabDir: string;
const TAB_HTML = "<!doctype html><title>The tab</title>";

beforeAll(async () => {
  // A built tab is served, so an unknown /api/ address could fall through to its index.html.
  tabDir = mkdtempSync(join(tmpdir(), "h2-tab-"));
  writeFileSync(join(tabDir, "index.html"), TAB_HTML);
  server = await startTestServer({ env: { TAB_DIST: tabDir } });
});
afterAll(async () => {
  await server?.stop();
  rmSync(tabDir, { recursive: true, force: true });
});

const ratings = (ratingId: string, statement = "") =>
  Object.fromEntries(["1", "2", "3", "4", "5", "6", "7", "8", "P2"].map((c) => [c, { ratingId, statement }]));

async function post(as: Fetch, path: string, body: unknown): Promise<Json> {
  const res = await as(path, { method: "POST", body: JSON.stringify(body) });
  const json = (await res.json()) as Json;
  expect(res.status, JSON.stringify(json)).toBe(201);
  return json.record as Json;
}

async function pdfPages(res: Response): Promise<string[]> {
  const parser = new PDFParse({ data: new Uint8Array(await res.arrayBuffer()) });
  try {
    return (await parser.getText()).pages.map((p) => p.text);
  } finally {
    await parser.destroy();
  }
}
const pdfText = async (res: Response) => (await pdfPages(res)).join("\n");
const squeeze = (s: string) => s.replace(/\s+/g, "").replace(/[\u2018\u2019]/g, "'");
const auditOf = async (ectId: string) =>
  (await server.store.listAudit({ ectId })).filter((e) => e.action === "exportRecord" || e.action === "exportWholeRecord");

/** Ben (ECT2): a review in spring, formal assessment 1 in summer, a review this autumn. */
let spring: Json;
let assessment: Json;
beforeAll(async () => {
  const tutor = await server.as(demoIds.tutorA);
  const targets = [{ text: "Use cold calling in every lesson to check understanding", standards: ["6d"] }];
  spring = await post(tutor, "/api/ects/ect-ben/progress-reviews", {
    date: "2026-03-10",
    onTrack: true,
    evidenceSummary: "Two observations",
    ratings: { ...ratings("secure"), "4": { ratingId: "attention_needed", statement: "Sequencing of the maths unit is not yet secure" } },
    targets,
  });
  assessment = await post(tutor, "/api/ects/ect-ben/formal-assessments", {
    date: "2026-07-10",
    number: 1,
    onTrack: true,
    ratings: ratings("strong"),
    evidenceSummary: "The year's observations",
    targets,
    ectComments: "I would like more time with the SENCo.",
  });
  await post(tutor, "/api/ects/ect-ben/progress-reviews", {
    date: "2026-11-20",
    onTrack: true,
    evidenceSummary: "One observation",
    ratings: ratings("strong"),
    targets,
  });
  // The ECT, tutor and head sign the spring review (as the sign-off route would record it).
  const record = (await server.store.listRecords({ ectIds: ["ect-ben"] })).find((r) => r.id === spring.id) as ProgressReviewRecord;
  const sig = (role: RecordSignature["role"], by: string, name: string, at: string): RecordSignature => ({
    id: `sig-${role}`,
    kind: "record_signature",
    ectId: "ect-ben",
    schoolId: record.schoolId,
    abId: record.abId,
    recordId: record.id,
    role,
    name,
    sealSha256: sealOf(record),
    recordedAt: at,
    recordedBy: by,
    recordedByName: name,
    ...(role === "ect" ? { comments: "I agree with the targets." } : {}),
  });
  await server.store.addRecords(
    [
      sig("ect", "person-ect-ben", "Ben Okafor", "2026-03-11T09:00:00.000Z"),
      sig("induction_tutor", demoIds.tutorA, "Sarah Thompson", "2026-03-11T10:00:00.000Z"),
      sig("head", demoIds.head, "Helen Carter", "2026-03-11T11:00:00.000Z"),
    ],
    [],
  );
});

describe("a progress review or formal assessment downloaded over HTTP", () => {
  it("gives the tutor the signed review as Word and PDF, with the seed's words, the signatures and its digest, and audits each download", async () => {
    const tutor = await server.as(demoIds.tutorA);
    const before = (await auditOf("ect-ben")).length;
    const docx = await tutor(`/api/ects/ect-ben/records/${spring.id}/export.docx`);
    expect(docx.status).toBe(200);
    expect(docx.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(docx.headers.get("content-disposition")).toMatch(/^attachment; filename="Progress-review-\d-Spring-\d{4}-Ben-Okafor-r1\.docx"$/);
    expect(docx.headers.get("cache-control")).toBe("no-store");
    const word = squeeze((await mammoth.extractRawText({ buffer: Buffer.from(await docx.arrayBuffer()) })).value);
    const pdf = await tutor(`/api/ects/ect-ben/records/${spring.id}/export.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const text = squeeze(await pdfText(pdf));
    const stored = (await server.store.listRecords({ ectIds: ["ect-ben"] })).find((r) => r.id === spring.id) as ProgressReviewRecord;
    const attention = defaultRatingScale.levels.find((l) => l.id === "attention_needed")!;
    for (const t of [word, text]) {
      expect(t).toContain(squeeze(`${attention.label}${attention.description}Sequencing of the maths unit is not yet secure`));
      expect(t).toContain(squeeze(defaultRatingScale.levels.find((l) => l.id === "secure")!.description));
      expect(t).toContain(squeeze("Use cold calling in every lesson to check understanding"));
      expect(t).toContain(squeeze("I agree with the targets."));
      expect(t).toContain(squeeze(digestOf(sealedContentOf(stored))));
      expect(t).toContain(squeeze("Revision 1: signed by everyone required"));
      expect(t).not.toContain(squeeze(DRAFT_MARK));
    }
    const audit = await auditOf("ect-ben");
    expect(audit.length).toBe(before + 2);
    expect(audit.slice(-2).map((e) => e.summary)).toEqual([
      `Downloaded progress review (${stored.due!.term}), revision 1, as Word`,
      `Downloaded progress review (${stored.due!.term}), revision 1, as PDF`,
    ]);
    expect(audit.at(-1)).toMatchObject({ actorId: demoIds.tutorA, ectId: "ect-ben" });
    expect(JSON.stringify(audit)).not.toContain("cold calling");
  });

  it("marks an assessment nobody has signed as a draft, and gives it to the AB officer", async () => {
    const res = await (await server.as(demoIds.abOfficer))(`/api/ects/ect-ben/records/${assessment.id}/export.pdf`);
    expect(res.status).toBe(200);
    const text = squeeze(await pdfText(res));
    expect(text).toContain(squeeze(DRAFT_MARK));
    expect(text).toContain(squeeze("Formal assessment 1"));
    expect(text).toContain(squeeze("On track to complete induction?Yes"));
    expect(text).toContain(squeeze("I would like more time with the SENCo."));
  });

  it("refuses other ECTs, other schools and strangers, answers 404 for unknown records, another ECT's and a concern, and records nothing", async () => {
    const before = (await server.store.listAudit({ ectId: "ect-ben" })).length;
    const beforeAmy = (await server.store.listAudit({ ectId: "ect-amy" })).length;
    for (const personId of ["person-ect-george", "person-ect-amy", demoIds.otherHead, demoIds.tutorB, demoIds.mentorA]) {
      const as = await server.as(personId);
      for (const format of ["docx", "pdf"]) {
        const res = await as(`/api/ects/ect-ben/records/${spring.id}/export.${format}`);
        expect(res.status, personId).toBe(403);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
        expect(res.headers.get("content-disposition")).toBeNull();
      }
    }
    expect((await fetch(`${server.url}/api/ects/ect-ben/records/${spring.id}/export.pdf`)).status).toBe(401);

    const tutor = await server.as(demoIds.tutorA);
    const amy = await server.as("person-ect-amy");
    const concern = await post(amy, "/api/ects/ect-amy/concerns", { contact: "induction_tutor", text: "I am not getting my ECF time." });
    for (const path of [
      "/api/ects/ect-ben/records/no-such-record/export.pdf",
      "/api/ects/no-such-ect/records/x/export.pdf",
      // Ben's review under Amy's address, and the other way round.
      `/api/ects/ect-amy/records/${spring.id}/export.docx`,
      `/api/ects/ect-ben/records/${concern.id}/export.pdf`,
      `/api/ects/ect-amy/records/${concern.id}/export.pdf`,
      `/api/ects/ect-ben/records/sig-head/export.pdf`,
    ]) {
      const res = await tutor(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await server.store.listAudit({ ectId: "ect-ben" })).length).toBe(before);
    // Amy's concern wrote its own entry; no download was recorded.
    expect((await server.store.listAudit({ ectId: "ect-amy" })).filter((e) => e.action.startsWith("export")).length).toBe(0);
    expect((await server.store.listAudit({ ectId: "ect-amy" })).length).toBeGreaterThan(beforeAmy);
  });
});

describe("the whole induction record as one PDF", () => {
  it("gives the AB officer, the lead, the head and the ECT every plan, review and assessment in date order after a contents page", async () => {
    const plans = await server.store.listPlanSummaries({ ectIds: ["ect-ben"] });
    expect(plans.length).toBeGreaterThan(0);
    // Evidence on the running plan is listed under its target in the whole record too.
    const running = plans.find((p) => p.status !== "closed")!;
    const tutor = await server.as(demoIds.tutorA);
    const targetId = (((await (await tutor(`/api/plans/${running.id}`)).json()) as Json).plan.targets[0] as Json).id as string;
    const pdfBytes = Buffer.concat([Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"), Buffer.alloc(800, 0x20), Buffer.from("\n%%EOF\n")]);
    const upload = await tutor(`/api/plans/${running.id}/targets/${targetId}/evidence?filename=ben-observation-week3.pdf`, {
      method: "POST",
      headers: { "content-type": "application/pdf" },
      body: pdfBytes,
    });
    expect(upload.status).toBe(201);
    for (const personId of [demoIds.abOfficer, demoIds.lead, demoIds.head, "person-ect-ben"]) {
      const res = await (await server.as(personId))("/api/ects/ect-ben/record.pdf");
      expect(res.status, personId).toBe(200);
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="Induction-record-Ben-Okafor-2026-11-27.pdf"');
      if (personId !== demoIds.abOfficer) continue;
      const pages = (await pdfPages(res)).map(squeeze);
      const text = pages.join("");
      const n = plans.length + 3;
      // Each part starts on a page of its own, after the contents.
      const pageOf = Array.from({ length: n }, (_, i) => pages.findIndex((p) => p.includes(squeeze(`Part ${i + 1} of ${n}:`))));
      expect(pageOf[0]).toBeGreaterThan(0);
      for (let i = 1; i < n; i++) expect(pageOf[i]).toBeGreaterThan(pageOf[i - 1]!);
      // Each part's heading, in the order of the contents.
      const headings = Array.from({ length: n }, (_, i) => text.indexOf(squeeze(`Part ${i + 1} of ${n}:`)));
      expect(headings.every((at) => at > 0)).toBe(true);
      expect([...headings].sort((a, b) => a - b)).toEqual(headings);
      // Spring review, then the assessment, then the autumn review: their dates put them in this order.
      const springAt = text.indexOf(squeeze("Progress review 2 (Spring 2026)"), text.indexOf(squeeze("Part 1 of")));
      const faAt = text.indexOf(squeeze("Formal assessment 1 (end of induction year 1"), text.indexOf(squeeze("Part 1 of")));
      const autumnAt = text.indexOf(squeeze("Progress review 3 (Autumn 2026)"), text.indexOf(squeeze("Part 1 of")));
      expect(springAt).toBeGreaterThan(0);
      expect(faAt).toBeGreaterThan(springAt);
      expect(autumnAt).toBeGreaterThan(faAt);
      // The plan's own form is there, with its certificate.
      expect(text).toContain(squeeze("Level 4 – Cause for Concern"));
      expect(text).toContain(squeeze("Signature certificate"));
      expect(text).toContain(squeeze("ben-observation-week3.pdf"));
      expect(text.indexOf(squeeze("Contents"))).toBeLessThan(headings[0]!);
    }
    const audit = (await auditOf("ect-ben")).filter((e) => e.action === "exportWholeRecord");
    expect(audit.map((e) => e.actorId)).toEqual([demoIds.abOfficer, demoIds.lead, demoIds.head, "person-ect-ben"]);
    expect(audit[0]!.summary).toBe(`Downloaded the whole induction record as PDF (${plans.length} support plan(s), 3 review(s) and assessment(s))`);
  });

  it("refuses the mentor, the tutor on their own, other ECTs, other schools and strangers, and records nothing", async () => {
    const before = (await server.store.listAudit({ ectId: "ect-ben" })).length;
    for (const personId of [demoIds.mentorB, demoIds.tutorA, demoIds.tutorB, "person-ect-amy", "person-ect-george", demoIds.otherHead]) {
      const res = await (await server.as(personId))("/api/ects/ect-ben/record.pdf");
      expect(res.status, personId).toBe(403);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await fetch(`${server.url}/api/ects/ect-ben/record.pdf`)).status).toBe(401);
    expect((await (await server.as(demoIds.abOfficer))("/api/ects/no-such-ect/record.pdf")).status).toBe(404);
    expect((await server.store.listAudit({ ectId: "ect-ben" })).length).toBe(before);
  });
});

describe("made-up export addresses", () => {
  it("answer 404 problem JSON, never the tab's page, signed in or not", async () => {
    const tutor = await server.as(demoIds.tutorA);
    // The tab is served: a page address still gets it.
    expect(await (await tutor("/ects/ect-ben/records")).text()).toBe(TAB_HTML);
    for (const path of [
      "/api/plans/x/export.odt",
      `/api/ects/ect-ben/records/${spring.id}/export.xls`,
      "/api/ects/ect-ben/records/x/export",
      "/api/ects/ect-ben/record.docx",
      "/api/ects/ect-ben/export.pdf",
      "/api/caseload.xlsx",
      "/api/no-such-thing",
    ]) {
      const res = await tutor(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toContain("application/problem+json");
      expect(await res.text()).not.toContain("<title>The tab</title>");
      const anonymous = await fetch(`${server.url}${path}`);
      expect([401, 404], path).toContain(anonymous.status);
      expect(anonymous.headers.get("content-type")).toContain("application/problem+json");
    }
  });
});
