import { describe, expect, it } from "vitest";
import PDFDocument from "pdfkit";
import { PDFParse } from "pdf-parse";
import { drawFlowing, drawText, lineHeight, textHeight, type Span } from "./pdfText.js";

const SIZE = 10;

/** Draws each text as its own block, 200 points wide, and reads the page back with pdf.js (as pdf-parse does). */
async function drawnLines(texts: string[], width = 200): Promise<string[]> {
  const doc = new PDFDocument({ size: "A5", font: "" });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  doc.on("data", (c: Buffer) => chunks.push(c));
  let y = 30;
  for (const text of texts) y += drawText(doc, [{ text, style: "regular" }], 30, y, { size: SIZE, width }) + 10;
  doc.end();
  const parser = new PDFParse({ data: new Uint8Array(await done) });
  try {
    return (await parser.getText()).pages[0]!.text.split("\n").filter(Boolean);
  } finally {
    await parser.destroy();
  }
}

describe("PDF text in mixed scripts and directions", () => {
  it("orders right-to-left lines visually: pdf.js reads each Arabic run in logical order, and the runs left to right as drawn", async () => {
    // A left-to-right line keeps its Arabic name inside it, in place.
    // A line that starts in Arabic reads right to left: its Latin word and its number sit between the
    // Arabic words in mirror order, and the bracket pair around "Year 1" is mirrored, not doubled.
    const lines = await drawnLines(["ECT: فاطمة الزهراء (Year 1)", "فاطمة Smith الزهراء", "فاطمة الزهراء (Year 1)", "مدرسة 12 فاطمة"]);
    expect(lines).toEqual(["ECT: فاطمة الزهراء (Year 1)", "الزهراء Smith فاطمة", "(Year 1) فاطمة الزهراء", "فاطمة 12 مدرسة"]);
  });

  it("wraps a paragraph of Latin, Chinese and Arabic words onto more lines when narrower, and loses none of them", async () => {
    const words = ["Łukasz", "Wójcik", "王小明", "فاطمة", "Ελένη", "observed", "Żółć", "الزهراء", "lessons"];
    const text = Array.from({ length: 6 }, () => words.join(" ")).join(" ");
    const spans: Span[] = [{ text, style: "regular" }];
    const narrow = textHeight(spans, SIZE, 120);
    const wide = textHeight(spans, SIZE, 400);
    expect(narrow / lineHeight(SIZE)).toBeGreaterThan(wide / lineHeight(SIZE));
    expect(wide / lineHeight(SIZE)).toBeGreaterThan(1);
    // Chinese may break between any two characters ("王" / "小明"), so the lines are compared without their breaks.
    const read = (await drawnLines([text], 120)).join("").replace(/\s+/g, "");
    for (const w of words) expect(read.split(w).length - 1, w).toBe(6);
  });

  it("breaks Chinese text between characters, and a long unbroken string by characters, without dropping any", async () => {
    const chinese = "王小明在学校认真观察老师的课堂管理并写下三条反思".repeat(4);
    const link = `https://example.org/${"x".repeat(160)}`;
    const spans = (text: string): Span[] => [{ text, style: "regular" }];
    expect(textHeight(spans(chinese), SIZE, 150)).toBeGreaterThan(2 * lineHeight(SIZE));
    expect(textHeight(spans(link), SIZE, 150)).toBeGreaterThan(2 * lineHeight(SIZE));
    const [readChinese, readLink] = [(await drawnLines([chinese], 150)).join(""), (await drawnLines([link], 150)).join("")];
    expect(readChinese).toBe(chinese);
    expect(readLink).toBe(link);
  });

  it("an empty text still takes one line, as an empty table cell does", () => {
    expect(textHeight([{ text: "", style: "regular" }], SIZE, 100)).toBe(lineHeight(SIZE));
    expect(textHeight([{ text: "a\n\nb", style: "bold" }], SIZE, 100)).toBe(3 * lineHeight(SIZE));
  });
});

describe("a paragraph longer than the page", () => {
  it("runs on to new pages, every line inside the bottom margin, none lost", async () => {
    const doc = new PDFDocument({ size: "A6", font: "", bufferPages: true });
    const chunks: Buffer[] = [];
    const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
    doc.on("data", (c: Buffer) => chunks.push(c));
    const text = Array.from({ length: 300 }, (_, i) => `word${i} فاطمة`).join(" ");
    const bottom = () => doc.page.height - 40;
    let lowest = 0;
    doc.y = 30;
    drawFlowing(doc, [{ text, style: "regular" }], 30, {
      size: SIZE,
      width: 200,
      bottom,
      newPage: () => {
        lowest = Math.max(lowest, doc.y);
        doc.addPage();
        doc.y = 30;
      },
    });
    lowest = Math.max(lowest, doc.y);
    expect(lowest).toBeLessThanOrEqual(bottom());
    expect(doc.bufferedPageRange().count).toBeGreaterThan(3);
    doc.end();
    const parser = new PDFParse({ data: new Uint8Array(await done) });
    try {
      const all = (await parser.getText()).pages
        .map((p) => p.text)
        .join(" ")
        .replace(/\s+/g, " ");
      for (let i = 0; i < 300; i++) expect(all).toContain(`word${i} `);
      expect(all.split("فاطمة").length - 1).toBe(300);
    } finally {
      await parser.destroy();
    }
  });
});
