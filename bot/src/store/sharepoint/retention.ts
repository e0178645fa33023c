/**
 * Retention deletions on SharePoint (issue 16, item 9). Graph has no transaction across lists,
 * so the order makes a crash (or a lost reply) at any point resumable by running it again:
 * 1. the content-free tombstone, through the change journal: the commit point. From here the
 *    deletion is decided; an error after it says so (never "nothing was deleted");
 * 2. each evidence file, then its record (a record never points at a file already gone for long);
 * 3. check-ins, induction records, then the plans themselves.
 * Every step is idempotent: an item or file already gone (404) is done.
 */
import { AuditEntry, RetentionItems } from "@ectsp/shared";
import type { RetentionStore } from "../store.js";
import type { SharePointAudit } from "./audit.js";
import { deleteFile, siteDriveId } from "./driveFiles.js";
import { failure, send } from "./graph.js";
import { eq, str, type Item, type SiteLists } from "./lists.js";
import { listSchema, listTitle, type ListKey } from "./listSchema.js";
import type { PlanCache } from "./plans.js";
import type { PlanWrites } from "./planWrites.js";

export class SharePointRetention implements RetentionStore {
  private driveId?: Promise<string>;

  constructor(
    private readonly lists: SiteLists,
    private readonly audit: SharePointAudit,
    private readonly writes: PlanWrites,
    private readonly plans: PlanCache,
  ) {}

  private drive(): Promise<string> {
    this.driveId ??= siteDriveId(this.lists.client, this.lists.settings.siteId).catch((e: unknown) => {
      this.driveId = undefined;
      throw e;
    });
    return this.driveId;
  }

  async deleteEctRecords(deletion: { ectId: string; items: RetentionItems; tombstone: AuditEntry }): Promise<void> {
    const { ectId } = deletion;
    const items = RetentionItems.parse(deletion.items);
    const tombstone = AuditEntry.parse(deletion.tombstone);
    if (tombstone.ectId !== ectId || tombstone.planId !== undefined) throw new Error("A retention tombstone belongs to the ECT's own chain");
    if (!(await this.lists.findOne("audit", tombstone.id))) {
      const heads = await this.audit.chainHeads([tombstone]);
      await this.writes.commitRecords([], [tombstone], [], [], heads);
    }
    const evidence = await this.ofEct("evidence", ectId, items.evidenceIds);
    for (const item of evidence) {
      const driveItemId = str(item.fields.driveItemId);
      if (driveItemId) await deleteFile(this.lists.client, await this.drive(), driveItemId);
      await this.deleteItem("evidence", item);
    }
    for (const item of await this.ofEct("checkIns", ectId, items.checkInIds)) await this.deleteItem("checkIns", item);
    for (const item of await this.ofEct("inductionRecords", ectId, items.recordIds)) await this.deleteItem("inductionRecords", item);
    for (const item of await this.ofEct("plans", ectId, items.planIds)) {
      await this.deleteItem("plans", item);
      this.plans.forget(String(item.fields.planId));
    }
  }

  /** The ECT's items in `key` whose ids are named (another ECT's item of the same id is never touched). */
  private async ofEct(key: ListKey, ectId: string, ids: string[]): Promise<Item[]> {
    if (ids.length === 0) return [];
    const named = new Set(ids);
    const column = listSchema[key].key;
    return (await this.lists.query(key, eq("ectId", ectId))).filter((i) => named.has(String(i.fields[column])));
  }

  private async deleteItem(key: ListKey, item: Item): Promise<void> {
    const res = await send(this.lists.client, "DELETE", `${this.lists.itemsPath(key)}/${item.itemId}`);
    // 404: deleted already (a reply lost after Graph applied it, or an earlier run).
    if (res.status !== 404 && (res.status < 200 || res.status >= 300)) throw failure(res, `Deleting from ${listTitle(this.lists.settings.listPrefix, key)}`);
    this.lists.itemIds.delete(`${key}:${String(item.fields[listSchema[key].key]).toLowerCase()}`);
  }
}
