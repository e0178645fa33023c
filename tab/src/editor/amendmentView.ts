import type { Meeting, PlanContent, Target, WeekRow } from "@shared/model/plan";
import { formatDate } from "../lib/format";

/**
 * What an amendment changes, as people compare it: for each change the plan's agreed value and
 * the proposed one, in words. Paths are the domain's (planDiff.describeChanges): a changed field
 * is `targets.<i>.<field>` with `i` the row's place in the proposal (rows match by id, weeks by
 * number); an added row is `targets.<i>` in the proposal, a removed one `targets.<i>` in the
 * agreed plan.
 */
export interface ComparedChange {
  path: string;
  label: string;
  agreed: string;
  proposed: string;
}

type RowKind = "targets" | "weeks" | "meetings";
type Row = Target | WeekRow | Meeting;

const EMPTY = "(empty)";
export const NOT_AGREED = "(not in the agreed plan)";
export const REMOVED = "(removed)";

const dateFields = new Set(["startDate", "endDate", "reviewDate", "initialMeetingDate", "date"]);

/** A field's value in words: dates as dates, lists joined, nothing as "(empty)". */
export function showValue(field: string, v: unknown): string {
  if (v === undefined || v === null || v === "") return EMPTY;
  if (Array.isArray(v)) {
    if (v.length === 0) return EMPTY;
    return v
      .map((x) =>
        x && typeof x === "object" && "text" in x ? `${formatDate((x as { date?: string }).date)}: ${String((x as { text: string }).text)}` : String(x),
      )
      .join(field === "outcomeEntries" ? "\n" : ", ");
  }
  if (typeof v === "string") return dateFields.has(field) ? formatDate(v) || v : v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

const sameRow = (kind: RowKind, a: Row, b: Row) =>
  kind === "weeks" ? (a as WeekRow).week === (b as WeekRow).week : (a as Target | Meeting).id === (b as Target | Meeting).id;

function rowSummary(kind: RowKind, row: Row | undefined): string {
  if (!row) return EMPTY;
  if (kind === "targets") {
    const t = row as Target;
    return [t.text || "(no wording)", t.standards.length ? `(${t.standards.join(", ")})` : ""].filter(Boolean).join(" ");
  }
  if (kind === "weeks") return (row as WeekRow).action || `Week ${(row as WeekRow).week}`;
  const m = row as Meeting;
  return [m.kind === "ab" ? "Meeting with the appropriate body" : m.kind === "initial" ? "Initial meeting" : "Meeting", m.date ? formatDate(m.date) : ""]
    .filter(Boolean)
    .join(", ");
}

function rows(content: PlanContent, kind: RowKind): Row[] {
  return content[kind] ?? [];
}

/** The agreed and proposed values of one change. */
export function compareChange(agreed: PlanContent, proposed: PlanContent, change: { path: string; label: string }): ComparedChange {
  const [top = "", index, field] = change.path.split(".");
  if (top === "targets" || top === "weeks" || top === "meetings") {
    const i = Number(index);
    const mine = rows(proposed, top);
    const theirs = rows(agreed, top);
    if (field === undefined) {
      const added = /^Added /.test(change.label) || (!/^Removed /.test(change.label) && !!mine[i] && !theirs.some((r) => sameRow(top, r, mine[i] as Row)));
      return added
        ? { ...change, agreed: NOT_AGREED, proposed: rowSummary(top, mine[i]) }
        : { ...change, agreed: rowSummary(top, theirs[i]), proposed: REMOVED };
    }
    const row = mine[i];
    const before = row ? theirs.find((r) => sameRow(top, r, row)) : undefined;
    return {
      ...change,
      agreed: before ? showValue(field, (before as unknown as Record<string, unknown>)[field]) : NOT_AGREED,
      proposed: row ? showValue(field, (row as unknown as Record<string, unknown>)[field]) : REMOVED,
    };
  }
  const a = (agreed as unknown as Record<string, unknown>)[top];
  const p = (proposed as unknown as Record<string, unknown>)[top];
  return { ...change, agreed: showValue(top, a), proposed: showValue(top, p) };
}

export const compareChanges = (agreed: PlanContent, proposed: PlanContent, changes: { path: string; label: string }[]) =>
  changes.map((c) => compareChange(agreed, proposed, c));

/**
 * The agreed value of the field at `path` in the editor's content, when the editor's value
 * differs from it: what the form shows as "Agreed: …" under a field an amendment changes.
 * Undefined when the field is as agreed (or is new).
 */
export function agreedValueAt(agreed: PlanContent, current: PlanContent, path: string): string | undefined {
  const [top = "", index, field] = path.split(".");
  let before: unknown;
  let now: unknown;
  let name = top;
  if (top === "targets" || top === "weeks" || top === "meetings") {
    if (field === undefined) return undefined;
    const row = rows(current, top)[Number(index)];
    const was = row ? rows(agreed, top).find((r) => sameRow(top, r, row)) : undefined;
    if (!row || !was) return undefined;
    before = (was as unknown as Record<string, unknown>)[field];
    now = (row as unknown as Record<string, unknown>)[field];
    name = field;
  } else {
    before = (agreed as unknown as Record<string, unknown>)[top];
    now = (current as unknown as Record<string, unknown>)[top];
  }
  const norm = (v: unknown) => JSON.stringify(v === undefined || v === "" || (Array.isArray(v) && v.length === 0) ? null : v);
  return norm(before) === norm(now) ? undefined : showValue(name, before);
}
