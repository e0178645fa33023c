/**
 * Issue 15: the AB dashboard's facts and an ECT's induction journey, as JSON for the tab's
 * charts and their text alternatives. Both answers are parsed with their shared zod schema on
 * the way out, so the tab draws only what the schema promises.
 */
import type { Server } from "restify";
import { z } from "zod";
import { AbDashboard, EctJourney, HrAlongsideInduction, schoolDate } from "@ectsp/shared";
import type { Clock } from "../clock.js";
import { loadAbDashboard, loadEctJourney, type DashboardReads } from "../app/abDashboard.js";
import { loadHrAlongsideInduction } from "../app/hrAlongsideInduction.js";
import type { Store } from "../store/store.js";
import type { Logger } from "../logger.js";
import { caller, handle, pathParam, sendJson } from "./handle.js";

const EctIdParam = z.string().min(1).max(128);

export function registerDashboardRoutes(server: Server, store: DashboardReads & Pick<Store, "getSchool">, clock: Clock, logger: Logger): void {
  // Today in London from the injected clock, read per request.
  const today = () => schoolDate(clock.now());
  server.get(
    "/api/ab/dashboard",
    handle(logger, async (req, res) => {
      sendJson(res, 200, AbDashboard.parse(await loadAbDashboard(store, caller(req), today())));
    }),
  );

  server.get(
    "/api/ects/:ectId/journey",
    handle(logger, async (req, res) => {
      const ectId = EctIdParam.parse(pathParam(req, "ectId"));
      sendJson(res, 200, EctJourney.parse(await loadEctJourney(store, caller(req), ectId, today())));
    }),
  );

  // Issue 16, item 8: seed 003's "HR v ECT Induction" table for this ECT, with the term marked now.
  server.get(
    "/api/ects/:ectId/hr-alongside-induction",
    handle(logger, async (req, res) => {
      const ectId = EctIdParam.parse(pathParam(req, "ectId"));
      sendJson(res, 200, HrAlongsideInduction.parse(await loadHrAlongsideInduction(store, caller(req), ectId, today())));
    }),
  );
}
