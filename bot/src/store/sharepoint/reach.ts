/**
 * The bot's reach on SharePoint: the outbox (claimed item by item with If-Match, so instances
 * never double-send), live instances, scheduled jobs, conversation references, reminder mutes
 * and posted cards.
 */
import { randomUUID } from "node:crypto";
import { OutboxKind, OutboxMessage, type NewOutboxMessage } from "@ectsp/shared";
import { ConversationRef, SentCard, type ClaimOptions, type ReachStore } from "../store.js";
import { claimOrder, claimStamp, dedupeMessages, holdsClaim, isClaimable, isLive, newOutboxMessage, type ClaimState } from "../../scheduler/outboxPolicy.js";
import { batch, batchLimit, failure, ok, send } from "./graph.js";
import { cmp, eq, num, pageSize, str, type Fields, type Item, type SiteLists } from "./lists.js";
import type { PlanWrites, Write } from "./planWrites.js";
import { SharePointWriteError } from "./writeErrors.js";

const maxErrorLength = 500;

// The outbox's rules are outboxPolicy's; these only map list columns to what it reads.
export const newOutbox = (m: NewOutboxMessage, now: Date): OutboxMessage => newOutboxMessage(m, now, randomUUID());
export const dedupe = (ms: OutboxMessage[]): OutboxMessage[] => dedupeMessages(ms);
const claimStateOf = (f: Fields): ClaimState => ({
  status: f.outboxStatus as OutboxMessage["status"],
  notBeforeMs: num(f.notBeforeMs),
  claimedUntilMs: typeof f.claimedUntilMs === "number" ? f.claimedUntilMs : null,
});
const claimKeyOf = (f: Fields) => ({ notBeforeMs: num(f.notBeforeMs), seq: num(f.seq) });
const claimHolderOf = (f: Fields) => ({ status: String(f.outboxStatus), claimedBy: str(f.claimedBy) });

export class SharePointReach implements ReachStore {
  constructor(
    private readonly lists: SiteLists,
    private readonly writes: PlanWrites,
  ) {}

  // ================================================================ outbox

  async enqueue(messages: NewOutboxMessage[], now: Date): Promise<void> {
    const rows = dedupe(messages.map((m) => newOutbox(m, now)));
    const seq = this.lists.nextSeq(rows.length);
    await this.writes.runWrites(
      [],
      rows.map((m, i): Write => ({
        kind: "enqueue",
        request: { id: "", method: "POST", url: this.lists.itemsPath("outbox"), body: { fields: outboxFields(this.lists, m, seq + i) } },
        list: "outbox",
      })),
      "Enqueueing messages",
    );
  }

  async claimDue(options: ClaimOptions): Promise<OutboxMessage[]> {
    const { instanceId, now, leaseMs, limit } = options;
    if (limit <= 0) return [];
    const nowMs = now.getTime();
    // One page, not the whole backlog: claims are small (outboxPolicy), and the page leaves room
    // for messages other instances hold. Which of them are due, and in what order, is the policy's.
    const top = Math.min(pageSize, limit * 4 + 100);
    const filter = encodeURIComponent(`${eq("outboxStatus", "pending")} and fields/notBeforeMs le ${nowMs}`);
    const page = ok(await this.lists.read(`${this.lists.itemsPath("outbox")}?$expand=fields&$filter=${filter}&$top=${top}`), "Reading the outbox");
    const due = ((page.body as { value?: { id: string; "@odata.etag": string; fields: Fields }[] }).value ?? [])
      .map((v): Item => ({ itemId: String(v.id), etag: v["@odata.etag"], fields: v.fields ?? {} }))
      .filter((i) => isClaimable(claimStateOf(i.fields), nowMs))
      .sort((a, b) => claimOrder(claimKeyOf(a.fields), claimKeyOf(b.fields)) || num(a.itemId) - num(b.itemId));
    const claimed: OutboxMessage[] = [];
    let next = 0;
    // Each claim is a PATCH with If-Match: a 412 means another instance got there first.
    while (claimed.length < limit && next < due.length) {
      const wave = due.slice(next, next + Math.min(batchLimit, limit - claimed.length));
      next += wave.length;
      const responses = await batch(
        this.lists.client,
        wave.map((i, n) => ({
          id: String(n + 1),
          method: "PATCH" as const,
          url: `${this.lists.itemsPath("outbox")}/${i.itemId}/fields`,
          body: claimStamp(num(i.fields.attempts ?? 0), instanceId, nowMs, leaseMs),
          headers: { "if-match": i.etag },
        })),
        "Claiming messages",
      );
      wave.forEach((i, n) => {
        const r = responses.get(String(n + 1))!;
        if (r.status === 200) claimed.push(toOutbox(this.lists, { ...i.fields, ...(r.body as Fields) }));
        else if (r.status !== 412) throw failure(r, "Claiming a message");
      });
    }
    return claimed;
  }

