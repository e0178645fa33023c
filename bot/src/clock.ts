/**
 * The server's one source of time. `main.ts` builds the system clock; everything that needs the
 * time (use cases, stores, scheduler, dispatcher, reminders, the timeline, logs) is handed this
 * object, so tests move one clock and never depend on today's date.
 */
export interface Clock {
  now(): Date;
}

/** The machine's clock. Only `main.ts` (the composition root) uses it. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * Milliseconds to wait for an HTTP `Retry-After` (seconds, or an HTTP date). A date is measured
 * against the answer's own `Date` header when it has one, so our clock and the service's never
 * have to agree; otherwise against our clock.
 */
export function retryAfterMs(raw: string | undefined, clock: Clock, responseDate?: string): number | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  const base = responseDate !== undefined && !Number.isNaN(Date.parse(responseDate)) ? Date.parse(responseDate) : clock.now().getTime();
  return Math.max(0, at - base);
}
