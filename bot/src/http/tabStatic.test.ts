/**
 * Issue 15: the tab's files go out as the build's precompressed siblings (br > gzip > identity, as
 * the client accepts), hashed assets cached for a year, index.html revalidated (ETag → 304), and
 * nothing outside the build (nor a sibling by its own name) is ever served.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import { startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { acceptedCodings } from "./tabStatic.js";

let server: RunningServer;
let base: string;
const html = `<!doctype html><title>tab</title><script type="module" src="/assets/index-AbC_12-z.js"></script>${"<!-- padding -->".repeat(20)}`;
const js = `export const greeting = ${JSON.stringify("hello ".repeat(500))};\n`;
const svg = `<svg xmlns="http://www.w3.org/2000/svg">${"<g/>".repeat(100)}</svg>`;

/** What the build writes (tab/vite.config.ts): the file and its .br and .gz. */
function writeWithSiblings(path: string, text: string): void {
  writeFileSync(path, text);
  writeFileSync(`${path}.br`, brotliCompressSync(text));
  writeFileSync(`${path}.gz`, gzipSync(text, { level: 9 }));
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), "ectsp-tabstatic-"));
  const dist = join(base, "dist");
  mkdirSync(join(dist, "assets"), { recursive: true });
  writeWithSiblings(join(dist, "index.html"), html);
  writeWithSiblings(join(dist, "assets/index-AbC_12-z.js"), js);
  writeWithSiblings(join(dist, "logo.svg"), svg);
  // Too small to be worth compressing: the build writes no siblings.
  writeFileSync(join(dist, "assets/tiny-Zz9_Yy8x.js"), "export{};");
  writeFileSync(join(base, "package.json"), '{"secret":"outside the build"}');
  server = await startTestServer({ env: { TAB_DIST: dist } });
});
afterAll(async () => {
  await server?.stop();
  rmSync(base, { recursive: true, force: true });
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw GET (fetch would decode the body and choose Accept-Encoding itself); the path is sent as written. */
function get(path: string, headers: Record<string, string> = {}): Promise<Raw> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("compressed tab assets", () => {
  it("sends a hashed asset Brotli-encoded to a client that accepts br, cached for a year, decoding to the file", async () => {
    const res = await get("/assets/index-AbC_12-z.js", { "accept-encoding": "gzip, deflate, br" });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(res.headers["vary"]).toBe("Accept-Encoding");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(Number(res.headers["content-length"])).toBe(res.body.length);
    expect(res.body.length).toBeLessThan(js.length);
    expect(brotliDecompressSync(res.body).toString()).toBe(js);
  });

  it("sends gzip when only gzip is accepted, or br is refused with q=0", async () => {
    for (const accept of ["gzip", "br;q=0, gzip", "x-gzip", "gzip;q=1, br;q=0.5"]) {
      const res = await get("/assets/index-AbC_12-z.js", { "accept-encoding": accept });
      expect(res.headers["content-encoding"], accept).toBe("gzip");
      expect(Number(res.headers["content-length"])).toBe(res.body.length);
      expect(gunzipSync(res.body).toString()).toBe(js);
    }
  });

  it("sends the file as it is when no coding it has is accepted", async () => {
    for (const accept of [undefined, "br;q=0", "deflate", "identity", "br;q=0, gzip;q=0"]) {
      const res = await get("/assets/index-AbC_12-z.js", accept === undefined ? {} : { "accept-encoding": accept });
      expect(res.headers["content-encoding"], String(accept)).toBeUndefined();
      expect(res.headers["vary"]).toBe("Accept-Encoding");
      expect(res.headers["content-length"]).toBe(String(Buffer.byteLength(js)));
      expect(res.body.toString()).toBe(js);
    }
  });

  it("sends a file the build left uncompressed as it is, still cached for a year", async () => {
    const res = await get("/assets/tiny-Zz9_Yy8x.js", { "accept-encoding": "br, gzip" });
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(res.body.toString()).toBe("export{};");
  });

  it("sends index.html, deep links and unhashed files no-cache, compressed too", async () => {
    for (const path of ["/", "/index.html", "/plans/123"]) {
      const res = await get(path, { "accept-encoding": "br, gzip" });
      expect(res.status, path).toBe(200);
      expect(res.headers["cache-control"]).toBe("no-cache");
      expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(res.headers["content-encoding"]).toBe("br");
      expect(res.headers["vary"]).toBe("Accept-Encoding");
      expect(brotliDecompressSync(res.body).toString()).toBe(html);
    }
    const logo = await get("/logo.svg", { "accept-encoding": "gzip" });
    expect(logo.headers["cache-control"]).toBe("no-cache");
    expect(logo.headers["content-type"]).toBe("image/svg+xml");
    expect(gunzipSync(logo.body).toString()).toBe(svg);
  });

  it("answers If-None-Match with 304 for the same representation, and 200 for another encoding", async () => {
    const first = await get("/", { "accept-encoding": "br" });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^".+"$/);
    const again = await get("/", { "accept-encoding": "br", "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers["cache-control"]).toBe("no-cache");
    expect(again.headers.etag).toBe(etag);
    expect((await get("/", { "accept-encoding": "br", "if-none-match": `W/${etag}, "other"` })).status).toBe(304);
    const gzip = await get("/", { "accept-encoding": "gzip", "if-none-match": etag });
    expect(gzip.status).toBe(200);
    expect(gzip.headers.etag).not.toBe(etag);
    expect((await get("/", { "if-none-match": '"stale"' })).status).toBe(200);
  });
});

describe("refused paths", () => {
  it("never serves a file outside the build, however the path is spelled: index.html instead", async () => {
    for (const path of [
      "/assets/../../package.json",
      "/../package.json",
      "/assets/%2e%2e/%2e%2e/package.json",
      "/assets/..%2f..%2fpackage.json",
      "/%2e%2e%2fpackage.json",
      "/assets/%2E%2E%2F%2E%2E%2Fpackage.json",
      "/assets/..%5c..%5cpackage.json",
      "/assets/%00../package.json",
    ]) {
      const res = await get(path);
      expect(res.body.toString(), path).not.toContain("secret");
      // Either the SPA fallback (index.html, as for any path that is not a file of the build) or a 4xx.
      const outcome =
        res.status === 200
          ? `index ${String(res.headers["content-type"])} ${String(res.headers["cache-control"])}`
          : `refused ${Math.floor(res.status / 100)}xx`;
      expect(["index text/html; charset=utf-8 no-cache", "refused 4xx"], path).toContain(outcome);
    }
  });

  it("never serves a compressed sibling by its own name", async () => {
    for (const path of ["/assets/index-AbC_12-z.js.br", "/assets/index-AbC_12-z.js.gz", "/index.html.br", "/assets/index-AbC_12-z.js%2ebr"]) {
      const res = await get(path, { "accept-encoding": "br, gzip" });
      expect(res.status, path).toBe(200);
      expect(res.headers["content-type"], path).toBe("text/html; charset=utf-8");
      expect(res.headers["cache-control"], path).toBe("no-cache");
      expect(brotliDecompressSync(res.body).toString(), path).toBe(html);
    }
  });

  it("refuses a malformed percent-encoding, and answers /api/ addresses with problem JSON, never the tab", async () => {
    const bad = await get("/assets/%E0%A4%A.js");
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    expect(bad.body.toString()).not.toContain("secret");
    // Signed out, so the API's 401 (hardening.test.ts has the signed-in 404): never the tab.
    const api = await get("/api/no-such-thing", { "accept-encoding": "br" });
    expect([401, 404]).toContain(api.status);
    expect(api.headers["content-type"]).toContain("application/problem+json");
  });
});

describe("acceptedCodings", () => {
  it("reads q-values, * and refusals as RFC 9110 says", () => {
    expect(acceptedCodings("br, gzip")).toEqual({ br: 1, gzip: 1, identity: 1 });
    expect(acceptedCodings("gzip;q=0.8, *;q=0.1")).toEqual({ br: 0.1, gzip: 0.8, identity: 0.1 });
    expect(acceptedCodings("*;q=0")).toEqual({ br: 0, gzip: 0, identity: 0 });
    expect(acceptedCodings("BR; Q=0.5")).toEqual({ br: 0.5, gzip: 0, identity: 1 });
    expect(acceptedCodings("br;q=nonsense")).toEqual({ br: 0, gzip: 0, identity: 1 });
    expect(acceptedCodings(undefined)).toEqual({ br: 0, gzip: 0, identity: 1 });
  });
});
