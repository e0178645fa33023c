/**
 * The requests a journalled change is written with (changeJournal.ts): its journal entry, the
 * plan save with If-Match carrying the change's id, the rows, the sealed audit entries, and the
 * serial chain they are sent in. Nothing here decides; it lays out and sends.
 */
import { sealAuditBatch, type AuditEntry, type ChainHead } from "@ectsp/shared";
import { batch, batchLimit, type BatchRequest, type BatchResponse } from "./graph.js";
import { auditColumns } from "./auditChain.js";
import type { Fields, Item, SiteLists } from "./lists.js";
import { changeIdsOf, changeLeaseMs, is2xx, keptChangeIds, rowInPlace, type ChangeFormat, type JournalledChange, type Observed } from "./journalledChange.js";

export class ChangeRequests {
  constructor(
    private readonly lists: SiteLists,
    private readonly format: ChangeFormat,
    private readonly instanceId: string,
  ) {}

  journalPost(change: JournalledChange): BatchRequest {
    const firstPlan = change.save?.plan.id ?? change.creates[0]?.id;
    const fields = this.lists.fieldsFor(
      "changes",
      change.changeId,
      {
        changeState: "open",
        planId: firstPlan,
        holder: this.instanceId,
        leaseUntilMs: this.lists.clock.now().getTime() + changeLeaseMs,
        createdAt: change.createdAt,
      },
      change,
    );
    return { id: "", method: "POST", url: this.lists.itemsPath("changes"), body: { fields } };
  }

  savePatch(change: JournalledChange, item: Item): BatchRequest {
    const ids = [change.changeId, ...changeIdsOf(item.fields).filter((id) => id !== change.changeId)].slice(0, keptChangeIds);
    return {
      id: "",
      method: "PATCH",
      url: `${this.lists.itemsPath("plans")}/${item.itemId}/fields`,
      body: this.format.planFields(change.save!.plan, ids),
      headers: { "if-match": item.etag },
    };
  }

  /** Rows, created plans, check-ins and messages not yet in place. */
  rowWrites(change: JournalledChange, seen: Pick<Observed, "created" | "outboxPresent" | "checkIns" | "rows">): BatchRequest[] {
    const out: BatchRequest[] = [];
    change.rows.forEach((r, i) => {
      const item = seen.rows[i];
      if (!item) out.push({ id: "", method: "POST", url: this.lists.itemsPath(r.list), body: { fields: r.fields } });
      else if (!rowInPlace(r, item)) out.push({ id: "", method: "PATCH", url: `${this.lists.itemsPath(r.list)}/${item.itemId}/fields`, body: r.fields });
    });
    change.creates.forEach((p, i) => {
      if (!seen.created[i])
        out.push({ id: "", method: "POST", url: this.lists.itemsPath("plans"), body: { fields: this.format.planFields(p, [change.changeId]) } });
    });
    change.checkIns.forEach((c, i) => {
      const fields = this.format.checkInFields(c);
      const item = seen.checkIns[i];
      if (!item) out.push({ id: "", method: "POST", url: this.lists.itemsPath("checkIns"), body: { fields } });
      else if (JSON.stringify(this.lists.bodyOf("checkIns", item.fields)) !== JSON.stringify(c))
        out.push({ id: "", method: "PATCH", url: `${this.lists.itemsPath("checkIns")}/${item.itemId}/fields`, body: fields });
    });
    const unsent = change.outbox.filter((_, i) => !seen.outboxPresent[i]);
    const seq = this.lists.nextSeq(unsent.length);
    unsent.forEach((m, i) => out.push({ id: "", method: "POST", url: this.lists.itemsPath("outbox"), body: { fields: this.format.outboxFields(m, seq + i) } }));
    return out;
  }

  /** The entries sealed onto `heads`, each carrying the change's id, and their POSTs. */
  auditPosts(change: JournalledChange, entries: AuditEntry[], heads: Map<string, ChainHead>): { requests: BatchRequest[]; sealed: AuditEntry[] } {
    const sealed = sealAuditBatch(entries, heads);
    const seq = this.lists.nextSeq(sealed.length);
    const requests = sealed.map((a, i): BatchRequest => ({
      id: "",
      method: "POST",
      url: this.lists.itemsPath("audit"),
      body: { fields: this.lists.fieldsFor("audit", a.id, auditColumns(a, seq + i, change.changeId), a) },
    }));
    return { requests, sealed };
  }

  /**
   * Sends the requests as one serial chain, 20 to a $batch; a batch only when the one before
   * succeeded whole. Returns the answers of what was sent, in order.
   */
  async sendSerial(requests: BatchRequest[]): Promise<BatchResponse[]> {
    const answers: BatchResponse[] = [];
    for (let i = 0; i < requests.length; i += batchLimit) {
      const chunk = requests.slice(i, i + batchLimit).map((r, n) => ({ ...r, id: String(n + 1), ...(n > 0 ? { dependsOn: [String(n)] } : {}) }));
      const got = await batch(this.lists.client, chunk, "Saving the change");
      const part = chunk.map((r) => got.get(r.id)!);
      answers.push(...part);
      if (!part.every(is2xx)) break;
    }
    return answers;
  }

  /** PATCHes the entry; with `ifMatch`, only if nobody else changed it since it was read. Returns whether it landed. */
  async patchJournal(journal: Item, fields: Fields, ifMatch = false): Promise<boolean> {
    const r = await batch(
      this.lists.client,
      [
        {
          id: "1",
          method: "PATCH",
          url: `${this.lists.itemsPath("changes")}/${journal.itemId}/fields`,
          body: fields,
          ...(ifMatch ? { headers: { "if-match": journal.etag } } : {}),
        },
      ],
      "Closing a change",
    );
    return is2xx(r.get("1"));
  }
}
