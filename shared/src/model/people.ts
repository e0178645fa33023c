import { z } from "zod";
import { Id, IsoDate, IsoDateTime } from "./ids.js";
import { SchoolTermDates, englishTerms, termCalendar, type TermCalendar } from "../termCalendar.js";

/**
 * Roles in a school's induction, as the statutory guidance and the seed forms name them.
 * A person may hold more than one (a head who is also the induction tutor, SG §2.42).
 */
export const Role = z.enum(["ect", "mentor", "induction_tutor", "induction_lead", "head", "ab_officer", "itt_staff"]);
export type Role = z.infer<typeof Role>;

export const roleLabels: Record<Role, string> = {
  ect: "Early career teacher",
  mentor: "Mentor",
  induction_tutor: "Induction tutor",
  induction_lead: "Induction lead",
  head: "Headteacher",
  ab_officer: "Appropriate body officer",
  itt_staff: "ITT provider staff",
};

/** A Workflows ("When a Teams webhook request is received") or other channel webhook: https only. */
export const WebhookUrl = z.url({ protocol: /^https$/, message: "Use the https address Workflows gave you" }).max(2048);

export const AppropriateBody = z.object({
  id: Id,
  name: z.string().min(1).max(200),
  /**
   * No longer used for sending: one webhook for an AB let any school that set it read every
   * school's alerts. Kept so older records still parse; alerts go to the school's own webhook for
   * the AB (School.alertWebhooks).
   */
  alertWebhookUrl: WebhookUrl.optional(),
});
export type AppropriateBody = z.infer<typeof AppropriateBody>;

export const School = z.object({
  id: Id,
  name: z.string().min(1).max(200),
  /** The ITT provider named on its early support paperwork (seed 002's "MID-ESSEX ITT"); unset, the paperwork names none. */
  ittProviderName: z.string().min(1).max(200).optional(),
  /** The AB that quality-assures induction at this school. */
  abId: Id,
  /** Further ABs the school works with (part of its set-up, audited): an ECT is filed only under `abId` or one of these. */
  linkedAbIds: z.array(Id).max(20).optional(),
  /**
   * Where THIS school's alerts for an AB outside the tenant go: a channel webhook (Workflows) per AB.
   * It carries a signature, so it is a secret: never logged or returned. It only ever carries this
   * school's ECTs.
   */
  alertWebhooks: z
    .array(z.object({ abId: Id, url: WebhookUrl }))
    .max(20)
    .optional(),
  /** The school's own term start dates (termCalendar.ts): where reviews are filed and fall due. Absent: the default pattern. */
  termDates: SchoolTermDates.optional(),
  /** The probation length in terms under the school's HR policy (seed 003's "HR v ECT Induction" table shows two). Absent: two. */
  probationTerms: z.number().int().min(0).max(6).optional(),
  /** The version of the school's settings (PUT /api/roster/school, If-Match "v<n>"). Absent on a record from before versions: 1. */
  version: z.number().int().min(1).optional(),
});
export type School = z.infer<typeof School>;

/** Seed 003's table: probation runs the first two terms unless the school's policy says otherwise. */
export const defaultProbationTerms = 2;
export const probationTermsOf = (school: Pick<School, "probationTerms"> | undefined): number => school?.probationTerms ?? defaultProbationTerms;

/** The terms a school's induction timelines run on: its own dates, else the default pattern. */
export const termsOf = (school: Pick<School, "termDates"> | undefined): TermCalendar =>
  school?.termDates?.length ? termCalendar(school.termDates) : englishTerms;

/** The ABs a school works with: its own and those linked in its set-up. */
export const linkedAbs = (school: Pick<School, "abId" | "linkedAbIds">): string[] => [...new Set([school.abId, ...(school.linkedAbIds ?? [])])];

/** A school as anyone but the server sees it: without its webhook secrets. */
export const schoolView = ({ alertWebhooks, ...school }: School) => ({ ...school, alertWebhookAbIds: (alertWebhooks ?? []).map((w) => w.abId) });

