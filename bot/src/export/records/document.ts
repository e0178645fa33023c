import { CONFIDENTIAL_MARK, DRAFT_MARK, type Block, type ExportDocument } from "../model.js";
import { safeFilePart } from "../format.js";
import { renderDocx } from "../docx.js";
import { renderPdf } from "../pdf.js";
import { isCurrent, type RecordExportInput } from "./input.js";
import { recordBody, recordTitle } from "./layout.js";
import { missingOnPrinted, recordCertificate, recordSignerLabels } from "./certificate.js";

export const SUPERSEDED_MARK = "SUPERSEDED — A LATER REVISION REPLACES THIS ONE";

export type RecordExportFormat = "docx" | "pdf";

const contentTypes: Record<RecordExportFormat, string> = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  pdf: "application/pdf",
};

/** True while someone required has not signed the revision printed. */
export const isRecordDraft = (input: RecordExportInput): boolean => missingOnPrinted(input).length > 0;

export function recordFileBaseName(input: RecordExportInput): string {
  const what = safeFilePart(input.record.due?.label ?? recordTitle(input)) || "induction-record";
  return [what, safeFilePart(input.ectName)].filter(Boolean).join("-") + `-r${input.record.revision}`;
}

/** A review or assessment as one document: the form, then its signatures and certificate. */
export function buildRecordDocument(input: RecordExportInput): ExportDocument {
  const draft = isRecordDraft(input);
  const superseded = !isCurrent(input);
  const title = recordTitle(input);
  const blocks: Block[] = [];
  if (draft) {
    const missing = missingOnPrinted(input).map((r) => recordSignerLabels[r]);
    blocks.push({
      kind: "paragraph",
      tone: "alert",
      text: `${DRAFT_MARK}: not everyone required has signed revision ${input.record.revision} (still to sign: ${missing.join(", ")}).`,
    });
  }
  blocks.push(...recordBody(input), ...recordCertificate(input));
  const marks = [...(draft ? [DRAFT_MARK] : []), ...(superseded ? [SUPERSEDED_MARK] : [])];
  return {
    title,
    ...(input.record.due ? { subtitle: input.record.due.label } : {}),
    orientation: "portrait",
    // At most two lines: the page's top margin holds two.
    pageHeader: [CONFIDENTIAL_MARK, ...(marks.length ? [marks.join(" · ")] : [])],
    pageFooter: `${title} · ${input.ectName} · ${input.schoolName} · Revision ${input.record.revision}`,
    draft,
    blocks,
    fileBaseName: recordFileBaseName(input),
    properties: {
      title: `${title} — ${input.ectName}`,
      subject: `Confidential induction record: ${input.record.due?.label ?? title}, revision ${input.record.revision}`,
      keywords: "confidential, ECT induction, progress review, formal assessment",
    },
  };
}

export interface ExportedRecordFile {
  body: Buffer;
  fileName: string;
  contentType: string;
}

/** The document in Word or PDF, through the same renderers as the plans. */
export async function renderRecordDocument(model: ExportDocument, format: RecordExportFormat): Promise<ExportedRecordFile> {
  const body = format === "docx" ? await renderDocx(model) : await renderPdf(model);
  return { body, fileName: `${model.fileBaseName}.${format}`, contentType: contentTypes[format] };
}
