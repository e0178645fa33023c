import { z } from "zod";
import { PlanContent, type Plan } from "../model/plan.js";
import { describeChanges, summariseChanges, type FieldChange } from "../planDiff.js";
import { editAccess, explainRefusal, mayChangePath } from "../permissions.js";
import { blockingViolations, validatePlan } from "../rules.js";
import { DomainError, forbidden, validationFailed, type Violation } from "../errors.js";
import { agreementChanges, combine, editorContent, pathPart, sameAgreement } from "../agreement.js";
import { mayHappen, requireTransition } from "../planStates.js";
import { agreedVersion, targetWord, TargetWord } from "../templates.js";
import { auditEntry, isoNow, isoToday, nextVersion, requireVersion, type EctContext, type PlanWrites, type UseCaseContext } from "./context.js";
import { signaturesOn, validSignatures } from "./signers.js";
import type { NewOutboxMessage } from "../model/records.js";
import { requirePrinted } from "../printedFields.js";
import { termsOf } from "../model/people.js";

export const EditPlanInput = z.object({
  /** The version the editor loaded; a save against an older one is a conflict. */
  version: z.number().int().min(1),
  /** The whole content as the editor shows it: for an agreed plan, with any amendment's proposal in place. */
  content: PlanContent,
});
export type EditPlanInput = z.infer<typeof EditPlanInput>;

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
 * Saves the editor's content against the version it loaded. Field-level rights (editScope): the
 * lead changes anything; the mentor writes the weeks at Levels 2–3 (4–5 when shared) and
 * otherwise evaluates them; the ECT writes their comments.
 *
 * What the save does depends on the plan's state (planStates.ts):
 * - the running record (agreement.ts) is written straight onto the plan, and never touches a
 *   signature;
 * - on a draft, or a plan awaiting signatures, the agreement is edited freely: signatures given on
 *   the earlier version no longer hold and the plan goes back to draft, to be asked for again;
 * - on an agreed or running plan, a changed agreement becomes an *amendment*: the plan keeps
 *   running on what was signed, the proposal waits beside it for the same signers, and a save
 *   that brings the agreement back to what was signed withdraws it.
 */
