import { createReadStream, existsSync, statSync, type Stats } from "node:fs";
import { extname, join, normalize, relative, sep } from "node:path";
import type { Request, Response, Server } from "restify";
import { problem, sendProblem } from "./problem.js";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json",
};

/** The build's precompressed siblings (tab/vite.config.ts), best first: the suffix and its Content-Encoding. */
const encodings = [
  { coding: "br", suffix: ".br" },
  { coding: "gzip", suffix: ".gz" },
] as const;
type Coding = (typeof encodings)[number]["coding"] | "identity";

/** Vite names what it bundles assets/<name>-<8-character hash>.<ext>: a new build is a new name. */
const hashed = /^\/assets\/[^/]+-[A-Za-z0-9_-]{8}\.[A-Za-z0-9]+$/;

/**
 * Any /api/ address no route claims is 404 problem JSON, for every method: never the tab's
 * index.html, and never a 405 that would say the address exists. Registered after the API
 * routes and before the tab, with or without a built tab.
 */
export function registerApiNotFound(server: Server): void {
  const notFound = async (_req: Request, res: Response) => sendProblem(res, problem(404, "Not found", "There is nothing at this address."));
  for (const method of ["get", "head", "post", "put", "patch", "del", "opts"] as const) server[method]("/api/*", notFound);
}

/**
 * The q-value the client gives each coding (RFC 9110 §12.5.3): a coding it does not name gets
 * "*"'s value, or 0; identity is acceptable unless refused by name or by "*".
 */
export function acceptedCodings(header: string | undefined): Record<Coding, number> {
  const named = new Map<string, number>();
  for (const part of (header ?? "").split(",")) {
    const [name, ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    if (!name) continue;
    const q = params.find((p) => p.startsWith("q="));
    const value = q === undefined ? 1 : Number(q.slice(2));
    named.set(name === "x-gzip" ? "gzip" : name, Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 0);
  }
  const star = named.get("*");
  return {
    br: named.get("br") ?? star ?? 0,
    gzip: named.get("gzip") ?? star ?? 0,
    identity: named.get("identity") ?? star ?? 1,
  };
}

/**
 * The representation to send: the build's br or gzip sibling when the client accepts it (the
 * higher q wins, br on a tie), else the file as it is; identity is the fallback even when refused,
 * as a 406 would leave the tab blank.
 */
function pick(file: string, stats: Stats, acceptEncoding: string | undefined): { path: string; size: number; mtimeMs: number; coding: Coding } {
  const q = acceptedCodings(acceptEncoding);
  let best = { path: file, size: stats.size, mtimeMs: stats.mtimeMs, coding: "identity" as Coding };
  let bestQ = 0;
  for (const { coding, suffix } of encodings) {
    if (q[coding] <= bestQ) continue;
    const sibling = statIfFile(file + suffix);
    if (sibling) {
      best = { path: file + suffix, size: sibling.size, mtimeMs: sibling.mtimeMs, coding };
      bestQ = q[coding];
    }
  }
  return best;
}

function statIfFile(path: string): Stats | undefined {
  try {
    const s = statSync(path);
    return s.isFile() ? s : undefined;
  } catch {
    return undefined;
  }
}

/** If-None-Match matches this ETag (weak comparison, as RFC 9110 §13.1.2 asks for GET). */
function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((t) => t.trim() === "*" || bare(t) === bare(etag));
}

/**
 * Serves the built tab. Any path that is not a file of the build gets index.html, so deep links
 * such as /plans/123 open the right view. Each file goes out as the build's Brotli or gzip sibling
 * when the client accepts it (issue 15: nothing is compressed per request). Hashed assets are
 * cached for a year; index.html and anything unhashed are revalidated every time (ETag → 304),
 * so a new release is picked up at once.
 */
export function registerTabStatic(server: Server, distDir: string): boolean {
  const index = join(distDir, "index.html");
  if (!existsSync(index)) return false;
  const root = normalize(distDir + sep);
  const serve = (req: Request, res: Response) => {
    let urlPath: string;
    try {
      urlPath = decodeURIComponent((req.path() || "/").split("?")[0] ?? "/");
    } catch {
      return sendProblem(res, problem(400, "Bad request", "The address is not valid."));
    }
    // The API's address space is never the tab's (registerApiNotFound claims it; this is the backstop).
    if (urlPath === "/api" || urlPath.startsWith("/api/")) return sendProblem(res, problem(404, "Not found", "There is nothing at this address."));
    let file = normalize(join(distDir, urlPath));
    // The compressed siblings are only ever sent as an encoding of their file, never as files of their own.
    const isSibling = encodings.some((e) => file.endsWith(e.suffix));
    let stats = file.startsWith(root) && !isSibling ? statIfFile(file) : undefined;
    if (!stats) {
      file = index;
      stats = statIfFile(index);
      if (!stats) return sendProblem(res, problem(404, "Not found", "There is nothing at this address."));
    }
    // Judged on the file's place in the build, not on how the address spelled it.
    const immutable = file !== index && hashed.test("/" + relative(distDir, file).split(sep).join("/"));
    const chosen = pick(file, stats, req.header("accept-encoding"));
    // One ETag per representation: the br and gzip bytes of a file are different entities.
    const etag = `"${chosen.size.toString(36)}-${Math.floor(chosen.mtimeMs).toString(36)}${chosen.coding === "identity" ? "" : `-${chosen.coding}`}"`;
    const headers: Record<string, string | number> = {
      "content-type": types[extname(file)] ?? "application/octet-stream",
      "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      "x-content-type-options": "nosniff",
      vary: "Accept-Encoding",
      etag,
    };
    if (notModified(req.header("if-none-match"), etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    if (chosen.coding !== "identity") headers["content-encoding"] = chosen.coding;
    headers["content-length"] = chosen.size;
    res.writeHead(200, headers);
    createReadStream(chosen.path)
      // Removed between stat and read (a rebuild): end the response rather than hang it.
      .on("error", () => res.destroy())
      .pipe(res);
  };
  server.get("/*", async (req, res) => {
    serve(req, res);
  });
  return true;
}
