/**
 * Induction records on SharePoint (issue 7): evidence files in the site's document library,
 * records in lists, each written with its audit entries (and messages) as one unit.
 */
import { AuditEntry, DomainError, EvidenceRecord, InductionRecord, conflict, notFound, type InductionRecordKind, type NewOutboxMessage } from "@ectsp/shared";
import type { RecordStore } from "../store.js";
import type { SharePointAudit } from "./audit.js";
import { deleteFile, downloadFile, siteDriveId, uploadFile } from "./driveFiles.js";
import { anyOf, cmp, eq, idsPerFilter, num, str, type Fields, type SiteLists } from "./lists.js";
import type { PlanWrites } from "./planWrites.js";
import { dedupe, newOutbox } from "./reach.js";
import { nothingWritten } from "./changeJournal.js";

export class SharePointRecords implements RecordStore {
  private evidenceDrive?: Promise<string>;

  constructor(
    private readonly lists: SiteLists,
    private readonly audit: SharePointAudit,
    private readonly writes: PlanWrites,
  ) {}

  /** The site's default document library, looked up once. */
  private drive(): Promise<string> {
    this.evidenceDrive ??= siteDriveId(this.lists.client, this.lists.settings.siteId).catch((e: unknown) => {
      this.evidenceDrive = undefined;
      throw e;
    });
    return this.evidenceDrive;
  }

  /** Evidence files live in one folder per list prefix, named by the evidence id (the record holds the display name). */
  private evidenceFilePath(id: string): string {
    const folder = `${this.lists.settings.listPrefix}Evidence`.replace(/[^A-Za-z0-9 _-]+/g, "_").trim();
    return `${folder}/${id.replace(/[^A-Za-z0-9_-]+/g, "_")}`;
  }

  private evidenceFields(rec: EvidenceRecord, driveItemId: string): Fields {
    return this.lists.fieldsFor(
      "evidence",
      rec.id,
      { ectId: rec.ectId, planId: rec.planId, targetId: rec.targetId, driveItemId, deleted: !!rec.deletedAt, atMs: Date.parse(rec.uploadedAt) },
      rec,
    );
  }

  async addEvidence(record: EvidenceRecord, content: Uint8Array, audit: AuditEntry[]): Promise<void> {
    const rec = EvidenceRecord.parse(record);
    const entries = audit.map((a) => AuditEntry.parse(a));
    if (content.length !== rec.size) throw new DomainError("validation", `The file is ${content.length} bytes, not the ${rec.size} its record says.`);
    const [existing, heads] = await Promise.all([this.lists.findOne("evidence", rec.id), this.audit.chainHeads(entries)]);
    if (existing) throw conflict(`Evidence ${rec.id} already exists`);
    const driveId = await this.drive();
    // The file first, then its record and audit entries as one journalled change; if that is
    // refused with nothing written, the file is removed too, so nothing is left behind. When the
    // change is delayed (it will complete) or not confirmed, the file stays for the record.
    const itemId = await uploadFile(this.lists.client, driveId, this.evidenceFilePath(rec.id), content);
    try {
      await this.writes.commitRecords(
        [{ list: "evidence", key: rec.id, fields: this.evidenceFields(rec, itemId), appendOnly: true }],
        entries,
        [],
        [undefined],
        heads,
      );
    } catch (e) {
      if (nothingWritten(e)) await deleteFile(this.lists.client, driveId, itemId).catch(() => undefined);
      throw e;
    }
  }

  async getEvidence(id: string): Promise<EvidenceRecord | undefined> {
    return this.lists.getRecord("evidence", id, EvidenceRecord);
  }