export function editPlan(ctx: UseCaseContext, ectCtx: EctContext, plan: Plan, input: EditPlanInput): PlanWrites & { plan: Plan; changes: FieldChange[] } {
  requireTransition(plan, "write_running_record");
  const access = editAccess(ctx.actor, ectCtx.ect, plan);
  const { scope } = access;
  if (scope === "none") throw forbidden(explainRefusal("edit_plan"));
  requireVersion(plan, input.version);

  const shown = editorContent(plan);
  // Nothing typed and lost: new text in a field this form does not print is refused (what the plan already holds passes).
  requirePrinted(plan.templateId, input.content, shown);
  const content = stampEctComments(ctx, plan, input.content);
  const changes = describeChanges(shown, content, targetWord(plan.templateId));
  if (changes.length === 0) return { plan, changes, audit: [] };

  // The ECT's comment on progress is theirs alone: nobody else may write it, leads included.
  const ectComment = /^weeks\.\d+\.ectComment$/;
  if (ctx.actor.id !== ectCtx.ect.personId) {
    const theirs = changes.find((c) => ectComment.test(c.path));
    if (theirs) throw forbidden(`"${theirs.label}" is written by the ECT only.`);
  }
  // Field-level rights (permissions.ts): the change is compared path by path against what this
  // scope may write; one field outside it refuses the whole save, naming every such field.
  const refused = changes.filter((c) => !mayChangePath(scope, c.path));
  if (refused.length > 0) {
    const labels = refused.map((c) => `"${c.label}"`).join(", ");
    throw new DomainError("forbidden", `You cannot change ${labels}. ${access.summary}`, [], {
      refusedFields: refused.map(({ path, label }) => ({ path, label })),
      editScope: scope,
    });
  }

  const agreementChanged = changes.some((c) => pathPart(c.path, content, shown) === "agreement");
  const runs = mayHappen(plan.status, "propose_amendment") || plan.status === "in_review";

  if (!runs) return editDraft(ctx, ectCtx, plan, content, changes, agreementChanged, input.version);
  if (agreementChanged && plan.status === "in_review") requireTransition(plan, "propose_amendment");

  // A running plan: the record lands on the plan; the agreement stays as signed.
  const onPlan = combine(plan, content);
  const candidate = { ...plan, ...content };
  const blocking = blockingViolations(validatePlan(candidate, { today: isoToday(ctx), ect: ectCtx.ect, terms: termsOf(ectCtx.school) }), "save");
  if (blocking.length > 0) throw validationFailed(blocking);

  const proposed = !sameAgreement(plan, content);
  // Adopting an amendment keeps the running record by target and week: one that removes a target
  // or week already holding a record would drop that record from the plan. Refused, saying why.
  const lost = proposed ? recordLostBy(plan, content, TargetWord(plan.templateId)) : [];
  if (lost.length > 0) throw validationFailed(lost, "The amendment would remove what has been recorded");
  const recordChanges = changes.filter((c) => pathPart(c.path, content, shown) === "running_record");
  const audit = [];
  let amendment = plan.amendment;
  let amendmentAudit: string | undefined;
  if (!proposed && plan.amendment) {
    amendment = undefined;
    amendmentAudit = "withdrawn";
  } else if (proposed && (!plan.amendment || !sameAgreement(plan.amendment.content, content))) {
    const revision = Math.max(plan.revision, plan.amendment?.revision ?? 0) + 1;
    amendment = {
      revision,
      baseRevision: plan.revision,
      content: { ...content },
      changes: agreementChanges(plan, content, targetWord(plan.templateId)).map(({ path, label }) => ({ path, label })),
      proposedBy: ctx.actor.id,
      proposedByName: ctx.actor.displayName,
      proposedAt: isoNow(ctx),
    };
    amendmentAudit = plan.amendment ? "revised" : "proposed";
  }
  const { amendment: _old, signatureRequest: request, ...rest } = plan;
  // A request for an earlier proposal no longer stands once the proposal changes or goes.
  const requestStands = request && (!plan.amendment || !amendmentAudit || request.revision !== plan.amendment.revision);
  const saved = nextVersion(ctx, rest, { ...onPlan, ...(amendment ? { amendment } : {}), ...(requestStands ? { signatureRequest: request } : {}) });

  if (recordChanges.length > 0) audit.push(auditEntry(ctx, "editPlan", ectCtx.ect, saved, summariseChanges(recordChanges)));
  const outbox: NewOutboxMessage[] = [];
  const wasAsked = !!plan.amendment && request?.revision === plan.amendment.revision;
  if (amendmentAudit === "withdrawn") {
    audit.push(
      auditEntry(ctx, "withdrawAmendment", ectCtx.ect, saved, `Amendment to ${agreedVersion(plan.revision)} withdrawn: the agreement is back as signed`),
    );
  } else if (amendment && amendmentAudit) {
    audit.push(
      auditEntry(
        ctx,
        amendmentAudit === "proposed" ? "proposeAmendment" : "reviseAmendment",
        ectCtx.ect,
        saved,
        `${amendmentAudit === "proposed" ? "Proposed" : "Revised"} amendment to ${agreedVersion(plan.revision)} (once signed, ${agreedVersion(amendment.revision)}): ${summariseChanges(amendment.changes)}`,
      ),
    );
  }
  // Signers already asked to sign the earlier proposal are told it changed or was withdrawn.
  if (amendmentAudit && wasAsked) outbox.push(...voidedNotices(ctx, saved, amendment?.revision ?? plan.revision, amendmentAudit === "withdrawn"));
  return { plan: saved, changes, save: [{ plan: saved, expectedVersion: input.version }], audit, outbox };
}

