import { z } from "zod";
import { Id } from "../model/ids.js";
import { PlanContent, TemplateId, type Plan, type Level } from "../model/plan.js";
import { templateById, type PlanTemplate } from "../templates.js";
import { ladderLevel } from "../ladder.js";
import { blockingViolations, validatePlan } from "../rules.js";
import { validationFailed, invalidState } from "../errors.js";
import { retainUntil } from "../retention.js";
import { termLabel } from "../timeline.js";
import { termsOf } from "../model/people.js";
import type { TermCalendar } from "../termCalendar.js";
import { auditEntry, isoNow, isoToday, requireCan, type EctContext, type PlanWrites, type UseCaseContext } from "./context.js";
import { resolveSigners } from "./signers.js";
import { escalationNotices } from "./notices.js";
import { printedFields, requirePrinted } from "../printedFields.js";

export const CreatePlanInput = z.object({
  ectId: Id,
  templateId: TemplateId,
  /** Anything already known: the tab may send a partly written plan. */
  content: PlanContent.partial().optional(),
});
export type CreatePlanInput = z.infer<typeof CreatePlanInput>;

/** Fills the rows a form prints empty: six weekly rows, the meetings it records. */
export function blankContent(template: PlanTemplate, today: string, terms?: TermCalendar): PlanContent {
  // The term is filled in only where the form prints it (Levels 2–5): elsewhere no one would see it.
  const content = PlanContent.parse({ startDate: today, ...(printedFields(template).plan.has("term") ? { term: termLabel(today, terms) } : {}) });
  if (template.sections.includes("weeks")) {
    content.weeks = [1, 2, 3, 4, 5, 6].map((week) => ({
      week,
      action: "",
      byWhom: "",
      resources: "",
      successCriteria: "",
      evaluation: "",
      ectComment: "",
    }));
  }
  if (template.sections.includes("capability")) content.capability = { hrContact: "", notes: "" };
  return content;
}

export interface NewPlanOptions {
  template: PlanTemplate;
  content: PlanContent;
  predecessorId?: string;
  level?: Level;
}

/** A new draft plan for this ECT: signers resolved from their record, retention date set. */
export function newPlan(ctx: UseCaseContext, ectCtx: EctContext, opts: NewPlanOptions): Plan {
  const now = isoNow(ctx);
  const level = opts.level ?? opts.template.level;
  return {
    ...opts.content,
    id: ctx.newId(),
    ectId: ectCtx.ect.id,
    schoolId: ectCtx.ect.schoolId,
    abId: ectCtx.ect.abId,
    templateId: opts.template.id,
    ...(level !== undefined ? { level } : {}),
    status: "draft",
    ...(opts.predecessorId ? { predecessorId: opts.predecessorId } : {}),
    version: 1,
    revision: 1,
    signers: resolveSigners(opts.template.signers, ectCtx),
    signatures: [],
    comments: [],
    createdAt: now,
    createdBy: ctx.actor.id,
    updatedAt: now,
    updatedBy: ctx.actor.id,
    retainUntil: retainUntil(ectCtx.ect, isoToday(ctx), termsOf(ectCtx.school)),
  };
}

/**
 * The fields the client actually filled in. zod fills defaults ("" and []) for every field it
 * was not sent, and those must not blank out what the template prints (six weekly rows, the term).
 */
function given(content: Partial<PlanContent> | undefined): Partial<PlanContent> {
  if (!content) return {};
  return Object.fromEntries(Object.entries(content).filter(([, v]) => v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0)));
}

/** An induction tutor (or a mentor, for Level 1) starts a plan from one of the school's forms. */
export function createPlan(ctx: UseCaseContext, ectCtx: EctContext, openPlans: Plan[], input: CreatePlanInput): PlanWrites & { plan: Plan } {
  const template = templateById(input.templateId);
  if (template.track !== ectCtx.ect.track) {
    throw invalidState(
      template.track === "itt"
        ? "The ITT early support plan is for trainee teachers; use a Level 1–6 form for an ECT."
        : "This trainee is on an ITT course: use the ITT early support plan.",
    );
  }
  requireCan(ctx, "create_plan", ectCtx.ect, undefined, template.level);
  const open = openPlans.find((p) => p.status !== "closed");
  if (open) {
    throw invalidState("This ECT already has an open plan. Review or escalate it before starting another.");
  }
  const blank = blankContent(template, isoToday(ctx), termsOf(ectCtx.school));
  // Nothing typed and lost: text in a field this form does not print is refused, not kept unseen.
  requirePrinted(template.id, input.content ?? {}, blank);
  const content = PlanContent.parse({ ...blank, ...given(input.content) });
  const plan = newPlan(ctx, ectCtx, { template, content });
  const violations = validatePlan(plan, { today: isoToday(ctx), ect: ectCtx.ect, terms: termsOf(ectCtx.school) });
  const blocking = blockingViolations(violations, "save");
  if (blocking.length > 0) throw validationFailed(blocking);
  const levelName = plan.level ? ` (Level ${plan.level} – ${ladderLevel(plan.level).name})` : "";
  return {
    plan,
    create: [plan],
    audit: [auditEntry(ctx, "createPlan", ectCtx.ect, plan, `Started ${template.name}${levelName}`)],
    outbox: plan.level && plan.level >= 2 ? escalationNotices(ctx, ectCtx, plan, "plan_shared") : [],
  };
}
