import type { Response, Server } from "restify";
import { z } from "zod";
import { forbidden, schoolDate, type Person } from "@ectsp/shared";
import { lastRatingText, latestJudgements, type InductionRecordStore } from "../app/inductionRecords.js";
import type { Logger } from "../logger.js";
import type { PlanDeps } from "../plans/deps.js";
import { exportPlan } from "../plans/exportPlan.js";
import { caseloadCsv } from "../export/index.js";
import { safeFilePart } from "../export/format.js";
import { caller, handle } from "./handle.js";
import { registerRecordExportRoutes } from "./recordExportRoutes.js";

const planIdParam = (params: Record<string, unknown>) => z.string().min(1).max(128).parse(params.planId);

/** A download: never cached (induction records are confidential), never sniffed, always saved as a file. */
function sendFile(res: Response, body: Buffer | string, contentType: string, fileName: string): void {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  res.sendRaw(200, bytes, {
    "content-type": contentType,
    "content-length": String(bytes.length),
    // The name is already plain ASCII letters, digits, hyphens and a dot: nothing to escape.
    "content-disposition": `attachment; filename="${fileName}"`,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
}

/** Who may download a caseload as CSV: AB officers (their AB's ECTs), heads and induction leads (their school's). */
const mayExportCaseload = (p: Person) => p.roles.some((r) => r === "ab_officer" || r === "head" || r === "induction_lead");

/**
 * Records as documents: each plan as its school's form (Word, PDF), and the caseload as CSV for
 * an AB's own systems. A plan's download is the exportPlan use case (loading and its audit); the
 * document itself comes from bot/src/export.
 */
export function registerExportRoutes(server: Server, deps: PlanDeps, records: Pick<InductionRecordStore, "listRecords">, logger: Logger): void {
  const { service } = deps;
  registerRecordExportRoutes(server, { service, records }, logger);
  for (const format of ["docx", "pdf"] as const) {
    server.get(
      `/api/plans/:planId/export.${format}`,
      handle(logger, async (req, res) => {
        const file = await exportPlan(deps, caller(req), planIdParam(req.params as Record<string, unknown>), format);
        sendFile(res, file.body, file.contentType, file.fileName);
      }),
    );
  }

  server.get(
    "/api/caseload.csv",
    handle(logger, async (req, res) => {
      const actor = caller(req);
      if (!mayExportCaseload(actor)) throw forbidden("Only appropriate body officers, headteachers and induction leads can download a caseload.");
      const today = schoolDate(service.now());
      const rows = await service.caseload(actor, today);
      const who = actor.roles.includes("ab_officer") ? "appropriate-body" : "school";
      const latest = latestJudgements(await records.listRecords({ ectIds: rows.map((r) => r.ectId) }));
      const lastRatings = new Map([...latest].map(([ectId, r]) => [ectId, lastRatingText(r)]));
      sendFile(res, caseloadCsv(rows, lastRatings), "text/csv; charset=utf-8; header=present", `caseload-${safeFilePart(who)}-${today}.csv`);
    }),
  );
}
