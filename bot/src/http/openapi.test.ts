import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { apiContract } from "@ectsp/shared";
import { startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { fakeTenant, tenantEnv } from "../../test-support/entraTestTokens.js";
import { documentedRoutes, openApiDocument } from "./openapi.js";

type Json = Record<string, any>;
const writes = new Set(["post", "put", "patch", "delete"]);
/** The only writes that take no body: the path says it all. */
// Writes that take no body: the action, or the reinstatement, is the whole request.
const bodiless = [
  "DELETE /api/roster/people/{personId}/leaving",
  "DELETE /api/roster/ects/{ectId}/ending",
  "POST /api/plans/{planId}/start",
  "DELETE /api/evidence/{id}",
];

let local: RunningServer;
let tenant: RunningServer;
beforeAll(async () => {
  local = await startTestServer();
  tenant = await startTestServer({ env: { ...tenantEnv }, entraVerifier: (await fakeTenant()).verifier() });
});
afterAll(async () => {
  await local?.stop();
  await tenant?.stop();
});

/** "POST /api/plans/{planId}" for every route restify has, less the catch-alls (unknown /api/ addresses, the tab's files). */
function registeredRoutes(server: RunningServer): string[] {
  const routes = Object.values(server.app.server.router.getRoutes()) as { method: string; path: string }[];
  return routes
    .filter((r) => !r.path.endsWith("*"))
    .map((r) => `${r.method.toUpperCase()} ${r.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`)
    .sort();
}

const operations = (doc: Json) =>
  Object.entries(doc.paths as Json).flatMap(([path, ops]) =>
    Object.entries(ops as Json).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method, op: op as Json })),
  );

describe("the OpenAPI document", () => {
  for (const mode of ["local", "tenant"] as const) {
    it(`is valid OpenAPI 3.1 with no errors (${mode} mode)`, async () => {
      const result = await new Validator().validate(openApiDocument("https://plans.example.org", mode));
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);
    });
  }

  it("is what the server serves, and names each request schema after the shared schema", async () => {
    const res = await fetch(`${local.url}/api/openapi.json`);
    const doc = (await res.json()) as Json;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.schemas.CreatePlanInput.properties.templateId.enum).toContain("level_5");
    expect(doc.paths["/api/plans"].post.requestBody.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/CreatePlanInput" });
  });

  it("describes every response, and the body of every write", () => {
    const doc = openApiDocument("https://plans.example.org", "local");
    const undescribed = operations(doc).flatMap(({ key, op }) =>
      Object.entries(op.responses as Json).flatMap(([s, r]) => (r.description ? [] : [`${key} ${s}`])),
    );
    expect(undescribed).toEqual([]);
    const noBody = operations(doc).flatMap(({ key, method, op }) => (writes.has(method) && !op.requestBody?.description ? [key] : []));
    expect(noBody).toEqual(bodiless);
    // A body the server reads as JSON has a schema; a 503 says when to come back.
    const ops = operations(doc);
    expect(
      ops.filter(({ op }) => op.requestBody?.content["application/json"] && !op.requestBody.content["application/json"].schema?.$ref).map((o) => o.key),
    ).toEqual([]);
    expect(ops.filter(({ op }) => op.responses["503"] && !op.responses["503"].headers?.["Retry-After"]).map((o) => o.key)).toEqual([]);
  });

  it("says who may call each route, and declares exactly the path's parameters", () => {
    for (const [key, r] of documentedRoutes("local")) {
      expect(r.access, key).toMatch(/\w.*\.$/);
      const { path } = apiContract.splitRouteKey(key);
      expect(Object.keys(r.params?.shape ?? {}).sort(), key).toEqual(apiContract.pathParamNames(path).sort());
    }
  });

  // A new route without a contract entry (or an entry for a route that is gone) fails here.
  for (const mode of ["local", "tenant"] as const) {
    it(`lists every route the server registers, and no other (${mode} mode)`, () => {
      const server = mode === "local" ? local : tenant;
      const documented = operations(openApiDocument("https://plans.example.org", mode))
        .map((o) => o.key)
        .sort();
      const registered = registeredRoutes(server);
      expect({ undocumented: registered.filter((k) => !documented.includes(k)), notRegistered: documented.filter((k) => !registered.includes(k)) }).toEqual({
        undocumented: [],
        notRegistered: [],
      });
    });
  }
});
