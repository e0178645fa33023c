/** The plan API (bot/src/http/planRoutes.ts, exportRoutes.ts): the contract's entries for plans. */
import { z } from "zod";
import { Id } from "../model/ids.js";
import { SignerRole } from "../model/plan.js";
import { AddCommentInput } from "../usecases/addComment.js";
import { AssignSignerInput } from "../usecases/assignSigner.js";
import { ConcludeReviewInput } from "../usecases/concludeReview.js";
import { CreatePlanInput } from "../usecases/createPlan.js";
import { EditPlanInput } from "../usecases/editPlan.js";
import { EscalatePlanInput } from "../usecases/escalatePlan.js";
import { RecordCheckInInput } from "../usecases/recordCheckIn.js";
import { RecordReviewInput } from "../usecases/recordReview.js";
import { RequestSignaturesInput } from "../usecases/requestSignatures.js";
import { SharePlanWithMentorInput } from "../usecases/sharePlanWithMentor.js";
import { SignPlanInput } from "../usecases/signPlan.js";
import { WithdrawAmendmentInput } from "../usecases/withdrawAmendment.js";
import { AuditResponse, ClosedPlanResponse, PlanViewResponse, SignatureRequestResponse } from "./schemas.js";
import type { ProblemStatus, RouteSpec } from "./route.js";

// A versioned body may leave out `version` and send If-Match instead (If-Match wins).
export const planParams = z.object({ planId: Id });

const read: ProblemStatus[] = [400, 401, 403, 404, 503];
const write: ProblemStatus[] = [400, 401, 403, 404, 409, 413, 415, 422, 503];
const versionedWrite: ProblemStatus[] = [...write, 428];
const planView = (description: string) => ({ description, schema: PlanViewResponse });
const readers = "Anyone the plan's ECT relates to: the ECT, their mentor, induction tutor, induction lead, head, or an officer of their appropriate body.";
const lead = "The person leading the plan (by level: mentor, induction tutor or head).";

