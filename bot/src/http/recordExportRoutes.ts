import type { Request, Response, Server } from "restify";
import { z } from "zod";
import type { Logger } from "../logger.js";
import { exportRecord, type RecordExportDeps } from "../records/exportRecord.js";
import { exportWholeRecord } from "../records/exportWholeRecord.js";
import { caller, handle } from "./handle.js";

const param = (req: Request, name: string) =>
  z
    .string()
    .min(1)
    .max(128)
    .parse((req.params as Record<string, unknown>)[name]);

/** A download: never cached (induction records are confidential), never sniffed, always saved as a file. */
function sendFile(res: Response, body: Buffer, contentType: string, fileName: string): void {
  res.sendRaw(200, body, {
    "content-type": contentType,
    "content-length": String(body.length),
    // The name is plain ASCII letters, digits, hyphens and a dot (safeFilePart): nothing to escape.
    "content-disposition": `attachment; filename="${fileName}"`,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
}

/**
 * Reviews and assessments as the AB's forms (Word, PDF), and an ECT's whole induction record as
 * one PDF. The use cases in bot/src/records load, authorise and audit; the documents come from
 * bot/src/export/records.
 */
export function registerRecordExportRoutes(server: Server, deps: RecordExportDeps, logger: Logger): void {
  for (const format of ["docx", "pdf"] as const) {
    server.get(
      `/api/ects/:ectId/records/:recordId/export.${format}`,
      handle(logger, async (req, res) => {
        const file = await exportRecord(deps, caller(req), param(req, "ectId"), param(req, "recordId"), format);
        sendFile(res, file.body, file.contentType, file.fileName);
      }),
    );
  }
  server.get(
    "/api/ects/:ectId/record.pdf",
    handle(logger, async (req, res) => {
      const file = await exportWholeRecord(deps, caller(req), param(req, "ectId"));
      sendFile(res, file.body, file.contentType, file.fileName);
    }),
  );
}
