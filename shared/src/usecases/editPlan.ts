import { z } from "zod";
import { PlanContent, type Plan } from "../model/plan.js";
import { describeChanges, summariseChanges, type FieldChange } from "../planDiff.js";
import { editScope, explainRefusal } from "../permissions.js";
import { blockingViolations, validatePlan } from "../rules.js";
import { forbidden, invalidState, validationFailed } from "../errors.js";
import { auditEntry, isoNow, isoToday, nextVersion, requireVersion, type EctContext, type PlanWrites, type UseCaseContext } from "./context.js";
import { validSignatures } from "./signers.js";
import type { NewOutboxMessage } from "../model/records.js";

export const EditPlanInput = z.object({
  /** The version the editor loaded; a save against an older one is a conflict. */
  version: z.number().int().min(1),
  content: PlanContent,
});
export type EditPlanInput = z.infer<typeof EditPlanInput>;

/**
 * Fields that record how the plan is running rather than what was agreed: writing them does
 * not void signatures (an ECT's weekly comment is not a change to the plan they signed).
 */
const runningRecord = /^(weeks\.\d+\.(evaluation|ectComment)|targets\.\d+\.(outcomeEntries|observationOutcome|outcomeAtReview)|meetings\.\d+\.outcome)$/;

const allowedFor: Record<"week_evaluations" | "ect_comments", RegExp> = {
  week_evaluations: /^weeks\.\d+\.evaluation$/,
  ect_comments: /^weeks\.\d+\.ectComment$/,
};

/** Stamps the time on ECT comments that changed, so the week row shows when the ECT wrote. */
function stampEctComments(ctx: UseCaseContext, before: Plan, content: PlanContent): PlanContent {
  return {
    ...content,
    weeks: content.weeks.map((w) => {
      const prev = before.weeks.find((b) => b.week === w.week);
      return prev && prev.ectComment === w.ectComment
        ? { ...w, ...(prev.ectCommentAt ? { ectCommentAt: prev.ectCommentAt } : {}) }
        : { ...w, ectCommentAt: isoNow(ctx) };
    }),
  };
}

/**
 * Saves the editor's content against the version it loaded. Field-level rights: the lead
 * changes anything; a mentor on someone else's plan writes week evaluations; the ECT writes
 * their comments. Changing agreed content voids signatures and asks the signers again.
 */
export function editPlan(ctx: UseCaseContext, ectCtx: EctContext, plan: Plan, input: EditPlanInput): PlanWrites & { plan: Plan; changes: FieldChange[] } {
  if (plan.status === "closed") throw invalidState("This plan is closed and kept as a record; it can no longer be changed.");
  const scope = editScope(ctx.actor, ectCtx.ect, plan);
  if (scope === "none") throw forbidden(explainRefusal("edit_plan"));
  requireVersion(plan, input.version);

  const content = stampEctComments(ctx, plan, input.content);
  const changes = describeChanges(plan, content);
  if (changes.length === 0) return { plan, changes, audit: [] };

  // The ECT's comment on progress is theirs alone: nobody else may write it, leads included.
  const ectComment = /^weeks\.\d+\.ectComment$/;
  if (ctx.actor.id !== ectCtx.ect.personId) {
    const theirs = changes.find((c) => ectComment.test(c.path));
    if (theirs) throw forbidden(`"${theirs.label}" is written by the ECT only.`);
  }

  if (scope !== "all") {
    const refused = changes.find((c) => !allowedFor[scope].test(c.path));
    if (refused) {
      throw forbidden(
        scope === "ect_comments"
          ? `You can add your comments on progress; "${refused.label}" is written by your induction tutor.`
          : `You can evaluate each week; "${refused.label}" is written by the induction tutor.`,
      );
    }
  }

  const candidate = { ...plan, ...content };
  const blocking = blockingViolations(validatePlan(candidate, { today: isoToday(ctx), ect: ectCtx.ect }), "save");
  if (blocking.length > 0) throw validationFailed(blocking);

  const agreedContentChanged = changes.some((c) => !runningRecord.test(c.path));
  const hadSignatures = validSignatures(plan);
  const saved = nextVersion(ctx, plan, { ...content, revision: agreedContentChanged ? plan.revision + 1 : plan.revision });

  const audit = [auditEntry(ctx, "editPlan", ectCtx.ect, saved, summariseChanges(changes))];
  const outbox: NewOutboxMessage[] = [];
  if (agreedContentChanged && hadSignatures.length > 0) {
    audit.push(
      auditEntry(ctx, "signaturesVoided", ectCtx.ect, saved, `Signatures on revision ${plan.revision} no longer hold: the plan changed after signing`),
    );
    for (const signer of saved.signers) {
      if (!signer.personId || signer.personId === ctx.actor.id) continue;
      outbox.push({
        kind: "signatures_voided",
        recipientId: signer.personId,
        planId: saved.id,
        ectId: saved.ectId,
        dedupeKey: `sign:${saved.id}:${saved.revision}:${signer.role}`,
        data: { role: signer.role, revision: saved.revision },
      });
    }
  }
  return { plan: saved, changes, save: [{ plan: saved, expectedVersion: input.version }], audit, outbox };
}
