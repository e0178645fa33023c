/**
 * Dates as a school in England reads them: every day and every time the app shows or derives is
 * in the school's time zone, Europe/London, whatever the zone of the server or the browser.
 *
 * A 10-character ISO date ("2026-11-27") is a calendar date: it names a day, not an instant, and
 * is never shifted by any zone. Anything longer is an instant (an ISO date-time with its zone,
 * "2026-11-27T10:00:00.000Z", or a Date) and is converted to London first. The formatters return
 * invalid input as it is and empty as empty. Pure: this module never reads the clock; callers
 * pass the instant (`schoolDate(clock.now())` is "today").
 */

/** The school time zone. */
export const schoolTimeZone = "Europe/London";

const defaultLocale = "en-GB";

type Style = "long" | "short" | "weekday" | "dateTime" | "parts";

const styles: Record<Style, Intl.DateTimeFormatOptions> = {
  long: { day: "numeric", month: "long", year: "numeric" },
  short: { day: "numeric", month: "short", year: "numeric" },
  weekday: { weekday: "short", day: "numeric", month: "short", year: "numeric" },
  dateTime: { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" },
  parts: { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" },
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One cached formatter per style, zone and locale; a locale Intl does not accept falls back to en-GB. */
function formatter(style: Style, timeZone: string, locale: string = defaultLocale): Intl.DateTimeFormat {
  const key = `${style}|${timeZone}|${locale}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, { ...styles[style], timeZone });
    } catch {
      f = new Intl.DateTimeFormat(defaultLocale, { ...styles[style], timeZone });
    }
    formatters.set(key, f);
  }
  return f;
}

const calendarDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** A calendar date as midnight UTC (formatted in UTC, so no zone moves it), or undefined when not a real day. */
function calendarDate(iso: string): Date | undefined {
  const m = calendarDatePattern.exec(iso);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? d : undefined;
}

/** An instant from a Date or an ISO date-time that names its zone (a zone-less one would depend on the machine's). */
function instant(value: Date | string): Date | undefined {
  if (typeof value === "string" && !instantPattern.test(value)) return undefined;
  const d = typeof value === "string" ? new Date(value) : value;
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function format(style: Exclude<Style, "parts">, value: Date | string | undefined, locale?: string): string {
  if (value === undefined || value === "") return "";
  if (typeof value === "string" && value.length === 10) {
    const day = calendarDate(value);
    // A calendar date has no time of day: the date-time style prints just the day.
    return day ? formatter(style === "dateTime" ? "long" : style, "UTC", locale).format(day) : value;
  }
  const at = instant(value);
  return at ? formatter(style, schoolTimeZone, locale).format(at) : String(value);
}

/** London's wall clock at an instant, as numbers. */
function londonParts(at: Date): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const n: Record<string, number> = {};
  for (const p of formatter("parts", schoolTimeZone).formatToParts(at)) if (p.type !== "literal") n[p.type] = Number(p.value);
  return { year: n.year ?? NaN, month: n.month ?? NaN, day: n.day ?? NaN, hour: (n.hour ?? NaN) % 24, minute: n.minute ?? NaN, second: n.second ?? NaN };
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * The ISO calendar date in London of an instant: "2027-07-20" for 2027-07-19T23:30:00Z (BST).
 * A calendar date is its own day. Throws a RangeError for anything else: a day is never guessed.
 */
export function schoolDate(value: Date | string): string {
  if (typeof value === "string" && value.length === 10) {
    if (calendarDate(value)) return value;
    throw new RangeError(`Not an ISO date or instant: ${value}`);
  }
  const at = instant(value);
  if (!at) throw new RangeError(`Not an ISO date or instant: ${String(value)}`);
  const p = londonParts(at);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/**
 * The instant (ISO, UTC) at which London's clocks show `time` ("HH:MM") on the calendar date `date`:
 * schoolInstant("2027-07-19", "08:00") = "2027-07-19T07:00:00.000Z". A time in the hour skipped in
 * March lands an hour later; one in the hour repeated in October is the second (GMT) one.
 */
export function schoolInstant(date: string, time = "00:00"): string {
  const day = calendarDate(date);
  const hm = /^(\d{2}):(\d{2})$/.exec(time);
  if (!day || !hm) throw new RangeError(`Not an ISO date and time: ${date} ${time}`);
  const wall = day.getTime() + (Number(hm[1]) * 60 + Number(hm[2])) * 60_000;
  const offset = (t: number) => {
    const p = londonParts(new Date(t));
    const shown = new Date(0);
    shown.setUTCFullYear(p.year, p.month - 1, p.day);
    shown.setUTCHours(p.hour, p.minute, p.second, 0);
    return shown.getTime() - Math.floor(t / 1000) * 1000;
  };
  return new Date(wall - offset(wall - offset(wall))).toISOString();
}

/** "27 November 2026" (exports). */
export const formatLongDate = (value: Date | string | undefined, locale?: string): string => format("long", value, locale);

/** "27 Nov 2026" (the tab). */
export const formatShortDate = (value: Date | string | undefined, locale?: string): string => format("short", value, locale);

/** "Fri, 27 Nov 2026" (cards). */
export const formatWeekdayDate = (value: Date | string | undefined, locale?: string): string => format("weekday", value, locale);

/** "27 November 2026 at 10:00 GMT" / "20 July 2027 at 00:30 BST": an instant in London, with the zone's name. A calendar date prints as its day. */
export const formatSchoolDateTime = (value: Date | string | undefined, locale?: string): string => format("dateTime", value, locale);
