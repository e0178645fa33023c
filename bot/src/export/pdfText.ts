/**
 * Text layout for the PDF export, in place of pdfkit's own: pdfkit wraps text in one font and
 * left to right only. Here each character is drawn in a font that has it (fonts/pdfFonts.ts), and
 * each line is put in visual order by the Unicode bidirectional algorithm, so "ECT: فاطمة الزهراء
 * (Year 1)" reads right to left where it is Arabic. The string is kept in logical order in every
 * run, so the Arabic font's shaping (fontkit) joins the letters and a reader copies what was typed.
 */
import bidiModule, { type Bidi } from "bidi-js";
import { faceFor, primaryFace, type Face, type FontStyle } from "./fonts/pdfFonts.js";

type Doc = PDFKit.PDFDocument;

/** A piece of text in one style; a cell's bold label and its value are two spans of one flow. */
export interface Span {
  text: string;
  style: FontStyle;
}

/** One run of a line in one face and one direction, in the order it is drawn (left to right). */
interface Run {
  text: string;
  face: Face;
  rtl: boolean;
  width: number;
}
interface Line {
  runs: Run[];
  width: number;
  rtl: boolean;
}

// bidi-js is CommonJS whose module.exports is the factory; its types describe an ES default export.
const bidiFactory = (bidiModule as unknown as { default?: () => Bidi }).default ?? (bidiModule as unknown as () => Bidi);
const bidi = bidiFactory();
/** Line height and baseline as multiples of the font size: one for all faces, so mixed lines align. */
const LINE = 1.25;
const ASCENT = 0.95;
export const lineHeight = (size: number): number => size * LINE;

const hasRtl = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\u{10800}-\u{10fff}\u{1e800}-\u{1efff}\u200f\u202b\u202e\u2067]/u;
const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]/u;
const space = /\s/u;
// No line starts with these (closing punctuation, Chinese commas and full stops).
const noBreakBefore = /[)\]}!?,.:;%\u3001\u3002\uff0c\uff01\uff1f\uff1a\uff1b\u300d\u300f\u201d\u2019]/u;
const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** Widths in font units, per face: a document measures the same words many times (cell heights, splits). */
const widthCache = new Map<string, Map<string, number>>();
function advance(face: Face, text: string, size: number): number {
  let cache = widthCache.get(face.key);
  if (!cache) widthCache.set(face.key, (cache = new Map<string, number>()));
  let units = cache.get(text);
  if (units === undefined) {
    units = face.font.layout(text, []).advanceWidth;
    if (cache.size > 20000) cache.clear();
    cache.set(text, units);
  }
  return (units * size) / face.unitsPerEm;
}

/** Tabs become spaces and any line ending "\n": nothing else is changed, nothing is replaced. */
const normaliseText = (text: string): string => text.replace(/\t/g, " ").replace(/\r\n?/g, "\n");

interface Char {
  ch: string;
  /** Index in the paragraph's string (UTF-16), for the bidi levels. */
  at: number;
  face: Face;
  level: number;
}

/** A paragraph as characters, each with its face and bidi level, and its base direction. */
function analyse(text: string, styles: FontStyle[]): { chars: Char[]; rtl: boolean } {
  const levels = hasRtl.test(text) ? bidi.getEmbeddingLevels(text, "auto") : null;
  const chars: Char[] = [];
  let at = 0;
  let previous: Face | undefined;
  for (const ch of text) {
    const f = faceFor(ch.codePointAt(0) ?? 0x20, styles[at] ?? "regular", previous);
    chars.push({ ch, at, face: f, level: levels?.levels[at] ?? 0 });
    previous = f;
    at += ch.length;
  }
  return { chars, rtl: (levels?.paragraphs[0]?.level ?? 0) % 2 === 1 };
}

/** Breaks allowed before character i: after spaces, around Chinese characters, after a hyphen in a word. */
function breakBefore(chars: Char[], i: number): boolean {
  const prev = chars[i - 1]?.ch ?? "";
  const cur = chars[i]?.ch ?? "";
  if (space.test(cur) || noBreakBefore.test(cur)) return false;
  if (space.test(prev)) return true;
  if (cjk.test(cur) || cjk.test(prev)) return true;
  return prev === "-" && /\p{L}/u.test(chars[i - 2]?.ch ?? "") && /\p{L}/u.test(cur);
}

