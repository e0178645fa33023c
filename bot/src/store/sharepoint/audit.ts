/**
 * The plan audit on SharePoint: reading the trail, and the chains' heads and positions that
 * every write appending audit entries seals onto (auditChain.ts maps the columns).
 */
import { AuditEntry, auditChainId, type ChainHead } from "@ectsp/shared";
import type { AuditStore } from "../store.js";
import { byChain, inChainOrder } from "../auditOrder.js";
import { chainColumns, chainStateOf, type ChainState } from "./auditChain.js";
import { eq, type SiteLists } from "./lists.js";

export class SharePointAudit implements AuditStore {
  /**
   * Each chain's head as this instance last read or wrote it (null: known empty), so a save needs
   * no read of it. Another instance may have appended since: the write then answers 409 on the
   * chain position, and the writer reads the chain again (chainStates) and seals again.
   */
  private readonly heads = new Map<string, ChainHead | null>();

  constructor(private readonly lists: SiteLists) {}

  async listAudit(filter: { planId?: string; ectId?: string }): Promise<AuditEntry[]> {
    const where: string[] = [];
    if (filter.planId !== undefined) where.push(eq("planId", filter.planId));
    if (filter.ectId !== undefined) where.push(eq("ectId", filter.ectId));
    const items = await this.lists.query("audit", where.join(" and ") || undefined);
    return inChainOrder(items.map((i) => AuditEntry.parse(this.lists.bodyOf("audit", i.fields))));
  }

  async readAuditTrail(): Promise<AuditEntry[]> {
    // The whole list, page by page (@odata.nextLink): no filter, so no list view threshold applies.
    const items = await this.lists.query("audit");
    return byChain(items.map((i) => AuditEntry.parse(this.lists.bodyOf("audit", i.fields)))).flat();
  }

  /** The chains as stored now: heads and positions (small columns only), read together. */
  async chainStates(chainIds: Iterable<string>): Promise<Map<string, ChainState>> {
    const ids = [...new Set(chainIds)];
    const pages = await Promise.all(ids.map((id) => this.lists.query("audit", eq("chainId", id), chainColumns)));
    const states = new Map(ids.map((id, i) => [id, chainStateOf(pages[i]!)]));
    for (const [id, s] of states) this.heads.set(id, s.head ?? null);
    return states;
  }

  /**
   * The heads of the chains these entries go on (none for a new chain): as this instance knows
   * them, else read (issued with a write's other reads, they share its $batch).
   */
  async chainHeads(entries: readonly AuditEntry[]): Promise<Map<string, ChainHead>> {
    const ids = [...new Set(entries.map(auditChainId))];
    const unknown = ids.filter((id) => !this.heads.has(id));
    if (unknown.length > 0) await this.chainStates(unknown);
    return new Map(ids.flatMap((id) => (this.heads.get(id) ? [[id, this.heads.get(id)!] as const] : [])));
  }

  /** Whether this instance knows the chain's head (a plan opened or written here). */
  knowsHead(chainId: string): boolean {
    return this.heads.has(chainId);
  }

  /** Moves the heads past entries this instance has just written. */
  wrote(sealed: readonly AuditEntry[]): void {
    for (const e of sealed) {
      const id = auditChainId(e);
      if (e.seq !== undefined && e.hash !== undefined && (this.heads.get(id)?.seq ?? 0) < e.seq) this.heads.set(id, { seq: e.seq, hash: e.hash });
    }
  }

  /** Forgets heads a failed write may have moved: the next write reads them. */
  forget(chainIds: Iterable<string>): void {
    for (const id of chainIds) this.heads.delete(id);
  }

  clear(): void {
    this.heads.clear();
  }
}
