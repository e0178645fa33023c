// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { formatDate, formatDateTime, setLocale, todayIso } from "./format";

/** The tab's clock is one module: here it says 23:30 UTC on 19 July 2027, which is 00:30 BST on the 20th. */
vi.mock("./clock", () => ({ now: () => new Date("2027-07-19T23:30:00.000Z") }));

describe("the tab's dates are London's, whatever the browser's zone", () => {
  afterEach(() => setLocale("en-GB"));

  it("today is the London date of the tab's clock, not the UTC date", () => {
    expect(todayIso()).toBe("2027-07-20");
  });

  it("formats a calendar date unshifted and an instant as its London day and time", () => {
    expect(formatDate("2027-07-19")).toBe("19 Jul 2027");
    expect(formatDate("2027-07-19T23:30:00.000Z")).toBe("20 Jul 2027");
    expect(formatDateTime("2027-07-19T23:30:00.000Z")).toMatch(/^20 July 2027(,| at) 00:30 BST$/);
    expect(formatDateTime("2027-01-19T23:30:00.000Z")).toMatch(/^19 January 2027(,| at) 23:30 GMT$/);
    expect(formatDate(undefined)).toBe("");
    expect(formatDateTime("")).toBe("");
    expect(formatDate("soon")).toBe("soon");
  });

  it("keeps the host's locale (setLocale) but not its zone", () => {
    setLocale("en-US");
    expect(formatDate("2027-07-19T23:30:00.000Z")).toBe("Jul 20, 2027");
  });
});
