import { describe, expect, it } from "vitest";
import mammoth from "mammoth";
import JSZip from "jszip";
import { PDFParse } from "pdf-parse";
import { signerLabels, standardText, standardsLicence, templateById, templates } from "@ectsp/shared";
import { buildDocument, CONFIDENTIAL_MARK, DRAFT_MARK, renderDocx, renderPdf } from "./index.js";
import { samplePlan } from "../../test-support/samplePlans.js";
import { seedLabelsOf } from "../../test-support/seedLabels.js";
import { formatDateTime } from "./format.js";
import { caseloadCsv, csvCell } from "./csv.js";

/** Compare text as a reader would: case, curly quotes and line wrapping do not matter. */
const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, "");

function missingFrom(text: string, wanted: readonly string[]): string[] {
  const hay = norm(text);
  return wanted.filter((w) => !hay.includes(norm(w)));
}

async function docxText(buf: Buffer): Promise<string> {
  return (await mammoth.extractRawText({ buffer: buf })).value;
}

/** Word's own header parts, and whether the section uses them on every page (a default header, no first-page variant). */
async function docxHeaders(buf: Buffer): Promise<{ headers: string; everyPage: boolean }> {
  const zip = await JSZip.loadAsync(buf);
  const names = Object.keys(zip.files).filter((n) => /^word\/header\d*\.xml$/.test(n));
  const headers = (await Promise.all(names.map((n) => zip.file(n)!.async("string")))).join("\n").replace(/<[^>]+>/g, "");
  const body = await zip.file("word/document.xml")!.async("string");
  return { headers, everyPage: /<w:headerReference w:type="default"/.test(body) && !/<w:titlePg\/>/.test(body) };
}

async function pdfPages(buf: Buffer): Promise<string[]> {
  const parser = new PDFParse({ data: new Uint8Array(buf) });
  try {
    const result = await parser.getText();
    return result.pages.map((p) => p.text);
  } finally {
    await parser.destroy();
  }
}

