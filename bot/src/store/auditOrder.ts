import { auditChainId, type AuditEntry } from "@ectsp/shared";

/**
 * The order both stores list audit entries in. Within a chain (one plan's, or an ECT's entries
 * about no plan) the chain's own order — the order they were appended, which is what their hashes
 * vouch for — even where an entry's clock time is earlier than the one before it. Several chains
 * (an ECT's listing) are merged by time, so each chain keeps its order.
 */
export function inChainOrder(entries: readonly AuditEntry[]): AuditEntry[] {
  const chains = byChain(entries);
  if (chains.length <= 1) return chains[0] ?? [];
  const at = (e: AuditEntry) => Date.parse(e.at);
  const next = chains.map(() => 0);
  const out: AuditEntry[] = [];
  while (out.length < entries.length) {
    let best = -1;
    for (let i = 0; i < chains.length; i++) {
      const e = chains[i]![next[i]!];
      if (!e) continue;
      if (best < 0 || at(e) < at(chains[best]![next[best]!]!)) best = i;
    }
    out.push(chains[best]![next[best]!++]!);
  }
  return out;
}

/** Entries grouped by chain (chains by id), each chain in sequence order. */
export function byChain(entries: readonly AuditEntry[]): AuditEntry[][] {
  const chains = new Map<string, AuditEntry[]>();
  for (const e of entries) {
    const id = auditChainId(e);
    const chain = chains.get(id);
    if (chain) chain.push(e);
    else chains.set(id, [e]);
  }
  return [...chains.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, chain]) => chain.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0)));
}
