import { z } from "zod";
import { Id, IsoDate, IsoDateTime } from "./ids.js";
import { Ect, IttSigners, Role, School, WebhookUrl } from "./people.js";
import { defaultWebhookAllowedHosts, webhookUrlProblem } from "../webhookUrl.js";

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
  people: z.array(
    z.object({ id: z.string(), displayName: z.string(), email: z.string(), roles: z.array(Role), schoolId: z.string().optional(), signedIn: z.boolean() }),
  ),
  ects: z.array(Ect),
});
export type RosterView = z.infer<typeof RosterView>;
