import type { StandardHeadingRef } from "./types";

// The Standards themselves are read once through the query cache (queries.ts useStandards); these search them.

export interface StandardEntry {
  code: string;
  text: string;
  heading: string;
}

export function flattenStandards(headings: StandardHeadingRef[]): StandardEntry[] {
  return headings.flatMap((h) => [
    { code: h.code, text: h.title, heading: `${h.code}. ${h.title}` },
    ...h.items.map((i) => ({ code: i.code, text: i.text, heading: `${h.code}. ${h.title}` })),
  ]);
}

/** Search by code ("7d", "7") or by words ("behaviour routines"): every word must appear. */
export function searchEntries(entries: StandardEntry[], query: string): StandardEntry[] {
  const q = query.trim().toLowerCase();
  if (!q) return entries;
  const byCode = entries.filter((e) => e.code.toLowerCase() === q || (e.code.toLowerCase().startsWith(q) && /^[\dp]/.test(q) && q.length <= 4));
  const words = q.split(/\s+/);
  const byWords = entries.filter((e) => words.every((w) => `${e.text} ${e.heading}`.toLowerCase().includes(w)));
  return [...new Map([...byCode, ...byWords].map((e) => [e.code, e])).values()];
}
