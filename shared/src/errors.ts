/**
 * Domain errors. The server maps each kind to an HTTP status and a problem+json body
 * (RFC 9457); the bot maps them to a card that says what is wrong.
 */
export interface Violation {
  /** Where in the plan, e.g. "targets.2.standards"; "" for the plan as a whole. */
  path: string;
  /** Stable machine code, e.g. "target-needs-standard". */
  code: string;
  message: string;
  /**
   * "error" blocks saving; "incomplete" may be saved as a draft but blocks agreement;
   * "warning" is advice (e.g. escalate an ECT2 sooner).
   */
  severity: "error" | "incomplete" | "warning";
}

/** "bad_request": the body asks for something no form has a place for (a 400, like a malformed body). */
export type DomainErrorKind = "validation" | "bad_request" | "forbidden" | "not_found" | "conflict" | "invalid_state";

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly violations: Violation[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const forbidden = (message: string) => new DomainError("forbidden", message);
export const notFound = (what: string) => new DomainError("not_found", `${what} was not found`);
export const invalidState = (message: string) => new DomainError("invalid_state", message);
export const validationFailed = (violations: Violation[], message = "The plan has problems to fix") => new DomainError("validation", message, violations);
export const conflict = (message: string, details: Record<string, unknown> = {}) => new DomainError("conflict", message, [], details);
