import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { apiContract } from "@ectsp/shared";
import { startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";

/**
 * The contract's response schemas against what the server really answers on the demo school: a
 * field the contract promises but the server leaves out (or sends in another form) fails here.
 */
let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

type Key = keyof typeof apiContract.contract;
const successSchema = (key: Key): z.ZodType => {
  const responses = apiContract.contract[key].responses as Record<string, { schema?: z.ZodType }>;
  const schema = Object.values(responses)[0]?.schema;
  if (!schema) throw new Error(`${key} answers no JSON`);
  return schema;
};

async function answer(personId: string | undefined, key: Key, params: Record<string, string> = {}): Promise<unknown> {
  const { method, path } = apiContract.splitRouteKey(key);
  const url = path.replace(/\{([^}]+)\}/g, (_, n: string) => encodeURIComponent(params[n]!));
  const res = personId ? await (await server.as(personId))(url, { method }) : await fetch(`${server.url}${url}`, { method });
  expect(res.status, key).toBeLessThan(300);
  return res.json();
}

/** The zod issues, as "path: message", so a failure says which field drifted. */
const issues = (schema: z.ZodType, body: unknown) => {
  const result = schema.safeParse(body);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("the server's answers match the contract", () => {
  it("for the public routes and who am I", async () => {
    for (const key of ["GET /healthz", "GET /api/auth/config", "GET /api/reference", "GET /api/dev/personas"] as const)
      expect(issues(successSchema(key), await answer(undefined, key)), key).toEqual([]);
    expect(issues(successSchema("GET /api/me"), await answer(demoIds.tutorA, "GET /api/me"))).toEqual([]);
  });

  it("for the caseload, a plan, its audit trail and an ECT's records", async () => {
    const caseload = (await answer(demoIds.tutorA, "GET /api/caseload")) as { rows: { ectId: string; plan?: { id: string } }[] };
    expect(issues(successSchema("GET /api/caseload"), caseload)).toEqual([]);
    const withPlan = caseload.rows.find((r) => r.plan)!;
    const planId = withPlan.plan!.id;
    for (const key of ["GET /api/plans/{planId}", "GET /api/plans/{planId}/audit", "GET /api/plans/{planId}/evidence"] as const)
      expect(issues(successSchema(key), await answer(demoIds.tutorA, key, { planId })), key).toEqual([]);
    for (const key of ["GET /api/ects/{ectId}", "GET /api/ects/{ectId}/records", "GET /api/ects/{ectId}/concerns"] as const)
      expect(issues(successSchema(key), await answer(demoIds.tutorA, key, { ectId: withPlan.ectId })), key).toEqual([]);
  });

  it("for the roster and the AB's listing", async () => {
    expect(issues(successSchema("GET /api/roster"), await answer(demoIds.head, "GET /api/roster"))).toEqual([]);
    expect(issues(successSchema("GET /api/roster/audit"), await answer(demoIds.head, "GET /api/roster/audit"))).toEqual([]);
    expect(issues(successSchema("GET /api/ab/reviews"), await answer(demoIds.abOfficer, "GET /api/ab/reviews"))).toEqual([]);
  });
});
