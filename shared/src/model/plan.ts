import { z } from "zod";
import { FormText, Id, IsoDate, IsoDateTime } from "./ids.js";
import { StandardCode } from "../standards/index.js";

/** One template per seed form (see templates.ts for what each shows and who signs). */
export const TemplateId = z.enum([
  "ect_additional_support", // seed 000
  "at_risk_action", // seed 001
  "itt_early_support", // seed 002
  "level_1", // seed 003, Level 1 – Light touch
  "level_2", // Level 2 – Support plan 1
  "level_3", // Level 3 – Support plan 2
  "level_4", // Level 4 – Cause for concern
  "level_5", // Level 5 – At risk of failing
  "level_6", // Level 6 – School capability procedures (a record alongside HR's own)
]);
export type TemplateId = z.infer<typeof TemplateId>;

export const Level = z.number().int().min(1).max(6);
export type Level = z.infer<typeof Level>;

/**
 * Where a plan is in its life (see planStates.ts for the transitions): written as a draft, sent
 * for signature, agreed by every signer, running, under review, closed.
 */
export const PlanStatus = z.enum(["draft", "awaiting_signatures", "agreed", "active", "in_review", "closed"]);
export type PlanStatus = z.infer<typeof PlanStatus>;
/** Every status but closed: a plan in one of these is the ECT's open plan. */
export const openPlanStatuses: PlanStatus[] = ["draft", "awaiting_signatures", "agreed", "active", "in_review"];

/** How a closed plan ended (SPEC: on track → off the plan; some progress → further plan; none → next level). */
export const PlanOutcome = z.enum(["on_track", "continued", "escalated"]);
export type PlanOutcome = z.infer<typeof PlanOutcome>;

/** Who must sign, named as the forms name them. ITT roles come from seed 002. */
export const SignerRole = z.enum([
  "ect",
  "induction_tutor",
  "head",
  "mentor",
  "trainee",
  "course_tutor",
  "director",
  "professional_mentor",
  "lead_subject_mentor",
]);
export type SignerRole = z.infer<typeof SignerRole>;

/** Seed 000's "At review point: has met the target ... (yes/no/partially)". */
export const TargetReviewAnswer = z.enum(["yes", "no", "partially"]);

export const DatedEntry = z.object({
  date: IsoDate,
  text: FormText(2000),
});
export type DatedEntry = z.infer<typeof DatedEntry>;

export const Target = z.object({
  id: Id,
  /** Teachers' Standards this target relates to; the exact wording is looked up from the code. */
  standards: z.array(StandardCode).max(12).default([]),
  /** The target or objective itself. */
  text: FormText(2000).default(""),
  ectActions: FormText().default(""),
  /** School actions and support to be provided (mentor / induction tutor / other staff). */
  schoolActions: FormText().default(""),
  supportedBy: FormText(500).default(""),
  resources: FormText().default(""),
  successCriteria: FormText().default(""),
  timeScale: FormText(500).default(""),
  reviewDate: IsoDate.optional(),
  /** Level 1: outcome from observation. */
  observationOutcome: FormText().default(""),
  /** Seed 001: actual outcome, as dated entries. */
  outcomeEntries: z.array(DatedEntry).max(50).default([]),
  /** Seed 000: answer at the review point. */
  outcomeAtReview: TargetReviewAnswer.optional(),
  /** Set when this target was carried over from a predecessor plan. */
  carriedFromTargetId: Id.optional(),
});
export type Target = z.infer<typeof Target>;

export const WeekRow = z.object({
  week: z.number().int().min(1).max(6),
  /** Action to be taken and by whom. */
  action: FormText().default(""),
  byWhom: FormText(500).default(""),
  /** Resources required (including use of PD time / support provided). */
  resources: FormText().default(""),
  successCriteria: FormText().default(""),
  evaluation: FormText().default(""),
  /** ECT's comment on progress: written by the ECT, from the tab or the weekly check-in card. */
  ectComment: FormText().default(""),
  ectCommentAt: IsoDateTime.optional(),
});
export type WeekRow = z.infer<typeof WeekRow>;

