import type { Server } from "restify";
import {
  Id,
  can,
  explainRefusal,
  forbidden,
  ladder,
  roleLabels,
  schoolDate,
  standardHeadings,
  standardsLicence,
  templates,
  inductionTimeline,
  termsOf,
} from "@ectsp/shared";
import type { PlanService } from "../app/planService.js";
import type { Logger } from "../logger.js";
import { caller, handle, pathParam, sendJson } from "./handle.js";

export function registerDirectoryRoutes(server: Server, service: PlanService, logger: Logger, mode: "local" | "tenant"): void {
  const today = () => schoolDate(service.now());

  server.get(
    "/api/me",
    handle(logger, async (req, res) => {
      const me = caller(req);
      sendJson(res, 200, { person: me, roleLabels: me.roles.map((r) => roleLabels[r]), mode });
    }),
  );

  server.get(
    "/api/caseload",
    handle(logger, async (req, res) => {
      sendJson(res, 200, { rows: await service.caseload(caller(req), today()) });
    }),
  );

  server.get(
    "/api/ects/:ectId",
    handle(logger, async (req, res) => {
      const ectId = Id.parse(pathParam(req, "ectId"));
      const ectCtx = await service.ectContext(ectId);
      if (!can(caller(req), "read_plan", ectCtx.ect)) throw forbidden(explainRefusal("read_plan"));
      const plans = await service.planSummariesOf(ectId);
      sendJson(res, 200, {
        ect: ectCtx.ect,
        name: ectCtx.ectPerson.displayName,
        schoolName: ectCtx.school.name,
        timeline: inductionTimeline(ectCtx.ect, today(), termsOf(ectCtx.school)),
        plans: plans.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)),
      });
    }),
  );

  // Reference data the tab renders forms from: the same objects the server validates with.
  server.get(
    "/api/reference",
    handle(logger, async (_req, res) => {
      res.header("cache-control", "public, max-age=3600");
      res.send(200, { templates, ladder, standards: standardHeadings, standardsLicence });
    }),
  );
}
