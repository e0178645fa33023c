import { z } from "zod";
import data from "./teachers-standards.json" with { type: "json" };

/**
 * The Teachers' Standards (DfE-00066-2011) as data, with the exact official wording.
 * Contains public sector information licensed under the Open Government Licence v3.0.
 */
export const standardsLicence = data.licence.attribution;
export const standardsSource = data.source;

export interface StandardItem {
  /** "7d", "P2a-iii" */
  code: string;
  /** The exact wording as printed (lower-case start, no closing full stop). */
  text: string;
  /** Heading standard, e.g. "7" or "P2a". */
  parentCode: string;
  parentTitle: string;
  part: "P1" | "P2";
}

export interface StandardHeading {
  code: string;
  title: string;
  part: "P1" | "P2";
  items: StandardItem[];
}

export const standardHeadings: StandardHeading[] = data.parts.flatMap((part) =>
  part.standards.map((s) => ({
    code: s.code,
    title: s.title,
    part: part.code as "P1" | "P2",
    items: s.items.map((i) => ({
      code: i.code,
      text: i.text,
      parentCode: s.code,
      parentTitle: s.title,
      part: part.code as "P1" | "P2",
    })),
  })),
);

/** Every code a target may cite: headings (1–8, P2a–P2c) and their items (1a…8e, P2a-i…). */
const allCodes = standardHeadings.flatMap((h) => [h.code, ...h.items.map((i) => i.code)]);
const codeSet = new Set(allCodes);

export const StandardCode = z
  .string()
  .refine((c) => codeSet.has(c), { message: "Not a Teachers' Standard: use a code such as 1a, 7d or P2a-i" });
export type StandardCode = z.infer<typeof StandardCode>;

export const standardCodes: readonly string[] = allCodes;

const byCode = new Map<string, { code: string; text: string; heading: StandardHeading }>();
for (const h of standardHeadings) {
  byCode.set(h.code, { code: h.code, text: h.title, heading: h });
  for (const i of h.items) byCode.set(i.code, { code: i.code, text: i.text, heading: h });
}

export function isStandardCode(code: string): boolean {
  return codeSet.has(code);
}

/** The exact wording of a code, as printed by the DfE. */
export function standardText(code: string): string | undefined {
  return byCode.get(code)?.text;
}

/**
 * The wording shown as a sentence, as seed 001 does ("7d) Maintain good relationships ...").
 * Headings are already sentences; items gain a capital and a full stop.
 */
export function standardSentence(code: string): string | undefined {
  const entry = byCode.get(code);
  if (!entry) return undefined;
  const t = entry.text;
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.:]$/.test(capital) ? capital : `${capital}.`;
}

export function standardHeadingOf(code: string): StandardHeading | undefined {
  return byCode.get(code)?.heading;
}

const fold = (s: string) => s.toLowerCase().replace(/[\u2018\u2019]/g, "'");

/** Search by code ("7d", "7") or by words in the wording ("behaviour sanctions"). */
export function searchStandards(query: string): StandardItem[] {
  const q = fold(query.trim());
  const items = standardHeadings.flatMap((h) =>
    h.items.length > 0 ? h.items : [{ code: h.code, text: h.title, parentCode: h.code, parentTitle: h.title, part: h.part }],
  );
  if (!q) return items;
  const exact = items.filter((i) => fold(i.code) === q || fold(i.parentCode) === q);
  if (exact.length > 0) return exact;
  const words = q.split(/\s+/);
  return items.filter((i) => {
    const hay = fold(`${i.code} ${i.text} ${i.parentTitle}`);
    return words.every((w) => hay.includes(w));
  });
}
