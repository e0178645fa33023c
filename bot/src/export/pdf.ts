import PDFDocument from "pdfkit";
import type { Block, Cell, ExportDocument, TableColumn } from "./model.js";
import { drawFlowing, drawText, lineHeight, textHeight, useBaseFont, type Span } from "./pdfText.js";

type Doc = PDFKit.PDFDocument;

const SIZE = 8.5;
const PAD = 3.5;
const MARGIN = { top: 54, bottom: 46, left: 36, right: 36 };
const SHADE = "#E7ECF2";
const ALERT = "#B00020";

interface Ctx {
  doc: Doc;
  left: number;
  width: number;
  bottom: () => number;
}

function widths(columns: TableColumn[], total: number): number[] {
  const sum = columns.reduce((a, c) => a + c.weight, 0);
  return columns.map((c) => (c.weight / sum) * total);
}

/** A cell as one flow of text: its bold label, then its value. */
function cellSpans(c: Cell): Span[] {
  if (c.label)
    return c.text
      ? [
          { text: `${c.label} `, style: "bold" },
          { text: c.text, style: "regular" },
        ]
      : [{ text: c.label, style: "bold" }];
  return [{ text: c.text, style: c.strong ? "bold" : "regular" }];
}

function cellHeight(c: Cell, width: number): number {
  return textHeight(cellSpans(c), SIZE, width - 2 * PAD) + 2 * PAD;
}

/** Splits a cell's text so that the first part fits in `height` points (whole words where possible). */
function splitCell(doc: Doc, c: Cell, width: number, height: number): [Cell, Cell] {
  const rest = (text: string): Cell => ({ text, ...(c.span ? { span: c.span } : {}), ...(c.strong ? { strong: true } : {}) });
  if (cellHeight(c, width) <= height) return [c, rest("")];
  const fitting = (tokens: string[]): number => {
    let lo = 0;
    let hi = tokens.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (cellHeight({ ...c, text: tokens.slice(0, mid).join("") }, width) <= height) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  // Whole words where possible; a long word (a pasted link, say) is split by characters.
  const words = c.text.split(/(?<=\s)/);
  const n = fitting(words);
  const next = words[n];
  if (next !== undefined && (n === 0 || next.length > 30)) {
    const chars = [...words.slice(0, n).join(""), ...next];
    const k = Math.max(1, fitting(chars));
    return [{ ...c, text: chars.slice(0, k).join("").trimEnd() }, rest(chars.slice(k).join("") + words.slice(n + 1).join(""))];
  }
  return [{ ...c, text: words.slice(0, n).join("").trimEnd() }, rest(words.slice(n).join(""))];
}

function drawRow(ctx: Ctx, cells: Cell[], w: number[], height: number): void {
  const { doc } = ctx;
  const y = doc.y;
  let x = ctx.left;
  let col = 0;
  for (const c of cells) {
    const span = c.span ?? 1;
    const cw = w.slice(col, col + span).reduce((a, b) => a + b, 0);
    if (c.strong) doc.rect(x, y, cw, height).fill(SHADE);
    doc.lineWidth(0.5).strokeColor("#7A7A7A").rect(x, y, cw, height).stroke();
    doc.fillColor("black");
    if (c.label || c.text) drawText(doc, cellSpans(c), x + PAD, y + PAD, { size: SIZE, width: cw - 2 * PAD });
    x += cw;
    col += span;
  }
  doc.x = ctx.left;
  doc.y = y + height;
}

function rowHeight(ctx: Ctx, cells: Cell[], w: number[]): number {
  let col = 0;
  let h = 0;
  for (const c of cells) {
    const span = c.span ?? 1;
    h = Math.max(
      h,
      cellHeight(
        c,
        w.slice(col, col + span).reduce((a, b) => a + b, 0),
      ),
    );
    col += span;
  }
  return h;
}

/** A table that breaks across pages: the header row repeats, and a row taller than a page is split. */
function drawTable(ctx: Ctx, columns: TableColumn[], rows: Cell[][], header: boolean): void {
  const { doc } = ctx;
  const w = widths(columns, ctx.width);
  const headerCells: Cell[] = columns.map((c) => ({ text: c.label, strong: true }));
  const headerHeight = header ? rowHeight(ctx, headerCells, w) : 0;
  const newPage = () => {
    doc.addPage();
    if (header) drawRow(ctx, headerCells, w, headerHeight);
  };
  const pageRoom = ctx.bottom() - (MARGIN.top + headerHeight);
  // Never leave a header alone at the foot of a page: keep it with its first row (or a good part of it).
  const first = rows[0] ? rowHeight(ctx, rows[0], w) : 0;
  if (doc.y + headerHeight + Math.min(first > pageRoom ? 8 * SIZE : first, pageRoom) > ctx.bottom()) doc.addPage();
  if (header) drawRow(ctx, headerCells, w, headerHeight);
  for (let cells of rows) {
    for (;;) {
      const h = rowHeight(ctx, cells, w);
      const room = ctx.bottom() - doc.y;
      if (h <= room) {
        drawRow(ctx, cells, w, h);
        break;
      }
      if (h <= pageRoom || room < 4 * SIZE) {
        newPage();
        if (h <= pageRoom) continue;
      }
      // Taller than what is left of the page: draw what fits, carry the rest to the next page.
      const available = ctx.bottom() - doc.y;
      let col = 0;
      const parts = cells.map((c) => {
        const span = c.span ?? 1;
        const cw = w.slice(col, col + span).reduce((a, b) => a + b, 0);
        col += span;
        return splitCell(doc, c, cw, available);
      });
      drawRow(
        ctx,
        parts.map((p) => p[0]),
        w,
        available,
      );
      cells = parts.map((p) => p[1]);
      newPage();
    }
  }
  doc.y += 6;
}

function drawBlock(ctx: Ctx, b: Block): void {
  const { doc } = ctx;
  doc.x = ctx.left;
  switch (b.kind) {
    case "heading": {
      const size = b.level === 1 ? 14 : 11;
      if ((b.pageBreakBefore && doc.y > MARGIN.top) || doc.y + 60 > ctx.bottom()) doc.addPage();
      else doc.y += 0.4 * lineHeight(size);
      doc.fillColor("#1F3864");
      drawText(doc, [{ text: b.text, style: "bold" }], ctx.left, doc.y, { size, width: ctx.width });
      doc.y += 0.25 * lineHeight(size);
      doc.fillColor("black");
      return;
    }
    case "paragraph": {
      const size = b.tone === "note" ? 7.5 : 9.5;
      const colour = b.tone === "alert" ? ALERT : "black";
      doc.fillColor(colour);
      // A paragraph may be longer than what is left of the page: it runs on to the next.
      drawFlowing(doc, [{ text: b.text, style: b.tone === "alert" ? "bold" : b.tone === "note" ? "italic" : "regular" }], ctx.left, {
        size,
        width: ctx.width,
        bottom: ctx.bottom,
        newPage: () => doc.addPage().fillColor(colour), // a new page starts in black
      });
      doc.y += 0.4 * lineHeight(size);
      doc.fillColor("black");
      return;
    }
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
      drawTable(ctx, columns, rows, false);
      return;
    }
    case "table":
      drawTable(
        ctx,
        b.columns,
        b.rows.map((r) => r.cells),
        true,
      );
      return;
  }
}

