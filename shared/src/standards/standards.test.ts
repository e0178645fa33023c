import { describe, expect, it } from "vitest";
import {
  StandardCode,
  isStandardCode,
  searchStandards,
  standardCodes,
  standardHeadingOf,
  standardHeadings,
  standardSentence,
  standardText,
  standardsLicence,
  standardsSource,
} from "./index.js";

describe("Teachers' Standards data", () => {
  it("holds 7d's exact wording", () => {
    expect(standardText("7d")).toBe("maintain good relationships with pupils, exercise appropriate authority, and act decisively when necessary");
  });

  it("shows 7d as seed 001 prints it", () => {
    expect(standardSentence("7d")).toBe("Maintain good relationships with pupils, exercise appropriate authority, and act decisively when necessary.");
  });

  it("leaves headings as written", () => {
    expect(standardSentence("7")).toBe("Manage behaviour effectively to ensure a good and safe learning environment.");
    expect(standardSentence("P2a")).toBe("Teachers uphold public trust in the profession and maintain high standards of ethics and behaviour, within and outside school, by:");
    expect(standardSentence("9z")).toBeUndefined();
  });

  it("has every code from 1a to 8e and Part Two", () => {
    const expected = [
      ...["1a", "1b", "1c"],
      ...["2a", "2b", "2c", "2d", "2e"],
      ...["3a", "3b", "3c", "3d", "3e"],
      ...["4a", "4b", "4c", "4d", "4e"],
      ...["5a", "5b", "5c", "5d"],
      ...["6a", "6b", "6c", "6d"],
      ...["7a", "7b", "7c", "7d"],
      ...["8a", "8b", "8c", "8d", "8e"],
      ...["P2a", "P2a-i", "P2a-ii", "P2a-iii", "P2a-iv", "P2a-v", "P2b", "P2c"],
      ...["1", "2", "3", "4", "5", "6", "7", "8"],
    ];
    for (const code of expected) expect(isStandardCode(code), code).toBe(true);
    expect(standardCodes).toHaveLength(expected.length);
    expect(standardHeadings.map((h) => h.code)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "P2a", "P2b", "P2c"]);
    expect(standardHeadingOf("P2a-iii")?.part).toBe("P2");
  });

  it("validates codes with a message a tutor can act on", () => {
    expect(StandardCode.safeParse("7d").success).toBe(true);
    const bad = StandardCode.safeParse("7f");
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe("Not a Teachers' Standard: use a code such as 1a, 7d or P2a-i");
  });

  it("searches by code", () => {
    expect(searchStandards("7d").map((i) => i.code)).toEqual(["7d"]);
    expect(searchStandards("7").map((i) => i.code)).toEqual(["7a", "7b", "7c", "7d"]);
    expect(searchStandards("P2b").map((i) => i.code)).toEqual(["P2b"]);
  });

  it("searches by words, ignoring case and curly apostrophes", () => {
    expect(searchStandards("sanctions rewards").map((i) => i.code)).toEqual(["7b"]);
    expect(searchStandards("Deploy support staff").map((i) => i.code)).toEqual(["8c"]);
    expect(searchStandards("pupils' attainment").map((i) => i.code)).toEqual(["2a"]);
    expect(searchStandards("zebra")).toEqual([]);
  });

  it("carries the Open Government Licence attribution and the DfE source", () => {
    expect(standardsLicence).toBe("Contains public sector information licensed under the Open Government Licence v3.0.");
    expect(standardsSource.reference).toBe("DFE-00066-2011");
    expect(standardsSource.publisher).toBe("Department for Education");
  });
});
