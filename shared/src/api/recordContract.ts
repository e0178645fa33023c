/** Induction records (bot/src/http/recordRoutes.ts): evidence, reviews, assessments, concerns, Level 6 and the AB's listing. */
import { z } from "zod";
import { Id } from "../model/ids.js";
import { RaiseConcernInput } from "../usecases/raiseConcern.js";
import { RecordCapabilityHandoverInput } from "../usecases/recordCapabilityHandover.js";
import { RecordFormalAssessmentInput } from "../usecases/recordFormalAssessment.js";
import { RecordProgressReviewInput } from "../usecases/recordProgressReview.js";
import {
  AbReviewsResponse,
  CapabilityResponse,
  ConcernCreated,
  ConcernsResponse,
  EvidenceListResponse,
  EvidenceResponse,
  FormalAssessmentCreated,
  ProgressReviewCreated,
  RecordsResponse,
} from "./schemas.js";
import { planParams } from "./planContract.js";
import type { ProblemStatus, RouteSpec } from "./route.js";

const ectParams = z.object({ ectId: Id });
const targetParams = planParams.extend({ targetId: Id });
const read: ProblemStatus[] = [400, 401, 403, 404, 503];
const write: ProblemStatus[] = [400, 401, 403, 404, 409, 413, 415, 422, 503];
const keepers = "The ECT's induction tutor, induction lead or head, or an officer of their appropriate body; their mentor for the ECT's own plans.";
const evidenceReaders = "Anyone who may read the plan.";

export const recordContract = {
  "POST /api/plans/{planId}/targets/{targetId}/evidence": {
    summary:
      "Attach evidence to a target: the raw file as the body (PDF, .docx, PNG/JPEG/GIF/WebP, plain text; at most 10 MB; type checked by its bytes), its name in ?filename= or X-File-Name",
    access: "The ECT, their mentor or the person leading the plan, while it is open.",
    params: targetParams,
    query: z.object({ filename: z.string().max(200).optional() }),
    body: { description: "The file's bytes", required: true, contentType: "application/octet-stream" },
    responses: { 201: { description: "The evidence record (Location: where to download it)", schema: EvidenceResponse } },
    problems: [...write],
  },
  "GET /api/plans/{planId}/targets/{targetId}/evidence": {
    summary: "Evidence on a target",
    access: evidenceReaders,
    params: targetParams,
    responses: { 200: { description: "Evidence records, not deleted ones", schema: EvidenceListResponse } },
    problems: read,
  },
  "GET /api/plans/{planId}/evidence": {
    summary: "Evidence on every target of a plan",
    access: evidenceReaders,
    params: planParams,
    responses: { 200: { description: "Evidence records, not deleted ones", schema: EvidenceListResponse } },
    problems: read,
  },
  "GET /api/evidence/{id}": {
    summary: "Download evidence (role-checked, audited)",
    access: evidenceReaders,
    params: z.object({ id: Id }),
    responses: { 200: { description: "The file, as the type its bytes were verified to be", contentType: "application/octet-stream" } },
    problems: read,
  },
  "DELETE /api/evidence/{id}": {
    summary: "Remove evidence (kept for the record, hidden; audited)",
    access: "Whoever added it, or the person leading the plan.",
    params: z.object({ id: Id }),
    responses: { 200: { description: "The record, marked deleted", schema: EvidenceResponse } },
    problems: [400, 401, 403, 404, 409, 503],
  },
  "POST /api/ects/{ectId}/progress-reviews": {
    summary: "Record a termly progress review (ratings on the AB's scale; statements where needed; targets; on track). Incomplete is refused whole.",
    access: "The ECT's induction tutor, induction lead or head.",
    params: ectParams,
    body: { description: "The review", required: true, schema: RecordProgressReviewInput },
    responses: { 201: { description: "The record", schema: ProgressReviewCreated } },
    problems: write,
  },
  "POST /api/ects/{ectId}/formal-assessments": {
    summary: "Record a formal assessment (end of year 1, or the final one with the head's recommendation)",
    access: "The head or the ECT's induction tutor only.",
    params: ectParams,
    body: { description: "The assessment", required: true, schema: RecordFormalAssessmentInput },
    responses: { 201: { description: "The record", schema: FormalAssessmentCreated } },
    problems: write,
  },
  "GET /api/ects/{ectId}/records": {
    summary: "Reviews, assessments (and concerns the caller may see) with the statutory timeline",
    access: `${keepers} The ECT sees their own concerns only.`,
    params: ectParams,
    responses: { 200: { description: "Records and the timeline's events", schema: RecordsResponse } },
    problems: read,
  },
  "POST /api/ects/{ectId}/concerns": {
    summary: "The ECT raises a concern privately (induction tutor first, then the AB)",
    access: "The ECT, about their own induction.",
    params: ectParams,
    body: { description: "Who it goes to and what it is", required: true, schema: RaiseConcernInput },
    responses: { 201: { description: "The concern, and what happens next", schema: ConcernCreated } },
    problems: write,
  },
  "GET /api/ects/{ectId}/concerns": {
    summary: "Concerns the caller may see, and (for the ECT) who to contact",
    access: "The ECT (their own), and the people each concern was raised with.",
    params: ectParams,
    responses: { 200: { description: "Concerns", schema: ConcernsResponse } },
    problems: read,
  },
  "PUT /api/plans/{planId}/capability": {
    summary: "Level 6: record the hand-over to capability procedures",
    access: "The head, on a Level 6 plan.",
    params: planParams,
    ifMatch: true,
    body: { description: "When HR's procedure started and who holds it", required: true, schema: RecordCapabilityHandoverInput.partial({ version: true }) },
    responses: { 200: { description: "The plan, and who to contact", schema: CapabilityResponse } },
    problems: [...write, 428],
  },
  "GET /api/ab/reviews": {
    summary: "The latest review or assessment per ECT covered, not on track first",
    access: "Appropriate body officers, for the ECTs their AB covers.",
    responses: { 200: { description: "One row per ECT", schema: AbReviewsResponse } },
    problems: [401, 403, 503],
  },
  "GET /api/ab/reviews.csv": {
    summary: "The same listing as CSV",
    access: "Appropriate body officers, for the ECTs their AB covers.",
    responses: { 200: { description: "CSV with a header row", contentType: "text/csv" } },
    problems: [401, 403, 503],
  },
} as const satisfies Record<string, RouteSpec>;
