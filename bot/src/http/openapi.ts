import { z } from "zod";
import {
  AbLinkInput,
  AbWebhookInput,
  AddCommentInput,
  DirectoryAuditEntry,
  RosterEctInput,
  RosterPersonInput,
  AuditEntry,
  CaseloadRow,
  ConcludeReviewInput,
  CreatePlanInput,
  EditPlanInput,
  EscalatePlanInput,
  Person,
  Plan,
  PlanSummary,
  AssignSignerInput,
  RecordCheckInInput,
  RecordReviewInput,
  RequestSignaturesInput,
  Signature,
  Signer,
  SignPlanInput,
  WithdrawAmendmentInput,
} from "@ectsp/shared";

/** JSON Schema straight from the zod schemas the server validates with: one source of truth. */
const schema = (s: z.ZodType, io: "input" | "output") => z.toJSONSchema(s, { io, unrepresentable: "any", target: "draft-2020-12" });

const Problem = {
  type: "object",
  required: ["type", "title", "status", "detail"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    violations: {
      type: "array",
      items: {
        type: "object",
        properties: { path: { type: "string" }, code: { type: "string" }, message: { type: "string" }, severity: { enum: ["error", "incomplete", "warning"] } },
      },
    },
  },
};

const errors = {
  "400": { description: "Malformed request", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } },
  "401": { description: "Not signed in", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } },
  "403": {
    description: "Your role does not allow this for this ECT",
    content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
  },
  "404": { description: "Not found", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } },
  "409": {
    description: "Stale version or not possible in the plan's state",
    content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
  },
  "413": { description: "Body too large", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } },
  "422": { description: "The plan breaks a domain rule", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } },
};

const json = (ref: string) => ({ content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } } });
const planId = [{ name: "planId", in: "path", required: true, schema: { type: "string" } }];
const ifMatch = {
  name: "If-Match",
  in: "header",
  required: false,
  schema: { type: "string" },
  description: 'ETag of the version you read, e.g. "v3" (or send body.version)',
};

const op = (summary: string, extra: Record<string, unknown>) => ({
  summary,
  security: [{ bearer: [] }],
  ...extra,
  responses: { ...(extra.responses as object), ...errors },
});

