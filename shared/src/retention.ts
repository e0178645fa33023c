import type { Ect } from "./model/people.js";
import { inductionTimeline } from "./timeline.js";
import type { TermCalendar } from "./termCalendar.js";

/** Schools and ABs keep induction records for six years (SG §2.77, §5.3, §5.11). */
export const retentionYears = 6;

const addYears = (isoDate: string, years: number) => {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
};

/**
 * The date until which a plan must be kept: six years after the ECT's induction is expected
 * to end (from the induction timeline: FTE, absences and extensions included), and never
 * earlier than six years from today.
 */
export function retainUntil(ect: Ect, today: string, terms?: TermCalendar): string {
  const fromEnd = addYears(inductionTimeline(ect, today, terms).expectedEndDate, retentionYears);
  const fromToday = addYears(today, retentionYears);
  return fromEnd > fromToday ? fromEnd : fromToday;
}
