import { randomUUID } from "node:crypto";
import type { Response } from "restify";
import type { Logger } from "../logger.js";
import { DomainError, type Violation } from "@ectsp/shared";
import { ZodError } from "zod";
import { storeBusy } from "../store/busy.js";

/** RFC 9457 problem details: every error the API returns has this shape. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  violations?: Violation[];
  [extra: string]: unknown;
}

const statusFor: Record<DomainError["kind"], number> = {
  validation: 422,
  bad_request: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_state: 409,
};

const titleFor: Record<DomainError["kind"], string> = {
  validation: "The plan has problems to fix",
  bad_request: "The request is not valid",
  forbidden: "Not allowed",
  not_found: "Not found",
  conflict: "Someone else changed this first",
  invalid_state: "Not possible right now",
};

export function problem(status: number, title: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  return { type: `https://ect-support-plans.example/problems/${title.toLowerCase().replace(/[^a-z]+/g, "-")}`, title, status, detail, ...extra };
}

/** zod issues as violations a form can show next to the field. */
export function zodViolations(error: ZodError): Violation[] {
  return error.issues.map((i) => ({ path: i.path.join("."), code: i.code, message: i.message, severity: "error" as const }));
}

/** An HTTP-level refusal (not signed in, body too large) that is not a domain rule. */
export class HttpProblem extends Error {
  /** restify reads statusCode when a middleware rejects with this. */
  readonly statusCode: number;
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.name = "HttpProblem";
    this.statusCode = problem.status;
  }
}

export function toProblem(error: unknown): Problem {
  if (error instanceof HttpProblem) return error.problem;
  if (error instanceof DomainError) {
    return problem(statusFor[error.kind], titleFor[error.kind], error.message, {
      ...(error.violations.length ? { violations: error.violations } : {}),
      ...error.details,
    });
  }
  if (error instanceof ZodError) {
    return problem(400, "The request is not valid", "Some fields are missing or not in the right form.", { violations: zodViolations(error) });
  }
  const busy = storeBusy(error);
  if (busy) {
    // Never less than a second: a client told "0" would come straight back while still throttled.
    const retryAfterSeconds = Math.max(1, Math.ceil(busy.retryAfterSeconds));
    const wait = `Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}.`;
    // Only say "nothing was changed" when the store says so; "it will complete" only when its journal holds the change.
    if (busy.completing) {
      const detail = `Saving is delayed: SharePoint is slow to confirm. Your change is recorded and will complete on its own; do not make it again. Reload in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"} to see it.`;
      return problem(503, "Saving is delayed; it will complete", detail, { retryAfterSeconds, completing: true });
    }
    const detail =
      busy.unchanged === true
        ? `Saving is delayed by throttling: SharePoint asked the app to slow down. Nothing was changed. ${wait}`
        : busy.unchanged === false
          ? `SharePoint did not confirm this change, and part of this change may have been saved. Reload to see what was kept before trying again. ${wait}`
          : `The app is busy: SharePoint asked it to slow down. ${wait}`;
    return problem(503, "Busy, try again shortly", detail, { retryAfterSeconds, ...(busy.unchanged !== undefined ? { unchanged: busy.unchanged } : {}) });
  }
  return problem(500, "Something went wrong", "The server could not complete this request. Nothing was changed.");
}

/**
 * What a log line may say about an unexpected error: its name and, when it has one, its code
 * (SQLITE_BUSY, ECONNRESET) and status, never its message (an upstream error's text can quote a
 * request, a token or plan content) and never its stack.
 */
export function errorLogFields(error: unknown): { error: string; code?: string; status?: number } {
  if (!(error instanceof Error)) return { error: typeof error };
  const e = error as Error & { code?: unknown; statusCode?: unknown; status?: unknown };
  const status = typeof e.statusCode === "number" ? e.statusCode : typeof e.status === "number" ? e.status : undefined;
  return {
    error: e.name || "Error",
    ...(typeof e.code === "string" && /^[A-Za-z0-9_.-]{1,64}$/.test(e.code) ? { code: e.code } : {}),
    ...(status !== undefined ? { status } : {}),
  };
}

/**
 * A 500: logged by name/code with a fresh correlation id, answered with a generic message and
 * the same id (so a support request can be matched to the log line) and nothing of the error.
 */
export function serverFailure(logger: Logger, error: unknown, fields: Record<string, unknown> = {}): Problem {
  const correlationId = randomUUID();
  logger.error("request failed", { ...fields, ...errorLogFields(error), correlationId });
  return problem(
    500,
    "Something went wrong",
    `The server could not complete this request. Nothing was changed. Quote reference ${correlationId} if you report it.`,
    {
      correlationId,
    },
  );
}

export function sendProblem(res: Response, p: Problem): void {
  // Sent through restify (not res.end) so it knows the response is done.
  res.header("content-type", "application/problem+json");
  res.header("cache-control", "no-store");
  if (p.status === 503 && typeof p.retryAfterSeconds === "number") res.header("retry-after", String(p.retryAfterSeconds));
  res.send(p.status, p);
}
