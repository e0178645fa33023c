/**
 * The fonts embedded in the PDF export. The standard PDF fonts only cover Windows-1252, so names
 * such as Łukasz, 王小明 or فاطمة would be lost; these Noto fonts (SIL Open Font License 1.1, see
 * README.md beside this file) cover Latin, Greek and Cyrillic, Arabic, and Chinese. pdfkit embeds
 * only the glyphs a document uses.
 *
 * Each file is read and parsed once per process, on first use: the Arabic and Chinese fonts only
 * when a document has such text.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { create, type Font } from "fontkit";

export type FontStyle = "regular" | "bold" | "italic";
type Family = "latin" | "arabic" | "cjk";

export interface Face {
  /** Unique per file, e.g. "latin-NotoSans-Bold": the name the font is registered under in a document. */
  key: string;
  font: Font;
  /** Font units per em (fontkit computes it on every read). */
  unitsPerEm: number;
}

const packages: Record<Family, { pkg: string; files: Record<FontStyle, string> }> = {
  latin: {
    pkg: "@embedpdf/fonts-latin",
    files: { regular: "NotoSans-Regular.ttf", bold: "NotoSans-Bold.ttf", italic: "NotoSans-Italic.ttf" },
  },
  // Neither the Arabic nor the Chinese font has an italic: a note's Arabic or Chinese words stay upright.
  arabic: {
    pkg: "@embedpdf/fonts-arabic",
    files: { regular: "NotoNaskhArabic-Regular.ttf", bold: "NotoNaskhArabic-Bold.ttf", italic: "NotoNaskhArabic-Regular.ttf" },
  },
  cjk: {
    pkg: "@embedpdf/fonts-sc",
    files: { regular: "NotoSansHans-Regular.otf", bold: "NotoSansHans-Bold.otf", italic: "NotoSansHans-Regular.otf" },
  },
};

const require = createRequire(import.meta.url);
const faces = new Map<string, Face>();

function load(family: Family, style: FontStyle): Face {
  const { pkg, files } = packages[family];
  const file = files[style];
  const key = `${family}-${file.replace(/\.[a-z]+$/, "")}`;
  let found = faces.get(key); // an Arabic or Chinese "italic" is the regular file
  if (!found) {
    // The packages export only an index of their files; the fonts sit in ../fonts beside it.
    const font = create(readFileSync(join(dirname(require.resolve(pkg)), "..", "fonts", file)));
    found = { key, font, unitsPerEm: font.unitsPerEm };
    faces.set(key, found);
  }
  return found;
}

const loaded: Partial<Record<`${Family}-${FontStyle}`, Face>> = {};
const face = (family: Family, style: FontStyle): Face => (loaded[`${family}-${style}`] ??= load(family, style));

/** The face a document's ordinary text starts in (and the one used for a character no font has). */
export const primaryFace = (style: FontStyle): Face => face("latin", style);

const arabicScript = /\p{Script=Arabic}/u;
// Characters that belong to whatever surrounds them: they stay in the face of the run they are in.
const joinsRun = /[\s\p{M}\u200c\u200d]/u;

/**
 * The face that draws a character: Arabic script in the Arabic font (Noto Sans also has a few
 * Arabic letters, but no Arabic shaping), then Noto Sans, then the Chinese font. A space or a
 * combining mark stays with the run before it, so an Arabic or Chinese phrase is one shaped run.
 */
export function faceFor(codePoint: number, style: FontStyle, previous?: Face): Face {
  if (codePoint < 0x7f && codePoint > 0x20) return primaryFace(style);
  const ch = String.fromCodePoint(codePoint);
  if (previous && joinsRun.test(ch) && previous.font.hasGlyphForCodePoint(codePoint)) return previous;
  const order: Family[] = arabicScript.test(ch) ? ["arabic", "latin", "cjk"] : ["latin", "cjk", "arabic"];
  for (const family of order) {
    const f = face(family, style);
    if (f.font.hasGlyphForCodePoint(codePoint)) return f;
  }
  // No font has it: Noto Sans draws its "missing glyph" box, which at least shows that something is there.
  return primaryFace(style);
}
