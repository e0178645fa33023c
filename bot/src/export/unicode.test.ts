import { describe, expect, it } from "vitest";
import JSZip from "jszip";
import { PDFParse } from "pdf-parse";
import { buildDocument, renderDocx, renderPdf } from "./index.js";
import { samplePlan } from "../../test-support/samplePlans.js";

/** Names a statutory record must keep exactly as typed: Polish, Chinese, Arabic and Greek. */
const polish = "Łukasz Wójcik";
const polish2 = "Zofia Żółć";
const chinese = "王小明";
const arabic = "فاطمة الزهراء";
const greek = "Ελένη Παπαδοπούλου";
/** A left-to-right line with an Arabic name inside it: the bidi case a reader meets most. */
const mixed = `ECT: ${arabic} (Year 1)`;

function planWith(ectName: string) {
  const { input } = samplePlan("level_2");
  const [first, ...others] = input.plan.targets;
  const targets = [
    { ...first!, text: `Observe ${polish}, ${polish2} and ${chinese} teach` },
    ...others.map((t, i) => (i === 0 ? { ...t, text: mixed } : i === 1 ? { ...t, text: `${greek} mentors` } : t)),
  ];
  return buildDocument({ ...input, ectName, plan: { ...input.plan, targets } });
}

async function pdfText(pdf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).pages.map((p) => p.text).join("\n");
  } finally {
    await parser.destroy();
  }
}

describe("names in any script, in the PDF", () => {
  for (const ectName of [polish, chinese, arabic]) {
    it(`an ECT named ${ectName}: every name prints exactly as typed, none as "?"`, async () => {
      const text = await pdfText(await renderPdf(planWith(ectName)));
      // pdf.js reads the right-to-left run back in logical order (it applies the bidi algorithm to
      // what is drawn), so what a reader copies is what was typed: the Arabic name is asserted as typed.
      for (const name of [ectName, polish, polish2, chinese, greek, mixed]) expect(text).toContain(name);
      // The ECT's name is in the fields, the footer of each page and the plan line.
      expect(text.split(ectName).length - 1).toBeGreaterThanOrEqual(3);
      expect(text).not.toMatch(/\?{2}|L\?kasz|Lukasz|Zofia Zolc/);
    });
  }

  it("draws with embedded, subset fonts only: Noto Sans, Noto Naskh Arabic and Noto Sans Hans, no standard font", async () => {
    const pdf = (await renderPdf(planWith(arabic))).toString("latin1");
    const fonts = [...pdf.matchAll(/\/BaseFont \/([A-Z]{6}\+)?([\w-]+)/g)].map((m) => ({ subset: Boolean(m[1]), name: m[2] }));
    const names = new Set(fonts.map((f) => f.name));
    for (const name of ["NotoSans-Regular", "NotoSans-Bold", "NotoNaskhArabic", "NotoSansHans-Regular"]) expect(names).toContain(name);
    expect(fonts.every((f) => f.subset)).toBe(true);
    expect(pdf).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
    // TrueType fonts as FontFile2, the Chinese CFF font as FontFile3; each with a ToUnicode map so text can be copied.
    expect(pdf).toContain("/FontFile2");
    expect(pdf).toContain("/FontFile3");
    expect(pdf.match(/\/ToUnicode/g)?.length).toBe(names.size);
  });

  it("a plan in Latin script only embeds no Arabic or Chinese font", async () => {
    const { input } = samplePlan("level_2");
    const pdf = (await renderPdf(buildDocument(input))).toString("latin1");
    expect(pdf).toContain("NotoSans-Regular");
    expect(pdf).not.toMatch(/NotoNaskhArabic|NotoSansHans/);
  });
});

describe("names in any script, in Word", () => {
  it("keeps every name as typed and names Word fonts for Chinese and Arabic; Arabic runs are right to left", async () => {
    const zip = await JSZip.loadAsync(await renderDocx(planWith(arabic)));
    const body = await zip.file("word/document.xml")!.async("string");
    const styles = await zip.file("word/styles.xml")!.async("string");
    for (const name of [arabic, polish, polish2, chinese, greek]) expect(body).toContain(name);

    // Every run names Arial for Latin and complex scripts and Microsoft YaHei for Chinese.
    const fonts = [...body.matchAll(/<w:rFonts ([^>]*)\/>/g)].map((m) => m[1]!);
    expect(fonts.length).toBeGreaterThan(20);
    for (const f of fonts) {
      expect(f).toContain('w:ascii="Arial"');
      expect(f).toContain('w:eastAsia="Microsoft YaHei"');
      expect(f).toContain('w:cs="Arial"');
    }
    expect(styles).toMatch(/<w:rFonts [^>]*w:eastAsia="Microsoft YaHei"/);
    expect(styles).toMatch(/<w:lang [^>]*w:eastAsia="zh-CN"[^>]*w:bidi="ar-SA"/);

    // The Arabic name is a run of its own, marked right to left; the ECT's field, which starts with it, is a right-to-left paragraph.
    const runs = [...body.matchAll(/<w:r>(.*?)<\/w:r>/g)].map((m) => m[1]!);
    const arabicRuns = runs.filter((r) => r.includes(arabic));
    expect(arabicRuns.length).toBeGreaterThanOrEqual(2);
    for (const r of arabicRuns) {
      expect(r).toContain("<w:rtl/>");
      expect(r).toMatch(new RegExp(`<w:t[^>]*>${arabic}</w:t>`));
    }
    expect(runs.filter((r) => r.includes("ECT: ") || r.includes(chinese)).every((r) => !r.includes("<w:rtl/>"))).toBe(true);
    const paragraphs = [...body.matchAll(/<w:p>(.*?)<\/w:p>/g)].map((m) => m[1]!);
    const ectField = paragraphs.find((p) => new RegExp(`<w:t[^>]*>${arabic}</w:t>`).test(p) && !p.includes("ECT: "));
    expect(ectField).toContain("<w:bidi/>");
    const mixedLine = paragraphs.find((p) => p.includes("ECT: "));
    expect(mixedLine).toBeDefined();
    expect(mixedLine).not.toContain("<w:bidi/>");
  });
});
