import { z } from "zod";
import { Id, IsoDate, IsoDateTime } from "./ids.js";
import { Ect, EctEndReason, IttSigners, Role, School, WebhookUrl } from "./people.js";
import { defaultWebhookAllowedHosts, webhookUrlProblem } from "../webhookUrl.js";
import { SchoolTermDates } from "../termCalendar.js";

/**
 * The school's roster, as the induction lead (or head) edits it: who holds which role, and who
 * supports each ECT. Requests are validated with these schemas on the server; the tab may reuse them.
 */

/** PUT /api/roster/people/:id — creates or replaces a person at the caller's school. */
export const RosterPersonInput = z.strictObject({
  displayName: z.string().trim().min(1).max(200),
  /** Work email or UPN: how the person is matched on first sign-in. */
  email: z.email().max(320),
  /** AB officers are not school roles: the roster gives school roles only. */
  roles: z
    .array(Role.exclude(["ab_officer"]))
    .min(1)
    .max(6),
});
export type RosterPersonInput = z.infer<typeof RosterPersonInput>;

/** PUT /api/roster/ects/:id — creates or updates an ECT's induction record at the caller's school. */
export const RosterEctInput = z.strictObject({
  personId: Id,
  mentorId: Id.nullable().optional(),
  inductionTutorId: Id.nullable().optional(),
  /** Defaults to the school's appropriate body. */
  abId: Id.optional(),
  inductionStartDate: IsoDate,
  fte: z.number().min(0.1).max(1),
  track: z.enum(["ect", "itt"]).optional(),
  /** A trainee's ITT provider staff by role; each must be on the roster with the itt_staff role. */
  ittSigners: IttSigners.optional(),
});
export type RosterEctInput = z.infer<typeof RosterEctInput>;

/**
 * PUT /api/roster/ects/:id/ending — the ECT's record at this school ends (If-Match as any change).
 * DELETE on the same path reinstates it.
 */
export const RosterEctEndingInput = z.strictObject({
  endedOn: IsoDate,
  reason: EctEndReason,
});
export type RosterEctEndingInput = z.infer<typeof RosterEctEndingInput>;

/** PUT /api/roster/people/:id/leaving — the person left the school on this day. DELETE reinstates them. */
export const RosterPersonLeavingInput = z.strictObject({ leftOn: IsoDate });
export type RosterPersonLeavingInput = z.infer<typeof RosterPersonLeavingInput>;

/**
 * PUT /api/roster/appropriate-bodies/:id/webhook — null removes it. The address must be one the bot
 * will post to (webhookUrl.ts: https, no user name or password, the standard port, a Workflows,
 * Power Automate or connector host; never an IP address). The messages never repeat the address.
 */
export const abWebhookInput = (allowHosts: readonly string[]) =>
  z.strictObject({
    url: WebhookUrl.superRefine((url, ctx) => {
      const problem = webhookUrlProblem(url, { allowHosts });
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }).nullable(),
  });
/** With Microsoft's hosts; the server checks against its WEBHOOK_ALLOWED_HOSTS setting (abWebhookInput). */
export const AbWebhookInput = abWebhookInput(defaultWebhookAllowedHosts);
export type AbWebhookInput = z.infer<typeof AbWebhookInput>;

/** PUT /api/roster/appropriate-bodies/:id/link — the school works with this AB (true) or no longer does (false). */
export const AbLinkInput = z.strictObject({ linked: z.boolean() });
export type AbLinkInput = z.infer<typeof AbLinkInput>;

/**
 * PUT /api/roster/school — the school's settings, set by its induction lead or head with If-Match
 * (the school's version). One object, so a further setting is one more key here. The whole set is
 * sent each time: an empty ITT provider name names none.
 */
export const SchoolSettings = z.strictObject({
  /** Printed on the ITT early support plan where seed 002 prints "MID-ESSEX ITT". */
  ittProviderName: z.string().trim().max(200, { message: "At most 200 characters" }).optional(),
  /** The school's probation length, in terms of the ECT's induction (seed 003's table: two). */
  probationTerms: z
    .number({ message: "Give the number of terms, 0 to 6" })
    .int({ message: "Give a whole number of terms" })
    .min(0, { message: "Give the number of terms, 0 to 6" })
    .max(6, { message: "Give the number of terms, 0 to 6" }),
  /** The school's term start dates (termCalendar.ts): where reviews are filed and fall due. Absent or empty: the default pattern. */
  termDates: SchoolTermDates.optional(),
});
export type SchoolSettings = z.infer<typeof SchoolSettings>;

