import { validationFailed } from "./errors.js";
import { maxEvidenceBytes, type EvidenceKind } from "./model/inductionRecords.js";

/**
 * Evidence file checks, pure: the type is decided by the file's first bytes (magic numbers), never
 * by its name or the declared content type alone; the name and the declared type must agree with
 * what the bytes are. Anything else is refused with a reason a teacher can act on.
 */

export const evidenceContentTypes: Record<EvidenceKind, string> = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  png: "image/png",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  text: "text/plain; charset=utf-8",
};

const extensions: Record<EvidenceKind, string[]> = {
  pdf: [".pdf"],
  docx: [".docx"],
  png: [".png"],
  jpeg: [".jpg", ".jpeg"],
  gif: [".gif"],
  webp: [".webp"],
  text: [".txt", ".text", ".md", ".csv"],
};

const kindLabels: Record<EvidenceKind, string> = {
  pdf: "a PDF",
  docx: "a Word document (.docx)",
  png: "a PNG image",
  jpeg: "a JPEG image",
  gif: "a GIF image",
  webp: "a WebP image",
  text: "a plain text file",
};

const allowedList = "PDF, Word (.docx), PNG, JPEG, GIF or WebP images, or plain text";

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((x, i) => b[at + i] === x);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

const wordMainType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
/**
 * True when a package's [Content_Types].xml declares a WordprocessingML main document part. The
 * server reads that part out of the ZIP (bot/src/app/evidencePackage.ts); this stays pure.
 */
export function declaresWordDocument(contentTypesXml: string): boolean {
  return new RegExp(`<Override\\b[^>]*\\bContentType\\s*=\\s*["']${wordMainType.replace(/[.+]/g, "\\$&")}["']`).test(contentTypesXml);
}

/** Well-formed UTF-8 with no NUL or other control characters except tab, newline, form feed and carriage return. */
function isPlainText(b: Uint8Array): boolean {
  let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) return false;
      if (c === 0x7f) return false;
      i++;
      continue;
    }
    const n = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 && c < 0xe0 ? 1 : -1;
    if (n < 0 || i + n >= b.length) return false;
    for (let k = 1; k <= n; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return false;
    i += n + 1;
  }
  return true;
}

/**
 * What the bytes are, or a description of what they look like when they are not allowed. A ZIP is
 * a Word document only when `zipContentTypes` (its [Content_Types].xml, as the server read it)
 * declares one.
 */
export function sniffEvidence(b: Uint8Array, zipContentTypes?: string): { kind: EvidenceKind } | { refused: string } {
  if (startsWith(b, ascii("%PDF-"))) return { kind: "pdf" };
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: "png" };
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { kind: "jpeg" };
  if (startsWith(b, ascii("GIF87a")) || startsWith(b, ascii("GIF89a"))) return { kind: "gif" };
  if (startsWith(b, ascii("RIFF")) && startsWith(b, ascii("WEBP"), 8)) return { kind: "webp" };
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) {
    // A .docx is a ZIP whose [Content_Types].xml declares a WordprocessingML main document (read
    // from the package's central directory, not guessed from names in the bytes); other ZIPs are refused.
    if (zipContentTypes !== undefined && declaresWordDocument(zipContentTypes)) return { kind: "docx" };
    return { refused: "a ZIP archive (or an Office file that is not a Word document)" };
  }
  if (startsWith(b, [0x4d, 0x5a])) return { refused: "a Windows program" };
  if (startsWith(b, [0x7f, 0x45, 0x4c, 0x46])) return { refused: "a program" };
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0])) return { refused: "an old-format Office file (.doc/.xls): save it as .docx or PDF" };
  if (isPlainText(b)) return { kind: "text" };
  return { refused: "a file type that is not allowed" };
}

/** A name safe to store and to send in a download header: letters, digits, spaces, - _ . ( ) only. */
export function sanitiseFileName(name: string, kind: EvidenceKind): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  let clean = base
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9 ._()-]+/g, "_")
    .replace(/\s+/g, " ")
    .replace(/_+/g, "_")
    .replace(/^[.\s_-]+|[.\s]+$/g, "");
  const dot = clean.lastIndexOf(".");
  let stem = dot > 0 ? clean.slice(0, dot) : clean;
  let ext = dot > 0 ? clean.slice(dot).toLowerCase() : "";
  if (!extensions[kind].includes(ext)) ext = extensions[kind][0]!;
  stem = stem.slice(0, 120).replace(/[.\s]+$/g, "");
  if (!stem) stem = "evidence";
  clean = `${stem}${ext}`;
  return clean;
}

export interface CheckedEvidenceFile {
  kind: EvidenceKind;
  contentType: string;
  fileName: string;
  size: number;
}

/**
 * Checks an upload: not empty, at most 10 MB, one of the allowed types by its bytes, and a name
 * and declared content type that agree with the bytes. Throws a validation error otherwise.
 */
export function checkEvidenceFile(bytes: Uint8Array, fileName: string, declaredType: string | undefined, zipContentTypes?: string): CheckedEvidenceFile {
  const refuse = (code: string, message: string) => {
    throw validationFailed([{ path: "file", code, message, severity: "error" }], message);
  };
  if (!fileName.trim()) refuse("evidence-needs-name", "Give the file a name (the filename query parameter or X-File-Name header).");
  if (bytes.length === 0) refuse("evidence-empty", "The file is empty. Nothing was saved.");
  if (bytes.length > maxEvidenceBytes)
    refuse("evidence-too-large", `The file is larger than 10 MB (${(bytes.length / 1024 / 1024).toFixed(1)} MB). Nothing was saved.`);
  const sniffed = sniffEvidence(bytes, zipContentTypes);
  if ("refused" in sniffed) {
    return refuse("evidence-type-not-allowed", `This file is ${sniffed.refused}, not ${allowedList}. Nothing was saved.`);
  }
  const { kind } = sniffed;
  const base = fileName.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  const ext = dot > 0 ? base.slice(dot).toLowerCase() : "";
  if (ext && !extensions[kind].includes(ext)) {
    refuse(
      "evidence-type-mismatch",
      `The file is named "${ext}" but its contents are ${kindLabels[kind]}. Rename it or upload the right file. Nothing was saved.`,
    );
  }
  const declared = (declaredType ?? "").split(";")[0]!.trim().toLowerCase();
  const expected = evidenceContentTypes[kind].split(";")[0]!;
  const generic = declared === "" || declared === "application/octet-stream";
  const jpegAlias = kind === "jpeg" && declared === "image/jpg";
  const textAlias = kind === "text" && (declared === "text/markdown" || declared === "text/csv");
  if (!generic && declared !== expected && !jpegAlias && !textAlias) {
    refuse("evidence-type-mismatch", `The file was sent as ${declared} but its contents are ${kindLabels[kind]}. Nothing was saved.`);
  }
  return { kind, contentType: evidenceContentTypes[kind], fileName: sanitiseFileName(base, kind), size: bytes.length };
}
