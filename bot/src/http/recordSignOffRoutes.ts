/**
 * Sign-off, AB return and revision of progress reviews and formal assessments (issue 16 item 3).
 * Each route calls its use case in bot/src/records; nothing is decided here.
 */
import type { Server } from "restify";
import { z } from "zod";
import type { PlanDeps } from "../plans/deps.js";
import type { InductionRecordStore } from "../app/inductionRecords.js";
import type { Logger } from "../logger.js";
import { signInductionRecord } from "../records/signInductionRecord.js";
import { returnInductionRecord } from "../records/returnInductionRecord.js";
import { reviseInductionRecord } from "../records/reviseInductionRecord.js";
import { caller, handle, pathParam, sendJson, type AuthedRequest } from "./handle.js";
import { HttpProblem, problem } from "./problem.js";

const id = (req: AuthedRequest, name: string) => z.string().min(1).max(128).parse(pathParam(req, name));

/** A JSON object body; `optional` lets signing be sent with none. */
const bodyOf = (req: AuthedRequest, optional = false): unknown => {
  if ((req.body === undefined || req.body === null || req.body === "") && optional) return {};
  if (req.body === undefined || req.body === null || typeof req.body !== "object" || Array.isArray(req.body)) {
    throw new HttpProblem(problem(400, "The request is not valid", "Send a JSON object body with content-type application/json."));
  }
  return req.body;
};

export function registerRecordSignOffRoutes(server: Server, deps: PlanDeps, store: InductionRecordStore, logger: Logger): void {
  const recordDeps = {
    service: deps.service,
    store,
    planIdsOf: async (ectId: string) => (await deps.service.planSummariesOf(ectId)).map((p) => p.id),
  };

  server.post(
    "/api/ects/:ectId/records/:recordId/signatures",
    handle(logger, async (req, res) => {
      const result = await signInductionRecord(recordDeps, caller(req), id(req, "ectId"), id(req, "recordId"), bodyOf(req, true));
      sendJson(res, 201, result);
    }),
  );

  server.post(
    "/api/ects/:ectId/records/:recordId/returns",
    handle(logger, async (req, res) => {
      const result = await returnInductionRecord(recordDeps, caller(req), id(req, "ectId"), id(req, "recordId"), bodyOf(req));
      sendJson(res, 201, result);
    }),
  );

  server.post(
    "/api/ects/:ectId/records/:recordId/revisions",
    handle(logger, async (req, res) => {
      const result = await reviseInductionRecord(recordDeps, caller(req), id(req, "ectId"), id(req, "recordId"), bodyOf(req));
      sendJson(res, 201, result);
    }),
  );
}
