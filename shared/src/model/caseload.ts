import { z } from "zod";
import { Id, IsoDate } from "./ids.js";
import { Level, PlanStatus, TemplateId } from "./plan.js";

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
});
export type CaseloadRow = z.infer<typeof CaseloadRow>;