  async listEvidence(filter: { planId?: string; targetId?: string; ectId?: string; includeDeleted?: boolean }): Promise<EvidenceRecord[]> {
    const where: string[] = [];
    if (filter.planId !== undefined) where.push(eq("planId", filter.planId));
    if (filter.ectId !== undefined) where.push(eq("ectId", filter.ectId));
    const items = await this.lists.query("evidence", where.join(" and ") || undefined);
    return items
      .filter((i) => (filter.targetId === undefined || i.fields.targetId === filter.targetId) && (filter.includeDeleted || i.fields.deleted !== true))
      .sort((a, b) => num(a.fields.atMs) - num(b.fields.atMs) || cmp(String(a.fields.evidenceId), String(b.fields.evidenceId)))
      .map((i) => EvidenceRecord.parse(this.lists.bodyOf("evidence", i.fields)));
  }

  async readEvidenceContent(id: string): Promise<Uint8Array | undefined> {
    const item = await this.lists.findOne("evidence", id);
    const driveItemId = item ? str(item.fields.driveItemId) : undefined;
    if (!driveItemId) return undefined;
    return downloadFile(this.lists.client, await this.drive(), driveItemId);
  }

  async markEvidenceDeleted(record: EvidenceRecord, audit: AuditEntry[]): Promise<void> {
    const rec = EvidenceRecord.parse(record);
    if (!rec.deletedAt) throw new DomainError("invalid_state", "Mark the record deleted (deletedAt) to hide it.");
    const entries = audit.map((a) => AuditEntry.parse(a));
    const [item, heads] = await Promise.all([this.lists.findOne("evidence", rec.id), this.audit.chainHeads(entries)]);
    if (!item || item.fields.deleted === true) throw notFound(`Evidence ${rec.id}`);
    const fields = this.evidenceFields(rec, typeof item.fields.driveItemId === "string" ? item.fields.driveItemId : "");
    await this.writes.commitRecords([{ list: "evidence", key: rec.id, fields }], entries, [], [item], heads);
  }

  async addRecords(records: InductionRecord[], audit: AuditEntry[], outbox: NewOutboxMessage[] = []): Promise<void> {
    const rows = records.map((r) => InductionRecord.parse(r));
    const entries = audit.map((a) => AuditEntry.parse(a));
    const messages = dedupe(outbox.map((m) => newOutbox(m, this.lists.clock.now())));
    // Append-only: a record id that exists already is refused before anything is written.
    const [existing, heads] = await Promise.all([Promise.all(rows.map((r) => this.lists.findOne("inductionRecords", r.id))), this.audit.chainHeads(entries)]);
    const taken = rows.find((_, i) => existing[i]);
    if (taken) throw conflict(`Induction record ${taken.id} already exists`);
    await this.writes.commitRecords(
      rows.map((r) => ({
        list: "inductionRecords" as const,
        key: r.id,
        fields: this.lists.fieldsFor("inductionRecords", r.id, { recordKind: r.kind, ectId: r.ectId, abId: r.abId, atMs: Date.parse(r.recordedAt) }, r),
        appendOnly: true,
      })),
      entries,
      messages,
      rows.map(() => undefined),
      heads,
    );
  }

  async getInductionRecord(id: string): Promise<InductionRecord | undefined> {
    return this.lists.getRecord("inductionRecords", id, InductionRecord);
  }

  async listRecords(filter: { ectIds?: string[]; kind?: InductionRecordKind }): Promise<InductionRecord[]> {
    if (filter.ectIds?.length === 0) return [];
    const kind = filter.kind !== undefined ? [eq("recordKind", filter.kind)] : [];
    const groups: (string | undefined)[] = [];
    if (filter.ectIds !== undefined) {
      const ids = [...new Set(filter.ectIds)];
      for (let i = 0; i < ids.length; i += idsPerFilter) groups.push(anyOf("ectId", ids.slice(i, i + idsPerFilter)));
    } else groups.push(undefined);
    const pages = await Promise.all(groups.map((g) => this.lists.query("inductionRecords", [...(g ? [g] : []), ...kind].join(" and ") || undefined)));
    return pages
      .flat()
      .sort((a, b) => num(a.fields.atMs) - num(b.fields.atMs) || num(a.itemId) - num(b.itemId))
      .map((i) => InductionRecord.parse(this.lists.bodyOf("inductionRecords", i.fields)));
  }
}
