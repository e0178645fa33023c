import { z } from "zod";
import { FormText } from "../model/ids.js";
import { ConcernContact, type ConcernRecord } from "../model/inductionRecords.js";
import { forbidden, invalidState } from "../errors.js";
import { auditEntry, isoNow, type EctContext, type UseCaseContext } from "./context.js";
import type { RecordWrites } from "./recordAccess.js";

export const RaiseConcernInput = z.object({
  /** Induction tutor first, then the appropriate body's named contact (SG §2.64; seed 003). */
  contact: ConcernContact.default("induction_tutor"),
  about: z.enum(["induction", "school", "appropriate_body"]).default("induction"),
  text: FormText(4000).trim().min(1, { message: "Write what your concern is" }),
});
export type RaiseConcernInput = z.input<typeof RaiseConcernInput>;

/** Where seed 003 says a concern goes, in words for the ECT. */
export const concernGuidance = {
  induction_tutor: "Your concern goes to your induction tutor first. If that does not resolve it, raise it with the appropriate body's named contact.",
  appropriate_body:
    "Your concern goes to the appropriate body's named contact. A complaint about the school follows the school's complaints or whistleblowing policy first; a complaint about the appropriate body's service follows the appropriate body's complaints policy.",
} as const;

/**
 * An ECT raises a concern privately. Only the ECT and the contact it goes to (their induction
 * tutor, or the officers of their appropriate body) can read it; the audit trail records that a
 * concern was raised and with whom, never what it says.
 */
export function raiseConcern(ctx: UseCaseContext, ectCtx: EctContext, rawInput: RaiseConcernInput): RecordWrites & { record: ConcernRecord } {
  const { ect } = ectCtx;
  if (ect.personId !== ctx.actor.id) throw forbidden("Only the ECT can raise a concern about their own induction here.");
  const input = RaiseConcernInput.parse(rawInput);
  if (input.about === "appropriate_body" && input.contact !== "appropriate_body") {
    throw invalidState("A concern about the appropriate body's service goes to the appropriate body (its complaints policy), not the induction tutor.");
  }
  const visibleTo = input.contact === "induction_tutor" ? (ect.inductionTutorId ? [ect.inductionTutorId] : []) : ectCtx.abOfficers.map((o) => o.id);
  if (visibleTo.length === 0) {
    throw invalidState(
      input.contact === "induction_tutor"
        ? "No induction tutor is named for you yet: raise your concern with the appropriate body instead."
        : "No officer of your appropriate body is set up in the app yet: contact the appropriate body directly.",
    );
  }
  const record: ConcernRecord = {
    id: ctx.newId(),
    kind: "concern",
    ectId: ect.id,
    schoolId: ect.schoolId,
    abId: ect.abId,
    contact: input.contact,
    about: input.about,
    text: input.text,
    visibleTo,
    recordedAt: isoNow(ctx),
    recordedBy: ctx.actor.id,
    recordedByName: ctx.actor.displayName,
  };
  const to = input.contact === "induction_tutor" ? "the induction tutor" : "the appropriate body";
  return {
    record,
    records: [record],
    audit: [auditEntry(ctx, "raiseConcern", ect, undefined, `Raised a concern privately with ${to}`)],
  };
}
