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
    return new Map(ids.map((id, i) => [id, chainStateOf(pages[i]!)]));
  }

  /** The heads of the chains these entries go on (none for a new chain). Issued with a write's other reads, they share its $batch. */
  async chainHeads(entries: readonly AuditEntry[]): Promise<Map<string, ChainHead>> {
    if (entries.length === 0) return new Map();
    const states = await this.chainStates(entries.map(auditChainId));
    return new Map([...states].flatMap(([id, s]) => (s.head ? [[id, s.head] as const] : [])));
  }
}
