let locale = "en-GB";
export const setLocale = (l: string | undefined) => {
  if (l) locale = l;
};

/** "30 Nov 2026" from an ISO date; "" when absent. */
export function formatDate(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(d);
}

export function formatDateTime(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" }).format(d);
}

export const statusLabels: Record<string, string> = {
  draft: "Draft",
  agreed: "Agreed",
  active: "Active",
  in_review: "In review",
  closed: "Closed",
};

export const outcomeLabels: Record<string, string> = { on_track: "On track", continued: "Continued", escalated: "Escalated" };

export const todayIso = () => new Date().toISOString().slice(0, 10);
