import type { EditScope, Plan, PlanContent } from "../lib/types";
import { now } from "../lib/clock";
import { planContentFields } from "@shared/planDiff";
import { mayChangePath } from "@shared/permissions";

/** The fields of a plan a person writes (PlanContent in the shared model), in form order. */
export const contentKeys = planContentFields;

export function contentOf(plan: Plan | PlanContent): PlanContent {
  const out: Record<string, unknown> = {};
  for (const k of contentKeys) if (plan[k] !== undefined) out[k] = structuredClone(plan[k]);
  return out as unknown as PlanContent;
}

export const sameContent = (a: PlanContent, b: PlanContent) => stableJson(a) === stableJson(b);

function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === "object" && !Array.isArray(val)
      ? Object.fromEntries(
          Object.entries(val as Record<string, unknown>)
            .filter(([, x]) => x !== undefined && x !== "")
            .sort(([a], [b]) => a.localeCompare(b)),
        )
      : val,
  );
}

// ---------------------------------------------------------------------------------------------
// Who may write what (mirrors editPlan's field-level rights; the server enforces them)
// ---------------------------------------------------------------------------------------------

export function canEditPath(scope: EditScope, path: string): boolean {
  // The same rule the server's editPlan enforces (shared permissions.ts).
  return mayChangePath(scope, path);
}

// ---------------------------------------------------------------------------------------------
// Drafts: unsaved changes survive a reload, keyed by plan id and the version they were written on
// ---------------------------------------------------------------------------------------------

export interface Draft {
  planId: string;
  version: number;
  /** The content as loaded from the server when editing began (the merge base). */
  base: PlanContent;
  content: PlanContent;
  savedAt: string;
}

const PREFIX = "ectsp:draft:";
export const draftKey = (planId: string, version: number) => `${PREFIX}${planId}:v${version}`;

export function saveDraft(storage: Storage, draft: Omit<Draft, "savedAt">): void {
  try {
    clearDrafts(storage, draft.planId, draft.version);
    storage.setItem(draftKey(draft.planId, draft.version), JSON.stringify({ ...draft, savedAt: now().toISOString() }));
  } catch {
    // Storage full or blocked: the editor still works, the draft just does not survive a reload.
  }
}

/** The newest draft for a plan, whatever version it was written on. */
export function loadDraft(storage: Storage, planId: string): Draft | undefined {
  let found: Draft | undefined;
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (!key?.startsWith(`${PREFIX}${planId}:v`)) continue;
    try {
      const d = JSON.parse(storage.getItem(key) ?? "") as Draft;
      if (!found || d.version > found.version) found = d;
    } catch {
      storage.removeItem(key);
    }
  }
  return found;
}

/** Forget a plan's drafts (all of them, or all but one version). */
export function clearDrafts(storage: Storage, planId: string, exceptVersion?: number): void {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(`${PREFIX}${planId}:v`) && key !== (exceptVersion !== undefined ? draftKey(planId, exceptVersion) : "")) keys.push(key);
  }
  keys.forEach((k) => storage.removeItem(k));
}

// ---------------------------------------------------------------------------------------------
// Three-way merge: my edits re-applied on top of the latest version, field by field
// ---------------------------------------------------------------------------------------------

type Flat = Map<string, unknown>;
type RowKind = "targets" | "weeks" | "meetings";
const rowKinds: RowKind[] = ["targets", "weeks", "meetings"];
const rowKey = (kind: RowKind, row: Record<string, unknown>) => (kind === "weeks" ? `w${String(row.week)}` : String(row.id));

function flatten(c: PlanContent): { flat: Flat; order: Record<RowKind, string[]> } {
  const flat: Flat = new Map();
  const order = { targets: [], weeks: [], meetings: [] } as Record<RowKind, string[]>;
  for (const k of contentKeys) {
    if ((rowKinds as string[]).includes(k)) continue;
    if (c[k] !== undefined && c[k] !== "") flat.set(k, c[k]);
  }
  for (const kind of rowKinds) {
    for (const row of (c[kind] ?? []) as unknown as Record<string, unknown>[]) {
      const id = rowKey(kind, row);
      order[kind].push(id);
      for (const [f, v] of Object.entries(row)) if (v !== undefined && v !== "") flat.set(`${kind}#${id}.${f}`, v);
    }
  }
  return { flat, order };
}

const eq = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export interface MergeConflict {
  key: string;
  label: string;
  mine: unknown;
  theirs: unknown;
}

export interface MergeResult {
  /** Fields both sides changed differently: the person chooses (default: keep my text). */
  conflicts: MergeConflict[];
  /** Labels of what the other person changed since my version. */
  changedByThem: string[];
  /** How many of my changes were re-applied on top of theirs without a clash. */
  reapplied: number;
  build(choices?: Record<string, "mine" | "theirs">): PlanContent;
}

export type Labeller = (key: string, ctx: { targetIndex(id: string): number }) => string;

