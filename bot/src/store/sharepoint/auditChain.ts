/**
 * The SharePoint adapter's side of the hash-chained audit (shared/src/auditChain.ts).
 *
 * Two server instances can read the same head and seal an entry for the same position. The audit
 * list's chainPosition column ("<chainId>#<seq>") has unique values, so only one of those writes
 * lands; the other answers 409, and the writer reads the head again, seals again and writes again
 * (sharePointStore.ts). Within one change the entries are written as a serial chain of requests,
 * so what lands of them is always a prefix: a chain never gets an entry whose predecessor failed.
 */
import { auditChainId, type AuditEntry, type ChainHead } from "@ectsp/shared";

/** Where an entry sits, and which change wrote it (entries written before the change journal have none). */
export interface ChainSlot extends ChainHead {
  changeId?: string;
}

/** A chain as stored: its head, and where each entry sits (by id, lower-cased as SharePoint compares). */
export interface ChainState {
  head?: ChainHead;
  at: Map<string, ChainSlot>;
}

/** The columns a head read selects: enough to find the head and tell a replay from a clash. */
export const chainColumns = ["auditId", "chainSeq", "chainHash", "changeId"] as const;

export const chainPosition = (chainId: string, seq: number): string => `${chainId}#${seq}`;

/** The audit item's columns beside its body, from a sealed entry. */
export function auditColumns(e: AuditEntry, seq: number, changeId?: string): Record<string, unknown> {
  const chainId = auditChainId(e);
  if (e.seq === undefined || e.hash === undefined) throw new Error(`Audit entry ${e.id} is not sealed`);
  return {
    atMs: Date.parse(e.at),
    seq,
    ectId: e.ectId,
    planId: e.planId,
    chainId,
    chainSeq: e.seq,
    chainPosition: chainPosition(chainId, e.seq),
    chainHash: e.hash,
    ...(changeId ? { changeId } : {}),
  };
}

/** A chain's state from its items (fields selected by chainColumns). Items without a position (unsealed) are left out. */
export function chainStateOf(items: { fields: Record<string, unknown> }[]): ChainState {
  const state: ChainState = { at: new Map() };
  for (const { fields } of items) {
    const seq = typeof fields.chainSeq === "number" ? fields.chainSeq : Number(fields.chainSeq);
    const hash = typeof fields.chainHash === "string" ? fields.chainHash : undefined;
    if (!Number.isInteger(seq) || seq < 1 || !hash) continue;
    const changeId = typeof fields.changeId === "string" && fields.changeId !== "" ? fields.changeId : undefined;
    state.at.set(String(fields.auditId).toLowerCase(), { seq, hash, ...(changeId ? { changeId } : {}) });
    if (!state.head || seq > state.head.seq) state.head = { seq, hash };
  }
  return state;
}

/**
 * What a 409 on an audit write means, given the chain read after it: the same entry already sits
 * at this position (a replay: done), the entry's id is taken elsewhere (a real conflict), or
 * another writer took the position (seal again on the new head).
 */
export function conflictKind(entry: AuditEntry, state: ChainState | undefined, idTaken: boolean): "replayed" | "duplicate" | "moved" {
  const at = state?.at.get(entry.id.toLowerCase());
  if (at && at.seq === entry.seq && at.hash === entry.hash) return "replayed";
  if (at || idTaken) return "duplicate";
  return "moved";
}