export function openApiDocument(publicUrl: string, mode: "local" | "tenant") {
  return {
    openapi: "3.1.0",
    info: {
      title: "ECT Support Plans API",
      version: "0.1.0",
      description:
        "The API the Teams tab calls. Every call is checked against the caller's role for that ECT. Errors are RFC 9457 problem JSON; an invalid request changes nothing.",
    },
    servers: [{ url: publicUrl }],
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: mode === "tenant" ? "An Entra ID access token for this app (Teams SSO)." : "A local persona token from POST /api/dev/sign-in.",
        },
      },
      schemas: {
        Problem,
        Plan: schema(Plan, "output"),
        PlanSummary: schema(PlanSummary, "output"),
        Person: schema(Person, "output"),
        RosterPersonInput: schema(RosterPersonInput, "input"),
        RosterEctInput: schema(RosterEctInput, "input"),
        AbLinkInput: schema(AbLinkInput, "input"),
        AbWebhookInput: schema(AbWebhookInput, "input"),
        DirectoryAuditEntry: schema(DirectoryAuditEntry, "output"),
        // Each row's plan also carries `stage` ("Awaiting signatures (1 of 3)") and, while signatures are awaited, `signatureProgress`.
        CaseloadRow: schema(CaseloadRow, "output"),
        AuditEntry: schema(AuditEntry, "output"),
        CreatePlanInput: schema(CreatePlanInput, "input"),
        EditPlanInput: schema(EditPlanInput, "input"),
        AddCommentInput: schema(AddCommentInput, "input"),
        RecordCheckInInput: schema(RecordCheckInInput, "input"),
        RecordReviewInput: schema(RecordReviewInput, "input"),
        ConcludeReviewInput: schema(ConcludeReviewInput, "input"),
        EscalatePlanInput: schema(EscalatePlanInput, "input"),
        RequestSignaturesInput: schema(RequestSignaturesInput.strict(), "input"),
        AssignSignerInput: schema(AssignSignerInput.omit({ role: true }), "input"),
        // Strict: how a signature was given (tab or card) is recorded by the server, never sent.
        SignPlanInput: schema(SignPlanInput.strict(), "input"),
        WithdrawAmendmentInput: schema(WithdrawAmendmentInput, "input"),
        Signature: schema(Signature, "output"),
        Signer: schema(Signer, "output"),
        PlanView: {
          type: "object",
          description:
            "A plan as the tab shows it (shared/src/model/planView.ts): the plan, the ECT, where it stands, who signs and what they sealed, the rules' findings and what the caller may do.",
          required: [
            "plan",
            "ect",
            "stage",
            "signers",
            "signerChoices",
            "validSignatures",
            "missingSigners",
            "agreedDigest",
            "violations",
            "allowed",
            "editScope",
          ],
          properties: {
            plan: { $ref: "#/components/schemas/Plan" },
            ect: { type: "object" },
            stage: { type: "string", description: 'As people read it: "Awaiting signatures (1 of 3)", "Active · amendment awaiting signatures (0 of 2)".' },
            signatureProgress: {
              type: "object",
              description: "While signatures are awaited (on the plan or its amendment)",
              properties: { signed: { type: "integer" }, of: { type: "integer" }, amendment: { type: "boolean" } },
            },
            signers: {
              type: "array",
              items: {
                type: "object",
                required: ["role", "roleLabel", "alsoSignsAs"],
                properties: {
                  role: { type: "string" },
                  roleLabel: { type: "string" },
                  personId: { type: "string" },
                  name: { type: "string" },
                  signature: { $ref: "#/components/schemas/Signature", description: "On the version being signed now (the amendment's while there is one)" },
                  alsoSignsAs: { type: "array", items: { type: "string" }, description: "Other roles the roster gives the same person on this form" },
                },
              },
            },
            signerChoices: {
              type: "array",
              description: "Who the roster gives each role (only for a caller who may ask for signatures)",
              items: { type: "object", properties: { role: { type: "string" }, people: { type: "array", items: { type: "object" } } } },
            },
            validSignatures: { type: "array", items: { $ref: "#/components/schemas/Signature" } },
            missingSigners: { type: "array", items: { $ref: "#/components/schemas/Signer" } },
            agreedDigest: { type: "string", description: "SHA-256 of the agreement the plan runs on, as its signatures sealed it" },
            amendmentDigest: { type: "string", description: "SHA-256 of the amendment's proposed agreement" },
            predecessor: {
              type: "object",
              description: "The plan this one follows, and why it ended",
              properties: {
                id: { type: "string" },
                templateId: { type: "string" },
                level: { type: "integer" },
                outcome: { type: "string" },
                outcomeReason: { type: "string" },
              },
            },
            violations: { type: "array" },
            allowed: { type: "object" },
            editScope: { type: "string" },
          },
        },
      },
    },
    paths: {
      "/healthz": { get: { summary: "Liveness and store check", responses: { "200": { description: "Up" } } } },
      "/api/me": { get: op("Who am I", { responses: { "200": json("Person") } }) },
      "/api/caseload": {
        get: op("My caseload: the ECTs my roles cover, highest level first", {
          responses: {
            "200": {
              description: "Rows",
              content: {
                "application/json": {
                  schema: { type: "object", properties: { rows: { type: "array", items: { $ref: "#/components/schemas/CaseloadRow" } } } },
                },
              },
            },
          },
        }),
      },
      "/api/ects/{ectId}": {
        get: op("One ECT: induction timeline and plan history", {
          parameters: [{ name: "ectId", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "The ECT" } },
        }),
      },
      "/api/reference": {
        get: { summary: "Templates, the escalation ladder and the Teachers' Standards", responses: { "200": { description: "Reference data" } } },
      },
      "/api/plans": { post: op("Create a plan from a template", { requestBody: json("CreatePlanInput"), responses: { "201": json("PlanView") } }) },
      "/api/plans/{planId}": {
        get: op("Open a plan", { parameters: planId, responses: { "200": json("PlanView") } }),
        put: op(
          "Save the editor's whole view against the version you read: the running record lands on the plan; a draft's agreement is edited; an agreed plan's changed agreement becomes an amendment",
          {
            parameters: [...planId, ifMatch],
            requestBody: json("EditPlanInput"),
            responses: { "200": json("PlanView") },
          },
        ),
      },
      "/api/plans/{planId}/signature-requests": {
        post: op(
          "Send the plan (or its amendment) for signature: it is then awaiting signatures (n of m), and each signer who has not signed gets a card. Asking again for the same version only reminds them.",
          {
            parameters: planId,
            requestBody: { required: false, ...json("RequestSignaturesInput") },
            responses: {
              "202": {
                description:
                  "The plan as saved, with reminder: true when this was a reminder, and alreadyAskedToday: true when signers were asked or reminded today already, so nothing was sent",
                content: {
                  "application/json": {
                    schema: {
                      allOf: [
                        { $ref: "#/components/schemas/PlanView" },
                        { type: "object", properties: { reminder: { type: "boolean" }, alreadyAskedToday: { type: "boolean" } } },
                      ],
                    },
                  },
                },
              },
            },
          },
        ),
      },
      "/api/plans/{planId}/signers/{role}": {
        put: op(
          "Name who signs in a role: only someone the roster gives that role for this ECT (else 422, signer-not-in-role), never yourself or the ECT's own signature (403)",
          {
            parameters: [...planId, { name: "role", in: "path", required: true, schema: { type: "string" } }, ifMatch],
            requestBody: json("AssignSignerInput"),
            responses: { "200": json("PlanView") },
          },
        ),
      },
      "/api/plans/{planId}/signatures": {
        post: op(
          "Sign the version you read (the plan sent for signature, or its amendment). Recorded as given in the app (method tab), sealed with the SHA-256 of the agreement. 409 with currentRevision when it changed since.",
          { parameters: planId, requestBody: json("SignPlanInput"), responses: { "201": json("PlanView") } },
        ),
      },
      "/api/plans/{planId}/amendment/withdrawal": {
        post: op("Withdraw the proposed amendment: the plan runs on as signed, and signers already asked are told", {
          parameters: [...planId, ifMatch],
          requestBody: { required: false, ...json("WithdrawAmendmentInput") },
          responses: { "200": json("PlanView") },
        }),
      },
      "/api/plans/{planId}/start": { post: op("Start an agreed plan", { parameters: planId, responses: { "200": json("PlanView") } }) },
      "/api/plans/{planId}/comments": {
        post: op("Comment on a plan", { parameters: planId, requestBody: json("AddCommentInput"), responses: { "201": json("PlanView") } }),
      },
      "/api/plans/{planId}/check-ins": {
        post: op("The ECT's weekly comment on progress", {
          parameters: planId,
          requestBody: json("RecordCheckInInput"),
          responses: { "201": json("PlanView") },
        }),
      },
      "/api/plans/{planId}/review": {
        put: op("Record the review", { parameters: [...planId, ifMatch], requestBody: json("RecordReviewInput"), responses: { "200": json("PlanView") } }),
      },
      "/api/plans/{planId}/conclusion": {
        post: op("Conclude the review: on track, continue or escalate", {
          parameters: [...planId, ifMatch],
          requestBody: json("ConcludeReviewInput"),
          responses: { "200": { description: "Closed, with the successor's id" } },
        }),
      },
      "/api/plans/{planId}/escalation": {
        post: op("Escalate to a higher level now", {
          parameters: [...planId, ifMatch],
          requestBody: json("EscalatePlanInput"),
          responses: { "201": { description: "Closed, with the successor's id" } },
        }),
      },
      "/api/plans/{planId}/export.docx": {
        get: op("Download the plan as the school's form (Word)", {
          parameters: planId,
          responses: { "200": { description: "The form", content: { "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {} } } },
        }),
      },
      "/api/plans/{planId}/export.pdf": {
        get: op("Download the plan as the school's form (PDF)", {
          parameters: planId,
          responses: { "200": { description: "The form", content: { "application/pdf": {} } } },
        }),
      },
      "/api/caseload.csv": {
        get: op("The caseload as CSV, for AB officers, heads and induction leads", {
          responses: { "200": { description: "CSV", content: { "text/csv": {} } } },
        }),
      },
      "/api/roster": {
        get: op("The school's roster (induction lead or head; editable) or the ECTs my AB covers (AB officer; read only)", {
          responses: { "200": { description: "People, ECTs, schools, ABs (whether a webhook is set, never its URL)" } },
        }),
      },
      "/api/roster/audit": {
        get: op("Who changed the school's roster (field names only)", {
          responses: {
            "200": {
              description: "Entries, oldest first",
              content: {
                "application/json": {
                  schema: { type: "object", properties: { entries: { type: "array", items: { $ref: "#/components/schemas/DirectoryAuditEntry" } } } },
                },
              },
            },
          },
        }),
      },
      "/api/roster/people/{personId}": {
        put: op("Add or change a person on the school's roster (induction lead or head)", {
          parameters: [{ name: "personId", in: "path", required: true, schema: { type: "string" } }],
          requestBody: json("RosterPersonInput"),
          responses: { "200": { description: "Changed" }, "201": { description: "Added" } },
        }),
      },
      "/api/roster/ects/{ectId}": {
        put: op("Add or change an ECT's induction record: mentor, tutor, AB, start date, FTE (induction lead or head)", {
          parameters: [{ name: "ectId", in: "path", required: true, schema: { type: "string" } }],
          requestBody: json("RosterEctInput"),
          responses: { "200": { description: "Changed" }, "201": { description: "Added" } },
        }),
      },
      "/api/roster/appropriate-bodies/{abId}/link": {
        put: op("Link the school to an appropriate body it works with, or unlink it (induction lead or head; audited)", {
          parameters: [{ name: "abId", in: "path", required: true, schema: { type: "string" } }],
          requestBody: json("AbLinkInput"),
          responses: { "200": { description: "Whether the school is linked to the AB" } },
        }),
      },
      "/api/roster/appropriate-bodies/{abId}/webhook": {
        put: op("Set or remove where this school's alerts for the AB go (a Workflows webhook; https only, per school and AB)", {
          parameters: [{ name: "abId", in: "path", required: true, schema: { type: "string" } }],
          requestBody: json("AbWebhookInput"),
          responses: { "200": { description: "Whether a webhook is set" } },
        }),
      },
      // Issue 7 (records)
      "/api/plans/{planId}/targets/{targetId}/evidence": {
        post: op(
          "Attach evidence to a target: the raw file as the body (PDF, .docx, PNG/JPEG/GIF/WebP, plain text; at most 10 MB; type checked by its bytes), its name in ?filename= or X-File-Name",
          {
            parameters: [
              ...planId,
              { name: "targetId", in: "path", required: true, schema: { type: "string" } },
              { name: "filename", in: "query", required: false, schema: { type: "string" } },
            ],
            responses: { "201": { description: "The evidence record" } },
          },
        ),
        get: op("Evidence on a target", {
          parameters: [...planId, { name: "targetId", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "Evidence records" } },
        }),
      },
      "/api/plans/{planId}/evidence": {
        get: op("Evidence on every target of a plan", { parameters: planId, responses: { "200": { description: "Evidence records" } } }),
      },
      "/api/evidence/{id}": {
        get: op("Download evidence (role-checked, audited)", {
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "The file" } },
        }),
        delete: op("Remove evidence (kept for the record, hidden; audited)", {
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "The record, marked deleted" } },
        }),
      },
      "/api/ects/{ectId}/progress-reviews": {
        post: op("Record a termly progress review (ratings on the AB's scale; statements where needed; targets; on track)", {
          parameters: [{ name: "ectId", in: "path", required: true, schema: { type: "string" } }],
          responses: { "201": { description: "The record" } },
        }),
      },
      "/api/ects/{ectId}/formal-assessments": {
        post: op("Record a formal assessment (head or induction tutor only)", {
          parameters: [{ name: "ectId", in: "path", required: true, schema: { type: "string" } }],
          responses: { "201": { description: "The record" } },
        }),
      },
      "/api/ects/{ectId}/records": {
        get: op("Reviews, assessments (and concerns the caller may see) with the statutory timeline", {
          parameters: [{ name: "ectId", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "Records and events" } },
        }),
      },
      "/api/ects/{ectId}/concerns": {
        post: op("The ECT raises a concern privately (induction tutor first, then the AB)", {
          parameters: [{ name: "ectId", in: "path", required: true, schema: { type: "string" } }],
          responses: { "201": { description: "The concern" } },
        }),
        get: op("Concerns the caller may see, and who to contact", {
          parameters: [{ name: "ectId", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "Concerns" } },
        }),
      },
      "/api/plans/{planId}/capability": {
        put: op("Level 6: record the hand-over to capability procedures", { parameters: [...planId, ifMatch], responses: { "200": json("PlanView") } }),
      },
      "/api/ab/reviews": {
        get: op("AB officers: the latest review or assessment per ECT covered, not on track first", { responses: { "200": { description: "Rows" } } }),
      },
      "/api/ab/reviews.csv": { get: op("The same as CSV", { responses: { "200": { description: "CSV", content: { "text/csv": {} } } } }) },
      "/api/auth/config": {
        get: {
          summary: "How the tab signs in: the Entra client id, tenant and API scope in tenant mode; {mode: local} otherwise",
          responses: { "200": { description: "Sign-in settings" } },
        },
      },
      "/api/plans/{planId}/audit": {
        get: op("The plan's audit trail", {
          parameters: planId,
          responses: {
            "200": {
              description: "Entries, oldest first",
              content: {
                "application/json": {
                  schema: { type: "object", properties: { entries: { type: "array", items: { $ref: "#/components/schemas/AuditEntry" } } } },
                },
              },
            },
          },
        }),
      },
      ...(mode === "local"
        ? {
            "/api/dev/personas": { get: { summary: "Local mode only: demo personas", responses: { "200": { description: "Personas" } } } },
            "/api/dev/sign-in": { post: { summary: "Local mode only: act as a persona", responses: { "200": { description: "A signed local token" } } } },
          }
        : {}),
      "/api/messages": { post: { summary: "Bot Framework endpoint (Teams)", responses: { "200": { description: "Handled" } } } },
    },
  };
}
