/**
 * The API contract (issue 15): every route the server registers, with its path parameters, body,
 * responses by status and who may call it. The server's OpenAPI document is generated from it
 * (bot/src/http/openapi.ts) and a test checks it against the routes restify actually has; the
 * tab's typed client derives its types from it (type-only, so zod stays out of the tab's first load).
 */
import { z } from "zod";
import { Id } from "../model/ids.js";
import { AbDashboard } from "../model/abDashboard.js";
import { EctJourney } from "../model/inductionJourney.js";
import { HrAlongsideInduction } from "../hrAlongsideInduction.js";
import {
  AbLinkInput,
  AbWebhookInput,
  RosterEctEndingInput,
  RosterEctInput,
  RosterEctResponse,
  RosterPersonInput,
  RosterPersonLeavingInput,
  RosterPersonResponse,
  RosterView,
  SchoolSettings,
  SchoolSettingsResponse,
} from "../model/roster.js";
import { planContract } from "./planContract.js";
import { recordContract } from "./recordContract.js";
import { retentionContract } from "./retentionContract.js";
import {
  AbLinkResponse,
  AbWebhookResponse,
  AuthConfigResponse,
  BotActivity,
  CaseloadResponse,
  DirectoryAuditResponse,
  EctSummaryResponse,
  HealthResponse,
  MeResponse,
  PersonasResponse,
  ReferenceResponse,
  SignInInput,
  SignInResponse,
} from "./schemas.js";
import type { BodyOf, PathParamsOf, ResponseOf, RouteSpec } from "./route.js";

const leads = "The school's induction lead or head, for their school.";
const roster = [400, 401, 403, 404, 413, 415, 422, 503] as const;
// A roster record changes against the version read (If-Match); stale is 409, none is 428.
const versionedRoster = [400, 401, 403, 404, 409, 413, 415, 422, 428, 503] as const;

