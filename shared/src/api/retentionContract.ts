/** Retention (issue 16, item 9; bot/src/http/retentionRoutes.ts): what has passed its date, and the lead's confirmation. */
import { ConfirmRetentionInput, RetentionDeletionResult, RetentionDueList } from "../retentionDue.js";
import type { RouteSpec } from "./route.js";

const lead = "The school's induction lead, for their own school only (not the head, tutors, mentors, ECTs or AB officers).";

export const retentionContract = {
  "GET /api/retention": {
    summary: "The ECTs whose every plan and record has passed its retention date (six years after induction, SG §2.77), with what would be deleted",
    access: lead,
    responses: { 200: { description: "Today's school date and one row per ECT due, with the version a confirmation carries back", schema: RetentionDueList } },
    problems: [401, 403, 503],
  },
  "POST /api/retention/deletions": {
    summary:
      "Confirm the deletion of the ECTs listed: their plans, check-ins, induction records, evidence records and files go; a content-free tombstone stays in the audit. Sending the same confirmation again answers what it deleted.",
    access: lead,
    body: { description: "The ECTs as listed, each with the version shown, and an id for this confirmation", required: true, schema: ConfirmRetentionInput },
    responses: { 200: { description: "What was deleted, per ECT", schema: RetentionDeletionResult } },
    problems: [400, 401, 403, 404, 409, 413, 415, 422, 503],
  },
} as const satisfies Record<string, RouteSpec>;
