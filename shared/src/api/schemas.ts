/**
 * What the API answers, as zod schemas (issue 15): the request schemas live beside their use
 * cases; these describe the responses, so the OpenAPI document and the tab's types come from one
 * place. Where the domain already has a TypeScript interface (PlanView, StatutoryEvent, templates,
 * the ladder), a compile-time check below keeps the schema and the interface the same type.
 */
import { z } from "zod";
import type { Violation } from "../errors.js";
import type { LadderLevel } from "../ladder.js";
import { planActions, type EditScope, type PlanAction } from "../permissions.js";
import type { PlanTemplate } from "../templates.js";
import type { InductionTimeline, StatutoryEvent } from "../timeline.js";
import { CaseloadRow } from "../model/caseload.js";
import { Id } from "../model/ids.js";
import { AbReviewRow, ConcernRecord, EvidenceRecord, FormalAssessmentRecord, InductionRecord, ProgressReviewRecord } from "../model/inductionRecords.js";
import { Ect, Person, Role } from "../model/people.js";
import { Level, Plan, PlanOutcome, PlanSummary, Signature, Signer, SignerRole, TemplateId } from "../model/plan.js";
import { EditAccess, type PlanView } from "../model/planView.js";
import { AuditEntry } from "../model/records.js";
import { DirectoryAuditEntry } from "../model/roster.js";

/** The types are the same both ways (mutually assignable): a schema that drifts from its interface fails to compile. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(): T | undefined => undefined;

export const ViolationSchema = z.object({
  path: z.string(),
  code: z.string(),
  message: z.string(),
  severity: z.enum(["error", "incomplete", "warning"]),
});
same<Same<z.output<typeof ViolationSchema>, Violation>>();

export const PlanActionSchema = z.enum(planActions as unknown as [PlanAction, ...PlanAction[]]);
export const EditScopeSchema = EditAccess.shape.scope;
same<Same<z.output<typeof EditScopeSchema>, EditScope>>();

/** A plan as the tab shows it (shared/src/model/planView.ts): GET/PUT /api/plans/{id} and every plan action. */
export const PlanViewResponse = z.object({
  plan: Plan,
  ect: z.object({
    id: z.string(),
    name: z.string(),
    schoolName: z.string(),
    mentorName: z.string().optional(),
    inductionTutorName: z.string().optional(),
    track: z.enum(["ect", "itt"]),
  }),
  stage: z.string().meta({ description: 'As people read it: "Awaiting signatures (1 of 3)", "Active · amendment awaiting signatures (0 of 2)".' }),
  signatureProgress: z
    .object({ signed: z.number().int(), of: z.number().int(), amendment: z.boolean() })
    .optional()
    .meta({ description: "While signatures are awaited (on the plan or its amendment)" }),
  signers: z.array(
    z.object({
      role: SignerRole,
      roleLabel: z.string(),
      personId: z.string().optional(),
      name: z.string().optional(),
      signature: Signature.optional().meta({ description: "On the version being signed now (the amendment's while there is one)" }),
      alsoSignsAs: z.array(SignerRole).meta({ description: "Other roles the roster gives the same person on this form" }),
    }),
  ),
  signerChoices: z
    .array(z.object({ role: SignerRole, people: z.array(z.object({ id: z.string(), name: z.string() })) }))
    .meta({ description: "Who the roster gives each role (only for a caller who may ask for signatures)" }),
  validSignatures: z.array(Signature),
  missingSigners: z.array(Signer),
  agreedDigest: z.string().meta({ description: "SHA-256 of the agreement the plan runs on, as its signatures sealed it" }),
  amendmentDigest: z.string().optional().meta({ description: "SHA-256 of the amendment's proposed agreement" }),
  predecessor: z
    .object({
      id: z.string(),
      templateId: TemplateId,
      level: z.number().optional(),
      outcome: PlanOutcome.optional(),
      outcomeReason: z.string().optional(),
    })
    .optional()
    .meta({ description: "The plan this one follows, and why it ended" }),
  violations: z.array(ViolationSchema),
  allowed: z.record(PlanActionSchema, z.boolean()),
  editScope: EditScopeSchema,
  access: EditAccess.meta({ description: "What the caller may change, in words for the banner over the plan" }),
});
same<Same<z.output<typeof PlanViewResponse>, PlanView>>();