export const planContract = {
  "POST /api/plans": {
    summary: "Create a plan from a template",
    access: "The role that leads plans at the template's level for this ECT (mentor, induction tutor, induction lead or head).",
    body: { description: "The ECT, the form and anything already written", required: true, schema: CreatePlanInput },
    responses: { 201: planView("The new plan (Location: its address)") },
    problems: write,
  },
  "GET /api/plans/{planId}": {
    summary: "Open a plan",
    access: readers,
    params: planParams,
    responses: { 200: planView("The plan, with its ETag") },
    problems: read,
  },
  "PUT /api/plans/{planId}": {
    summary:
      "Save the editor's whole view against the version you read: the running record lands on the plan; a draft's agreement is edited; an agreed plan's changed agreement becomes an amendment",
    access: "Whoever may edit some of the plan; each part only by its owner (editScope says which).",
    params: planParams,
    ifMatch: true,
    body: { description: "The whole content as the editor shows it", required: true, schema: EditPlanInput.partial({ version: true }) },
    responses: { 200: planView("The plan as saved") },
    problems: versionedWrite,
  },
  "PUT /api/plans/{planId}/mentor-access": {
    summary: "Share a Level 4–5 plan with the ECT's mentor, so they may write its weekly actions, resources and success criteria (or stop sharing)",
    access: "The ECT's induction tutor or the induction lead.",
    params: planParams,
    ifMatch: true,
    body: { description: "Shared or not", required: true, schema: SharePlanWithMentorInput.partial({ version: true }) },
    responses: { 200: planView("The plan, with the mentor's access as it now is") },
    problems: versionedWrite,
  },
  "POST /api/plans/{planId}/signature-requests": {
    summary:
      "Send the plan (or its amendment) for signature: it is then awaiting signatures (n of m), and each signer who has not signed gets a card. Asking again for the same version only reminds them.",
    access: lead,
    params: planParams,
    body: { description: "The date to sign by (a week from today when left out)", required: false, schema: RequestSignaturesInput.strict() },
    responses: { 202: { description: "The plan as saved; the cards go out from the outbox", schema: SignatureRequestResponse } },
    problems: write,
  },
  "PUT /api/plans/{planId}/signers/{role}": {
    summary: "Name who signs in a role: only someone the roster gives that role for this ECT (else 422, signer-not-in-role)",
    access: `${lead} Never yourself for another's role, never the ECT's own signature.`,
    params: planParams.extend({ role: SignerRole }),
    ifMatch: true,
    body: { description: "The person to sign in the role", required: true, schema: AssignSignerInput.omit({ role: true }).partial({ version: true }) },
    responses: { 200: planView("The plan with the signer named") },
    problems: versionedWrite,
  },
  "POST /api/plans/{planId}/signatures": {
    summary:
      "Sign the version you read (the plan sent for signature, or its amendment). Recorded as given in the app, sealed with the SHA-256 of the agreement; 409 with currentRevision when it changed since.",
    access: "A signer the plan names, for their own role.",
    params: planParams,
    body: { description: "The revision read (how it was signed is the server's to record)", required: true, schema: SignPlanInput.strict() },
    responses: { 201: planView("The plan with the signature") },
    problems: write,
  },
  "POST /api/plans/{planId}/amendment/withdrawal": {
    summary: "Withdraw the proposed amendment: the plan runs on as signed, and signers already asked are told",
    access: lead,
    params: planParams,
    ifMatch: true,
    body: { description: "The version read (or send If-Match and no body)", required: false, schema: WithdrawAmendmentInput.partial({ version: true }) },
    responses: { 200: planView("The plan without its amendment") },
    problems: versionedWrite,
  },
  "POST /api/plans/{planId}/start": {
    summary: "Start an agreed plan",
    access: lead,
    params: planParams,
    responses: { 200: planView("The plan, now active") },
    problems: write,
  },
  "POST /api/plans/{planId}/comments": {
    summary: "Comment on a plan",
    access: readers,
    params: planParams,
    body: { description: "The comment, and the week it is about", required: true, schema: AddCommentInput },
    responses: { 201: planView("The plan with the comment") },
    problems: write,
  },
  "POST /api/plans/{planId}/check-ins": {
    summary: "The ECT's weekly comment on progress",
    access: "The plan's ECT.",
    params: planParams,
    body: { description: "The week and the comment", required: true, schema: RecordCheckInInput },
    responses: { 201: planView("The plan with the check-in") },
    problems: write,
  },
  "PUT /api/plans/{planId}/review": {
    summary: "Record the review: per-target outcome with evidence, the evaluation, next objectives, on track",
    access: lead,
    params: planParams,
    ifMatch: true,
    body: { description: "The review", required: true, schema: RecordReviewInput.partial({ version: true }) },
    responses: { 200: planView("The plan, in review") },
    problems: versionedWrite,
  },
  "POST /api/plans/{planId}/conclusion": {
    summary: "Conclude the review: on track, continue or escalate",
    access: lead,
    params: planParams,
    ifMatch: true,
    body: {
      description: "The decision, and the successor's level if not the ladder's",
      required: true,
      schema: ConcludeReviewInput.partial({ version: true }),
    },
    responses: { 200: { description: "The closed plan, with the successor's id", schema: ClosedPlanResponse } },
    problems: versionedWrite,
  },
  "POST /api/plans/{planId}/escalation": {
    summary: "Escalate to a higher level now",
    access: `${lead} Or the induction tutor, lead or head above them.`,
    params: planParams,
    ifMatch: true,
    body: { description: "Why, and the level (the next one up when left out)", required: true, schema: EscalatePlanInput.partial({ version: true }) },
    responses: { 201: { description: "The closed plan, with the successor's id (Location: the successor)", schema: ClosedPlanResponse } },
    problems: versionedWrite,
  },
  "GET /api/plans/{planId}/audit": {
    summary: "The plan's audit trail: who did what, and which fields changed (never the content)",
    access: readers,
    params: planParams,
    responses: { 200: { description: "Entries, oldest first", schema: AuditResponse } },
    problems: read,
  },
  "GET /api/plans/{planId}/export.docx": {
    summary: "Download the plan as the school's form (Word)",
    access: readers,
    params: planParams,
    responses: { 200: { description: "The form", contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" } },
    problems: read,
  },
  "GET /api/plans/{planId}/export.pdf": {
    summary: "Download the plan as the school's form (PDF)",
    access: readers,
    params: planParams,
    responses: { 200: { description: "The form", contentType: "application/pdf" } },
    problems: read,
  },
} as const satisfies Record<string, RouteSpec>;
