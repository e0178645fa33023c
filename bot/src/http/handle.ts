import type { Request, Response } from "restify";
import type { Person } from "@ectsp/shared";
import { HttpProblem, errorLogFields, toProblem, sendProblem, problem, serverFailure } from "./problem.js";
import type { Logger } from "../logger.js";

/** The signed-in caller, attached by the authentication step. */
export interface AuthedRequest extends Request {
  caller?: Person;
}

export type Handler = (req: AuthedRequest, res: Response) => Promise<void>;

/**
 * Wraps a route so every failure becomes problem JSON. Unexpected errors are logged by kind
 * and id only: request bodies hold plan content and are never logged.
 */
export function handle(logger: Logger, fn: Handler): Handler {
  return async (req, res) => {
    try {
      await fn(req, res);
    } catch (error) {
      let p = toProblem(error);
      const fields = { route: req.getRoute()?.path, method: req.method };
      // Throttling that outlasted the retries is a 503 with Retry-After, not a failure of ours.
      if (p.status === 503) logger.warn("request delayed by throttling", { ...fields, ...errorLogFields(error), retryAfterSeconds: p.retryAfterSeconds });
      // Logged by error name, code and a correlation id only (serverFailure): never the message.
      else if (p.status >= 500) p = serverFailure(logger, error, fields);
      sendProblem(res, p);
    }
  };
}

export function caller(req: AuthedRequest): Person {
  if (!req.caller) throw new HttpProblem(problem(401, "Sign in", "Sign in to use the app."));
  return req.caller;
}

export function sendJson(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.header(k, v);
  res.header("cache-control", "no-store");
  res.send(status, body);
}

/** A path parameter as the router saw it, untyped until a zod schema parses it. */
export function pathParam(req: Request, name: string): unknown {
  return (req.params as Record<string, unknown> | undefined)?.[name];
}
