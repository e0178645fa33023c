import { formatSchoolDateTime, formatShortDate, schoolDate } from "@shared/calendar";
import type { PlanStatus } from "@shared/model/plan";
import { now } from "./clock";

let locale = "en-GB";
export const setLocale = (l: string | undefined) => {
  if (l) locale = l;
};

/** "30 Nov 2026" from an ISO date (an instant: its day in London); "" when absent. */
export function formatDate(iso: string | undefined): string {
  return formatShortDate(iso, locale);
}

/** An instant in London whatever the browser's zone: "30 November 2026 at 10:00 GMT"; "" when absent. */
export function formatDateTime(iso: string | undefined): string {
  return formatSchoolDateTime(iso, locale);
}

export const statusLabels: Record<PlanStatus, string> = {
  draft: "Draft",
  awaiting_signatures: "Awaiting signatures",
  agreed: "Agreed",
  active: "Active",
  in_review: "In review",
  closed: "Closed",
};

export const outcomeLabels: Record<string, string> = { on_track: "On track", continued: "Continued", escalated: "Escalated" };

/** Today in London by the tab's clock (not the UTC date, which is yesterday from midnight to 1am in summer). */
export const todayIso = () => schoolDate(now());

/** "4f1c9a2b…7e3d": a seal digest short enough to read aloud; the full one is always offered beside it. */
export const shortDigest = (hex: string) => (hex.length > 16 ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : hex);