const directoryContract = {
  "GET /healthz": {
    summary: "Liveness and store check",
    access: "Anyone (no sign-in).",
    public: true,
    responses: { 200: { description: "Up, with the store it reached", schema: HealthResponse } },
    problems: [503],
  },
  "GET /api/openapi.json": {
    summary: "This description of the API",
    access: "Anyone (no sign-in).",
    public: true,
    responses: { 200: { description: "An OpenAPI 3.1 document", schema: z.record(z.string(), z.unknown()) } },
    problems: [],
  },
  "GET /api/auth/config": {
    summary: "How the tab signs in: the Entra client id, tenant and API scope in tenant mode; {mode: local} otherwise",
    access: "Anyone (no sign-in): public ids only.",
    public: true,
    responses: { 200: { description: "Sign-in settings", schema: AuthConfigResponse } },
    problems: [],
  },
  "GET /api/reference": {
    summary: "Templates, the escalation ladder and the Teachers' Standards",
    access: "Anyone (no sign-in): the same objects the server validates with.",
    public: true,
    responses: { 200: { description: "Reference data (cacheable for an hour)", schema: ReferenceResponse } },
    problems: [],
  },
  "GET /api/me": {
    summary: "Who am I",
    access: "Anyone signed in.",
    responses: { 200: { description: "The signed-in person, their roles in words, and the server's mode", schema: MeResponse } },
    problems: [401, 403, 503],
  },
  "GET /api/caseload": {
    summary: "My caseload: the ECTs my roles cover, highest level first",
    access: "Anyone signed in; each sees the ECTs their roles cover (an AB officer: every school's ECTs their AB covers).",
    responses: { 200: { description: "Rows in the server's order", schema: CaseloadResponse } },
    problems: [401, 403, 503],
  },
  "GET /api/caseload.csv": {
    summary: "The caseload as CSV",
    access: "Appropriate body officers (their AB's ECTs), heads and induction leads (their school's).",
    responses: { 200: { description: "CSV with a header row", contentType: "text/csv" } },
    problems: [401, 403, 503],
  },
  "GET /api/ects/{ectId}": {
    summary: "One ECT: induction timeline and plan history",
    access: "Anyone who may read the ECT's plans.",
    params: z.object({ ectId: Id }),
    responses: { 200: { description: "The ECT, their timeline and their plans, newest first", schema: EctSummaryResponse } },
    problems: [400, 401, 403, 404, 503],
  },
  "GET /api/roster": {
    summary: "The school's roster (editable) or the ECTs my AB covers (read only)",
    access: "The induction lead or head (their school), or an appropriate body officer (read only).",
    responses: { 200: { description: "People, ECTs, schools, ABs (whether a webhook is set, never its URL)", schema: RosterView } },
    problems: [401, 403, 503],
  },
  "GET /api/roster/audit": {
    summary: "Who changed the school's roster (field names only)",
    access: leads,
    responses: { 200: { description: "Entries, oldest first", schema: DirectoryAuditResponse } },
    problems: [401, 403, 503],
  },
  "PUT /api/roster/people/{personId}": {
    summary: "Add a person (If-None-Match: * or no If-Match) or change one against the version read (If-Match)",
    access: leads,
    params: z.object({ personId: Id }),
    ifMatch: true,
    body: { description: "The person: name, work email, school roles", required: true, schema: RosterPersonInput },
    responses: { 200: { description: "Changed", schema: RosterPersonResponse }, 201: { description: "Added", schema: RosterPersonResponse } },
    problems: versionedRoster,
  },
  "PUT /api/roster/ects/{ectId}": {
    summary: "Add an ECT's induction record (mentor, tutor, AB, start date, FTE, track), or change it against the version read (If-Match)",
    access: leads,
    params: z.object({ ectId: Id }),
    ifMatch: true,
    body: { description: "The induction record", required: true, schema: RosterEctInput },
    responses: { 200: { description: "Changed", schema: RosterEctResponse }, 201: { description: "Added", schema: RosterEctResponse } },
    problems: versionedRoster,
  },
  "PUT /api/roster/people/{personId}/leaving": {
    summary: "Record that a person has left the school: they keep no school roles and cannot sign in (audited)",
    access: leads,
    params: z.object({ personId: Id }),
    ifMatch: true,
    body: { description: "The day they left", required: true, schema: RosterPersonLeavingInput },
    responses: { 200: { description: "The person, marked as left", schema: RosterPersonResponse } },
    problems: versionedRoster,
  },
  "DELETE /api/roster/people/{personId}/leaving": {
    summary: "Reinstate a person recorded as having left (audited)",
    access: leads,
    params: z.object({ personId: Id }),
    ifMatch: true,
    responses: { 200: { description: "The person, back on the roster", schema: RosterPersonResponse } },
    problems: versionedRoster,
  },
  "PUT /api/roster/ects/{ectId}/ending": {
    summary: "End an ECT's induction record at the school (completed, left, moved): it leaves the caseload; its plans and records stay",
    access: leads,
    params: z.object({ ectId: Id }),
    ifMatch: true,
    body: { description: "When and why the record ends", required: true, schema: RosterEctEndingInput },
    responses: { 200: { description: "The induction record, ended", schema: RosterEctResponse } },
    problems: versionedRoster,
  },
  "DELETE /api/roster/ects/{ectId}/ending": {
    summary: "Reinstate an ended induction record (audited)",
    access: leads,
    params: z.object({ ectId: Id }),
    ifMatch: true,
    responses: { 200: { description: "The induction record, live again", schema: RosterEctResponse } },
    problems: versionedRoster,
  },
  "GET /api/ab/dashboard": {
    summary: "The dashboard's figures: ECTs by level per school, plans opened and closed per term by outcome, time at each level",
    access: "An appropriate body officer (their AB's schools), or an induction lead or head (their school).",
    responses: { 200: { description: "The figures the charts and their tables show", schema: AbDashboard } },
    problems: [401, 403, 503],
  },
  "GET /api/ects/{ectId}/journey": {
    summary: "One ECT's induction journey: terms (pro rata), review points with ratings, plans and their levels, extensions",
    access: "Anyone who may read the ECT's induction records.",
    params: z.object({ ectId: Id }),
    responses: { 200: { description: "The journey the picture and its table show", schema: EctJourney } },
    problems: [400, 401, 403, 404, 503],
  },
  "GET /api/roster/school": {
    summary: "The school's settings (ITT provider name, probation length in terms) and their version",
    access: leads,
    responses: { 200: { description: 'The settings, with ETag "v<version>"', schema: SchoolSettingsResponse } },
    problems: [401, 403, 404, 503],
  },
  "PUT /api/roster/school": {
    summary: "Set the school's settings: the ITT provider its early support paperwork names, its probation length in terms (audited)",
    access: leads,
    ifMatch: true,
    body: { description: "The whole set of settings; an empty ITT provider name names none", required: true, schema: SchoolSettings },
    responses: { 200: { description: 'The settings as saved, with ETag "v<version>"', schema: SchoolSettingsResponse } },
    problems: versionedRoster,
  },
  "GET /api/ects/{ectId}/hr-alongside-induction": {
    summary: "Seed 003's HR v ECT Induction table for this ECT: its terms of induction, the school's probation length, and which policy applies this term",
    access: "Anyone who may read the ECT's induction records.",
    params: z.object({ ectId: Id }),
    responses: { 200: { description: "The table, with the current term marked", schema: HrAlongsideInduction } },
    problems: [400, 401, 403, 404, 503],
  },
  "PUT /api/roster/appropriate-bodies/{abId}/link": {
    summary: "Link the school to an appropriate body it works with, or unlink it (audited)",
    access: leads,
    params: z.object({ abId: Id }),
    body: { description: "Linked or not", required: true, schema: AbLinkInput },
    responses: { 200: { description: "Whether the school is linked to the AB", schema: AbLinkResponse } },
    problems: roster,
  },
  "PUT /api/roster/appropriate-bodies/{abId}/webhook": {
    summary: "Set or remove where this school's alerts for the AB go (a Workflows webhook; https only, per school and AB)",
    access: leads,
    params: z.object({ abId: Id }),
    body: { description: "The webhook address, or null to remove it (never echoed back)", required: true, schema: AbWebhookInput },
    responses: { 200: { description: "Whether a webhook is set", schema: AbWebhookResponse } },
    problems: roster,
  },
  "GET /api/dev/personas": {
    summary: "Local mode only: the demo personas",
    access: "Anyone (no sign-in), in local mode only.",
    public: true,
    localOnly: true,
    responses: { 200: { description: "Personas, by role", schema: PersonasResponse } },
    problems: [503],
  },
  "POST /api/dev/sign-in": {
    summary: "Local mode only: act as a persona",
    access: "Anyone (no sign-in), in local mode only.",
    public: true,
    localOnly: true,
    body: { description: "The persona", required: true, schema: SignInInput },
    responses: { 200: { description: "A signed local token", schema: SignInResponse } },
    problems: [400, 404, 413, 415, 503],
  },
  "POST /api/messages": {
    summary: "Bot Framework endpoint (Teams)",
    access: "The Bot Framework service (botbuilder checks its token); refused when the bot is disabled.",
    public: true,
    body: { description: "A Bot Framework activity", required: true, schema: BotActivity },
    responses: { 200: { description: "Handled" } },
    problems: [401, 413, 415],
  },
} as const satisfies Record<string, RouteSpec>;

export const contract = { ...directoryContract, ...planContract, ...recordContract, ...retentionContract } as const satisfies Record<string, RouteSpec>;

export type Contract = typeof contract;
export type ContractKey = keyof Contract;
export type ApiBody<K extends ContractKey> = BodyOf<Contract[K]>;
export type ApiResponse<K extends ContractKey> = ResponseOf<Contract[K]>;
export type ApiParams<K extends ContractKey> = PathParamsOf<K>;