export const MeetingKind = z.enum(["initial", "ab", "review", "other"]);
export const Meeting = z.object({
  id: Id,
  kind: MeetingKind,
  date: IsoDate.optional(),
  /** Who was present, as written on the form. */
  attendees: FormText(1000).default(""),
  outline: FormText().default(""),
  outcome: FormText().default(""),
});
export type Meeting = z.infer<typeof Meeting>;

export const TargetOutcome = z.enum(["met", "partially_met", "not_met"]);
export type TargetOutcome = z.infer<typeof TargetOutcome>;

export const Review = z.object({
  date: IsoDate.optional(),
  /** Notes from the review meeting (seed 002). */
  notes: FormText().default(""),
  targetOutcomes: z
    .array(z.object({ targetId: Id, outcome: TargetOutcome, evidence: FormText().default("") }))
    .max(50)
    .default([]),
  evaluation: FormText().default(""),
  nextObjectives: FormText().default(""),
  /** "Is the ECT on track at end date? Yes / No" */
  onTrack: z.boolean().optional(),
  /** Seed 002: final outcome from the support plan procedure. */
  finalOutcome: FormText(2000).default(""),
  recordedBy: Id.optional(),
  recordedAt: IsoDateTime.optional(),
});
export type Review = z.infer<typeof Review>;

export const Signer = z.object({
  role: SignerRole,
  /** The person who must sign; unassigned signers block agreement. */
  personId: Id.optional(),
});
export type Signer = z.infer<typeof Signer>;

/** How a signature was given. */
export const SignatureMethod = z.enum(["tab", "card"]);
export type SignatureMethod = z.infer<typeof SignatureMethod>;

/**
 * A signature is a seal: who signed, in which role, when, how, which agreed version, and the
 * SHA-256 of that version's canonical agreement (agreement.ts), so a printed plan can be checked
 * against the record.
 */
