import { describe, expect, it } from "vitest";
import { formatLongDate, formatSchoolDateTime, formatShortDate, formatWeekdayDate, schoolDate, schoolInstant, schoolTimeZone } from "./calendar.js";

describe("the school calendar (Europe/London)", () => {
  it("is London's", () => {
    expect(schoolTimeZone).toBe("Europe/London");
  });

  it("23:30 UTC on 19 July 2027 is already 20 July in London (BST)", () => {
    const at = "2027-07-19T23:30:00.000Z";
    expect(schoolDate(at)).toBe("2027-07-20");
    expect(schoolDate(new Date(at))).toBe("2027-07-20");
    expect(formatLongDate(at)).toBe("20 July 2027");
    expect(formatShortDate(at)).toBe("20 Jul 2027");
    expect(formatWeekdayDate(at)).toBe("Tue, 20 Jul 2027");
    expect(formatSchoolDateTime(at)).toMatch(/^20 July 2027(,| at) 00:30 BST$/);
    expect(formatSchoolDateTime(new Date(at))).toBe(formatSchoolDateTime(at));
  });

  it("23:30 UTC on 19 January 2027 stays 19 January (GMT)", () => {
    const at = "2027-01-19T23:30:00Z";
    expect(schoolDate(at)).toBe("2027-01-19");
    expect(formatLongDate(at)).toBe("19 January 2027");
    expect(formatShortDate(at)).toBe("19 Jan 2027");
    expect(formatWeekdayDate(at)).toBe("Tue, 19 Jan 2027");
    expect(formatSchoolDateTime(at)).toMatch(/^19 January 2027(,| at) 23:30 GMT$/);
  });

  it("the clocks going forward on 28 March 2027 (01:00 GMT becomes 02:00 BST)", () => {
    expect(formatSchoolDateTime("2027-03-28T00:59:00Z")).toMatch(/28 March 2027(,| at) 00:59 GMT$/);
    expect(formatSchoolDateTime("2027-03-28T01:00:00Z")).toMatch(/28 March 2027(,| at) 02:00 BST$/);
    expect(schoolDate("2027-03-27T23:30:00Z")).toBe("2027-03-27");
    expect(schoolDate("2027-03-28T23:30:00Z")).toBe("2027-03-29");
    expect(schoolInstant("2027-03-27", "08:00")).toBe("2027-03-27T08:00:00.000Z");
    expect(schoolInstant("2027-03-28", "08:00")).toBe("2027-03-28T07:00:00.000Z");
    expect(schoolInstant("2027-03-28", "00:00")).toBe("2027-03-28T00:00:00.000Z");
  });

  it("the clocks going back on 31 October 2027 (02:00 BST becomes 01:00 GMT)", () => {
    expect(formatSchoolDateTime("2027-10-31T00:30:00Z")).toMatch(/31 October 2027(,| at) 01:30 BST$/);
    expect(formatSchoolDateTime("2027-10-31T01:30:00Z")).toMatch(/31 October 2027(,| at) 01:30 GMT$/);
    expect(schoolDate("2027-10-30T23:30:00Z")).toBe("2027-10-31");
    expect(schoolDate("2027-10-31T23:30:00Z")).toBe("2027-10-31");
    expect(schoolInstant("2027-10-30", "08:00")).toBe("2027-10-30T07:00:00.000Z");
    expect(schoolInstant("2027-10-31", "08:00")).toBe("2027-10-31T08:00:00.000Z");
  });

  it("a leap day", () => {
    expect(formatLongDate("2028-02-29")).toBe("29 February 2028");
    expect(formatShortDate("2028-02-29")).toBe("29 Feb 2028");
    expect(formatWeekdayDate("2028-02-29")).toBe("Tue, 29 Feb 2028");
    expect(schoolDate("2028-02-28T23:59:59Z")).toBe("2028-02-28");
    expect(schoolDate("2028-02-29T23:59:59Z")).toBe("2028-02-29");
    expect(formatLongDate("2027-02-29")).toBe("2027-02-29");
  });

  it("a calendar date is never shifted by any zone", () => {
    expect(schoolDate("2027-07-19")).toBe("2027-07-19");
    expect(formatLongDate("2027-07-19")).toBe("19 July 2027");
    expect(formatShortDate("2027-07-19")).toBe("19 Jul 2027");
    expect(formatWeekdayDate("2027-07-19")).toBe("Mon, 19 Jul 2027");
    // A day has no time: the date-time format prints just the day.
    expect(formatSchoolDateTime("2027-07-19")).toBe("19 July 2027");
    expect(formatShortDate("2027-07-19", "en-US")).toBe("Jul 19, 2027");
  });

  it("an instant given with an offset is the same instant", () => {
    expect(schoolDate("2027-07-20T00:30:00+01:00")).toBe("2027-07-20");
    expect(schoolDate("2027-07-19T19:30:00-04:00")).toBe("2027-07-20");
  });

  it("returns invalid input as it is, empty as empty; schoolDate refuses to guess a day", () => {
    for (const f of [formatLongDate, formatShortDate, formatWeekdayDate, formatSchoolDateTime]) {
      expect(f(undefined)).toBe("");
      expect(f("")).toBe("");
      expect(f("not a date")).toBe("not a date");
      expect(f("2027-13-01")).toBe("2027-13-01");
      expect(f("2027-07-19T10:00:00")).toBe("2027-07-19T10:00:00"); // no zone: which 10:00?
      expect(f(new Date(Number.NaN))).toBe("Invalid Date");
    }
    expect(() => schoolDate("2027-02-30")).toThrow(RangeError);
    expect(() => schoolDate("yesterday")).toThrow(RangeError);
    expect(() => schoolDate(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => schoolInstant("2027-07-19", "8am")).toThrow(RangeError);
  });

  it("falls back to en-GB for a locale Intl does not accept", () => {
    expect(formatShortDate("2027-07-19", "not_a_locale!")).toBe("19 Jul 2027");
  });
});