/**
 * RFC 9457 problem details: every error. Besides the four required fields a problem may say more:
 * the rules broken (violations), how long to wait (503: retryAfterSeconds, as the Retry-After
 * header), whether a delayed write changed nothing (unchanged) or will complete by itself
 * (completing), a stale edit's current plan, or a 500's correlation id.
 */
export const ProblemResponse = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  violations: z.array(ViolationSchema).optional(),
  retryAfterSeconds: z.number().int().min(1).optional(),
  unchanged: z.boolean().optional().meta({ description: "503 on a write: true when nothing was changed (safe to send again), false when part may have been" }),
  completing: z.boolean().optional().meta({ description: "503 on a write: the change is recorded and completes on its own; do not send it again" }),
  correlationId: z.string().optional(),
  currentVersion: z.number().int().optional(),
  currentRevision: z.number().int().optional(),
  changedSinceYourVersion: z.array(z.object({ path: z.string(), label: z.string() })).optional(),
  current: PlanViewResponse.optional().meta({ description: "409 on a stale edit: the plan as it is now" }),
});

export const MeResponse = z.object({ person: Person, roleLabels: z.array(z.string()), mode: z.enum(["local", "tenant"]) });

export const CaseloadResponse = z.object({ rows: z.array(CaseloadRow) });

export const StatutoryEventSchema = z.object({
  kind: z.enum(["progress_review", "formal_assessment"]),
  number: z.number().int(),
  atTerms: z.number(),
  date: z.string(),
  term: z.string(),
  label: z.string(),
});
same<Same<z.output<typeof StatutoryEventSchema>, StatutoryEvent>>();

export const InductionTimelineSchema = z.object({
  termsServed: z.number(),
  currentTermNumber: z.number(),
  year: z.enum(["not_started", "ECT1", "ECT2", "extended", "completed"]),
  totalTerms: z.number(),
  termsRemaining: z.number(),
  calendarTermsRemaining: z.number(),
  expectedEndDate: z.string(),
  absenceExtensionDays: z.number(),
  absenceByYear: z.array(
    z.object({
      year: z.union([z.literal(1), z.literal(2)]),
      countingDays: z.number(),
      thresholdReachedOn: z.string().optional(),
      extensionDays: z.number(),
    }),
  ),
  absenceWarnings: z.array(
    z.object({ year: z.union([z.literal(1), z.literal(2)]), countingDays: z.number(), reachedOn: z.string(), extensionDays: z.number(), message: z.string() }),
  ),
  events: z.array(StatutoryEventSchema),
  nextStatutoryEvent: StatutoryEventSchema.optional(),
});
same<Same<z.output<typeof InductionTimelineSchema>, InductionTimeline>>();

/** GET /api/ects/{ectId}: the ECT, their timeline and their plans, newest first. */
export const EctSummaryResponse = z.object({
  ect: Ect,
  name: z.string(),
  schoolName: z.string(),
  timeline: InductionTimelineSchema,
  plans: z.array(PlanSummary),
});

const PlanTemplateSchema = z.object({
  id: TemplateId,
  name: z.string(),
  seed: z.string(),
  track: z.enum(["ect", "itt"]),
  level: Level.optional(),
  sections: z.array(z.string()),
  targetColumns: z.array(z.object({ field: z.string(), label: z.string() })),
  targetsHeading: z.string(),
  signers: z.array(SignerRole),
  maxTargets: z.number().int().optional(),
  reviewWithinDays: z.number().int().optional(),
  lengthWeeks: z.object({ min: z.number(), max: z.number() }).optional(),
  guidance: z.string(),
});
// Sections and target fields are the templates' own unions; the schema names them as strings.
same<Same<Omit<z.output<typeof PlanTemplateSchema>, "sections" | "targetColumns">, Omit<PlanTemplate, "sections" | "targetColumns">>>();

