import { describe, expect, it } from "vitest";
import mammoth from "mammoth";
import { PDFParse } from "pdf-parse";
import { PlanContent, templates, type EctContext, type EvidenceRecord, type TemplateId } from "@ectsp/shared";
import { buildDocument, exportInputFrom, renderDocx, renderPdf, type ExportInput } from "./index.js";
import { formBlocks } from "./layouts/index.js";
import type { Block } from "./model.js";
import { formatDateTime } from "./format.js";
import { samplePlan } from "../../test-support/samplePlans.js";
import { seedIttProviderName, seedLabelsOf } from "../../test-support/seedLabels.js";

/** Whitespace and line wrapping are all that is normalised: quotes, dashes and case are compared as printed. */
const squash = (s: string) => s.replace(/\s+/g, " ").trim();

async function wordLines(input: ExportInput): Promise<string[]> {
  const text = (await mammoth.extractRawText({ buffer: await renderDocx(buildDocument(input)) })).value;
  return text.split("\n").map(squash).filter(Boolean);
}

async function pdfText(input: ExportInput): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(await renderPdf(buildDocument(input))) });
  try {
    return (await parser.getText()).pages.map((p) => p.text).join("\n");
  } finally {
    await parser.destroy();
  }
}

const count = <T>(xs: readonly T[], x: T) => xs.filter((y) => y === x).length;

/**
 * Labels the Word text lacks: each must be a paragraph of its own (a heading, a cell) or open one
 * ("ECTs comment on progress: …"), as many times as the seed prints it.
 */
function missingInWord(lines: string[], labels: string[]): string[] {
  return [...new Set(labels)].flatMap((label) => {
    const want = squash(label);
    const found = lines.filter((l) => l === want || l.startsWith(`${want} `)).length;
    return found >= count(labels, label) ? [] : [`${label} (×${count(labels, label)}, found ${found})`];
  });
}

/** Labels the PDF text lacks, compared without the spaces and line breaks its layout puts in. */
function missingInPdf(text: string, labels: string[]): string[] {
  const hay = text.replace(/\s+/g, "");
  return [...new Set(labels)].flatMap((label) => {
    const want = label.replace(/\s+/g, "");
    const found = hay.split(want).length - 1;
    return found >= count(labels, label) ? [] : [`${label} (×${count(labels, label)}, found ${found})`];
  });
}

/** The plan as a new form, nothing filled in yet, nobody signed. */
function blank(templateId: TemplateId): ExportInput {
  const { input } = samplePlan(templateId, { signed: false });
  const { review: _review, ...plan } = input.plan;
  return { ...input, mentorName: "", plan: { ...plan, ...PlanContent.parse({}), signatures: [], status: "draft" } };
}

describe("every printed label of each seed form, word for word, in its Word and PDF export", () => {
  for (const template of templates) {
    const labels = seedLabelsOf(template.id);
    for (const [state, input] of [
      ["filled in and signed", samplePlan(template.id).input],
      ["not filled in yet", blank(template.id)],
    ] as const) {
      it(`${template.name} (seed ${template.seed}), ${state}: all ${labels.length} labels`, async () => {
        expect(labels.length).toBeGreaterThan(4);
        expect(missingInWord(await wordLines(input), labels)).toEqual([]);
        expect(missingInPdf(await pdfText(input), labels)).toEqual([]);
      });
    }
  }

  it("prints the on-track answer given, and both choices, as on paper, while none is", async () => {
    const after = (lines: string[]) => lines[lines.indexOf("Is the ECT on track at end date?") + 1];
    expect(after(await wordLines(samplePlan("level_2").input))).toBe("No");
    expect(after(await wordLines(blank("level_2")))).toBe("Yes / No");
  });

  it("keeps the seed's own characters: curly apostrophes where it has them, straight where it has them, its capitals", async () => {
    const l1 = await wordLines(samplePlan("level_1").input);
    expect(l1).toContain("Related Teachers’ Standards:");
    expect(l1).not.toContain("Related Teachers' Standards:");
    const at001 = await wordLines(samplePlan("at_risk_action").input);
    expect(at001).toContain("** Please use exact text from areas of the Teachers' Standards");
    const itt = await wordLines(samplePlan("itt_early_support").input);
    for (const label of ["Success Criteria", "Specific Task(s)", "Time Scale"]) expect(itt).toContain(label);
  });
});

