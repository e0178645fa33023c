import { buildDocument } from "./layouts/index.js";
import { renderDocx } from "./docx.js";
import { renderPdf } from "./pdf.js";
import type { ExportInput } from "./input.js";

export { buildDocument, isFullySigned, layouts } from "./layouts/index.js";
export { exportInputFrom, type ExportInput } from "./input.js";
export { renderDocx } from "./docx.js";
export { renderPdf } from "./pdf.js";
export { caseloadCsv, caseloadCsvColumns } from "./csv.js";
export * from "./model.js";

export type ExportFormat = "docx" | "pdf";

export const contentTypes: Record<ExportFormat, string> = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  pdf: "application/pdf",
};

export interface ExportedFile {
  body: Buffer;
  fileName: string;
  contentType: string;
}

/** A plan as its school's form, in Word or PDF: both drawn from the same document model. */
export async function exportPlan(input: ExportInput, format: ExportFormat): Promise<ExportedFile> {
  const model = buildDocument(input);
  const body = format === "docx" ? await renderDocx(model) : await renderPdf(model);
  return { body, fileName: `${model.fileBaseName}.${format}`, contentType: contentTypes[format] };
}
