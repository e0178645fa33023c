import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
  type IBorderOptions,
  type IFontAttributesProperties,
  type IRunOptions,
} from "docx";
import type { Block, Cell, ExportDocument, TableColumn } from "./model.js";

/** A4 in twentieths of a point. */
const A4 = { width: 11906, height: 16838 };
const MARGIN = 720; // 0.5 inch
/**
 * Fonts Word has, per script: Arial for Latin, Greek and Cyrillic, and for complex scripts
 * (Arial has Arabic and Hebrew); Microsoft YaHei for Chinese. Word picks the slot per character,
 * so 王小明 and فاطمة show in a font that has them instead of as boxes.
 */
const FONT: IFontAttributesProperties = { ascii: "Arial", hAnsi: "Arial", cs: "Arial", eastAsia: "Microsoft YaHei" };
/** Tells Word which language each script slot holds: its spelling, and its font choice where a style names none. */
const LANGUAGE = { value: "en-GB", eastAsia: "zh-CN", bidirectional: "ar-SA" };
const SIZE = 18; // half-points: 9 pt, a form's table text
const SHADE = "E7ECF2";
const ALERT = "B00020";

const border: IBorderOptions = { style: BorderStyle.SINGLE, size: 4, color: "7A7A7A" };
const borders = { top: border, bottom: border, left: border, right: border };

// Right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms).
const rtlScript = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]/u;
const rtlRun = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]+(?:[\s\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]+[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe])*/gu;
const strong = /[\p{L}]/u;

/** A line whose first letter is Arabic or Hebrew reads right to left (the paragraph is bidirectional). */
const startsRtl = (text: string): boolean => {
  for (const ch of text) if (strong.test(ch)) return rtlScript.test(ch);
  return false;
};

/**
 * Runs for a piece of text: each stretch of right-to-left script is its own run marked
 * right-to-left, so Word shapes it and uses the complex-script font, size and bold for it.
 */
function textRuns(text: string, props: Omit<IRunOptions, "text" | "children">): TextRun[] {
  const runs: TextRun[] = [];
  let at = 0;
  const plain = (t: string) => t && runs.push(new TextRun({ ...props, text: t }));
  for (const m of text.matchAll(rtlRun)) {
    plain(text.slice(at, m.index));
    runs.push(new TextRun({ ...props, text: m[0], rightToLeft: true }));
    at = m.index + m[0].length;
  }
  plain(text.slice(at));
  return runs.length ? runs : [new TextRun({ ...props, text: "" })];
}

/** Text with line breaks becomes one paragraph per line (Word does not honour "\n" in a run). */
function paragraphs(text: string, opts: { bold?: boolean; label?: string; color?: string; italics?: boolean; size?: number } = {}): Paragraph[] {
  const lines = text.split(/\r?\n/);
  return lines.map(
    (line, i) =>
      new Paragraph({
        spacing: { after: 40 },
        ...(startsRtl(i === 0 && opts.label ? opts.label + line : line) ? { bidirectional: true } : {}),
        children: [
          ...(i === 0 && opts.label ? textRuns(`${opts.label} `, { bold: true, font: FONT, size: opts.size ?? SIZE }) : []),
          ...textRuns(line, {
            bold: opts.bold ?? false,
            italics: opts.italics ?? false,
            font: FONT,
            size: opts.size ?? SIZE,
            ...(opts.color ? { color: opts.color } : {}),
          }),
        ],
      }),
  );
}

function cell(c: Cell, width: number): TableCell {
  return new TableCell({
    borders,
    width: { size: width, type: WidthType.DXA },
    ...(c.span && c.span > 1 ? { columnSpan: c.span } : {}),
    ...(c.strong ? { shading: { type: ShadingType.CLEAR, fill: SHADE, color: "auto" } } : {}),
    margins: { top: 60, bottom: 60, left: 80, right: 80 },
    children: paragraphs(c.text, { ...(c.strong ? { bold: true } : {}), ...(c.label ? { label: c.label } : {}) }),
  });
}

function widths(columns: TableColumn[], total: number): number[] {
  const sum = columns.reduce((a, c) => a + c.weight, 0);
  return columns.map((c) => Math.floor((c.weight / sum) * total));
}