export const Person = z.object({
  id: Id,
  displayName: z.string().min(1).max(200),
  email: z.email().max(320),
  /** Entra object id in tenant mode; absent for local demo people until they sign in. */
  aadObjectId: z.string().max(64).optional(),
  roles: z.array(Role).min(1),
  /** Staff and ECTs belong to a school; AB officers to an AB. */
  schoolId: Id.optional(),
  abId: Id.optional(),
  /** Optimistic-concurrency version of the roster entry: 1 when created, +1 on each roster change (absent on records from before versions: 1). */
  version: z.number().int().min(1).optional(),
  /** The day the person left the school: they keep their history but hold no school role from then on (the lead can reinstate them). */
  leftOn: IsoDate.optional(),
  /** When the person first and last signed in, as the server recorded it (a sign-in is not a roster change: no new version). */
  firstSignedInAt: IsoDateTime.optional(),
  lastSignedInAt: IsoDateTime.optional(),
});
export type Person = z.infer<typeof Person>;

/** Why an ECT's induction record at a school ended. */
export const EctEndReason = z.enum(["completed_induction", "left_school", "moved_school"]);
export type EctEndReason = z.infer<typeof EctEndReason>;
export const ectEndReasonLabels: Record<EctEndReason, string> = {
  completed_induction: "Completed induction",
  left_school: "Left the school",
  moved_school: "Moved to another school",
};

/** Leave that does not count towards the automatic 30-day extension (SG §3.6–3.7). */
export const LeaveType = z.enum(["counting", "maternity", "paternity", "shared_parental", "adoption", "parental_bereavement", "carers"]);
export type LeaveType = z.infer<typeof LeaveType>;

export const Absence = z.object({
  from: IsoDate,
  to: IsoDate,
  /** Days absent in the period; "day" is not defined in the guidance, so the school records the figure it uses. */
  days: z.number().min(0).max(400),
  leaveType: LeaveType,
  /** For exempt leave the ECT chooses whether to extend, and a request must be granted. */
  ectChoseToExtend: z.boolean().optional(),
});
export type Absence = z.infer<typeof Absence>;

export const Extension = z.object({
  source: z.enum(["automatic", "ab_decision", "appeal", "exempt_leave_choice"]),
  /** Length in terms (DfE's Register ECTs service records extensions in terms). */
  terms: z.number().min(0.1).max(16),
  reason: z.string().max(2000),
  decidedOn: IsoDate,
});
export type Extension = z.infer<typeof Extension>;

/** The ITT roles seed 002 asks to sign, held by people of the ITT provider. */
export const IttSignerRole = z.enum(["course_tutor", "director", "professional_mentor", "lead_subject_mentor"]);
export type IttSignerRole = z.infer<typeof IttSignerRole>;
export const IttSigners = z.partialRecord(IttSignerRole, Id);
export type IttSigners = z.infer<typeof IttSigners>;

/** One ECT's induction: who supports them and how far through they are. */
export const Ect = z.object({
  id: Id,
  /** The Person who is this ECT. */
  personId: Id,
  schoolId: Id,
  abId: Id,
  mentorId: Id.optional(),
  inductionTutorId: Id.optional(),
  /** AB-set start date (SG §2.12). */
  inductionStartDate: IsoDate,
  /** Working pattern: 1 = full time, 0.5 = half time. */
  fte: z.number().min(0.1).max(1),
  absences: z.array(Absence).default([]),
  extensions: z.array(Extension).default([]),
  /** Trainee teachers on an ITT course use the ITT early support plan, not the ECT ladder. */
  track: z.enum(["ect", "itt"]).default("ect"),
  /**
   * A trainee's ITT provider staff, by the role each holds for this trainee (seed 002's signers).
   * Each must be a person with the itt_staff role; naming them lets them read and sign this
   * trainee's plan, and nobody else can sign in these roles.
   */
  ittSigners: IttSigners.optional(),
  /** Optimistic-concurrency version of the roster record: 1 when created, +1 on each roster change (absent on records from before versions: 1). */
  version: z.number().int().min(1).optional(),
  /** The record ended at this school (the ECT leaves the live caseload; their plans and records stay readable). */
  endedOn: IsoDate.optional(),
  endReason: EctEndReason.optional(),
});
export type Ect = z.infer<typeof Ect>;
