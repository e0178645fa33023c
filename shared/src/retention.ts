import type { Ect } from "./model/people.js";

/** Schools and ABs keep induction records for six years (SG §2.77, §5.3, §5.11). */
export const retentionYears = 6;

const addYears = (isoDate: string, years: number) => {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + Math.floor(years));
  d.setUTCDate(d.getUTCDate() + Math.round((years % 1) * 365));
  return d.toISOString().slice(0, 10);
};

/**
 * The date until which a plan must be kept: six years after the ECT's induction is expected
 * to end (two years FTE, longer part-time, plus extensions), and never earlier than six years
 * from today.
 */
export function retainUntil(ect: Ect, today: string): string {
  const extensionTerms = ect.extensions.reduce((n, e) => n + e.terms, 0);
  const inductionYears = (2 + extensionTerms / 3) / ect.fte;
  const end = addYears(ect.inductionStartDate, inductionYears);
  const fromEnd = addYears(end, retentionYears);
  const fromToday = addYears(today, retentionYears);
  return fromEnd > fromToday ? fromEnd : fromToday;
}