const LadderLevelSchema = z.object({
  level: Level,
  name: z.string(),
  ledBy: Role,
  lengthWeeks: z.object({ min: z.number(), max: z.number() }).optional(),
  cadence: z.enum(["weekly", "per_hr_policy"]),
  notify: z.array(z.enum(["induction_tutor", "ab", "head"])),
  weeklyAbUpdate: z.boolean(),
  abMeeting: z.boolean(),
  abInvolvement: z.string(),
  template: TemplateId,
});
same<Same<z.output<typeof LadderLevelSchema>, LadderLevel>>();

export const StandardHeadingSchema = z.object({
  code: z.string(),
  title: z.string(),
  part: z.enum(["P1", "P2"]),
  items: z.array(z.object({ code: z.string(), text: z.string(), parentCode: z.string(), parentTitle: z.string(), part: z.enum(["P1", "P2"]) })),
});

export const ReferenceResponse = z.object({
  templates: z.array(PlanTemplateSchema),
  ladder: z.array(LadderLevelSchema),
  standards: z.array(StandardHeadingSchema),
  standardsLicence: z.string(),
});

export const AuditResponse = z.object({ entries: z.array(AuditEntry) });
export const DirectoryAuditResponse = z.object({ entries: z.array(DirectoryAuditEntry) });

export const SignatureRequestResponse = PlanViewResponse.extend({
  reminder: z.boolean().meta({ description: "This was a reminder: the same version had been sent before" }),
  alreadyAskedToday: z.boolean().meta({ description: "Signers were asked or reminded today already, so nothing was sent" }),
});

export const ClosedPlanResponse = z.object({
  closed: Plan,
  successorId: Id.nullable().meta({ description: "The plan that follows, when there is one" }),
});

const Contact = z.object({ id: z.string(), name: z.string(), email: z.string() });
/** Who an ECT's concern can go to: the induction tutor first, then the AB; at Level 6 also HR. */
export const ConcernContacts = z.object({
  inductionTutor: Contact.optional(),
  appropriateBody: z.array(Contact),
  hr: z.string().optional(),
  guidance: z.object({ induction_tutor: z.string(), appropriate_body: z.string() }),
});

export const CapabilityResponse = PlanViewResponse.extend({ contacts: ConcernContacts });

export const EvidenceView = EvidenceRecord.extend({ url: z.string().meta({ description: "Where to download it (role-checked)" }) });
export const EvidenceResponse = z.object({ evidence: EvidenceView });
export const EvidenceListResponse = z.object({ evidence: z.array(EvidenceView) });

export const RecordEvent = StatutoryEventSchema.extend({ recorded: z.boolean(), overdue: z.boolean() });
export const RecordsResponse = z.object({
  records: z.array(InductionRecord),
  events: z
    .array(RecordEvent)
    .meta({ description: "The statutory timeline with what is recorded against it (empty for a caller who does not keep the records)" }),
});
export const ProgressReviewCreated = z.object({ record: ProgressReviewRecord });
export const FormalAssessmentCreated = z.object({ record: FormalAssessmentRecord });
export const ConcernCreated = z.object({ record: ConcernRecord, guidance: z.string() });
export const ConcernsResponse = z.object({
  concerns: z.array(ConcernRecord),
  contacts: ConcernContacts.optional().meta({ description: "Sent to the ECT only: who their concern can go to" }),
});

export const AbReviewsResponse = z.object({ rows: z.array(AbReviewRow) });

export const AbLinkResponse = z.object({ linked: z.boolean() });
export const AbWebhookResponse = z.object({ webhookConfigured: z.boolean() });

export const Persona = z.object({ id: z.string(), displayName: z.string(), roles: z.array(Role), roleLabels: z.array(z.string()) });
export const PersonasResponse = z.object({ personas: z.array(Persona) });
export const SignInInput = z.object({ personId: z.string().min(1).max(128) });
export const SignInResponse = z.object({ token: z.string(), person: Person });

export const AuthConfigResponse = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("local") }),
  z.object({ mode: z.literal("tenant"), clientId: z.string(), tenantId: z.string(), authority: z.string(), scopes: z.array(z.string()) }),
]);

export const HealthResponse = z.object({ status: z.literal("ok"), store: z.string(), mode: z.enum(["local", "tenant"]), instance: z.string() });

/** A Bot Framework activity (botbuilder reads the rest). */
export const BotActivity = z.looseObject({ type: z.string() });