/** The answer to PUT /api/roster/school (and the school's settings as read): with `ETag: "v<version>"`. */
export const SchoolSettingsResponse = z.object({
  schoolId: z.string(),
  version: z.number().int().min(1),
  settings: SchoolSettings,
});
export type SchoolSettingsResponse = z.infer<typeof SchoolSettingsResponse>;

/**
 * Append-only record of a directory change (roster, AB webhook, sign-in linking): who changed
 * what kind of record, never personal details beyond ids.
 */
export const DirectoryAuditEntry = z.object({
  id: Id,
  at: IsoDateTime,
  actorId: Id,
  actorName: z.string().max(200),
  action: z.string().min(1).max(64),
  /** The school whose roster changed (absent for an AB-level change). */
  schoolId: Id.optional(),
  abId: Id.optional(),
  /** The record changed: a person, ECT or AB id. */
  subjectId: Id,
  /** Which fields changed, e.g. "roles; mentor" — no values. */
  summary: z.string().max(2000),
});
export type DirectoryAuditEntry = z.infer<typeof DirectoryAuditEntry>;

/** A person as the roster shows them. `signedIn` is true only once the server has recorded a sign-in. */
export const RosterPersonView = z.object({
  id: z.string(),
  displayName: z.string(),
  email: z.string(),
  roles: z.array(Role),
  schoolId: z.string().optional(),
  version: z.number().int().min(1),
  leftOn: IsoDate.optional(),
  signedIn: z.boolean(),
  /** Their Microsoft Entra account is linked (tenant mode), whether or not a sign-in was recorded since. */
  entraLinked: z.boolean(),
  firstSignedInAt: IsoDateTime.optional(),
  lastSignedInAt: IsoDateTime.optional(),
});
export type RosterPersonView = z.infer<typeof RosterPersonView>;

/** An ECT's induction record as the roster shows it: always with its version. */
export const RosterEctView = Ect.extend({ version: z.number().int().min(1) });
export type RosterEctView = z.infer<typeof RosterEctView>;

/** The roster as the API returns it (GET /api/roster). Webhook URLs are secrets: only whether one is set. */
export const RosterView = z.object({
  scope: z.enum(["school", "ab"]),
  editable: z.boolean(),
  /** Schools without their webhook secrets: which ABs each has a webhook for. */
  schools: z.array(School.omit({ alertWebhooks: true }).extend({ alertWebhookAbIds: z.array(z.string()) })),
  /** For a school: whether its own webhook for the AB is set. For an AB officer: whether any school posts to one. */
  appropriateBodies: z.array(z.object({ id: z.string(), name: z.string(), webhookConfigured: z.boolean() })),
  /** Which school's alerts for which AB go to a webhook, with a short fingerprint of the address (never the address). */
  alertRoutes: z.array(z.object({ schoolId: z.string(), schoolName: z.string(), abId: z.string(), webhookFingerprint: z.string() })),
  people: z.array(RosterPersonView),
  ects: z.array(RosterEctView),
});
export type RosterView = z.infer<typeof RosterView>;

/** PUT /api/roster/people/:id (and its /leaving) answers 200 or 201 with this and `ETag: "v<version>"`. */
export const RosterPersonResponse = z.object({ person: RosterPersonView });
export type RosterPersonResponse = z.infer<typeof RosterPersonResponse>;
/** PUT /api/roster/ects/:id (and its /ending) answers 200 or 201 with this and `ETag: "v<version>"`. */
export const RosterEctResponse = z.object({ ect: RosterEctView });
export type RosterEctResponse = z.infer<typeof RosterEctResponse>;

/**
 * The 409 a roster write against a stale version answers (problem JSON): the version and record
 * as they are now, and who changed it last (from the roster audit), so the form can say so.
 */
export const RosterConflictProblem = z.object({
  status: z.literal(409),
  title: z.string(),
  detail: z.string(),
  currentVersion: z.number().int().min(1),
  changedBy: z.string().optional(),
  current: z.union([RosterPersonView, RosterEctView]),
});
export type RosterConflictProblem = z.infer<typeof RosterConflictProblem>;
