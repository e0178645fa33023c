/**
 * Security (issue 7): request bodies are read only after authentication, only as JSON of at most
 * 256 KB, and never written to disk; an evidence upload is checked before a byte is read, streamed
 * into the data folder within 10 MB and removed on any failure. Each attack checks the refusal and
 * that nothing was kept: no file in the temp folder or the data folder, no plan, evidence or audit row.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";

type Json = Record<string, any>;

let server: RunningServer;
let planId: string;
let targetId: string;
beforeAll(async () => {
  server = await startTestServer();
  const [summary] = await server.store.listPlanSummaries({ ectIds: ["ect-amy"], status: ["active", "agreed"] });
  const plan = await server.store.getPlan(summary!.id);
  planId = plan!.id;
  targetId = plan!.targets[0]!.id;
});
afterAll(async () => {
  await server?.stop();
});

const MB = 1024 * 1024;
const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"), Buffer.alloc(2000, 0x20), Buffer.from("\n%%EOF\n")]);

async function tokenFor(personId: string): Promise<string> {
  const res = await fetch(`${server.url}/api/dev/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ personId }),
  });
  return ((await res.json()) as { token: string }).token;
}

/** Every file under a folder, recursively (directories themselves are not counted). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => statSync(join(dir, f), { throwIfNoEntry: false })?.isFile())
    .map((f) => relative(dir, join(dir, f)))
    .sort();
}

/** Files directly in the temp folder (other tests' servers make folders there, not files). */
const tmpFiles = () =>
  readdirSync(tmpdir())
    .filter((f) => statSync(join(tmpdir(), f), { throwIfNoEntry: false })?.isFile())
    .sort();

/** What could have been kept: files in the temp and data folders, and the rows a request could add. */
async function snapshot() {
  return {
    tmp: tmpFiles(),
    data: filesUnder(server.dataDir),
    plans: await server.store.countPlans(),
    audit: (await server.store.listAudit({ ectId: "ect-amy" })).length + (await server.store.listAudit({ ectId: "ect-farah" })).length,
    evidence: (await server.store.listEvidence({ planId, includeDeleted: true })).length,
  };
}

/** Files written by formidable were new entries in the temp folder; none may appear. */
const newIn = (before: string[], after: string[]) => after.filter((f) => !before.includes(f));

function multipart(fileBytes: number) {
  const boundary = "----ectsp-attack-boundary";
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="ectId"\r\n\r\nect-farah\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="fill.bin"\r\ncontent-type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.alloc(fileBytes, 0x41),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

/**
 * A body that sends `bytes` and then stays open until the request is aborted: a server that
 * waits for the end of the body before answering never answers it.
 */
function endlessBody(first: Buffer, bytes: number) {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent === 0) {
        controller.enqueue(first);
        sent += first.length;
        return;
      }
      if (sent >= bytes) return new Promise<void>(() => undefined); // hold the connection open
      const chunk = Buffer.alloc(Math.min(256 * 1024, bytes - sent), 0x20);
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
}