describe("export of each form as Word and PDF", () => {
  for (const template of templates) {
    it(`${template.name}: every seed label, every value, the standards' wording and the signatures, in Word and PDF`, async () => {
      const { input, values } = samplePlan(template.id);
      const model = buildDocument(input);
      expect(model.draft).toBe(false);
      const [docx, pdf] = await Promise.all([renderDocx(model), renderPdf(model)]);

      const cited = [...new Set([...input.plan.relatedStandards, ...input.plan.targets.flatMap((t) => t.standards)])];
      expect(cited.length).toBeGreaterThan(0);
      const signedAt = formatDateTime(input.plan.signatures[0]?.signedAt);
      const expected = [
        // The seed's labels, read from the seed itself (seedLabels.test.ts checks them word for word).
        ...seedLabelsOf(template.id),
        ...values,
        ...cited.map((c) => standardText(c) ?? `missing wording for ${c}`),
        ...input.plan.signatures.map((s) => `Signed electronically by ${s.name} as ${signerLabels[s.role]}, agreed version 5`),
        signedAt,
        "Version 12 (agreed version 5)",
        "Signed by everyone required on agreed version 5",
        standardsLicence,
      ];

      const word = await docxText(docx);
      expect(missingFrom(word, expected)).toEqual([]);
      expect(word).not.toContain(DRAFT_MARK);
      const { headers, everyPage } = await docxHeaders(docx);
      expect(headers).toContain(CONFIDENTIAL_MARK);
      expect(headers).not.toContain(DRAFT_MARK);
      expect(everyPage).toBe(true);

      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      const pages = await pdfPages(pdf);
      expect(pages.length).toBeGreaterThan(0);
      expect(missingFrom(pages.join("\n"), expected)).toEqual([]);
      for (const page of pages) expect(norm(page)).toContain(norm(CONFIDENTIAL_MARK));
    });
  }

  it("prints the ECT's comment on progress under each of the six weeks", async () => {
    const { input } = samplePlan("level_4");
    const word = await docxText(await renderDocx(buildDocument(input)));
    expect(word.match(/ECTs comment on progress:/g)).toHaveLength(6);
    for (let week = 1; week <= 6; week++) expect(word).toContain(`Week ${week} comment from the ECT`);
  });

  it("marks an unsigned plan as a draft on every page, in Word and PDF, and lists who still has to sign", async () => {
    // Plenty of targets so the document runs to several pages.
    const { input } = samplePlan("level_4", { signed: false, targets: 14, voidedSignature: true });
    const model = buildDocument(input);
    expect(model.draft).toBe(true);
    const [docx, pdf] = await Promise.all([renderDocx(model), renderPdf(model)]);

    const { headers, everyPage } = await docxHeaders(docx);
    expect(headers).toContain(DRAFT_MARK);
    expect(headers).toContain(CONFIDENTIAL_MARK);
    expect(everyPage).toBe(true);
    const word = await docxText(docx);
    expect(word).toContain(DRAFT_MARK);
    expect(word).toContain("Still to sign agreed version 5: Induction tutor (Sarah Thompson); ECT (Zoë O’Neill).");
    expect(word).toContain(
      "Earlier signatures, on earlier versions of this plan (they do not sign agreed version 5): Earlier Signer as Induction tutor on agreed version 3",
    );
    expect(word).toContain("Not yet signed");

    const pages = await pdfPages(pdf);
    expect(pages.length).toBeGreaterThan(2);
    for (const page of pages) {
      expect(norm(page)).toContain(norm(DRAFT_MARK));
      expect(norm(page)).toContain(norm(CONFIDENTIAL_MARK));
      expect(norm(page)).toContain(norm("Plan version 12, agreed version 5"));
    }
  });

  it("a partly signed plan is still a draft; one signed on an older revision too", async () => {
    const { input } = samplePlan("at_risk_action");
    const partly = { ...input, plan: { ...input.plan, signatures: input.plan.signatures.slice(0, 2) } };
    expect(buildDocument(partly).draft).toBe(true);
    expect(
      missingFrom(await docxText(await renderDocx(buildDocument(partly))), ["Still to sign agreed version 5: Headteacher/Principal (Helen Carter)"]),
    ).toEqual([]);
    const edited = { ...input, plan: { ...input.plan, revision: 6 } };
    expect(buildDocument(edited).draft).toBe(true);
  });

  it("keeps the whole of a value longer than a page in the PDF", async () => {
    const { input } = samplePlan("level_2");
    const long = Array.from({ length: 600 }, (_, i) => `word${i}`).join(" ");
    const plan = { ...input.plan, targets: [{ ...input.plan.targets[0]!, text: long }] };
    const pages = await pdfPages(await renderPdf(buildDocument({ ...input, plan })));
    const all = norm(pages.join(" "));
    for (const i of [0, 150, 299, 450, 599]) expect(all).toContain(`word${i}`);
    expect(all.match(/word\d+/g)?.length).toBeGreaterThanOrEqual(600);

    // One unbroken "word" taller than a page (a pasted link, say) is split by characters.
    const unbroken = Array.from({ length: 700 }, (_, i) => `x${String(i).padStart(3, "0")}y`).join("");
    const plan2 = { ...input.plan, targets: [{ ...input.plan.targets[0]!, text: unbroken }] };
    const pages2 = await pdfPages(await renderPdf(buildDocument({ ...input, plan: plan2 })));
    expect(pages2.length).toBeGreaterThan(2);
    expect(norm(pages2.join(" "))).toContain(unbroken);
  });

  it("names the file after the form, the ECT and the version", () => {
    const { input } = samplePlan("level_4");
    expect(buildDocument(input).fileBaseName).toBe("Level-4-Cause-for-concern-Zoe-O-Neill-v12");
    const odd = buildDocument({ ...input, ectName: '../../etc/passwd"; rm -rf' });
    expect(odd.fileBaseName).toMatch(/^[A-Za-z0-9-]+$/);
  });

  it("every template has a layout for each of its sections", () => {
    for (const t of templates) expect(() => buildDocument(samplePlan(t.id).input)).not.toThrow();
    expect(templateById("level_4").sections).toContain("ab_meeting");
  });
});

describe("caseload CSV", () => {
  it("quotes as RFC 4180 asks and makes formulas inert", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", then')).toBe('"say ""hi"", then"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    for (const evil of ['=HYPERLINK("x")', "+1", "-2+3", "@SUM(A1)"]) expect(csvCell(evil).replace(/^"/, "").startsWith("'")).toBe(true);
    expect(csvCell("=1,2")).toBe(`"'=1,2"`);
    const csv = caseloadCsv([
      {
        ectId: "e1",
        ectName: "=cmd|' /C calc'!A0",
        schoolName: "St Mary's, Upper",
        abId: "ab",
        schoolId: "s",
        track: "ect",
        year: "ECT1",
        planCount: 1,
        plan: { id: "p", templateId: "level_4", level: 4, status: "active", nextReviewDate: "2027-01-11", awaitingSignatures: 0, overdueCheckIns: 0 },
      },
    ]);
    const [header, row] = csv.split("\r\n");
    expect(header).toBe("ECT,School,Level,Status,Next review,Last rating");
    expect(row).toBe(`'=cmd|' /C calc'!A0,"St Mary's, Upper",Level 4,Active,2027-01-11,`);
    expect(csv.endsWith("\r\n")).toBe(true);
  });

  it("says a plan sent for signature is awaiting signatures, as everywhere else", () => {
    const row = {
      ectId: "e1",
      ectName: "Amy",
      schoolName: "Riverside",
      abId: "ab",
      schoolId: "s",
      track: "ect" as const,
      year: "ECT1",
      planCount: 1,
      plan: { id: "p", templateId: "level_2" as const, level: 2, status: "awaiting_signatures" as const, awaitingSignatures: 1, overdueCheckIns: 0 },
    };
    expect(caseloadCsv([row]).split("\r\n")[1]).toBe("Amy,Riverside,Level 2,Awaiting signatures,,");
  });
});