/** Targets and weeks with a running record that the proposed agreement leaves out. */
function recordLostBy(onPlan: PlanContent, proposal: PlanContent, noun: "Objective" | "Target"): Violation[] {
  const out: Violation[] = [];
  onPlan.targets.forEach((t, i) => {
    const recorded = t.outcomeEntries.length > 0 || !!t.observationOutcome.trim() || t.outcomeAtReview !== undefined;
    if (recorded && !proposal.targets.some((p) => p.id === t.id)) {
      out.push({
        path: `targets.${i}`,
        code: "record-would-be-lost",
        message: `${noun} ${i + 1} has outcomes recorded against it: keep it (reword it if it changes) rather than remove it`,
        severity: "error",
      });
    }
  });
  onPlan.weeks.forEach((w, i) => {
    const recorded = !!w.evaluation.trim() || !!w.ectComment.trim();
    if (recorded && !proposal.weeks.some((p) => p.week === w.week)) {
      out.push({
        path: `weeks.${i}`,
        code: "record-would-be-lost",
        message: `Week ${w.week} has an evaluation or the ECT's comment: it cannot be removed`,
        severity: "error",
      });
    }
  });
  return out;
}

function voidedNotices(ctx: UseCaseContext, plan: Plan, revision: number, withdrawn = false): NewOutboxMessage[] {
  return plan.signers
    .filter((s): s is typeof s & { personId: string } => !!s.personId && s.personId !== ctx.actor.id)
    .map((signer) => ({
      kind: "signatures_voided" as const,
      recipientId: signer.personId,
      planId: plan.id,
      ectId: plan.ectId,
      // Its own key: the request that follows for the new version is a card of its own, with its sign-by date.
      dedupeKey: `${withdrawn ? "withdrawn" : "voided"}:${plan.id}:${revision}:${signer.role}`,
      data: { role: signer.role, revision, ...(withdrawn ? { withdrawn } : {}) },
    }));
}

/** A plan not yet agreed: edited in place; a changed agreement is a new revision, asked for again. */
function editDraft(
  ctx: UseCaseContext,
  ectCtx: EctContext,
  plan: Plan,
  content: PlanContent,
  changes: FieldChange[],
  agreementChanged: boolean,
  expectedVersion: number,
): PlanWrites & { plan: Plan; changes: FieldChange[] } {
  if (agreementChanged) requireTransition(plan, "edit_agreement");
  const candidate = { ...plan, ...content };
  const blocking = blockingViolations(validatePlan(candidate, { today: isoToday(ctx), ect: ectCtx.ect, terms: termsOf(ectCtx.school) }), "save");
  if (blocking.length > 0) throw validationFailed(blocking);
  const hadSignatures = signaturesOn(plan, plan.revision).length > 0 || validSignatures(plan).length > 0;
  const wasAsked = plan.status === "awaiting_signatures";
  const saved = nextVersion(ctx, plan, {
    ...content,
    revision: agreementChanged ? plan.revision + 1 : plan.revision,
    ...(agreementChanged ? { status: "draft" as const } : {}),
  });
  if (agreementChanged) delete (saved as Partial<Plan>).signatureRequest;
  const audit = [auditEntry(ctx, "editPlan", ectCtx.ect, saved, summariseChanges(changes))];
  const outbox: NewOutboxMessage[] = [];
  if (agreementChanged && (hadSignatures || wasAsked)) {
    audit.push(
      auditEntry(
        ctx,
        "signaturesVoided",
        ectCtx.ect,
        saved,
        `Signatures asked for on ${agreedVersion(plan.revision)} no longer hold: the plan changed${wasAsked ? "; back to draft, to be sent for signature again" : ""}`,
      ),
    );
    outbox.push(...voidedNotices(ctx, saved, saved.revision));
  }
  return { plan: saved, changes, save: [{ plan: saved, expectedVersion }], audit, outbox };
}