/** Every fixed text a form's blocks print: headings, paragraphs, field labels, column headings, cell labels and row headings. */
function printedLabels(blocks: Block[]): string[] {
  return blocks.flatMap((b) => {
    switch (b.kind) {
      case "heading":
      case "paragraph":
        return [b.text];
      case "fields":
        return b.rows.map((r) => r.label);
      case "table":
        return [
          ...b.columns.map((c) => c.label).filter(Boolean),
          ...b.rows.flatMap((r) => r.cells.flatMap((c) => [...(c.label ? [c.label] : []), ...(c.strong ? [c.text] : [])])),
        ];
    }
  });
}

/**
 * What the app prints inside a form that its seed does not have, and why: evidence under its
 * target (issue 16), the review as recorded (its date, each target's outcome, who recorded it;
 * for 000, 001 and Level 6, whose forms have no review block, its notes and judgement too), and
 * Level 6's record, which has no seed form at all.
 */
const appAdditions = new Set([
  "Evidence:",
  "Review as recorded in the app",
  "Date of review:",
  "Notes from review meeting:",
  "Evaluation of progress:",
  "Next Objectives:",
  "On track:",
  "Final outcome:",
  "Target or objective",
  "Outcome and evidence",
  "Met.",
  "Partially met.",
  "Not met.",
]);
const levelSixRecord = new Set([
  "Capability procedure started (school HR policy):",
  "Appropriate body informed:",
  "HR contact:",
  "Notes:",
  "Teachers’ Standards of concern",
  "Teachers’ Standards",
  "Objective",
  "Headteacher/Principal signature:",
  "Induction Tutor signature:",
]);

describe("nothing printed in a form that its seed form does not have", () => {
  for (const template of templates) {
    it(`${template.name}: every label in the form is the seed's, or one of the app's declared additions`, () => {
      const seed = new Set(seedLabelsOf(template.id).map(squash));
      const extra = printedLabels(formBlocks(samplePlan(template.id).input))
        .map(squash)
        .filter((l) => !seed.has(l) && !appAdditions.has(l) && !/^Review recorded by .+ on .+\.$/.test(l))
        .filter((l) => template.id !== "level_6" || !levelSixRecord.has(l));
      expect(extra).toEqual([]);
    });
  }

  it("Level 5 prints no objectives table: its objectives are listed as the reasons for risk of failing, linked to standards", async () => {
    const { input } = samplePlan("level_5");
    const lines = await wordLines(input);
    expect(lines.some((l) => l.startsWith("Objectives"))).toBe(false);
    const reasons = lines.indexOf("Reasons for risk of failing (linked to standards):");
    const extension = lines.indexOf("Possible reasons for extension to induction:");
    expect(reasons).toBeGreaterThan(-1);
    const between = lines.slice(reasons, extension).join("\n");
    for (const t of input.plan.targets) expect(between).toContain(squash(t.text));
    expect(between).toContain("7d) Maintain good relationships with pupils, exercise appropriate authority, and act decisively when necessary.");
    // Level 4, whose form has the table, still prints it.
    expect(await wordLines(samplePlan("level_4").input)).toContain("Objectives (linked to Teachers’ Standards)");
  });
});

