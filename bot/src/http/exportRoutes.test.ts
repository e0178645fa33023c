import { afterAll, beforeAll, describe, expect, it } from "vitest";
import mammoth from "mammoth";
import { startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";
import { DRAFT_MARK } from "../export/model.js";
import { formatDateTime } from "../export/format.js";

type Json = Record<string, any>;

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

/** RFC 4180: fields may be quoted, quotes doubled, records end with CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += ch;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

async function planIdOf(ectId: string): Promise<string> {
  const tutor = await server.as(demoIds.tutorA);
  const rows = ((await (await tutor("/api/caseload")).json()) as Json).rows as Json[];
  return rows.find((r) => r.ectId === ectId)!.plan.id as string;
}

const ectName = async (ectId: string) => (await server.store.getPerson((await server.store.getEct(ectId))!.personId))!.displayName;

describe("plan export over HTTP", () => {
  it("prints the plan's audit trail head on the certificate, so the printed copy anchors the trail", async () => {
    const tutor = await server.as(demoIds.tutorA);
    const planId = await planIdOf("ect-amy");
    const trail = ((await (await tutor(`/api/plans/${planId}/audit`)).json()) as Json).entries as Json[];
    const last = trail.reduce((a, b) => (b.seq > a.seq ? b : a));
    const docx = await tutor(`/api/plans/${planId}/export.docx`);
    const text = (await mammoth.extractRawText({ buffer: Buffer.from(await docx.arrayBuffer()) })).value;
    expect(text).toContain(`${last.seq} entries; the last entry's SHA-256 is ${last.hash}`);
    // The download itself is the next entry, chained to the one printed.
    const after = ((await (await tutor(`/api/plans/${planId}/audit`)).json()) as Json).entries as Json[];
    expect(after.find((e) => e.seq === last.seq + 1)).toMatchObject({ action: "exportPlan", prevHash: last.hash });
  });

  it("lets the tutor download a plan as Word and as PDF, and audits each download without content", async () => {
    const tutor = await server.as(demoIds.tutorA);
    const planId = await planIdOf("ect-ben");
    const before = ((await (await tutor(`/api/plans/${planId}`)).json()) as Json).plan;
    expect(before.level).toBe(4);

    const docx = await tutor(`/api/plans/${planId}/export.docx`);
    expect(docx.status).toBe(200);
    expect(docx.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(docx.headers.get("content-disposition")).toBe(`attachment; filename="Level-4-Cause-for-concern-Ben-Okafor-v${before.version}.docx"`);
    expect(docx.headers.get("cache-control")).toBe("no-store");
    const body = Buffer.from(await docx.arrayBuffer());
    expect(body.subarray(0, 2).toString("latin1")).toBe("PK");
    const text = (await mammoth.extractRawText({ buffer: body })).value;
    expect(text).toContain("Level 4 – Cause for Concern");
    expect(text).toContain("Ben Okafor");
    expect(text).toContain("Riverside Primary Academy");
    expect(text).toContain(`Version ${before.version} (agreed version ${before.revision})`);
    expect(text).toContain(before.targets[0].text);
    // Ben's Level 4 plan has not been signed yet.
    expect(text).toContain(DRAFT_MARK);

    const pdf = await tutor(`/api/plans/${planId}/export.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdf.headers.get("content-disposition")).toBe(`attachment; filename="Level-4-Cause-for-concern-Ben-Okafor-v${before.version}.pdf"`);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString("latin1"),
    ).toBe("%PDF-");

    // Downloading changes nothing on the plan, and the audit trail records who took which version.
    const after = ((await (await tutor(`/api/plans/${planId}`)).json()) as Json).plan;
    expect(after.version).toBe(before.version);
    const audit = ((await (await tutor(`/api/plans/${planId}/audit`)).json()) as Json).entries as Json[];
    const exports = audit.filter((e) => e.action === "exportPlan");
    expect(exports.map((e) => e.summary)).toEqual([
      `Downloaded as Word (version ${before.version}, agreed version ${before.revision})`,
      `Downloaded as PDF (version ${before.version}, agreed version ${before.revision})`,
    ]);
    expect(exports[0]).toMatchObject({ actorId: demoIds.tutorA, planId, ectId: "ect-ben" });
    expect(JSON.stringify(exports)).not.toContain(before.targets[0].text);
  });

  it("lists the evidence attached to each target under it, with who added it and when; a deleted file is not listed", async () => {
    const tutor = await server.as(demoIds.tutorA);
    const planId = await planIdOf("ect-ben");
    const plan = ((await (await tutor(`/api/plans/${planId}`)).json()) as Json).plan;
    const pdfBytes = Buffer.concat([Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"), Buffer.alloc(800, 0x20), Buffer.from("\n%%EOF\n")]);
    const upload = async (targetId: string, filename: string) => {
      const res = await tutor(`/api/plans/${planId}/targets/${targetId}/evidence?filename=${filename}`, {
        method: "POST",
        headers: { "content-type": "application/pdf" },
        body: pdfBytes,
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as Json).evidence as Json;
    };
    const kept = await upload(plan.targets[0].id, "lesson-obs-week2.pdf");
    const gone = await upload(plan.targets[0].id, "uploaded-by-mistake.pdf");
    expect((await tutor(`/api/evidence/${gone.id}`, { method: "DELETE" })).status).toBeLessThan(300);
    const [stored] = await server.store.listEvidence({ planId, targetId: plan.targets[0].id });

    const docx = await tutor(`/api/plans/${planId}/export.docx`);
    const text = (await mammoth.extractRawText({ buffer: Buffer.from(await docx.arrayBuffer()) })).value;
    const line = `Evidence: ${kept.fileName} — added by ${stored!.uploadedByName}, ${formatDateTime(stored!.uploadedAt)}`;
    expect(stored!.uploadedByName).not.toBe("");
    expect(text).toContain(line);
    expect(text).not.toContain("uploaded-by-mistake");
    // Under its own target: after the first target's text, before the second's.
    expect(text.indexOf(plan.targets[0].text)).toBeLessThan(text.indexOf(line));
    expect(plan.targets.length).toBeGreaterThan(1);
    expect(text.indexOf(line)).toBeLessThan(text.indexOf(plan.targets[1].text));
  });

  it("refuses an ECT of another school, and another ECT of the same school, and records nothing", async () => {
    const planId = await planIdOf("ect-ben");
    const auditBefore = (await server.store.listAudit({ planId })).length;
    for (const personId of ["person-ect-george", "person-ect-amy"]) {
      const other = await server.as(personId);
      for (const format of ["docx", "pdf"]) {
        const res = await other(`/api/plans/${planId}/export.${format}`);
        expect(res.status).toBe(403);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
        expect(res.headers.get("content-disposition")).toBeNull();
      }
    }
    expect((await fetch(`${server.url}/api/plans/${planId}/export.pdf`)).status).toBe(401);
    expect((await (await server.as(demoIds.tutorA))(`/api/plans/no-such-plan/export.docx`)).status).toBe(404);
    expect((await server.store.listAudit({ planId })).length).toBe(auditBefore);
  });

  it("lets the AB officer covering the ECT download the plan", async () => {
    const ab = await server.as(demoIds.abOfficer);
    const res = await ab(`/api/plans/${await planIdOf("ect-amy")}/export.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="Level-2-Support-plan-1-Amy-Clarke-v\d+\.pdf"$/);
  });
});

describe("caseload CSV over HTTP", () => {
  const header = ["ECT", "School", "Level", "Status", "Next review", "Last rating"];

  it("gives the AB officer exactly the ECTs the AB covers, across both schools", async () => {
    const ab = await server.as(demoIds.abOfficer);
    const res = await ab("/api/caseload.csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="caseload-appropriate-body-2026-11-27.csv"');
    const text = await res.text();
    expect(text.endsWith("\r\n")).toBe(true);
    const [head, ...rows] = parseCsv(text);
    expect(head).toEqual(header);
    const expected = await Promise.all(demoIds.ects.map(ectName));
    expect(rows.map((r) => r[0]).sort()).toEqual([...expected].sort());
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(["Riverside Primary Academy", "Northgate High School"]));
    for (const r of rows) expect(r).toHaveLength(header.length);

    const ben = rows.find((r) => r[0] === "Ben Okafor")!;
    expect(ben.slice(1, 4)).toEqual(["Riverside Primary Academy", "Level 4", "Draft"]);
    expect(ben[5]).toBe("");
    const daniel = rows.find((r) => r[0] === "Daniel Hughes")!;
    expect(daniel.slice(2, 5)).toEqual(["Level 2", "Closed", ""]);
    const amy = rows.find((r) => r[0] === "Amy Clarke")!;
    expect(amy[4]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const farah = rows.find((r) => r[0] === "Farah Ahmed")!;
    expect(farah.slice(2, 4)).toEqual(["", "No plan"]);
  });

  it("gives a head only their own school, and refuses tutors and ECTs", async () => {
    const head = await server.as(demoIds.head);
    const rows = parseCsv(await (await head("/api/caseload.csv")).text()).slice(1);
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(["Riverside Primary Academy"]));
    expect(rows.map((r) => r[0])).not.toContain("George Lam");

    const lead = await server.as(demoIds.lead);
    expect(parseCsv(await (await lead("/api/caseload.csv")).text()).slice(1)).toHaveLength(6);

    const otherHead = await server.as(demoIds.otherHead);
    expect(
      parseCsv(await (await otherHead("/api/caseload.csv")).text())
        .slice(1)
        .map((r) => r[0]),
    ).toEqual(["George Lam"]);

    for (const personId of [demoIds.tutorA, demoIds.mentorA, "person-ect-amy"]) {
      const res = await (await server.as(personId))("/api/caseload.csv");
      expect(res.status).toBe(403);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await fetch(`${server.url}/api/caseload.csv`)).status).toBe(401);
  });
});
