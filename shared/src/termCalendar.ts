import { z } from "zod";
import { IsoDate } from "./model/ids.js";

/**
 * School terms for the induction timeline. By default the English pattern as calendar blocks:
 * Autumn from 1 September, Spring from 1 January, Summer from 1 April. A school can give its own
 * term start dates: each term then runs from its start to the day before the next term starts, so
 * a holiday belongs to the term before it (time is still served by the calendar day: timeline.ts).
 * Terms the school has not given keep the default start.
 */

export const TermSeason = z.enum(["Autumn", "Spring", "Summer"]);
export type TermSeason = z.infer<typeof TermSeason>;

/** The default first day of each term: [month, day]. */
const defaultStart: Record<TermSeason, [number, number]> = { Spring: [1, 1], Summer: [4, 1], Autumn: [9, 1] };
/**
 * Where a school's own start may fall, [month, day] to [month, day]: wide enough for Easter and
 * late-August starts, narrow enough that the terms keep their order within their calendar year.
 */
export const termStartWindow: Record<TermSeason, [[number, number], [number, number]]> = {
  Spring: [
    [1, 1],
    [2, 1],
  ],
  Summer: [
    [3, 15],
    [5, 15],
  ],
  Autumn: [
    [8, 15],
    [9, 30],
  ],
};

const DAY_MS = 86_400_000;
const dayOf = (year: number, [month, day]: [number, number]) => Date.UTC(year, month - 1, day) / DAY_MS;
const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const dayOfIso = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;

/** One term's first day as the school sets it: "Spring 2027 starts on 2027-01-05". */
export const TermStart = z.object({ season: TermSeason, year: z.number().int().min(2000).max(2100), start: IsoDate });
export type TermStart = z.infer<typeof TermStart>;

/** A school's term start dates: each term at most once, each inside its window (termStartWindow). */
export const SchoolTermDates = z
  .array(TermStart)
  .max(60)
  .superRefine((terms, ctx) => {
    const seen = new Set<string>();
    terms.forEach((t, i) => {
      const key = `${t.season} ${t.year}`;
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: [i, "season"], message: `${key} is listed twice: give each term one start date` });
      seen.add(key);
      const [from, to] = termStartWindow[t.season].map((md) => dayOf(t.year, md)) as [number, number];
      const day = dayOfIso(t.start);
      if (day < from || day > to) {
        ctx.addIssue({
          code: "custom",
          path: [i, "start"],
          message: `${key} cannot start on ${t.start}: give a date from ${isoOf(from)} to ${isoOf(to)}`,
        });
      }
    });
  });
export type SchoolTermDates = z.infer<typeof SchoolTermDates>;

export interface TermSpan {
  season: TermSeason;
  /** The calendar year the term starts in (Autumn 2026 = from September 2026). */
  year: number;
  /** Day numbers (days since 1970-01-01), inclusive. */
  start: number;
  end: number;
}

/** Which term a day falls in. */
export interface TermCalendar {
  spanOf(day: number): TermSpan;
}

/** Terms in order, around a calendar year: Autumn of the year before to Spring of the year after. */
const around = (year: number): { season: TermSeason; year: number }[] => [
  { season: "Autumn", year: year - 1 },
  { season: "Spring", year },
  { season: "Summer", year },
  { season: "Autumn", year },
  { season: "Spring", year: year + 1 },
];

/** A term calendar from a school's start dates (none: the default English pattern). */
export function termCalendar(dates: readonly TermStart[] = []): TermCalendar {
  const given = new Map(dates.map((t) => [`${t.season} ${t.year}`, dayOfIso(t.start)]));
  const startOf = (season: TermSeason, year: number) => given.get(`${season} ${year}`) ?? dayOf(year, defaultStart[season]);
  return {
    spanOf(day: number): TermSpan {
      const year = new Date(day * DAY_MS).getUTCFullYear();
      const terms = around(year).map((t) => ({ ...t, start: startOf(t.season, t.year) }));
      // The windows keep the starts in order, so the term is the last one started by `day`.
      let i = terms.length - 2;
      while (i > 0 && terms[i]!.start > day) i--;
      const term = terms[i]!;
      return { season: term.season, year: term.year, start: term.start, end: terms[i + 1]!.start - 1 };
    },
  };
}

/** The default English pattern: Autumn 1 Sep–31 Dec, Spring 1 Jan–31 Mar, Summer 1 Apr–31 Aug. */
export const englishTerms: TermCalendar = termCalendar();
