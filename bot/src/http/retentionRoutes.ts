/** Retention over HTTP (issue 16, item 9): the lead's list of what has passed its date, and the confirmation. */
import type { Server } from "restify";
import { ConfirmRetentionInput, RetentionDeletionResult, RetentionDueList } from "@ectsp/shared";
import type { RetentionService } from "../app/retention.js";
import type { Logger } from "../logger.js";
import { caller, handle, sendJson, type AuthedRequest } from "./handle.js";
import { HttpProblem, problem } from "./problem.js";

const jsonBody = (req: AuthedRequest): unknown => {
  if (req.body === undefined || req.body === null || typeof req.body !== "object") {
    throw new HttpProblem(problem(400, "The request is not valid", "Send a JSON object body with content-type application/json. Nothing was deleted."));
  }
  return req.body;
};

export function registerRetentionRoutes(server: Server, retention: RetentionService, logger: Logger): void {
  server.get(
    "/api/retention",
    handle(logger, async (req, res) => {
      sendJson(res, 200, RetentionDueList.parse(await retention.dueList(caller(req))));
    }),
  );

  server.post(
    "/api/retention/deletions",
    handle(logger, async (req, res) => {
      const who = caller(req);
      const input = ConfirmRetentionInput.parse(jsonBody(req));
      sendJson(res, 200, RetentionDeletionResult.parse(await retention.confirm(who, input)));
    }),
  );
}
