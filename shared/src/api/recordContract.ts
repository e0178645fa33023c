/** Induction records (bot/src/http/recordRoutes.ts): evidence, reviews, assessments, concerns, Level 6 and the AB's listing. */
import { z } from "zod";
import { Id } from "../model/ids.js";
import { RaiseConcernInput } from "../usecases/raiseConcern.js";
import { RecordCapabilityHandoverInput } from "../usecases/recordCapabilityHandover.js";
import { RecordFormalAssessmentInput } from "../usecases/recordFormalAssessment.js";
import { RecordProgressReviewInput } from "../usecases/recordProgressReview.js";
import { SignRecordInput } from "../usecases/signRecord.js";
import { ReturnRecordInput } from "../usecases/returnRecord.js";
import { ReviseRecordInput } from "../usecases/reviseRecord.js";
import { FormalAssessmentRecord, ProgressReviewRecord, RecordReturn, RecordSignature, RecordSignerRole } from "../model/inductionRecords.js";
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
  ViolationSchema,
} from "./schemas.js";
import { planParams } from "./planContract.js";
import type { ProblemStatus, RouteSpec } from "./route.js";

const ectParams = z.object({ ectId: Id });
const recordParams = ectParams.extend({ recordId: Id });

// ------------------------------------------------------------------ sign-off, return and revision (issue 16)

const ReviewOrAssessmentRecord = z.discriminatedUnion("kind", [ProgressReviewRecord, FormalAssessmentRecord]);

/**
 * One review or assessment with its history, as the tab shows it (shared/src/recordLifecycle.ts
 * RecordChain): the current revision, its signatures, the AB's returns, the earlier revisions and
 * their signatures, and what the caller may do now.
 */
export const RecordChainView = z.object({
  current: ReviewOrAssessmentRecord,
  earlier: z.array(ReviewOrAssessmentRecord).meta({ description: "Older revisions, oldest first" }),
  signatures: z.array(RecordSignature).meta({ description: "Valid signatures on the current revision, one per role" }),
  earlierSignatures: z.array(RecordSignature).meta({ description: "Signatures on earlier revisions (kept, no longer current)" }),
  returns: z.array(RecordReturn).meta({ description: "Every return by the AB, oldest first; each names the revision it returned" }),
  status: z.enum(["awaiting_signatures", "signed", "returned"]),
  missingSigners: z.array(RecordSignerRole),
  may: z.object({
    signAs: z.array(RecordSignerRole).meta({ description: "Roles the caller can sign the current revision as, now" }),
    return: z.boolean().meta({ description: "The caller (an officer of the ECT's AB) can return the current revision" }),
    revise: z.boolean().meta({ description: "The caller can revise it (it has been returned)" }),
  }),
});
export type RecordChainView = z.infer<typeof RecordChainView>;

/** GET /api/ects/{ectId}/records: `records` holds concerns and CURRENT revisions only; `chains` each review/assessment once with its history. */
export const EctRecordsResponse = RecordsResponse.extend({
  chains: z.array(RecordChainView).meta({ description: "Each review or assessment once: current revision, status, signatures, returns, earlier revisions" }),
});
export const ProgressReviewSaved = ProgressReviewCreated.extend({
  warnings: z.array(ViolationSchema).meta({ description: "Saved anyway, but worth a second look (e.g. on track yet a standard at 'Cause for concern')" }),
});
export const RecordSignedResponse = z.object({ signatures: z.array(RecordSignature), chain: RecordChainView });
export const RecordReturnedResponse = z.object({ returned: RecordReturn, chain: RecordChainView });
export const RecordRevisedResponse = z.object({ record: ReviewOrAssessmentRecord, warnings: z.array(ViolationSchema), chain: RecordChainView });
const lifecycleWrite: ProblemStatus[] = [400, 401, 403, 404, 409, 415, 422, 503];
const targetParams = planParams.extend({ targetId: Id });
const read: ProblemStatus[] = [400, 401, 403, 404, 503];
const write: ProblemStatus[] = [400, 401, 403, 404, 409, 413, 415, 422, 503];
const keepers = "The ECT's induction tutor, induction lead or head, or an officer of their appropriate body; their mentor for the ECT's own plans.";
const evidenceReaders = "Anyone who may read the plan.";
const recordExporters = "Anyone who may read the ECT's induction records (a concern is never exported: 404).";

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
    responses: { 201: { description: "The record, and warnings that did not stop the save", schema: ProgressReviewSaved } },
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
    responses: { 200: { description: "Records, each review/assessment's chain, and the timeline's events", schema: EctRecordsResponse } },
    problems: read,
  },
  "POST /api/ects/{ectId}/records/{recordId}/signatures": {
    summary:
      "Sign the current revision of a progress review or formal assessment (the ECT may add comments as they sign). When all have signed, the AB is told.",
    access: "The ECT, their induction tutor and the headteacher; each once per revision. Not while the AB has it returned.",
    params: recordParams,
    body: { description: "The ECT's comments (ECT only)", required: false, schema: SignRecordInput },
    responses: { 201: { description: "The signatures written, and the chain", schema: RecordSignedResponse } },
    problems: lifecycleWrite,
  },
  "POST /api/ects/{ectId}/records/{recordId}/returns": {
    summary: "The AB returns the current revision to the school with reasons and comments; the induction tutor and leads are told",
    access: "An officer of the ECT's appropriate body; once per revision.",
    params: recordParams,
    body: { description: "Reasons and comments", required: true, schema: ReturnRecordInput },
    responses: { 201: { description: "The return, and the chain", schema: RecordReturnedResponse } },
    problems: lifecycleWrite,
  },
  "POST /api/ects/{ectId}/records/{recordId}/revisions": {
    summary: "Revise a returned review or assessment: the same body as recording that kind, at the same review point. It needs fresh signatures.",
    access: "Who may record that kind (review: induction tutor, lead or head; assessment: tutor or head), once the AB has returned it.",
    params: recordParams,
    body: { description: "The revised review or assessment", required: true, schema: ReviseRecordInput },
    responses: { 201: { description: "The new revision, warnings, and the chain", schema: RecordRevisedResponse } },
    problems: lifecycleWrite,
  },
  "GET /api/ects/{ectId}/records/{recordId}/export.docx": {
    summary:
      "Download a progress review or formal assessment as the AB's form in Word: ratings with the scale's words, statements, evidence, targets, the judgement, the ECT's comments, signatures and a certificate (audited)",
    access: recordExporters,
    params: recordParams,
    responses: { 200: { description: "The Word document", contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" } },
    problems: read,
  },
  "GET /api/ects/{ectId}/records/{recordId}/export.pdf": {
    summary: "The same review or assessment as PDF (audited)",
    access: recordExporters,
    params: recordParams,
    responses: { 200: { description: "The PDF", contentType: "application/pdf" } },
    problems: read,
  },
  "GET /api/ects/{ectId}/record.pdf": {
    summary:
      "The ECT's whole induction record as one PDF: a contents page, then every support plan, progress review and formal assessment (current revisions, earlier ones noted) in date order (audited)",
    access: "The ECT themselves, their school's induction lead or headteacher, or an officer of their appropriate body.",
    params: ectParams,
    responses: { 200: { description: "The PDF", contentType: "application/pdf" } },
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
