/**
 * The tab's one source of time: everything in the tab that needs "now" (today's date, draft
 * timestamps, token expiry) asks this function, so tests mock this module and never depend on
 * the machine's date. Nothing else in the tab calls `new Date()` or `Date.now()`.
 */
export function now(): Date {
  return new Date();
}