/** Row labels in the form's own word for a target ("Objective 2" on the Level forms, "Target 2" on 000–002). */
export const labelFor =
  (targetNoun: "Objective" | "Target"): Labeller =>
  (key, ctx) => {
    const m = /^(targets|weeks|meetings)#([^.]+)(?:\.(.+))?$/.exec(key);
    if (!m) return humanise(key);
    const [, kind, id, field] = m as unknown as [string, RowKind, string, string | undefined];
    const row = kind === "weeks" ? `Week ${id.slice(1)}` : kind === "targets" ? `${targetNoun} ${ctx.targetIndex(id) + 1}` : "Meeting";
    return field ? `${row}: ${humanise(field)}` : row;
  };

export const defaultLabel: Labeller = labelFor("Target");

const humanise = (s: string) => {
  const words = s.replace(/([A-Z])/g, " $1").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export function mergeContent(base: PlanContent, mine: PlanContent, theirs: PlanContent, label: Labeller = defaultLabel): MergeResult {
  const b = flatten(base);
  const m = flatten(mine);
  const t = flatten(theirs);
  const keys = new Set([...b.flat.keys(), ...m.flat.keys(), ...t.flat.keys()]);
  const merged: Flat = new Map();
  const conflicts: MergeConflict[] = [];
  const changedByThem: string[] = [];
  let reapplied = 0;
  const ctx = { targetIndex: (id: string) => Math.max(0, (t.order.targets.includes(id) ? t.order.targets : m.order.targets).indexOf(id)) };
  const rowOf = (k: string) => /^(targets|weeks|meetings)#[^.]+/.exec(k)?.[0];

  for (const key of keys) {
    const bv = b.flat.get(key);
    const mv = m.flat.get(key);
    const tv = t.flat.get(key);
    const iChanged = !eq(bv, mv);
    const theyChanged = !eq(bv, tv);
    if (theyChanged && !key.endsWith(".ectCommentAt")) changedByThem.push(label(key, ctx));
    if (!iChanged) merged.set(key, tv);
    else if (!theyChanged || eq(mv, tv)) {
      merged.set(key, mv);
      if (!eq(mv, tv)) reapplied++;
    } else {
      merged.set(key, mv);
      conflicts.push({ key, label: label(key, ctx), mine: mv, theirs: tv });
    }
  }

  // Row order: theirs, plus rows I added, minus rows I removed. A row they removed that I edited comes back.
  const order = {} as Record<RowKind, string[]>;
  for (const kind of rowKinds) {
    const added = m.order[kind].filter((id) => !b.order[kind].includes(id));
    const removed = new Set(b.order[kind].filter((id) => !m.order[kind].includes(id)));
    const editedGone = b.order[kind].filter(
      (id) => !t.order[kind].includes(id) && m.order[kind].includes(id) && conflicts.some((c) => rowOf(c.key) === `${kind}#${id}`),
    );
    order[kind] = [...t.order[kind].filter((id) => !removed.has(id)), ...editedGone, ...added.filter((id) => !t.order[kind].includes(id))];
    if (kind === "weeks") order[kind].sort((x, y) => Number(x.slice(1)) - Number(y.slice(1)));
  }

  const build = (choices: Record<string, "mine" | "theirs"> = {}): PlanContent => {
    const flat = new Map(merged);
    for (const c of conflicts) flat.set(c.key, choices[c.key] === "theirs" ? c.theirs : c.mine);
    const out: Record<string, unknown> = {};
    for (const k of contentKeys) {
      if ((rowKinds as string[]).includes(k)) continue;
      const v = flat.get(k);
      if (v !== undefined) out[k] = structuredClone(v);
      else if (typeof (theirs as Record<string, unknown>)[k] === "string" || typeof (mine as Record<string, unknown>)[k] === "string") out[k] = "";
    }
    for (const kind of rowKinds) {
      out[kind] = order[kind].map((id) => {
        const row: Record<string, unknown> = {};
        const prefix = `${kind}#${id}.`;
        for (const [k, v] of flat) if (k.startsWith(prefix) && v !== undefined) row[k.slice(prefix.length)] = structuredClone(v);
        return row;
      });
    }
    // Text fields emptied on one side come back as "" so the server sees them cleared.
    for (const kind of rowKinds) {
      const templateRow = [
        ...((mine[kind] ?? []) as unknown as Record<string, unknown>[]),
        ...((theirs[kind] ?? []) as unknown as Record<string, unknown>[]),
      ][0];
      if (!templateRow) continue;
      for (const row of out[kind] as Record<string, unknown>[]) {
        for (const [f, v] of Object.entries(templateRow))
          if (typeof v === "string" && row[f] === undefined && f !== "date" && f !== "reviewDate" && !f.endsWith("At")) row[f] = "";
      }
    }
    return out as unknown as PlanContent;
  };

  return { conflicts, changedByThem: [...new Set(changedByThem)], reapplied, build };
}

export function newId(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return "id-" + Math.random().toString(36).slice(2) + now().getTime().toString(36);
}
