import { verifyAuditTrail, type ChainBreak } from "@ectsp/shared";
import type { Store } from "../store/store.js";

/** What checking a store's audit trail found. Chain ids, entry ids and counts only: never content. */
export interface AuditVerification {
  store: Store["kind"];
  chains: number;
  entries: number;
  /** One per broken chain (its first broken entry), by chain id. */
  breaks: ChainBreak[];
}

/** Reads every audit entry in the store and checks every chain. */
export async function verifyStoreAudit(store: Store): Promise<AuditVerification> {
  const { chains, entries, breaks } = verifyAuditTrail(await store.readAuditTrail());
  return { store: store.kind, chains, entries, breaks: [...breaks].sort((a, b) => (a.chainId < b.chainId ? -1 : a.chainId > b.chainId ? 1 : 0)) };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const named = (b: ChainBreak) => `chain ${b.chainId}, entry ${b.entryId}, position ${b.seq}: ${b.reason}`;
/** Breaks listed after the first, at most. */
const listed = 20;

/** The lines `npm run audit:verify` prints, and its exit code: 0 when every chain holds, 1 when one is broken. */
export function verificationReport(v: AuditVerification): { lines: string[]; exitCode: 0 | 1 } {
  const checked = `${plural(v.chains, "chain")}, ${plural(v.entries, "entry", "entries")} checked in the ${v.store} store`;
  const [first, ...others] = v.breaks;
  if (!first) return { lines: [`Audit trail intact: ${checked}.`], exitCode: 0 };
  return {
    lines: [
      `Audit trail BROKEN in ${plural(v.breaks.length, "chain")} (${checked}).`,
      `First broken entry: ${named(first)}.`,
      ...others.slice(0, listed).map((b) => `Also broken: ${named(b)}.`),
      ...(others.length > listed ? [`… and ${others.length - listed} more broken chains.`] : []),
    ],
    exitCode: 1,
  };
}
