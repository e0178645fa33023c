import { z } from "zod";
import { FormText, IsoDate } from "../model/ids.js";
import type { Plan } from "../model/plan.js";
import { invalidState, validationFailed } from "../errors.js";
import { auditEntry, nextVersion, requireCan, requireVersion, type EctContext, type PlanWrites, type UseCaseContext } from "./context.js";

export const RecordCapabilityHandoverInput = z.object({
  version: z.number().int().min(1),
  /** The date the school's capability procedure started under its HR policy. */
  hrProcedureStartedOn: IsoDate,
  /** Who in HR holds the procedure (name, role, contact). */
  hrContact: FormText(500).trim().min(1, { message: "Name the HR contact" }),
  /** The date the appropriate body was informed (SG §4.7). */
  abInformedOn: IsoDate.optional(),
  notes: FormText().default(""),
});
export type RecordCapabilityHandoverInput = z.input<typeof RecordCapabilityHandoverInput>;

/**
 * Level 6: the hand-over to the school's capability procedure. The plan records the dates the
 * escalation policy names (procedure started, AB informed) and the HR contact; HR's own records
 * stay with HR. Induction continues in parallel: reviews and assessments keep their timeline.
 */
export function recordCapabilityHandover(
  ctx: UseCaseContext,
  ectCtx: EctContext,
  plan: Plan,
  rawInput: RecordCapabilityHandoverInput,
): PlanWrites & { plan: Plan } {
  requireCan(ctx, "edit_plan", ectCtx.ect, plan);
  const input = RecordCapabilityHandoverInput.parse(rawInput);
  requireVersion(plan, input.version);
  if (plan.level !== 6) throw invalidState("The capability hand-over is recorded on a Level 6 plan: escalate to Level 6 first.");
  if (input.abInformedOn && input.abInformedOn < input.hrProcedureStartedOn) {
    throw validationFailed([
      { path: "abInformedOn", code: "ab-informed-before-start", message: "The AB is informed when the procedure starts or after.", severity: "error" },
    ]);
  }
  const capability = {
    hrProcedureStartedOn: input.hrProcedureStartedOn,
    ...(input.abInformedOn ? { abInformedOn: input.abInformedOn } : {}),
    hrContact: input.hrContact,
    notes: input.notes,
  };
  // The hand-over is plan content: its revision moves on, as for any content change.
  const saved = nextVersion(ctx, plan, { capability, revision: plan.revision + 1 });
  const informed = input.abInformedOn ? `AB informed ${input.abInformedOn}` : "AB not yet informed";
  return {
    plan: saved,
    save: [{ plan: saved, expectedVersion: plan.version }],
    audit: [
      auditEntry(
        ctx,
        "recordCapabilityHandover",
        ectCtx.ect,
        saved,
        `Recorded the hand-over to capability procedures (started ${input.hrProcedureStartedOn}; ${informed}). Induction continues in parallel.`,
      ),
    ],
    outbox: ectCtx.abOfficers.map((o) => ({
      kind: "plan_shared" as const,
      recipientId: o.id,
      planId: plan.id,
      ectId: ectCtx.ect.id,
      dedupeKey: `capability-handover:${plan.id}:${input.hrProcedureStartedOn}:${o.id}`,
      data: { capability: true },
    })),
  };
}
