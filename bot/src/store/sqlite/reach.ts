/**
 * The embedded store's outbox and the bot's reach: messages claimed so instances never
 * double-send, the live instances, scheduled jobs, conversation references, reminder mutes and
 * posted cards.
 */
import { randomUUID } from "node:crypto";
import { OutboxKind, OutboxMessage, type NewOutboxMessage } from "@ectsp/shared";
import { ConversationRef, SentCard, type ClaimOptions, type ReachStore } from "../store.js";
import { claimOrder, claimStamp, dedupeMessages, holdsClaim, isClaimable, isLive, newOutboxMessage } from "../../scheduler/outboxPolicy.js";
import { SqlitePort, defined, epochMs, equalityFilter, whereClause, type DataRow, type Params, type SqliteDatabase } from "./database.js";

interface OutboxRow {
  seq: number;
  id: string;
  dedupe_key: string;
  kind: string;
  recipient_id: string;
  plan_id: string | null;
  ect_id: string | null;
  data: string;
  created_at: string;
  not_before: string;
  not_before_ms: number;
  status: string;
  attempts: number;
  claimed_by: string | null;
  claimed_until_ms: number | null;
  sent_at: string | null;
  last_error: string | null;
}

const maxErrorLength = 500;

/** A message as first stored (outboxPolicy), under a fresh id. */
export function newOutboxRow(m: NewOutboxMessage, now: Date): OutboxMessage {
  return newOutboxMessage(m, now, randomUUID());
}

/** Inserts a new message unless one with the same dedupe key exists: every port that enqueues (plans, records) writes through here. */
export function insertOutboxRow(database: SqliteDatabase, m: OutboxMessage): void {
  database
    .stmt(
      `INSERT INTO outbox (id, dedupe_key, kind, recipient_id, plan_id, ect_id, data, created_at, not_before, not_before_ms, status, attempts)
       VALUES (@id, @dedupeKey, @kind, @recipientId, @planId, @ectId, @data, @createdAt, @notBefore, @notBeforeMs, 'pending', 0)
       ON CONFLICT(dedupe_key) DO NOTHING`,
    )
    .run({
      id: m.id,
      dedupeKey: m.dedupeKey,
      kind: m.kind,
      recipientId: m.recipientId,
      planId: m.planId ?? null,
      ectId: m.ectId ?? null,
      data: JSON.stringify(m.data),
      createdAt: m.createdAt,
      notBefore: m.notBefore,
      notBeforeMs: epochMs(m.notBefore),
    });
}

export class SqliteReach extends SqlitePort implements ReachStore {
  async enqueue(messages: NewOutboxMessage[], now: Date): Promise<void> {
    const rows = dedupeMessages(messages).map((m) => newOutboxRow(m, now));
    this.inWriteTransaction(() => {
      for (const m of rows) insertOutboxRow(this.database, m);
    });
  }

  async claimDue(options: ClaimOptions): Promise<OutboxMessage[]> {
    const { instanceId, now, leaseMs, limit } = options;
    if (limit <= 0) return [];
    const nowMs = now.getTime();
    // The WHERE and ORDER BY are outboxPolicy's isClaimable and claimOrder in index form; the
    // policy still decides each row, so the two cannot drift apart unnoticed.
    const claim = (): OutboxRow[] => {
      const due = this.stmt<{ seq: number; status: string; not_before_ms: number; claimed_until_ms: number | null; attempts: number }>(
        `SELECT seq, status, not_before_ms, claimed_until_ms, attempts FROM outbox
         WHERE status = 'pending' AND not_before_ms <= @now AND (claimed_until_ms IS NULL OR claimed_until_ms < @now)
         ORDER BY not_before_ms, seq LIMIT @limit`,
      )
        .all({ now: nowMs, limit: Math.floor(limit) })
        .filter((r) => isClaimable({ status: r.status as OutboxMessage["status"], notBeforeMs: r.not_before_ms, claimedUntilMs: r.claimed_until_ms }, nowMs))
        .sort((a, b) => claimOrder({ notBeforeMs: a.not_before_ms, seq: a.seq }, { notBeforeMs: b.not_before_ms, seq: b.seq }));
      const update = this.stmt("UPDATE outbox SET claimed_by = @claimedBy, claimed_until_ms = @claimedUntilMs, attempts = @attempts WHERE seq = @seq");
      const read = this.stmt<OutboxRow>("SELECT * FROM outbox WHERE seq = ?");
      return due.map(({ seq, attempts }) => {
        update.run({ ...claimStamp(attempts, instanceId, nowMs, leaseMs), seq });
        return read.get(seq)!;
      });
    };
    return this.inWriteTransaction(claim).map(toOutboxMessage);
  }

  /**
   * Marks a claimed message sent. Only the instance that holds the claim can: from any other
   * instance (or for a message no longer pending) this is a no-op, so a late call from an
   * instance whose lease was taken over cannot clobber the new holder's state.
   */
  async markSent(id: string, instanceId: string, now: Date): Promise<void> {
    this.stmt("UPDATE outbox SET status = 'sent', sent_at = @sentAt WHERE id = @id AND claimed_by = @instanceId AND status = 'pending'").run({
      id,
      instanceId,
      sentAt: now.toISOString(),
    });
  }