/** Splits chars [from, to) into runs of one face and one level, in logical order. */
function logicalRuns(chars: Char[], from: number, to: number, size: number): (Run & { level: number })[] {
  const runs: (Run & { level: number })[] = [];
  let start = from;
  for (let i = from + 1; i <= to; i++) {
    const a = chars[start]!;
    const b = i < to ? chars[i] : undefined;
    if (b && b.face === a.face && b.level === a.level) continue;
    const text = chars
      .slice(start, i)
      .map((c) => c.ch)
      .join("");
    runs.push({ text, face: a.face, rtl: a.level % 2 === 1, level: a.level, width: advance(a.face, text, size) });
    start = i;
  }
  return runs;
}

const widthOf = (chars: Char[], from: number, to: number, size: number): number => logicalRuns(chars, from, to, size).reduce((w, r) => w + r.width, 0);

/** Unicode bidi rule L2 on whole runs: from the highest level down to the lowest odd one, reverse each sequence at that level or above. */
function visualOrder<T extends { level: number }>(runs: T[]): T[] {
  const out = [...runs];
  const max = Math.max(0, ...out.map((r) => r.level));
  const minOdd = Math.min(...out.map((r) => r.level | 1));
  for (let level = max; level >= minOdd; level--) {
    for (let i = 0; i < out.length; i++) {
      if (out[i]!.level < level) continue;
      let j = i;
      while (j + 1 < out.length && out[j + 1]!.level >= level) j++;
      out.splice(i, j - i + 1, ...out.slice(i, j + 1).reverse());
      i = j;
    }
  }
  return out;
}

/**
 * The text fontkit must be given so that its glyphs come out in this run's direction, and whether
 * it must be shaped whole (pdfkit otherwise lays a run out word by word, in logical order).
 */
function drawnText(run: Run): { text: string; whole: boolean } {
  let text = run.text;
  if (!run.rtl && !hasRtl.test(text)) return { text, whole: false };
  if (run.rtl) text = [...text].map((c) => bidi.getMirroredCharacter(c) ?? c).join("");
  // fontkit lays Arabic-script text out right to left by itself; anything else it lays out left to right.
  const fontkitRtl = run.face.font.layout(text, []).direction === "rtl";
  if (fontkitRtl === run.rtl) return { text, whole: true };
  const reversed = [...segmenter.segment(text)]
    .map((s) => s.segment)
    .reverse()
    .join("");
  return { text: reversed, whole: true };
}

/** Greedy line filling for one paragraph: whole words where they fit, a word wider than a line by characters. */
function paragraphLines(text: string, styles: FontStyle[], size: number, width: number): Line[] {
  const { chars, rtl } = analyse(text, styles);
  const lines: Line[] = [];
  const emit = (from: number, to: number) => {
    let end = to;
    while (end > from && space.test(chars[end - 1]!.ch)) end--; // a line's trailing spaces are not drawn
    const runs = end > from ? visualOrder(logicalRuns(chars, from, end, size)) : [];
    lines.push({ runs, width: runs.reduce((w, r) => w + r.width, 0), rtl });
  };
  const tokens: [number, number][] = [];
  let start = 0;
  for (let i = 1; i <= chars.length; i++) {
    if (i === chars.length || breakBefore(chars, i)) {
      tokens.push([start, i]);
      start = i;
    }
  }
  // Each word is measured once; a line's width is the sum of its words' (kerning across a space is nil).
  let lineStart = 0;
  let lineEnd = 0;
  let lineWidth = 0;
  for (const [from, to] of tokens) {
    let ink = to;
    while (ink > from && space.test(chars[ink - 1]!.ch)) ink--;
    const inkWidth = widthOf(chars, from, ink, size);
    if (lineEnd > lineStart && lineWidth + inkWidth > width) {
      emit(lineStart, lineEnd);
      lineStart = from;
      lineWidth = 0;
    }
    if (lineEnd === lineStart && inkWidth > width) {
      // A word wider than the line (a pasted link, say): as many characters as fit, then the rest.
      let cut = from;
      let used = 0;
      for (let k = from; k < ink; k++) {
        const w = widthOf(chars, k, k + 1, size);
        if (k > cut && used + w > width) {
          emit(cut, k);
          cut = k;
          used = 0;
        }
        used += w;
      }
      lineStart = cut;
      lineWidth = used;
    } else lineWidth += inkWidth;
    lineWidth += widthOf(chars, ink, to, size);
    lineEnd = to;
  }
  if (lineEnd > lineStart || lines.length === 0) emit(lineStart, lineEnd);
  return lines;
}

