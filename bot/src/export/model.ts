/**
 * The neutral document model every export is laid out into. Layout modules (one per template
 * family) build it from the domain plan; the Word and PDF renderers draw it. Neither renderer
 * knows anything about plans, so both documents carry exactly the same text.
 */

/** One cell of a table: plain text, or a bold label followed by a value, optionally spanning columns. */
export interface Cell {
  text: string;
  /** Shown in bold before the text (e.g. "ECTs comment on progress:"). */
  label?: string;
  /** Columns this cell covers (default 1). */
  span?: number;
  /** Header-like cell: bold, shaded. */
  strong?: boolean;
}

export interface TableRow {
  cells: Cell[];
}

export interface TableColumn {
  label: string;
  /** Relative width. */
  weight: number;
}

export type Block =
  /** pageBreakBefore: the heading starts a new page (each part of a whole record, bundle.ts). */
  | { kind: "heading"; text: string; level: 1 | 2; pageBreakBefore?: boolean }
  | { kind: "paragraph"; text: string; tone?: "normal" | "note" | "alert" }
  /** Label/value pairs laid out as a two-column (or, with perRow 2, four-column) table. */
  | { kind: "fields"; rows: { label: string; value: string }[]; perRow?: 1 | 2 }
  | { kind: "table"; columns: TableColumn[]; rows: TableRow[] };

export interface ExportDocument {
  /** The form's title, as the seed words it. */
  title: string;
  subtitle?: string;
  orientation: "portrait" | "landscape";
  /** Printed at the top of every page: the confidentiality mark, and the draft mark when not fully signed. */
  pageHeader: string[];
  /** Printed at the foot of every page: which plan, which version and revision, when exported. */
  pageFooter: string;
  /** True when the plan is not signed by everyone on its current revision. */
  draft: boolean;
  blocks: Block[];
  /** Sanitised file name without extension, e.g. "Level-4-Cause-for-concern-Ben-Okafor-v12". */
  fileBaseName: string;
  /** Document properties (title, subject) for both formats. */
  properties: { title: string; subject: string; keywords: string };
}

export const CONFIDENTIAL_MARK = "CONFIDENTIAL — ECT induction record";
export const DRAFT_MARK = "NOT SIGNED — DRAFT FOR DISCUSSION";