  /**
   * Records a failed send by the claim holder (a no-op from anyone else). With `retryAt` the
   * message goes back to pending, due again at `retryAt` and claimable by any instance; without
   * it the message is failed for good.
   */
  async markFailed(id: string, instanceId: string, error: string, now: Date, retryAt?: Date): Promise<void> {
    const lastError = error.slice(0, maxErrorLength);
    if (retryAt) {
      this.stmt(
        `UPDATE outbox SET status = 'pending', not_before = @notBefore, not_before_ms = @notBeforeMs,
           claimed_by = NULL, claimed_until_ms = NULL, last_error = @lastError
         WHERE id = @id AND claimed_by = @instanceId AND status = 'pending'`,
      ).run({ id, instanceId, lastError, notBefore: retryAt.toISOString(), notBeforeMs: retryAt.getTime() });
    } else {
      this.stmt(
        `UPDATE outbox SET status = 'failed', last_error = @lastError
         WHERE id = @id AND claimed_by = @instanceId AND status = 'pending'`,
      ).run({ id, instanceId, lastError });
    }
  }

  async listOutbox(filter: { status?: OutboxMessage["status"]; recipientId?: string; planId?: string }): Promise<OutboxMessage[]> {
    const { where, params } = equalityFilter(filter, { status: "status", recipientId: "recipient_id", planId: "plan_id" });
    return this.stmt<OutboxRow>(`SELECT * FROM outbox ${whereClause(where)} ORDER BY seq`)
      .all(params)
      .map(toOutboxMessage);
  }

  async releaseClaims(instanceId: string, ids?: string[]): Promise<number> {
    if (ids && ids.length === 0) return 0;
    const release = (): number => {
      const held = this.stmt<{ seq: number; id: string; status: string; claimed_by: string | null }>(
        "SELECT seq, id, status, claimed_by FROM outbox WHERE claimed_by = ? AND status = 'pending'",
      )
        .all(instanceId)
        .filter((r) => holdsClaim({ status: r.status, claimedBy: r.claimed_by }, instanceId) && (!ids || ids.includes(r.id)));
      const clear = this.stmt("UPDATE outbox SET claimed_by = NULL, claimed_until_ms = NULL WHERE seq = ?");
      for (const r of held) clear.run(r.seq);
      return held.length;
    };
    return this.inWriteTransaction(release);
  }

  async wakeRecipient(recipientId: string, now: Date): Promise<number> {
    const nowMs = now.getTime();
    const wake = (): number => {
      const waiting = this.stmt<{ seq: number; status: string; not_before_ms: number; claimed_until_ms: number | null }>(
        "SELECT seq, status, not_before_ms, claimed_until_ms FROM outbox WHERE recipient_id = ? AND status = 'pending' AND not_before_ms > ?",
      )
        .all(recipientId, nowMs)
        // Not due yet, so claimable once brought forward: unless a live claim holds it.
        .filter((r) => isClaimable({ status: "pending", notBeforeMs: nowMs, claimedUntilMs: r.claimed_until_ms }, nowMs));
      const due = this.stmt("UPDATE outbox SET not_before = @at, not_before_ms = @ms WHERE seq = @seq");
      for (const r of waiting) due.run({ at: now.toISOString(), ms: nowMs, seq: r.seq });
      return waiting.length;
    };
    return this.inWriteTransaction(wake);
  }

  // ---------------- instances ----------------

  async heartbeatInstance(instanceId: string, now: Date, liveUntil: Date): Promise<number> {
    const nowMs = now.getTime();
    const beat = (): number => {
      this.stmt(
        `INSERT INTO instances (instance_id, live_until_ms, heartbeat_at) VALUES (@instanceId, @until, @at)
         ON CONFLICT(instance_id) DO UPDATE SET live_until_ms = excluded.live_until_ms, heartbeat_at = excluded.heartbeat_at`,
      ).run({ instanceId, until: liveUntil.getTime(), at: now.toISOString() });
      return this.stmt<{ live_until_ms: number }>("SELECT live_until_ms FROM instances WHERE live_until_ms > ?")
        .all(nowMs)
        .filter((r) => isLive({ liveUntilMs: r.live_until_ms }, nowMs)).length;
    };
    return this.inWriteTransaction(beat);
  }

  async retireInstance(instanceId: string, now: Date): Promise<void> {
    this.stmt("UPDATE instances SET live_until_ms = @now, heartbeat_at = @at WHERE instance_id = @instanceId").run({
      instanceId,
      now: now.getTime(),
      at: now.toISOString(),
    });
  }

  // ---------------- jobs ----------------

