import PDFDocument from "pdfkit";
import type { Block, Cell, ExportDocument, TableColumn } from "./model.js";

type Doc = PDFKit.PDFDocument;

const FONT = "Helvetica";
const BOLD = "Helvetica-Bold";
const ITALIC = "Helvetica-Oblique";
const SIZE = 8.5;
const PAD = 3.5;
const MARGIN = { top: 54, bottom: 46, left: 36, right: 36 };
const SHADE = "#E7ECF2";
const ALERT = "#B00020";

/** Characters beyond Latin-1 that the standard fonts' WinAnsi encoding still has. */
const winAnsiExtras = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");

/**
 * The PDF uses the standard fonts (nothing to embed, no font files on the server), which cover
 * WinAnsi: Latin-1 plus curly quotes and dashes. Anything else loses its accent ("Ł" → "L") or,
 * failing that, shows as "?" rather than a wrong glyph.
 */
export function pdfSafe(text: string): string {
  let out = "";
  for (const ch of text.replace(/\t/g, " ").replace(/\r\n?/g, "\n")) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "\n" || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || winAnsiExtras.has(ch)) {
      out += ch;
      continue;
    }
    const base = ch.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    out += base && [...base].every((c) => (c.codePointAt(0) ?? 0) < 0x7f) ? base : ch === "\u0141" ? "L" : ch === "\u0142" ? "l" : "?";
  }
  return out;
}

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

const cellText = (c: Cell) => pdfSafe(c.label ? `${c.label} ${c.text}` : c.text);

function cellHeight(doc: Doc, c: Cell, width: number): number {
  const text = cellText(c);
  doc.font(c.strong || c.label ? BOLD : FONT).fontSize(SIZE);
  return (text ? doc.heightOfString(text, { width: width - 2 * PAD }) : doc.currentLineHeight(true)) + 2 * PAD;
}

/** Splits a cell's text so that the first part fits in `height` points (whole words where possible). */
function splitCell(doc: Doc, c: Cell, width: number, height: number): [Cell, Cell] {
  const rest = (text: string): Cell => ({ text, ...(c.span ? { span: c.span } : {}), ...(c.strong ? { strong: true } : {}) });
  if (cellHeight(doc, c, width) <= height) return [c, rest("")];
  const fitting = (tokens: string[]): number => {
    let lo = 0;
    let hi = tokens.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (cellHeight(doc, { ...c, text: tokens.slice(0, mid).join("") }, width) <= height) lo = mid;
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
    doc.fillColor("black").fontSize(SIZE);
    const text = pdfSafe(c.text);
    if (c.label && text) {
      doc.font(BOLD).text(pdfSafe(c.label) + " ", x + PAD, y + PAD, { width: cw - 2 * PAD, continued: true });
      doc.font(FONT).text(text);
    } else if (c.label) {
      doc.font(BOLD).text(pdfSafe(c.label), x + PAD, y + PAD, { width: cw - 2 * PAD });
    } else if (text) {
      doc.font(c.strong ? BOLD : FONT).text(text, x + PAD, y + PAD, { width: cw - 2 * PAD });
    }
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
        ctx.doc,
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
    case "heading":
      if (doc.y + 60 > ctx.bottom()) doc.addPage();
      doc
        .moveDown(0.4)
        .font(BOLD)
        .fontSize(b.level === 1 ? 14 : 11)
        .fillColor("#1F3864")
        .text(pdfSafe(b.text), ctx.left, doc.y, { width: ctx.width });
      doc.moveDown(0.25).fillColor("black");
      return;
    case "paragraph":
      doc
        .font(b.tone === "alert" ? BOLD : b.tone === "note" ? ITALIC : FONT)
        .fontSize(b.tone === "note" ? 7.5 : 9.5)
        .fillColor(b.tone === "alert" ? ALERT : "black")
        .text(pdfSafe(b.text), ctx.left, doc.y, { width: ctx.width });
      doc.moveDown(0.4).fillColor("black");
      return;
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
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // drawing in the margin must not start a new page
    let y = 16;
    model.pageHeader.forEach((line, n) => {
      doc
        .font(BOLD)
        .fontSize(n === 0 ? 8.5 : 10)
        .fillColor(n === 0 ? "#404040" : ALERT)
        .text(pdfSafe(line), MARGIN.left, y, { width: width - MARGIN.left - MARGIN.right, align: "center", lineBreak: false });
      y += n === 0 ? 12 : 14;
    });
    doc
      .font(FONT)
      .fontSize(7)
      .fillColor("#404040")
      .text(pdfSafe(`${model.pageFooter}${model.draft ? " · NOT SIGNED" : ""} · Page ${i - range.start + 1} of ${range.count}`), MARGIN.left, height - 30, {
        width: width - MARGIN.left - MARGIN.right,
        align: "center",
        lineBreak: false,
      });
    doc.page.margins.bottom = savedBottom;
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
    info: {
      Title: pdfSafe(model.properties.title),
      Subject: pdfSafe(model.properties.subject),
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
  doc.font(BOLD).fontSize(16).text(pdfSafe(model.title), ctx.left, MARGIN.top, { width: ctx.width });
  if (model.subtitle) doc.font(BOLD).fontSize(11).text(pdfSafe(model.subtitle), { width: ctx.width });
  doc.moveDown(0.5);
  for (const b of model.blocks) drawBlock(ctx, b);
  drawPageFurniture(doc, model);
  doc.end();
  return done;
}
