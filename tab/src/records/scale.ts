/**
 * The progress-review rating scale as the tab shows it. It mirrors `defaultRatingScale` in
 * shared/src/ratings.ts (a test checks they agree); the tab keeps its own copy so the zod schemas
 * behind the shared file stay out of the browser bundle.
 */
export interface ScaleLevel {
  id: string;
  label: string;
  statementRequired: boolean;
}

export const ratingLevels: readonly ScaleLevel[] = [
  { id: "exemplary", label: "Exemplary", statementRequired: false },
  { id: "strong", label: "Strong", statementRequired: false },
  { id: "secure", label: "Secure", statementRequired: false },
  { id: "attention_needed", label: "Attention needed", statementRequired: true },
  { id: "cause_for_concern", label: "Cause for concern", statementRequired: true },
];

export const ratingLabel = (id: string | undefined) => ratingLevels.find((l) => l.id === id)?.label ?? id ?? "";

/** The eight Part One headings and Part Two, as the shared ReviewedStandard enum. */
export const reviewedStandards = ["1", "2", "3", "4", "5", "6", "7", "8", "P2"] as const;
export type ReviewedStandard = (typeof reviewedStandards)[number];

export function standardTitle(code: ReviewedStandard, headings: { code: string; title: string }[]): string {
  if (code === "P2") return "Part Two: Personal and professional conduct";
  const h = headings.find((x) => x.code === code);
  return h ? `${code}. ${h.title}` : `Standard ${code}`;
}

export const formatBytes = (n: number) =>
  n < 1024 ? `${n} bytes` : n < 1024 * 1024 ? `${Math.round(n / 102.4) / 10} KB` : `${Math.round(n / 104857.6) / 10} MB`;

export const kindLabels: Record<string, string> = {
  pdf: "PDF",
  docx: "Word",
  png: "PNG image",
  jpeg: "JPEG image",
  gif: "GIF image",
  webp: "WebP image",
  text: "Text",
};