export const Signature = z.object({
  role: SignerRole,
  personId: Id,
  name: z.string().max(200),
  signedAt: IsoDateTime,
  /** The agreed version signed (the plan's revision, or an amendment's proposed revision). */
  revision: z.number().int().min(1),
  /** Missing only on signatures made before seals existed. */
  method: SignatureMethod.optional(),
  digest: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
export type Signature = z.infer<typeof Signature>;

export const Comment = z.object({
  id: Id,
  authorId: Id,
  authorName: z.string().max(200),
  at: IsoDateTime,
  text: FormText(2000).min(1),
  /** The weekly row it is about, if any. */
  week: z.number().int().min(1).max(6).optional(),
});
export type Comment = z.infer<typeof Comment>;

/** The lead's request for signatures on one version: when, by whom, and the date to sign by. */
export const SignatureRequest = z.object({
  revision: z.number().int().min(1),
  requestedAt: IsoDateTime,
  requestedBy: Id,
  signBy: IsoDate,
  /** Reminders sent since (a repeated request), newest last. */
  remindedAt: z.array(IsoDateTime).max(50).default([]),
});
export type SignatureRequest = z.infer<typeof SignatureRequest>;

/** Level 6: capability runs under HR's policy; the plan records only what induction needs to know. */
export const CapabilityRecord = z.object({
  hrProcedureStartedOn: IsoDate.optional(),
  abInformedOn: IsoDate.optional(),
  hrContact: FormText(500).default(""),
  notes: FormText().default(""),
});

/**
 * The part of a plan a person writes. Some of it is the agreement (what was signed), the rest
 * the running record (agreement.ts says which, per template).
 */
export const PlanContent = z.object({
  startDate: IsoDate.optional(),
  endDate: IsoDate.optional(),
  /** Term the plan runs in, e.g. "Spring 2027"; filled from the induction timeline. */
  term: FormText(100).default(""),
  initialMeetingDate: IsoDate.optional(),
  presentAtMeeting: FormText(1000).default(""),
  /** ITT: subject taught. */
  subject: FormText(200).default(""),
  /** ITT: staff members involved. */
  staffMembers: FormText(1000).default(""),
  /** Statement of concern (ITT), reason for light touch support (L1), reasons for risk of failing (L5). */
  statementOfConcern: FormText().default(""),
  /** Level 1: previous objectives and their evaluation. */
  previousObjectives: FormText().default(""),
  previousEvaluation: FormText().default(""),
  /** Level 1: "Related Teachers' Standards". */
  relatedStandards: z.array(StandardCode).max(40).default([]),
  /** Level 5: possible reasons for extension to induction. */
  possibleExtensionReasons: FormText().default(""),
  targets: z.array(Target).max(20).default([]),
  weeks: z.array(WeekRow).max(6).default([]),
  meetings: z.array(Meeting).max(20).default([]),
  reviewDate: IsoDate.optional(),
  capability: CapabilityRecord.optional(),
});
export type PlanContent = z.infer<typeof PlanContent>;

/**
 * A proposed change to what was agreed. The plan keeps running on the agreed version; the
 * amendment holds the whole proposed content (its agreement fields are what is proposed) and
 * becomes the agreement when every signer has signed `revision`.
 */
export const Amendment = z.object({
  /** The revision it will become: signatures on it are amendment signatures. */
  revision: z.number().int().min(2),
  /** The agreed revision it amends. */
  baseRevision: z.number().int().min(1),
  content: PlanContent,
  /** What changed against the agreed version, in words (no content). */
  changes: z.array(z.object({ path: z.string().max(200), label: z.string().max(300) })).max(500),
  proposedBy: Id,
  proposedByName: z.string().max(200),
  proposedAt: IsoDateTime,
});
export type Amendment = z.infer<typeof Amendment>;

export const Plan = PlanContent.extend({
  id: Id,
  ectId: Id,
  schoolId: Id,
  abId: Id,
  templateId: TemplateId,
  /** Escalation level 1–6; ITT plans sit outside the ladder. */
  level: Level.optional(),
  status: PlanStatus,
  outcome: PlanOutcome.optional(),
  /** Why the plan was escalated or continued into its successor, as the person who decided wrote it. */
  outcomeReason: FormText(2000).optional(),
  predecessorId: Id.optional(),
  successorId: Id.optional(),
  /** Optimistic-concurrency version: bumps on every write; a write against a stale one is a conflict. */
  version: z.number().int().min(1),
  /** Content revision: bumps only when content changes; signatures bind to it. */
  revision: z.number().int().min(1),
  signers: z.array(Signer).max(10),
  /** Every signature ever given, on any version: the current agreement's are those on `revision`. */
  signatures: z.array(Signature).max(200).default([]),
  /** Set when the lead asks for signatures on a version; repeating the request only reminds. */
  signatureRequest: SignatureRequest.optional(),
  /** A proposed change to the agreement of an agreed or running plan, awaiting the same signers. */
  amendment: Amendment.optional(),
  review: Review.optional(),
  /**
   * Levels 4–5: the induction tutor or lead has shared the plan with the ECT's mentor, who may then
   * write the weeks as at Levels 2–3 (permissions.ts, mentorWritesWeeks). Not content: no signature binds it.
   */
  sharedWithMentor: z.boolean().optional(),
  comments: z.array(Comment).max(500).default([]),
  createdAt: IsoDateTime,
  createdBy: Id,
  updatedAt: IsoDateTime,
  updatedBy: Id,
  /** Records are kept, never deleted: the date until which this plan must be retained (6 years, SG §2.77). */
  retainUntil: IsoDate,
});
export type Plan = z.infer<typeof Plan>;

/** A caseload row: enough to list and sort without loading plan content. */
export const PlanSummary = Plan.pick({
  id: true,
  ectId: true,
  schoolId: true,
  abId: true,
  templateId: true,
  level: true,
  status: true,
  outcome: true,
  version: true,
  revision: true,
  startDate: true,
  endDate: true,
  reviewDate: true,
  updatedAt: true,
}).extend({
  /**
   * While signatures are awaited (a plan sent for signature, or an amendment): how many of the
   * signers have signed the version asked for. Kept beside the summary by the store (from
   * `signatureProgress`), so a caseload says "awaiting signatures (1 of 3)" without loading plans.
   */
  awaitingSignatures: z.object({ signed: z.number().int().min(0), of: z.number().int().min(1), amendment: z.boolean() }).optional(),
});
export type PlanSummary = z.infer<typeof PlanSummary>;
