import type { AuditEntry } from "./model/records.js";
import { digestOf } from "./seal.js";

/**
 * A trail that shows tampering: each plan's audit entries form a hash chain. An entry's hash
 * covers its position, the previous entry's hash and everything in the entry (which is
 * content-free, as ever), so changing, removing or reordering any entry breaks every hash after
 * it. Stores seal entries as they append them; `npm run audit:verify` walks every chain.
 */

/** The chain an entry belongs to: its plan's, or for an entry about no plan, its ECT's. */
export const auditChainId = (entry: Pick<AuditEntry, "planId" | "ectId">): string => entry.planId ?? `ect:${entry.ectId}`;

/** The hash before the first entry of every chain. */
export const chainStart = "0".repeat(64);

export interface ChainHead {
  seq: number;
  hash: string;
}

const hashOf = (entry: AuditEntry): string => {
  const { hash: _hash, ...covered } = entry;
  return digestOf(covered);
};

/** Seals entries appended after `head` (undefined for a new chain), in order. */
export function sealAuditEntries(entries: AuditEntry[], head: ChainHead | undefined): AuditEntry[] {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? chainStart;
  return entries.map((e) => {
    const { hash: _h, seq: _s, prevHash: _p, ...entry } = e;
    const sealed: AuditEntry = { ...entry, seq: ++seq, prevHash };
    sealed.hash = hashOf(sealed);
    prevHash = sealed.hash;
    return sealed;
  });
}

/**
 * Seals a unit of entries that may span several chains: `heads` gives each chain's last entry
 * (missing for a new chain). Entries keep their order within each chain.
 */
export function sealAuditBatch(entries: AuditEntry[], heads: ReadonlyMap<string, ChainHead>): AuditEntry[] {
  const current = new Map(heads);
  return entries.map((entry) => {
    const chain = auditChainId(entry);
    const [sealed] = sealAuditEntries([entry], current.get(chain)) as [AuditEntry];
    current.set(chain, { seq: sealed.seq as number, hash: sealed.hash as string });
    return sealed;
  });
}

export interface ChainBreak {
  chainId: string;
  entryId: string;
  /** Position the entry should be at. */
  seq: number;
  reason: string;
}

/**
 * Checks one chain, given as stored. Entries are put in `seq` order first (a store may list
 * them by time); the first entry out of place, unsealed, or whose hash does not recompute is
 * the break.
 */
export function verifyAuditChain(entries: AuditEntry[]): ChainBreak | undefined {
  const ordered = [...entries].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  let prevHash = chainStart;
  for (const [i, e] of ordered.entries()) {
    const chainId = auditChainId(e);
    const at = { chainId, entryId: e.id, seq: i + 1 };
    if (e.seq === undefined || e.hash === undefined || e.prevHash === undefined) return { ...at, reason: "the entry is not sealed" };
    if (e.seq !== i + 1) return { ...at, reason: e.seq < i + 1 ? `position ${e.seq} appears twice` : `entry ${i + 1} is missing` };
    if (e.prevHash !== prevHash) return { ...at, reason: "it does not follow the entry before it" };
    if (hashOf(e) !== e.hash) return { ...at, reason: "its content no longer matches its hash" };
    prevHash = e.hash;
  }
  return undefined;
}

/** Every chain in a set of entries, checked; the breaks found (one per broken chain). */
export function verifyAuditTrail(entries: AuditEntry[]): { chains: number; entries: number; breaks: ChainBreak[] } {
  const chains = new Map<string, AuditEntry[]>();
  for (const e of entries) {
    const id = auditChainId(e);
    chains.set(id, [...(chains.get(id) ?? []), e]);
  }
  const breaks = [...chains.values()].map(verifyAuditChain).filter((b): b is ChainBreak => !!b);
  return { chains: chains.size, entries: entries.length, breaks };
}
