import { CONFIDENTIAL_MARK, DRAFT_MARK, type Block, type ExportDocument } from "../model.js";
import { formatDate, formatDateTime, safeFilePart } from "../format.js";

/** One document of the whole record, with the date it is filed under and what it is. */
export interface BundlePart {
  document: ExportDocument;
  /** ISO date: a plan's start, a review's or assessment's own date. */
  date: string;
  /** "Support plan", "Progress review", "Formal assessment 1"… */
  kind: string;
}

export const PARTS_NOT_SIGNED_MARK = "SOME PARTS ARE NOT SIGNED BY EVERYONE REQUIRED — SEE EACH PART";

/**
 * Several documents as one (the renderers draw one ExportDocument): a contents page listing each
 * part, its date and whether it is signed, then each part from a new page under its own heading,
 * with its own title, marks and footer line printed at its start (the page furniture is the whole
 * record's: the model has one header and footer per document).
 */
export function bundleDocuments(
  meta: { title: string; ectName: string; schoolName: string; exportedAt: Date; exportedByName: string },
  parts: readonly BundlePart[],
): ExportDocument {
  const anyDraft = parts.some((p) => p.document.draft);
  const blocks: Block[] = [
    {
      kind: "fields",
      perRow: 2,
      rows: [
        { label: "ECT", value: meta.ectName },
        { label: "School", value: meta.schoolName },
        { label: "Exported", value: formatDateTime(meta.exportedAt) },
        { label: "Exported by", value: meta.exportedByName },
      ],
    },
    { kind: "heading", text: "Contents", level: 1 },
    parts.length === 0
      ? { kind: "paragraph", text: "Nothing is recorded for this ECT yet: no support plan, progress review or formal assessment." }
      : {
          kind: "table",
          columns: [
            { label: "Part", weight: 0.5 },
            { label: "What", weight: 1.4 },
            { label: "Title", weight: 3 },
            { label: "Date", weight: 1.2 },
            { label: "Signed", weight: 1.2 },
          ],
          rows: parts.map((p, i) => ({
            cells: [
              { text: String(i + 1) },
              { text: p.kind },
              { text: [p.document.title, p.document.subtitle].filter(Boolean).join(": ") },
              { text: formatDate(p.date) },
              { text: p.document.draft ? "NOT SIGNED by everyone" : "Signed" },
            ],
          })),
        },
  ];
  parts.forEach((p, i) => {
    const doc = p.document;
    blocks.push(
      { kind: "heading", text: `Part ${i + 1} of ${parts.length}: ${doc.title}`, level: 1, pageBreakBefore: true },
      ...(doc.subtitle ? [{ kind: "paragraph" as const, text: doc.subtitle }] : []),
      { kind: "paragraph", tone: "note", text: `${doc.pageFooter} · ${formatDate(p.date)}${doc.draft ? " · NOT SIGNED" : ""}` },
      // The part's own marks (superseded, seal mismatch); its draft mark already opens its blocks.
      ...doc.pageHeader
        .slice(1)
        .map((line) =>
          line
            .split(" · ")
            .filter((mark) => mark !== DRAFT_MARK)
            .join(" · "),
        )
        .filter(Boolean)
        .map((line): Block => ({ kind: "paragraph", tone: "alert", text: line })),
      ...doc.blocks,
    );
  });
  return {
    title: meta.title,
    subtitle: `${meta.ectName} · ${meta.schoolName}`,
    // A plan's weekly grid needs the width; the reviews read as well across it.
    orientation: parts.some((p) => p.document.orientation === "landscape") ? "landscape" : "portrait",
    pageHeader: [CONFIDENTIAL_MARK, ...(anyDraft ? [PARTS_NOT_SIGNED_MARK] : [])],
    pageFooter: `${meta.title} · ${meta.ectName} · ${meta.schoolName} · exported ${formatDate(meta.exportedAt.toISOString())}`,
    // Each part carries its own draft mark; the record as a whole is not one signed text.
    draft: false,
    blocks,
    fileBaseName: `Induction-record-${safeFilePart(meta.ectName) || "ECT"}`,
    properties: {
      title: `${meta.title} — ${meta.ectName}`,
      subject: `Confidential induction record: ${parts.length} part(s)`,
      keywords: "confidential, ECT induction, induction record",
    },
  };
}