describe("the ITT provider's name, a school setting, where seed 002 prints 'MID-ESSEX ITT'", () => {
  it("heads the paperwork with the school's provider, and with none when the school has not set one", async () => {
    const { input } = samplePlan("itt_early_support");
    const seedName = seedIttProviderName();
    expect(seedName).toBe("MID-ESSEX ITT");

    const named = await wordLines({ ...input, ittProviderName: "Chelmsford Schools SCITT" });
    expect(named[0]).toBe("Chelmsford Schools SCITT");
    expect(named[1]).toBe("CONFIDENTIAL: Early Support Plan Procedure and Paperwork");
    expect(named.join("\n")).not.toContain(seedName);
    expect(squash(await pdfText({ ...input, ittProviderName: "Chelmsford Schools SCITT" }))).toContain("Chelmsford Schools SCITT");

    expect((await wordLines({ ...input, ittProviderName: seedName }))[0]).toBe(seedName);

    // The setting is the school's, carried from the record the export reads.
    const ectCtx = (ittProviderName?: string): EctContext => ({
      ect: {
        id: "ect-zoe",
        personId: "p-ect",
        schoolId: "school-riverside",
        abId: "ab-essex",
        inductionStartDate: "2026-09-01",
        fte: 1,
        absences: [],
        extensions: [],
        track: "itt",
      },
      ectPerson: { id: "p-ect", displayName: "Zoë O’Neill", email: "zoe@school.example", roles: ["ect"], schoolId: "school-riverside" },
      school: { id: "school-riverside", name: "Riverside Primary Academy", abId: "ab-essex", ...(ittProviderName ? { ittProviderName } : {}) },
      schoolStaff: [],
      abOfficers: [],
    });
    expect(exportInputFrom(input.plan, ectCtx("Chelmsford Schools SCITT"), input.exportedAt).ittProviderName).toBe("Chelmsford Schools SCITT");
    expect(exportInputFrom(input.plan, ectCtx(), input.exportedAt).ittProviderName).toBeUndefined();

    const unset = await wordLines(input);
    expect(unset[0]).toBe("CONFIDENTIAL: Early Support Plan Procedure and Paperwork");
    expect(unset.join("\n")).not.toMatch(/ESSEX/i);
  });
});

describe("evidence attached to a target, listed under it", () => {
  const evidence = (id: string, targetId: string, fileName: string, extra: Partial<EvidenceRecord> = {}): EvidenceRecord => ({
    id,
    ectId: "ect-zoe",
    planId: "plan-x",
    targetId,
    fileName,
    kind: "pdf",
    contentType: "application/pdf",
    size: 1200,
    sha256: "a".repeat(64),
    uploadedAt: "2026-11-12T14:05:00.000Z",
    uploadedBy: "p-mentor",
    uploadedByName: "Laura Bennett",
    ...extra,
  });

  for (const templateId of ["at_risk_action", "level_2", "level_5"] as const) {
    it(`${templateId}: file name, who added it and when, under its own target; a deleted file is not listed`, async () => {
      const { input } = samplePlan(templateId);
      const withEvidence: ExportInput = {
        ...input,
        evidence: [
          evidence("e1", "target-1", "observation-notes.pdf"),
          evidence("e2", "target-2", "pupil-work.pdf", { uploadedByName: "Zoë O’Neill", uploadedAt: "2026-11-19T09:30:00.000Z" }),
          evidence("e3", "target-1", "wrong-file.pdf", { deletedAt: "2026-11-13T08:00:00.000Z", deletedBy: "p-mentor" }),
        ],
      };
      const lines = await wordLines(withEvidence);
      const text = lines.join("\n");
      const first = `observation-notes.pdf — added by Laura Bennett, ${formatDateTime("2026-11-12T14:05:00.000Z")}`;
      const second = `pupil-work.pdf — added by Zoë O’Neill, ${formatDateTime("2026-11-19T09:30:00.000Z")}`;
      expect(text).toContain(`Evidence: ${first}`);
      expect(text).toContain(`Evidence: ${second}`);
      expect(text).not.toContain("wrong-file.pdf");
      // Under its own target: after target 1's text and before target 2's.
      const at = (s: string) => text.indexOf(s);
      const t1 = input.plan.targets[0]!.text;
      const t2 = input.plan.targets[1]!.text;
      expect(at(t1)).toBeLessThan(at(first));
      expect(at(first)).toBeLessThan(at(t2));
      expect(at(t2)).toBeLessThan(at(second));
      expect(squash(await pdfText(withEvidence))).toContain(squash(second));
      // Without evidence, nothing is listed.
      expect((await wordLines(input)).some((l) => l.startsWith("Evidence:"))).toBe(false);
    });
  }
});