/** POSTs a streamed body (no content-length); the answer must come within a few seconds. */
async function postStream(path: string, token: string | undefined, body: ReadableStream<Uint8Array>, type: string) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 10_000);
  try {
    const res = await fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { "content-type": type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
      duplex: "half",
      signal: abort.signal,
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get("content-type") ?? "", body: JSON.parse(text) as Json };
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

const evidencePath = () => `/api/plans/${planId}/targets/${targetId}/evidence?filename=notes.pdf`;

/** The upload folder empties once the server has cleaned up after a failure (it does so as it answers or soon after an abort). */
async function settled() {
  for (let i = 0; i < 50 && filesUnder(join(server.dataDir, "uploads")).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
}

describe("request bodies: JSON only, after authentication, within the limit, nothing kept", () => {
  it("(1) answers 401 to a 30 MB multipart POST without a token and keeps no file", async () => {
    const before = await snapshot();
    const { body, type } = multipart(30 * MB);
    const res = await fetch(`${server.url}/api/plans`, { method: "POST", headers: { "content-type": type }, body });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    await res.arrayBuffer();
    const after = await snapshot();
    expect(newIn(before.tmp, after.tmp)).toEqual([]);
    expect({ ...after, tmp: [] }).toEqual({ ...before, tmp: [] });
  });

  it("(2) answers 415 to the same multipart POST with a valid token and keeps no file", async () => {
    const token = await tokenFor(demoIds.tutorA);
    const before = await snapshot();
    const { body, type } = multipart(30 * MB);
    const res = await fetch(`${server.url}/api/plans`, { method: "POST", headers: { "content-type": type, authorization: `Bearer ${token}` }, body });
    expect(res.status).toBe(415);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(((await res.json()) as Json).detail).toMatch(/Send JSON/);
    const after = await snapshot();
    expect(newIn(before.tmp, after.tmp)).toEqual([]);
    expect({ ...after, tmp: [] }).toEqual({ ...before, tmp: [] });
  });

  it("(3) answers 415 to a form-encoded body on a JSON route, and saves nothing", async () => {
    const token = await tokenFor(demoIds.tutorA);
    const before = await snapshot();
    const res = await fetch(`${server.url}/api/plans`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${token}` },
      body: "ectId=ect-farah&templateId=level_2",
    });
    expect(res.status).toBe(415);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const after = await snapshot();
    expect(newIn(before.tmp, after.tmp)).toEqual([]);
    expect({ ...after, tmp: [] }).toEqual({ ...before, tmp: [] });
  });

  it("(4) answers 413 problem JSON to JSON over 256 KB, declared or streamed, and saves nothing", async () => {
    const token = await tokenFor(demoIds.tutorA);
    const before = await snapshot();
    const big = JSON.stringify({ ectId: "ect-farah", templateId: "level_2", content: { statementOfConcern: "x".repeat(300_000) } });
    const declared = await fetch(`${server.url}/api/plans`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(declared.headers.get("content-type")).toContain("application/problem+json");
    expect(((await declared.json()) as Json).detail).toMatch(/256 KB.*Nothing was saved/);

    // Streamed with no length and never ending: refused at the limit, not at the end.
    const streamed = await postStream("/api/plans", token, endlessBody(Buffer.from('{"ectId":"ect-farah","x":"'), 2 * MB), "application/json");
    expect(streamed.status).toBe(413);
    expect(streamed.type).toContain("application/problem+json");
    expect(streamed.body.detail).toMatch(/256 KB/);

    const after = await snapshot();
    expect(newIn(before.tmp, after.tmp)).toEqual([]);
    expect({ ...after, tmp: [] }).toEqual({ ...before, tmp: [] });

    // The server still answers JSON as before.
    const ok = await fetch(`${server.url}/api/caseload`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
  });

  it("keeps the Bot Framework endpoint on JSON within the limit (it is authenticated by botbuilder, not by us)", async () => {
    const before = await snapshot();
    const { body, type } = multipart(30 * MB);
    const multi = await fetch(`${server.url}/api/messages`, { method: "POST", headers: { "content-type": type }, body });
    expect(multi.status).toBe(415);
    await multi.arrayBuffer();
    const huge = await fetch(`${server.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "message", text: "x".repeat(300_000) }),
    });
    expect(huge.status).toBe(413);
    await huge.arrayBuffer();
    const after = await snapshot();
    expect(newIn(before.tmp, after.tmp)).toEqual([]);
    expect({ ...after, tmp: [] }).toEqual({ ...before, tmp: [] });
  });
});

