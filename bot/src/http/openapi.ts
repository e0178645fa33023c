/**
 * The OpenAPI 3.1 document, generated from the API contract (shared/src/api): every route the
 * server registers, its parameters, body and responses, with JSON Schemas straight from the zod
 * schemas the server validates with. Nothing here is written by hand but the wording around it.
 */
import { z } from "zod";
import * as shared from "@ectsp/shared";

const { contract, problemDescriptions, splitRouteKey } = shared.apiContract;
type RouteSpec = shared.apiContract.RouteSpec;

const ref = (id: string) => `#/components/schemas/${id}`;

/** "POST /api/plans/{planId}/signatures" → "postPlansPlanIdSignatures" */
export function operationId(key: string): string {
  const { method, path } = splitRouteKey(key);
  const words = path
    .replace(/^\/api\//, "/")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
}

/** Domain schemas worth a name of their own in the document (they recur across responses). */
const namedOutputs = {
  PlanView: shared.apiContract.PlanViewResponse,
  Plan: shared.Plan,
  Person: shared.Person,
  Ect: shared.Ect,
  CaseloadRow: shared.CaseloadRow,
  AuditEntry: shared.AuditEntry,
  DirectoryAuditEntry: shared.DirectoryAuditEntry,
  Signature: shared.Signature,
  Signer: shared.Signer,
  InductionRecord: shared.InductionRecord,
  ConcernRecord: shared.ConcernRecord,
  AbReviewRow: shared.AbReviewRow,
  RosterView: shared.RosterView,
};

/**
 * Every schema a route names, as components: one registry per direction, because a body is read
 * as zod's input (defaults may be left out) and a response is written as its output. A schema the
 * shared module exports keeps its export name; any other is named after its operation.
 */
function components(routes: [string, RouteSpec][]) {
  const exported = new Map<unknown, string>(
    [...Object.entries(shared), ...Object.entries(shared.apiContract)].flatMap(([name, value]) => (value instanceof z.ZodType ? [[value, name] as const] : [])),
  );
  const inputs = z.registry<{ id: string }>();
  const outputs = z.registry<{ id: string }>();
  for (const [name, schema] of Object.entries(namedOutputs)) outputs.add(schema, { id: name });
  const idOf = (reg: typeof inputs, schema: z.ZodType, fallback: string): string => {
    const known = reg.get(schema)?.id;
    if (known) return known;
    const id = exported.get(schema) ?? fallback;
    reg.add(schema, { id });
    return id;
  };
  outputs.add(shared.apiContract.ProblemResponse, { id: "Problem" });
  const bodyIds = new Map<string, string>();
  const responseIds = new Map<string, string>();
  for (const [key, r] of routes) {
    if (r.body?.schema) bodyIds.set(key, idOf(inputs, r.body.schema, `${operationId(key)}Body`));
    for (const [status, res] of Object.entries(r.responses)) {
      if (res?.schema) responseIds.set(`${key} ${status}`, idOf(outputs, res.schema, `${operationId(key)}${status}`));
    }
  }
  const convert = (reg: typeof inputs, io: "input" | "output") =>
    z.toJSONSchema(reg, { uri: ref, io, unrepresentable: "any", target: "draft-2020-12" }).schemas as Record<string, Record<string, unknown>>;
  const schemas: Record<string, Record<string, unknown>> = {};
  for (const [id, { $schema: _s, $id: _i, ...s }] of [...Object.entries(convert(outputs, "output")), ...Object.entries(convert(inputs, "input"))]) {
    if (schemas[id]) throw new Error(`Two schemas are named ${id} in the API contract`);
    schemas[id] = s;
  }
  return { schemas, bodyIds, responseIds };
}

/** A zod object's fields as OpenAPI parameters (path or query). */
function parameters(schema: z.ZodObject | undefined, where: "path" | "query") {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || (json.required ?? []).includes(name),
    schema: s,
  }));
}

const ifMatchHeader = {
  name: "If-Match",
  in: "header",
  required: false,
  schema: { type: "string" },
  description: 'The ETag of the version you read, e.g. "v3" (or send body.version). If-Match wins.',
};

const problemContent = { "application/problem+json": { schema: { $ref: ref("Problem") } } };

/** The routes a server in this mode registers: the contract, less the demo routes in a tenant. */
export const documentedRoutes = (mode: "local" | "tenant"): [string, RouteSpec][] =>
  (Object.entries(contract) as [string, RouteSpec][]).filter(([, r]) => mode === "local" || !r.localOnly);

export function openApiDocument(publicUrl: string, mode: "local" | "tenant") {
  const routes = documentedRoutes(mode);
  const { schemas, bodyIds, responseIds } = components(routes);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [key, r] of routes) {
    const { method, path } = splitRouteKey(key);
    const responses: Record<string, unknown> = {};
    for (const [status, res] of Object.entries(r.responses)) {
      if (!res) continue;
      const id = responseIds.get(`${key} ${status}`);
      responses[status] = {
        description: res.description,
        ...(id ? { content: { "application/json": { schema: { $ref: ref(id) } } } } : res.contentType ? { content: { [res.contentType]: {} } } : {}),
      };
    }
    for (const status of r.problems) {
      responses[String(status)] = {
        description: problemDescriptions[status],
        ...(status === 503
          ? { headers: { "Retry-After": { description: "Seconds to wait before trying again", schema: { type: "integer", minimum: 1 } } } }
          : {}),
        content: problemContent,
      };
    }
    const bodyId = bodyIds.get(key);
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = {
      operationId: operationId(key),
      summary: r.summary,
      description: `Who may call it: ${r.access}`,
      ...(r.public ? { security: [] } : {}),
      ...(r.params || r.query || r.ifMatch
        ? { parameters: [...parameters(r.params, "path"), ...parameters(r.query, "query"), ...(r.ifMatch ? [ifMatchHeader] : [])] }
        : {}),
      ...(r.body
        ? {
            requestBody: {
              description: r.body.description,
              required: r.body.required,
              content: { [r.body.contentType ?? "application/json"]: bodyId ? { schema: { $ref: ref(bodyId) } } : {} },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "ECT Support Plans API",
      version: "0.1.0",
      description:
        "The API the Teams tab calls, generated from the contract in shared/src/api. Every call is checked against the caller's role for that ECT. Errors are RFC 9457 problem JSON; an invalid request changes nothing. A 503 carries Retry-After.",
    },
    servers: [{ url: publicUrl }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: mode === "tenant" ? "An Entra ID access token for this app (Teams SSO)." : "A local persona token from POST /api/dev/sign-in.",
        },
      },
      schemas,
    },
    paths,
  };
}
