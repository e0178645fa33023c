// The part of fontkit (2.x, no types of its own) that the PDF export uses: pdfkit draws with these
// same font objects, so the export measures exactly what pdfkit lays out.
declare module "fontkit" {
  export interface GlyphRun {
    advanceWidth: number;
    direction: "ltr" | "rtl";
  }
  export interface Font {
    postscriptName: string;
    unitsPerEm: number;
    hasGlyphForCodePoint(codePoint: number): boolean;
    layout(text: string, features?: string[]): GlyphRun;
  }
  export function create(buffer: Uint8Array): Font;
}