/** Layouts already made: a table measures each cell several times (row height, page splits) before drawing it. */
const layoutCache = new Map<string, Line[]>();

/** Lays spans out in `width` points: paragraphs at "\n", each wrapped and in visual order. */
function layout(spans: Span[], size: number, width: number): Line[] {
  const key = `${size}|${width}|${spans.map((s) => `${s.style}:${s.text}`).join("\u0000")}`;
  let lines = layoutCache.get(key);
  if (!lines) {
    lines = layoutUncached(spans, size, width);
    if (layoutCache.size > 2000) layoutCache.clear();
    layoutCache.set(key, lines);
  }
  return lines;
}

function layoutUncached(spans: Span[], size: number, width: number): Line[] {
  const lines: Line[] = [];
  let text = "";
  let styles: FontStyle[] = [];
  const flush = () => {
    lines.push(...paragraphLines(text, styles, size, width));
    text = "";
    styles = [];
  };
  for (const span of spans) {
    const parts = normaliseText(span.text).split("\n");
    parts.forEach((part, i) => {
      if (i > 0) flush();
      text += part;
      for (let k = 0; k < part.length; k++) styles.push(span.style);
    });
  }
  flush();
  return lines;
}

/** The height the spans take in `width` points (an empty text still takes one line). */
export function textHeight(spans: Span[], size: number, width: number): number {
  return layout(spans, size, width).length * lineHeight(size);
}

export interface DrawOptions {
  size: number;
  width: number;
  /** "start": left for a left-to-right paragraph, right for a right-to-left one. */
  align?: "start" | "center";
}

const registered = new WeakMap<Doc, Set<string>>();
function useFace(doc: Doc, face: Face, size: number): void {
  let keys = registered.get(doc);
  if (!keys) registered.set(doc, (keys = new Set<string>()));
  if (!keys.has(face.key)) {
    // pdfkit 0.20 takes a fontkit font as it is (typed as a file or buffer only): parsed once per process.
    doc.registerFont(face.key, face.font as unknown as PDFKit.Mixins.PDFFontSource);
    keys.add(face.key);
  }
  doc.font(face.key).fontSize(size);
}

function drawLine(doc: Doc, line: Line, x: number, top: number, options: DrawOptions): void {
  const slack = options.width - line.width;
  let cursor = x + (options.align === "center" ? slack / 2 : line.rtl ? slack : 0);
  for (const run of line.runs) {
    useFace(doc, run.face, options.size);
    const { text, whole } = drawnText(run);
    doc.text(text, cursor, top + ASCENT * options.size, { lineBreak: false, baseline: "alphabetic", ...(whole ? { features: [] } : {}) });
    cursor += run.width;
  }
}

/** Draws spans at (x, y) in the current fill colour; returns the height drawn and leaves doc.y below it. */
export function drawText(doc: Doc, spans: Span[], x: number, y: number, options: DrawOptions): number {
  const lines = layout(spans, options.size, options.width);
  lines.forEach((line, n) => drawLine(doc, line, x, y + n * lineHeight(options.size), options));
  const height = lines.length * lineHeight(options.size);
  doc.x = x;
  doc.y = y + height;
  return height;
}

/** Draws spans from doc.y down, starting a new page (with `newPage`) whenever the next line would pass `bottom`. */
export function drawFlowing(doc: Doc, spans: Span[], x: number, options: DrawOptions & { bottom: () => number; newPage: () => void }): void {
  const step = lineHeight(options.size);
  for (const line of layout(spans, options.size, options.width)) {
    if (doc.y + step > options.bottom()) options.newPage();
    const top = doc.y; // pdfkit moves doc.y to where it drew
    drawLine(doc, line, x, top, options);
    doc.y = top + step;
  }
  doc.x = x;
}

/** The face pdfkit should hold between draws (page furniture, empty cells): Noto Sans, never a standard font. */
export const useBaseFont = (doc: Doc, size: number): void => useFace(doc, primaryFace("regular"), size);