describe("evidence uploads: authorised first, streamed within 10 MB into the data folder, removed on any failure", () => {
  it("(5) answers 401 to an upload without a token and stores nothing", async () => {
    const before = await snapshot();
    const res = await fetch(`${server.url}${evidencePath()}`, { method: "POST", headers: { "content-type": "application/pdf" }, body: pdf });
    expect(res.status).toBe(401);
    // Refused before the body is read: a body that never ends is answered at once too.
    const endless = await postStream(evidencePath(), undefined, endlessBody(pdf, 1 * MB), "application/pdf");
    expect(endless.status).toBe(401);
    await settled();
    const after = await snapshot();
    expect(newIn(before.tmp, after.tmp)).toEqual([]);
    expect({ ...after, tmp: [] }).toEqual({ ...before, tmp: [] });
  });

  it("(6) answers 413 to evidence over 10 MB, declared or streamed, leaving no file in the data folder", async () => {
    const token = await tokenFor(demoIds.tutorA);
    const before = await snapshot();
    const declared = await fetch(`${server.url}${evidencePath()}`, {
      method: "POST",
      headers: { "content-type": "application/pdf", authorization: `Bearer ${token}` },
      body: Buffer.concat([pdf, Buffer.alloc(10 * MB, 0x20)]),
    });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as Json).detail).toContain("10 MB");

    // No length, and the body does not end: the server stops at 10 MB and answers.
    const streamed = await postStream(evidencePath(), token, endlessBody(pdf, 11 * MB), "application/pdf");
    expect(streamed.status).toBe(413);
    expect(streamed.type).toContain("application/problem+json");
    expect(streamed.body.code).toBe("evidence-too-large");
    await settled();
    const after = await snapshot();
    expect(after.data).toEqual(before.data);
    expect(newIn(before.tmp, after.tmp)).toEqual([]);
    expect({ ...after, tmp: [] }).toEqual({ ...before, tmp: [] });
  });

  it("(7) answers 403 to someone who may see the plan but not add evidence, before reading the file", async () => {
    const token = await tokenFor(demoIds.abOfficer);
    // The officer can read the plan…
    expect((await fetch(`${server.url}/api/plans/${planId}/evidence`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const before = await snapshot();
    const res = await fetch(`${server.url}${evidencePath()}`, {
      method: "POST",
      headers: { "content-type": "application/pdf", authorization: `Bearer ${token}` },
      body: pdf,
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    // …and is refused before a byte is read: a body that never ends is answered at once.
    const endless = await postStream(evidencePath(), token, endlessBody(pdf, 1 * MB), "application/pdf");
    expect(endless.status).toBe(403);
    await settled();
    const after = await snapshot();
    expect(after.data).toEqual(before.data);
    expect({ ...after, tmp: [] }).toEqual({ ...before, tmp: [] });
  });

  it("removes the upload when the file is refused by its bytes or the client goes away", async () => {
    const token = await tokenFor(demoIds.tutorA);
    const before = await snapshot();
    const exe = Buffer.concat([Buffer.from("MZ\x90\x00\x03\x00\x00\x00", "latin1"), Buffer.alloc(500, 0)]);
    const renamed = await fetch(`${server.url}${evidencePath()}`, {
      method: "POST",
      headers: { "content-type": "application/pdf", authorization: `Bearer ${token}` },
      body: exe,
    });
    expect(renamed.status).toBe(422);

    // Half a file, then the client gives up.
    const abort = new AbortController();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= 2 * MB) {
          await new Promise((r) => setTimeout(r, 200));
          abort.abort();
          return;
        }
        const chunk = sent === 0 ? pdf : Buffer.alloc(256 * 1024, 0x20);
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    await expect(
      fetch(`${server.url}${evidencePath()}`, {
        method: "POST",
        headers: { "content-type": "application/pdf", authorization: `Bearer ${token}` },
        body,
        duplex: "half",
        signal: abort.signal,
      }),
    ).rejects.toThrow();
    await settled();
    const after = await snapshot();
    expect(filesUnder(join(server.dataDir, "uploads"))).toEqual([]);
    expect(after.data).toEqual(before.data);
    expect({ ...after, tmp: [] }).toEqual({ ...before, tmp: [] });
  });

  it("(8) still takes a good upload: stored once in the evidence folder, nothing left in the upload folder", async () => {
    const token = await tokenFor(demoIds.tutorA);
    const before = await snapshot();
    const res = await fetch(`${server.url}${evidencePath()}`, {
      method: "POST",
      headers: { "content-type": "application/pdf", authorization: `Bearer ${token}` },
      body: pdf,
    });
    expect(res.status).toBe(201);
    const { evidence } = (await res.json()) as Json;
    expect(evidence.kind).toBe("pdf");
    expect(evidence.size).toBe(pdf.length);
    const download = await fetch(`${server.url}/api/evidence/${evidence.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);
    const after = await snapshot();
    expect(after.evidence).toBe(before.evidence + 1);
    expect(newIn(before.data, after.data)).toEqual([join("evidence", evidence.id)].filter((f) => after.data.includes(f)));
    expect(newIn(before.data, after.data)).toHaveLength(1);
    expect(filesUnder(join(server.dataDir, "uploads"))).toEqual([]);
    expect(newIn(before.tmp, after.tmp)).toEqual([]);
  });
});
