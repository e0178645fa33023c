/**
 * A store that was asked to slow down (throttled) for longer than its retries allow. Errors of
 * any adapter can carry this mark, so the API answers 503 with Retry-After and a card says
 * "busy, try again in a minute" without either knowing the adapter's error classes.
 */
export interface StoreBusy {
  /** The longest wait the service asked for, in seconds. */
  readonly retryAfterSeconds: number;
  /**
   * true: a change was refused with nothing written; false: part of it may have been written
   * (an undo failed); undefined: not known (a read, or a step outside a change).
   */
  readonly unchanged?: boolean;
  /** true: the change is recorded (SharePoint's change journal) and will complete without the user doing it again. */
  readonly completing?: boolean;
}

/** The mark an error sets to say it is a StoreBusy. */
export const storeBusyMark = "storeBusy" as const;

/** The StoreBusy an error carries, if it is one. */
export function storeBusy(error: unknown): StoreBusy | undefined {
  if (!(error instanceof Error)) return undefined;
  const e = error as Error & { [storeBusyMark]?: unknown; retryAfterSeconds?: unknown; unchanged?: unknown; completing?: unknown };
  if (e[storeBusyMark] !== true || typeof e.retryAfterSeconds !== "number" || !Number.isFinite(e.retryAfterSeconds)) return undefined;
  return {
    retryAfterSeconds: Math.max(0, e.retryAfterSeconds),
    ...(e.completing === true ? { completing: true } : typeof e.unchanged === "boolean" ? { unchanged: e.unchanged } : {}),
  };
}
