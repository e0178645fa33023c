import { z } from "zod";
import { FormText, Id, IsoDate, IsoDateTime } from "./ids.js";

/** A weekly check-in the bot asks the ECT to answer; the answer lands on that week's row. */
export const CheckIn = z.object({
  id: Id,
  planId: Id,
  ectId: Id,
  week: z.number().int().min(1).max(6),
  dueOn: IsoDate,
  status: z.enum(["open", "answered"]),
  comment: FormText(2000).optional(),
  answeredAt: IsoDateTime.optional(),
  answeredBy: Id.optional(),
});
export type CheckIn = z.infer<typeof CheckIn>;

/**
 * Append-only audit trail. It records who did what to which plan and which fields changed,
 * never the content itself (records are confidential, SG §2.79).
 */
export const AuditEntry = z.object({
  id: Id,
  at: IsoDateTime,
  actorId: Id,
  actorName: z.string().max(200),
  action: z.string().min(1).max(64),
  ectId: Id,
  planId: Id.optional(),
  /** Plan version after the change. */
  version: z.number().int().optional(),
  revision: z.number().int().optional(),
  /** Human summary without plan content, e.g. "Changed targets 1 success criteria; week 2 evaluation". */
  summary: z.string().max(2000),
  /**
   * The hash chain (auditChain.ts), set by the store as it appends: the entry's position in its
   * chain (one chain per plan), the previous entry's hash, and this entry's hash over both and the
   * entry. Absent only on an entry not yet stored.
   */
  seq: z.number().int().min(1).optional(),
  prevHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const OutboxKind = z.enum([
  "sign_request",
  "signatures_voided",
  "plan_agreed",
  "plan_shared",
  "escalation_alert",
  "insufficient_progress_alert",
  "checkin_prompt",
  "checkin_reminder",
  "evaluation_prompt",
  "review_due",
  "ab_weekly_update",
  "comment_added",
  /** The induction tutor's weekly digest of unanswered check-ins and unsigned plans (not tied to one plan). */
  "tutor_digest",
  /** A progress review or formal assessment from the induction timeline is due or overdue (not tied to one plan). */
  "statutory_review_due",
  /** Every required signer has signed a progress review or formal assessment: the AB's officers are told (issue 16). */
  "record_signed",
  /** The AB returned a review or assessment with comments: the induction tutor and leads are told (issue 16). */
  "record_returned",
  /** Issue 16, item 9: records at the lead's school have passed their retention date (not tied to one plan; nothing is deleted until the lead confirms). */
  "retention_due",
]);
export type OutboxKind = z.infer<typeof OutboxKind>;

/**
 * A message for the bot to send. Messages are claimed through the store so that several
 * server instances never send the same one twice.
 */
export const OutboxMessage = z.object({
  id: Id,
  kind: OutboxKind,
  recipientId: Id,
  planId: Id.optional(),
  ectId: Id.optional(),
  /** Same key, same message: enqueueing it again is a no-op. */
  dedupeKey: z.string().min(1).max(255),
  /** Small, content-free references the card builder needs (week number, level...). */
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  createdAt: IsoDateTime,
  notBefore: IsoDateTime,
  status: z.enum(["pending", "sent", "failed"]),
  attempts: z.number().int().min(0),
  claimedBy: z.string().max(128).optional(),
  claimedUntil: IsoDateTime.optional(),
  sentAt: IsoDateTime.optional(),
  lastError: z.string().max(500).optional(),
});
export type OutboxMessage = z.infer<typeof OutboxMessage>;
export type NewOutboxMessage = Pick<OutboxMessage, "kind" | "recipientId" | "dedupeKey"> &
  Partial<Pick<OutboxMessage, "planId" | "ectId" | "data" | "notBefore">>;