function table(columns: TableColumn[], rows: Cell[][], total: number, header = true): Table {
  const w = widths(columns, total);
  const spanWidth = (start: number, span: number) => w.slice(start, start + span).reduce((a, b) => a + b, 0);
  return new Table({
    width: { size: total, type: WidthType.DXA },
    columnWidths: w,
    layout: TableLayoutType.FIXED,
    rows: [
      ...(header
        ? [new TableRow({ tableHeader: true, cantSplit: true, children: columns.map((c, i) => cell({ text: c.label, strong: true }, w[i] ?? 0)) })]
        : []),
      ...rows.map((cells) => {
        let col = 0;
        return new TableRow({
          children: cells.map((c) => {
            const span = c.span ?? 1;
            const out = cell(c, spanWidth(col, span));
            col += span;
            return out;
          }),
        });
      }),
    ],
  });
}

function block(b: Block, contentWidth: number): (Paragraph | Table)[] {
  switch (b.kind) {
    case "heading":
      return [
        new Paragraph({
          heading: b.level === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2,
          spacing: { before: 240, after: 120 },
          ...(b.pageBreakBefore ? { pageBreakBefore: true } : {}),
          ...(startsRtl(b.text) ? { bidirectional: true } : {}),
          children: textRuns(b.text, { bold: true, font: FONT, size: b.level === 1 ? 28 : 22, color: "1F3864" }),
        }),
      ];
    case "paragraph":
      return [
        ...paragraphs(b.text, {
          size: b.tone === "note" ? 16 : 20,
          ...(b.tone === "alert" ? { bold: true, color: ALERT } : {}),
          ...(b.tone === "note" ? { italics: true } : {}),
        }),
        new Paragraph({ children: [], spacing: { after: 60 } }),
      ];
    case "fields": {
      const per = b.perRow ?? 1;
      const columns: TableColumn[] =
        per === 2
          ? [
              { label: "", weight: 1 },
              { label: "", weight: 2 },
              { label: "", weight: 1 },
              { label: "", weight: 2 },
            ]
          : [
              { label: "", weight: 1 },
              { label: "", weight: 3 },
            ];
      const rows: Cell[][] = [];
      for (let i = 0; i < b.rows.length; i += per) {
        const row: Cell[] = [];
        for (const f of b.rows.slice(i, i + per)) row.push({ text: f.label, strong: true }, { text: f.value });
        if (row.length < per * 2) row.push({ text: "", span: per * 2 - row.length });
        rows.push(row);
      }
      return [table(columns, rows, contentWidth, false), new Paragraph({ children: [], spacing: { after: 60 } })];
    }
    case "table":
      return [
        table(
          b.columns,
          b.rows.map((r) => r.cells),
          contentWidth,
        ),
        new Paragraph({ children: [], spacing: { after: 60 } }),
      ];
  }
}

/** Renders the document model as a Word (.docx) file. */
export async function renderDocx(doc: ExportDocument): Promise<Buffer> {
  const landscape = doc.orientation === "landscape";
  const pageWidth = landscape ? A4.height : A4.width;
  const contentWidth = pageWidth - 2 * MARGIN;
  const header = new Header({
    children: doc.pageHeader.map(
      (line, i) =>
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: textRuns(line, { bold: true, font: FONT, size: i === 0 ? 18 : 22, color: i === 0 ? "404040" : ALERT }),
        }),
    ),
  });
  const footer = new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [
          ...textRuns(`${doc.pageFooter}${doc.draft ? " · NOT SIGNED" : ""} · Page `, { font: FONT, size: 14, color: "404040" }),
          new TextRun({ children: [PageNumber.CURRENT], font: FONT, size: 14, color: "404040" }),
          new TextRun({ text: " of ", font: FONT, size: 14, color: "404040" }),
          new TextRun({ children: [PageNumber.TOTAL_PAGES], font: FONT, size: 14, color: "404040" }),
        ],
      }),
    ],
  });
  const document = new Document({
    creator: "ECT support plans",
    title: doc.properties.title,
    subject: doc.properties.subject,
    keywords: doc.properties.keywords,
    styles: { default: { document: { run: { font: FONT, size: SIZE, language: LANGUAGE } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: A4.width, height: A4.height, orientation: landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT },
            margin: { top: MARGIN + 360, bottom: MARGIN + 240, left: MARGIN, right: MARGIN, header: 360, footer: 360 },
          },
        },
        headers: { default: header },
        footers: { default: footer },
        children: [
          new Paragraph({
            heading: HeadingLevel.TITLE,
            spacing: { after: 80 },
            ...(startsRtl(doc.title) ? { bidirectional: true } : {}),
            children: textRuns(doc.title, { bold: true, font: FONT, size: 32 }),
          }),
          ...(doc.subtitle ? [new Paragraph({ spacing: { after: 160 }, children: textRuns(doc.subtitle, { bold: true, font: FONT, size: 22 }) })] : []),
          ...doc.blocks.flatMap((b) => block(b, contentWidth)),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