/** The confidentiality mark (and the draft mark) at the top, and the plan's version and page at the foot, of every page. */
function drawPageFurniture(doc: Doc, model: ExportDocument): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const { width, height } = doc.page;
    const inner = width - MARGIN.left - MARGIN.right;
    let y = 16;
    model.pageHeader.forEach((line, n) => {
      doc.fillColor(n === 0 ? "#404040" : ALERT);
      y += Math.max(
        n === 0 ? 12 : 14,
        drawText(doc, [{ text: line, style: "bold" }], MARGIN.left, y, { size: n === 0 ? 8.5 : 10, width: inner, align: "center" }),
      );
    });
    doc.fillColor("#404040");
    const footer = `${model.pageFooter}${model.draft ? " · NOT SIGNED" : ""} · Page ${i - range.start + 1} of ${range.count}`;
    drawText(doc, [{ text: footer, style: "regular" }], MARGIN.left, height - 30, { size: 7, width: inner, align: "center" });
  }
  doc.fillColor("black");
}

/** Renders the document model as a PDF with pdfkit: on the server, no browser. */
export function renderPdf(model: ExportDocument): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    layout: model.orientation,
    margins: MARGIN,
    bufferPages: true,
    // No standard font: every glyph is drawn in an embedded font (pdfText.ts).
    font: "",
    info: {
      // pdfkit writes non-ASCII document properties as UTF-16: names stay as they are.
      Title: model.properties.title,
      Subject: model.properties.subject,
      Keywords: model.properties.keywords,
      Creator: "ECT support plans",
      Producer: "ECT support plans",
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const ctx: Ctx = { doc, left: MARGIN.left, width: doc.page.width - MARGIN.left - MARGIN.right, bottom: () => doc.page.height - MARGIN.bottom };
  useBaseFont(doc, SIZE);
  drawText(doc, [{ text: model.title, style: "bold" }], ctx.left, MARGIN.top, { size: 16, width: ctx.width });
  if (model.subtitle) drawText(doc, [{ text: model.subtitle, style: "bold" }], ctx.left, doc.y, { size: 11, width: ctx.width });
  doc.y += 0.5 * lineHeight(11);
  for (const b of model.blocks) drawBlock(ctx, b);
  drawPageFurniture(doc, model);
  doc.end();
  return done;
}
