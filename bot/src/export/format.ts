import { formatLongDate, formatSchoolDateTime, standardSentence } from "@ectsp/shared";

/** An ISO calendar date as a school writes it: "27 November 2026"; an instant, its day in London. Empty stays empty. */
export function formatDate(iso: string | undefined): string {
  return formatLongDate(iso);
}

/** An instant in UK time: "27 November 2026 at 10:00 GMT". */
export function formatDateTime(iso: string | Date | undefined): string {
  return formatSchoolDateTime(iso);
}

export function formatRange(from: string | undefined, to: string | undefined): string {
  if (!from && !to) return "";
  if (from && to) return `${formatDate(from)} to ${formatDate(to)}`;
  return from ? `From ${formatDate(from)}` : `Until ${formatDate(to)}`;
}

export function yesNo(value: boolean | undefined): string {
  return value === undefined ? "Not yet answered" : value ? "Yes" : "No";
}

/** A cited standard as seed 001 prints it: "7d) Maintain good relationships with pupils, …". */
export function standardLine(code: string): string {
  const sentence = standardSentence(code);
  return sentence ? `${code}) ${sentence}` : code;
}

export function standardsCell(codes: readonly string[]): string {
  return codes.map(standardLine).join("\n");
}

/**
 * A file name that is safe in a Content-Disposition header and on every file system:
 * ASCII letters, digits and single hyphens only ("Level 4 – Cause for concern" → "Level-4-Cause-for-concern").
 */
export function safeFilePart(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/g, "");
}
