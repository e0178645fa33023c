import { z } from "zod";
import { Id, IsoDate } from "./ids.js";
import { Level, PlanStatus, SignerRole, TemplateId } from "./plan.js";

/**
 * Why a caseload row needs attention, as data: the tab says it in words, the dates stay dates.
 * Derived on the server from the plan, its open check-ins and one "today" (bot/src/app/caseload.ts).
 */
export const AttentionReason = z.discriminatedUnion("kind", [
  /** Weekly check-ins past their due day with no answer; `since` is the oldest one's due day. */
  z.object({ kind: z.literal("check_in_unanswered"), since: IsoDate, count: z.number().int().min(1) }),
  /** The plan's next review, soon or already past. */
  z.object({ kind: z.literal("review_due"), on: IsoDate, overdue: z.boolean() }),
  /** A signer who has not signed the version asked for (the amendment's while there is one). */
  z.object({
    kind: z.literal("awaiting_signature"),
    role: SignerRole,
    amendment: z.boolean(),
    /** The day signatures were asked for; `signBy`, the day asked to sign by. */
    since: IsoDate.optional(),
    signBy: IsoDate.optional(),
  }),
  /** A draft (or a proposed amendment) still to be sent for signature. */
  z.object({ kind: z.literal("not_sent_for_signature"), amendment: z.boolean() }),
]);
export type AttentionReason = z.infer<typeof AttentionReason>;

/** One ECT on a caseload: where they are in induction and how their current plan stands. */
export const CaseloadRow = z.object({
  ectId: Id,
  ectName: z.string(),
  schoolId: Id,
  schoolName: z.string(),
  abId: Id,
  track: z.enum(["ect", "itt"]),
  /** "ECT1", "ECT2", or beyond when extended. */
  year: z.string(),
  mentorName: z.string().optional(),
  inductionTutorName: z.string().optional(),
  nextStatutoryEvent: z.object({ label: z.string(), date: IsoDate }).optional(),
  plan: z
    .object({
      id: Id,
      templateId: TemplateId,
      level: Level.optional(),
      status: PlanStatus,
      /** The status in words, as everywhere else: "Awaiting signatures (1 of 3)" (shared summaryStage). */
      stage: z.string().optional(),
      /** While signatures are awaited: how many of how many, and whether for an amendment. */
      signatureProgress: z.object({ signed: z.number().int().min(0), of: z.number().int().min(1), amendment: z.boolean() }).optional(),
      startDate: IsoDate.optional(),
      endDate: IsoDate.optional(),
      nextReviewDate: IsoDate.optional(),
      awaitingSignatures: z.number().int(),
      overdueCheckIns: z.number().int(),
    })
    .optional(),
  /** How many plans this ECT has had, including closed ones. */
  planCount: z.number().int(),
  /** Why this row needs attention; empty (or absent, from a server before reasons) when nothing does. */
  attention: z.array(AttentionReason).max(50).optional(),
});
export type CaseloadRow = z.infer<typeof CaseloadRow>;