  /** Applies `change` to a message when `allowed` holds for its current state (compare-and-set on the ETag). */
  private async updateMessage(id: string, allowed: (f: Fields) => boolean, change: Fields): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const item = await this.lists.findOne("outbox", id);
      if (!item || !allowed(item.fields)) return;
      const res = await send(this.lists.client, "PATCH", `${this.lists.itemsPath("outbox")}/${item.itemId}/fields`, change, { "if-match": item.etag });
      if (res.status === 412) continue; // changed under us: look again
      ok(res, "Updating a message");
      return;
    }
    throw new SharePointWriteError(`Message ${id} kept changing; not updated.`, true);
  }

  async markSent(id: string, instanceId: string, now: Date): Promise<void> {
    await this.updateMessage(id, (f) => holdsClaim(claimHolderOf(f), instanceId), { outboxStatus: "sent", sentAt: now.toISOString() });
  }

  async markFailed(id: string, instanceId: string, error: string, now: Date, retryAt?: Date): Promise<void> {
    const lastError = error.slice(0, maxErrorLength);
    const holds = (f: Fields) => holdsClaim(claimHolderOf(f), instanceId);
    if (retryAt) {
      await this.updateMessage(id, holds, {
        outboxStatus: "pending",
        notBefore: retryAt.toISOString(),
        notBeforeMs: retryAt.getTime(),
        claimedBy: null,
        claimedUntilMs: null,
        lastError,
      });
    } else {
      await this.updateMessage(id, holds, { outboxStatus: "failed", lastError });
    }
    void now;
  }

  async listOutbox(filter: { status?: OutboxMessage["status"]; recipientId?: string; planId?: string }): Promise<OutboxMessage[]> {
    const where: string[] = [];
    if (filter.status !== undefined) where.push(eq("outboxStatus", filter.status));
    if (filter.recipientId !== undefined) where.push(eq("recipientId", filter.recipientId));
    if (filter.planId !== undefined) where.push(eq("planId", filter.planId));
    const items = await this.lists.query("outbox", where.join(" and ") || undefined);
    return items.sort((a, b) => num(a.fields.seq) - num(b.fields.seq) || num(a.itemId) - num(b.itemId)).map((i) => toOutbox(this.lists, i.fields));
  }

  async releaseClaims(instanceId: string, ids?: string[]): Promise<number> {
    if (ids && ids.length === 0) return 0;
    // The messages named are read together (one $batch); without names, what is pending.
    const items = ids
      ? (await Promise.all(ids.map((id) => this.lists.findOne("outbox", id)))).filter((i): i is Item => i !== undefined)
      : await this.lists.query("outbox", eq("outboxStatus", "pending"));
    const held = items.filter((i) => holdsClaim(claimHolderOf(i.fields), instanceId));
    const release: Fields = { claimedBy: null, claimedUntilMs: null };
    let released = 0;
    for (let n = 0; n < held.length; n += batchLimit) {
      const wave = held.slice(n, n + batchLimit);
      const responses = await batch(
        this.lists.client,
        wave.map((i, k) => ({
          id: String(k + 1),
          method: "PATCH" as const,
          url: `${this.lists.itemsPath("outbox")}/${i.itemId}/fields`,
          body: release,
          headers: { "if-match": i.etag },
        })),
        "Handing back messages",
      );
      for (const [k, i] of wave.entries()) {
        const r = responses.get(String(k + 1))!;
        if (r.status === 200) released++;
        else if (r.status === 412) {
          // Changed since read (sent meanwhile?): hand it back only if still ours.
          await this.updateMessage(String(i.fields.messageId), (f) => holdsClaim(claimHolderOf(f), instanceId), release);
        } else throw failure(r, "Handing back a message");
      }
    }
    return released;
  }

  async wakeRecipient(recipientId: string, now: Date): Promise<number> {
    const nowMs = now.getTime();
    const items = await this.lists.query("outbox", [eq("recipientId", recipientId), eq("outboxStatus", "pending")].join(" and "));
    const waiting = items.filter(
      // Not due yet, so claimable once brought forward: unless a live claim holds it.
      (i) => num(i.fields.notBeforeMs) > nowMs && isClaimable({ ...claimStateOf(i.fields), notBeforeMs: nowMs }, nowMs),
    );
    const due: Fields = { notBefore: now.toISOString(), notBeforeMs: nowMs };
    let woken = 0;
    for (const i of waiting) {
      // If-Match: a message claimed or sent meanwhile is left as it is.
      const res = await send(this.lists.client, "PATCH", `${this.lists.itemsPath("outbox")}/${i.itemId}/fields`, due, { "if-match": i.etag });
      if (res.status === 412) continue;
      ok(res, "Bringing a message forward");
      woken++;
    }
    return woken;
  }

  // ================================================================ instances

  async heartbeatInstance(instanceId: string, now: Date, liveUntil: Date): Promise<number> {
    const nowMs = now.getTime();
    // The renewal and the count go out together; the count is of the others, plus this one.
    const [, others] = await Promise.all([
      this.lists.upsert(
        "instances",
        instanceId,
        this.lists.fieldsFor("instances", instanceId, { liveUntilMs: liveUntil.getTime(), heartbeatAt: now.toISOString() }),
      ),
      this.lists.query("instances", `fields/liveUntilMs gt ${nowMs}`, ["instanceId", "liveUntilMs"]),
    ]);
    const self = instanceId.toLowerCase();
    const live = others.filter((i) => String(i.fields.instanceId).toLowerCase() !== self && isLive({ liveUntilMs: num(i.fields.liveUntilMs) }, nowMs)).length;
    return live + (isLive({ liveUntilMs: liveUntil.getTime() }, nowMs) ? 1 : 0);
  }

  async retireInstance(instanceId: string, now: Date): Promise<void> {
    await this.lists.upsert(
      "instances",
      instanceId,
      this.lists.fieldsFor("instances", instanceId, { liveUntilMs: now.getTime(), heartbeatAt: now.toISOString() }),
    );
  }

  // ================================================================ jobs

  async claimJob(name: string, instanceId: string, now: Date, leaseMs: number): Promise<boolean> {
    const nowMs = now.getTime();
    const claim = { claimedBy: instanceId, claimedAtMs: nowMs, claimedUntilMs: nowMs + leaseMs };
    const item = await this.lists.findOne("jobs", name);
    if (!item) {
      const res = await send(this.lists.client, "POST", this.lists.itemsPath("jobs"), { fields: { Title: name.slice(0, 255), jobName: name, ...claim } });
      if (res.status !== 409) {
        ok(res, "Claiming a job");
        return true;
      }
      // Another instance created it a moment ago: its claim stands unless already expired.
      const now2 = await this.lists.findOne("jobs", name);
      if (!now2) return false;
      return this.takeOver(now2, nowMs, claim);
    }
    return this.takeOver(item, nowMs, claim);
  }

  private async takeOver(item: Item, nowMs: number, claim: Fields): Promise<boolean> {
    if (num(item.fields.claimedUntilMs) >= nowMs) return false;
    const res = await send(this.lists.client, "PATCH", `${this.lists.itemsPath("jobs")}/${item.itemId}/fields`, claim, { "if-match": item.etag });
    if (res.status === 412) return false; // someone else took it over first
    ok(res, "Claiming a job");
    return true;
  }

  // ================================================================ the bot's reach

  async saveConversationRef(personId: string, ref: ConversationRef): Promise<void> {
    const v = ConversationRef.parse(ref);
    const key = `person:${personId}`;
    await this.lists.upsert("conversationRefs", key, this.lists.fieldsFor("conversationRefs", key, { conversationId: v.conversationId.slice(0, 255) }, v));
  }

  async getConversationRef(personId: string): Promise<ConversationRef | undefined> {
    return this.lists.getRecord("conversationRefs", `person:${personId}`, ConversationRef);
  }

  async saveChannelRef(abId: string, ref: ConversationRef): Promise<void> {
    const v = ConversationRef.parse(ref);
    const key = `ab:${abId}`;
    await this.lists.upsert("conversationRefs", key, this.lists.fieldsFor("conversationRefs", key, { conversationId: v.conversationId.slice(0, 255) }, v));
  }

  async getChannelRef(abId: string): Promise<ConversationRef | undefined> {
    return this.lists.getRecord("conversationRefs", `ab:${abId}`, ConversationRef);
  }

  async setReminderMute(personId: string, kind: OutboxKind, muted: boolean, now: Date): Promise<void> {
    const k = OutboxKind.parse(kind);
    const key = `${personId}|${k}`;
    await this.lists.upsert("reminderMutes", key, this.lists.fieldsFor("reminderMutes", key, { personId, kind: k, muted, changedAt: now.toISOString() }));
  }

  async listReminderMutes(personId: string): Promise<OutboxKind[]> {
    const items = await this.lists.query("reminderMutes", eq("personId", personId));
    return items
      .filter((i) => i.fields.muted === true)
      .map((i) => OutboxKind.parse(i.fields.kind))
      .sort(cmp);
  }

  async recordSentCard(card: SentCard): Promise<void> {
    const v = SentCard.parse(card);
    await this.lists.upsert(
      "sentCards",
      v.outboxId,
      this.lists.fieldsFor("sentCards", v.outboxId, { planId: v.planId, kind: v.kind, recipientId: v.recipientId }, v),
    );
  }

  async listSentCards(filter: { planId: string; kinds?: OutboxKind[] }): Promise<SentCard[]> {
    if (filter.kinds && filter.kinds.length === 0) return [];
    const items = await this.lists.query("sentCards", eq("planId", filter.planId));
    const kinds = filter.kinds ? new Set<string>(filter.kinds) : undefined;
    return items
      .filter((i) => !kinds || kinds.has(String(i.fields.kind)))
      .sort((a, b) => num(a.itemId) - num(b.itemId))
      .map((i) => SentCard.parse(this.lists.bodyOf("sentCards", i.fields)));
  }
}