  async claimJob(name: string, instanceId: string, now: Date, leaseMs: number): Promise<boolean> {
    const nowMs = now.getTime();
    const result = this.stmt(
      `INSERT INTO jobs (name, claimed_by, claimed_at_ms, claimed_until_ms) VALUES (@name, @instanceId, @now, @until)
       ON CONFLICT(name) DO UPDATE SET claimed_by = excluded.claimed_by, claimed_at_ms = excluded.claimed_at_ms,
         claimed_until_ms = excluded.claimed_until_ms
       WHERE jobs.claimed_until_ms < @now`,
    ).run({ name, instanceId, now: nowMs, until: nowMs + leaseMs });
    return result.changes === 1;
  }

  // ---------------- the bot's reach ----------------

  async saveConversationRef(personId: string, ref: ConversationRef): Promise<void> {
    const v = ConversationRef.parse(ref);
    this.stmt(
      `INSERT INTO conversation_refs (person_id, conversation_id, data) VALUES (@personId, @conversationId, @data)
       ON CONFLICT(person_id) DO UPDATE SET conversation_id = excluded.conversation_id, data = excluded.data`,
    ).run({ personId, conversationId: v.conversationId, data: JSON.stringify(v) });
  }

  async getConversationRef(personId: string): Promise<ConversationRef | undefined> {
    const row = this.stmt<DataRow>("SELECT data FROM conversation_refs WHERE person_id = ?").get(personId);
    return row ? ConversationRef.parse(JSON.parse(row.data)) : undefined;
  }

  async saveChannelRef(abId: string, ref: ConversationRef): Promise<void> {
    const v = ConversationRef.parse(ref);
    this.stmt(
      `INSERT INTO channel_refs (ab_id, conversation_id, data) VALUES (@abId, @conversationId, @data)
       ON CONFLICT(ab_id) DO UPDATE SET conversation_id = excluded.conversation_id, data = excluded.data`,
    ).run({ abId, conversationId: v.conversationId, data: JSON.stringify(v) });
  }

  async getChannelRef(abId: string): Promise<ConversationRef | undefined> {
    const row = this.stmt<DataRow>("SELECT data FROM channel_refs WHERE ab_id = ?").get(abId);
    return row ? ConversationRef.parse(JSON.parse(row.data)) : undefined;
  }

  async setReminderMute(personId: string, kind: OutboxKind, muted: boolean, now: Date): Promise<void> {
    const k = OutboxKind.parse(kind);
    this.stmt(
      `INSERT INTO reminder_mutes (person_id, kind, muted, changed_at) VALUES (@personId, @kind, @muted, @at)
       ON CONFLICT(person_id, kind) DO UPDATE SET muted = excluded.muted, changed_at = excluded.changed_at`,
    ).run({ personId, kind: k, muted: muted ? 1 : 0, at: now.toISOString() });
  }

  async listReminderMutes(personId: string): Promise<OutboxKind[]> {
    return this.stmt<{ kind: string }>("SELECT kind FROM reminder_mutes WHERE person_id = ? AND muted = 1 ORDER BY kind")
      .all(personId)
      .map((r) => OutboxKind.parse(r.kind));
  }

  async recordSentCard(card: SentCard): Promise<void> {
    const v = SentCard.parse(card);
    this.stmt(
      `INSERT INTO sent_cards (outbox_id, plan_id, kind, recipient_id, data) VALUES (@outboxId, @planId, @kind, @recipientId, @data)
       ON CONFLICT(outbox_id) DO UPDATE SET plan_id = excluded.plan_id, kind = excluded.kind, recipient_id = excluded.recipient_id, data = excluded.data`,
    ).run({ outboxId: v.outboxId, planId: v.planId ?? null, kind: v.kind, recipientId: v.recipientId, data: JSON.stringify(v) });
  }

  async listSentCards(filter: { planId: string; kinds?: OutboxKind[] }): Promise<SentCard[]> {
    if (filter.kinds && filter.kinds.length === 0) return [];
    const where = ["plan_id = @planId"];
    const params: Params = { planId: filter.planId };
    if (filter.kinds) {
      where.push("kind IN (SELECT value FROM json_each(@kinds))");
      params.kinds = JSON.stringify(filter.kinds);
    }
    return this.stmt<DataRow>(`SELECT data FROM sent_cards ${whereClause(where)} ORDER BY rowid`)
      .all(params)
      .map((r) => SentCard.parse(JSON.parse(r.data)));
  }
}

function toOutboxMessage(r: OutboxRow): OutboxMessage {
  return OutboxMessage.parse(
    defined({
      id: r.id,
      kind: r.kind,
      recipientId: r.recipient_id,
      planId: r.plan_id,
      ectId: r.ect_id,
      dedupeKey: r.dedupe_key,
      data: JSON.parse(r.data) as unknown,
      createdAt: r.created_at,
      notBefore: r.not_before,
      status: r.status,
      attempts: r.attempts,
      claimedBy: r.claimed_by,
      claimedUntil: r.claimed_until_ms === null ? null : new Date(r.claimed_until_ms).toISOString(),
      sentAt: r.sent_at,
      lastError: r.last_error,
    }),
  );
}
