/**
 * Low-severity findings from an attack on the app, each refused over real HTTP with nothing
 * written: unknown /api/ addresses, dev routes in tenant mode, persona token expiry, 500 bodies,
 * the data folder, control characters in text, and check-in answers for weeks not opened.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import JSZip from "jszip";
import { Document, Packer, Paragraph } from "docx";
import { startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { movableClock, testInstant, type MovableClock } from "../../test-support/movableClock.js";
import { fakeTenant, tenantEnv } from "../../test-support/entraTestTokens.js";
import { LocalConnector } from "../../test-support/localConnector.js";
import { BotClient, executeActions, textOf, type Persona } from "../../test-support/botClient.js";
import { checkInId } from "../scheduler/weeklyScheduler.js";
import { serverFailure } from "./problem.js";
import { LocalIdentity } from "../auth/localIdentity.js";
import { openSqliteStore } from "../store/sqlite/sqliteStore.js";
import { demoIds } from "../demo/demoSchool.js";

type Json = Record<string, any>;

const amy: Persona = { id: "person-ect-amy", name: "Amy Clarke" };

let server: RunningServer;
let clock: MovableClock;
let tabDir: string;

beforeAll(async () => {
  tabDir = mkdtempSync(join(tmpdir(), "ectsp-tab-"));
  writeFileSync(join(tabDir, "index.html"), "<!doctype html><title>tab</title>");
  clock = movableClock(testInstant);
  server = await startTestServer({ clock, env: { TAB_DIST: tabDir } });
});
afterAll(async () => {
  await server?.stop();
  rmSync(tabDir, { recursive: true, force: true });
});

const planOf = async (ectId: string) => {
  const [summary] = await server.store.listPlanSummaries({ ectIds: [ectId], status: ["active"] });
  return (await server.store.getPlan(summary!.id))!;
};

describe("1. unknown /api/ addresses and dev routes", () => {
  it("answers an unknown /api/ address with 404 problem JSON, for any method, and still serves the tab elsewhere", async () => {
    const as = await server.as("person-ect-amy");
    for (const method of ["GET", "POST", "PUT", "DELETE"]) {
      const res = await as("/api/no-such-thing", { method, ...(method === "GET" || method === "DELETE" ? {} : { body: "{}" }) });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(((await res.json()) as Json).title).toBe("Not found");
    }
    const deepLink = await fetch(`${server.url}/plans/123`);
    expect(deepLink.status).toBe(200);
    expect(await deepLink.text()).toContain("<title>tab</title>");
  });

  it("has no /api/dev/* routes in tenant mode (404, not 405 or the tab)", async () => {
    const tenant = await fakeTenant();
    const tenantTab = mkdtempSync(join(tmpdir(), "ectsp-tab-"));
    writeFileSync(join(tenantTab, "index.html"), "<!doctype html><title>tab</title>");
    const t = await startTestServer({ env: { ...tenantEnv, TAB_DIST: tenantTab }, entraVerifier: tenant.verifier() });
    try {
      const personas = await fetch(`${t.url}/api/dev/personas`);
      expect(personas.status).toBe(404);
      expect(personas.headers.get("content-type")).toContain("application/problem+json");
      const signIn = await fetch(`${t.url}/api/dev/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ personId: "person-head" }),
      });
      expect(signIn.status).toBe(404);
      expect(await signIn.text()).not.toContain("token");
    } finally {
      await t.stop();
      rmSync(tenantTab, { recursive: true, force: true });
    }
  });
});

describe("2. local persona tokens expire by the server's clock", () => {
  it("refuses a token 12 hours after it was issued, and a token with no expiry", async () => {
    const as = await server.as("person-ect-amy");
    expect((await as("/api/caseload")).status).toBe(200);
    clock.advance(12 * 3600_000 + 1000);
    try {
      const expired = await as("/api/caseload");
      expect(expired.status).toBe(401);
      expect(expired.headers.get("content-type")).toContain("application/problem+json");
    } finally {
      clock.set(testInstant);
    }
    const key = Buffer.from(readFileSync(join(server.dataDir, "local-identity.key"), "utf8"), "base64");
    const forever = await new SignJWT({ mode: "local" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("person-ect-amy")
      .setIssuedAt(Math.floor(Date.parse(testInstant) / 1000))
      .setIssuer("ect-support-plans/local")
      .setAudience("ect-support-plans/api")
      .sign(key);
    expect((await fetch(`${server.url}/api/caseload`, { headers: { authorization: `Bearer ${forever}` } })).status).toBe(401);
  });
});

describe("3. a 500 says nothing of the error", () => {
  it("answers a generic message and a correlation id that the log line carries, and logs no message", async () => {
    const original = server.store.countPlans.bind(server.store);
    server.store.countPlans = () => Promise.reject(new Error("upstream said: secret plan text"));
    try {
      const res = await fetch(`${server.url}/healthz`);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).not.toContain("secret");
      const body = JSON.parse(text) as Json;
      expect(body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.detail).toContain(body.correlationId);
    } finally {
      server.store.countPlans = original;
    }
    const lines: Json[] = [];
    const capture = { info() {}, warn() {}, error: (message: string, fields?: Json) => lines.push({ message, ...fields }) };
    const p = serverFailure(capture, Object.assign(new Error("secret plan text"), { code: "SQLITE_BUSY" }));
    expect(lines).toEqual([{ message: "request failed", error: "Error", code: "SQLITE_BUSY", correlationId: p.correlationId }]);
    expect(JSON.stringify(p)).not.toContain("secret");
  });
});

describe("4. a data folder the server cannot use", () => {
  it("is refused at start-up with the folder's path and what to do", () => {
    const base = mkdtempSync(join(tmpdir(), "ectsp-dd-"));
    try {
      const file = join(base, "not-a-folder");
      writeFileSync(file, "x");
      const dataDir = join(file, "data");
      expect(() => openSqliteStore(join(dataDir, "db.sqlite"), { clock })).toThrow(new RegExp(`${dataDir}.*DATA_DIR`));
      expect(() => LocalIdentity.open(dataDir, clock)).toThrow(/could not be created.*Set DATA_DIR/);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});

describe("5. control characters in text", () => {
  it("refuses a check-in comment holding NUL with 400 problem JSON and writes nothing", async () => {
    const plan = await planOf("ect-amy");
    const as = await server.as("person-ect-amy");
    const res = await as(`/api/plans/${plan.id}/check-ins`, { method: "POST", body: JSON.stringify({ week: 3, comment: "Fine\u0000week" }) });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const body = (await res.json()) as Json;
    expect(body.violations.map((v: Json) => v.message).join()).toContain("control characters");
    const after = await server.store.getPlan(plan.id);
    expect(after!.version).toBe(plan.version);
    expect(JSON.stringify(after)).not.toContain("\\u0000");
  });
});

describe("6. a .docx is a Word package, not any ZIP naming word/", () => {
  it("accepts a real Word document and refuses a ZIP whose [Content_Types].xml declares no Word main document, writing nothing", async () => {
    const plan = await planOf("ect-amy");
    const targetId = plan.targets[0]!.id;
    const tutor = await server.as(demoIds.tutorA);
    const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    const upload = (name: string, body: Buffer) =>
      tutor(`/api/plans/${plan.id}/targets/${targetId}/evidence?filename=${encodeURIComponent(name)}`, {
        method: "POST",
        body,
        headers: { "content-type": docxType },
      });

    const fake = new JSZip();
    fake.file(
      "[Content_Types].xml",
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
    );
    fake.file("word/document.xml", "<w:document/>");
    const before = (await server.store.listEvidence({ planId: plan.id, includeDeleted: true })).length;
    const refused = await upload("notes.docx", await fake.generateAsync({ type: "nodebuffer", compression: "DEFLATE" }));
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as Json).violations[0].code).toBe("evidence-type-not-allowed");
    expect((await server.store.listEvidence({ planId: plan.id, includeDeleted: true })).length).toBe(before);

    const real = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph("Lesson observation notes")] }] }));
    const accepted = await upload("notes.docx", real);
    expect(accepted.status).toBe(201);
    expect(((await accepted.json()) as Json).evidence.kind).toBe("docx");
  });
});

describe("8. a check-in answer for a week whose check-in has not opened", () => {
  let connector: LocalConnector;
  beforeAll(async () => {
    connector = new LocalConnector();
    await connector.start();
  });
  afterAll(async () => {
    await connector?.stop();
  });

  it("answers with a card that says why, and records nothing", async () => {
    const client = new BotClient({ botUrl: server.url, serviceUrl: connector.url });
    expect((await client.install(amy)).status).toBe(200);
    const plan = await planOf("ect-amy");
    expect(await server.store.getCheckIn(checkInId(plan.id, 5))).toBeUndefined();
    const forged = { ref: { card: "checkIn", planId: plan.id, week: 5, checkInId: checkInId(plan.id, 5) }, comment: "Answered four weeks early" };
    const answered = await client.execute(amy, "checkIn", forged);
    expect(answered.status).toBe(200);
    expect(textOf(answered.card)).toContain("has not opened yet");
    expect(executeActions(answered.card).filter((a) => a.verb === "checkIn")).toEqual([]);
    const after = await server.store.getPlan(plan.id);
    expect(after!.version).toBe(plan.version);
    expect(after!.weeks.find((w) => w.week === 5)?.ectComment ?? "").not.toContain("four weeks early");
    expect(await server.store.getCheckIn(checkInId(plan.id, 5))).toBeUndefined();
  });
});

describe("ids match one pattern everywhere", () => {
  it("refuses a roster id that is a path or carries markup, and writes nothing", async () => {
    const head = await server.as(demoIds.head);
    const before = { people: await server.store.listPeople(), audit: await server.store.listDirectoryAudit({}) };
    for (const id of ["..%2Fperson-head", "person%20head", "%3Cb%3Ex%3C%2Fb%3E", ".hidden"]) {
      const res = await head(`/api/roster/people/${id}`, {
        method: "PUT",
        body: JSON.stringify({ displayName: "X", email: "x@school.example", roles: ["mentor"] }),
      });
      expect(res.status, id).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await head("/api/plans/..%2Fplan")).status).toBe(400);
    expect({ people: await server.store.listPeople(), audit: await server.store.listDirectoryAudit({}) }).toEqual(before);
  });
});