export function outboxFields(lists: SiteLists, m: OutboxMessage, seq: number): Fields {
  return lists.fieldsFor(
    "outbox",
    m.id,
    {
      dedupeKey: m.dedupeKey,
      kind: m.kind,
      recipientId: m.recipientId,
      planId: m.planId,
      ectId: m.ectId,
      outboxStatus: m.status,
      notBefore: m.notBefore,
      notBeforeMs: Date.parse(m.notBefore),
      createdAt: m.createdAt,
      seq,
      attempts: m.attempts,
    },
    { data: m.data },
  );
}

function toOutbox(lists: SiteLists, fields: Fields): OutboxMessage {
  const body = lists.bodyOf("outbox", fields) as { data?: unknown };
  const until = fields.claimedUntilMs;
  return OutboxMessage.parse({
    id: fields.messageId,
    kind: fields.kind,
    recipientId: fields.recipientId,
    ...(str(fields.planId) ? { planId: fields.planId } : {}),
    ...(str(fields.ectId) ? { ectId: fields.ectId } : {}),
    dedupeKey: fields.dedupeKey,
    data: body.data ?? {},
    createdAt: fields.createdAt,
    notBefore: fields.notBefore,
    status: fields.outboxStatus,
    attempts: num(fields.attempts ?? 0),
    ...(str(fields.claimedBy) ? { claimedBy: fields.claimedBy } : {}),
    ...(typeof until === "number" ? { claimedUntil: new Date(until).toISOString() } : {}),
    ...(str(fields.sentAt) ? { sentAt: fields.sentAt } : {}),
    ...(str(fields.lastError) ? { lastError: fields.lastError } : {}),
  });
}
