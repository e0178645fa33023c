import { createReadStream, existsSync, statSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";
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

/**
 * Serves the built tab. Any path that is not a file gets index.html, so deep links such as
 * /plans/123 open the right view. Hashed assets are cached for a year; index.html never.
 */
/**
 * Any /api/ address no route claims is 404 problem JSON, for every method: never the tab's
 * index.html, and never a 405 that would say the address exists. Registered after the API
 * routes and before the tab, with or without a built tab.
 */
export function registerApiNotFound(server: Server): void {
  const notFound = async (_req: Request, res: Response) => sendProblem(res, problem(404, "Not found", "There is nothing at this address."));
  for (const method of ["get", "head", "post", "put", "patch", "del", "opts"] as const) server[method]("/api/*", notFound);
}

export function registerTabStatic(server: Server, distDir: string): boolean {
  const index = join(distDir, "index.html");
  if (!existsSync(index)) return false;
  const root = normalize(distDir + sep);
  const serve = (req: Request, res: Response) => {
    const urlPath = decodeURIComponent((req.path() || "/").split("?")[0] ?? "/");
    // The API's address space is never the tab's (registerApiNotFound claims it; this is the backstop).
    if (urlPath === "/api" || urlPath.startsWith("/api/")) return sendProblem(res, problem(404, "Not found", "There is nothing at this address."));
    let file = normalize(join(distDir, urlPath));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) file = index;
    const isIndex = file === index;
    res.writeHead(200, {
      "content-type": types[extname(file)] ?? "application/octet-stream",
      "cache-control": isIndex ? "no-cache" : "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
    });
    createReadStream(file).pipe(res);
  };
  server.get("/*", async (req, res) => serve(req, res));
  return true;
}
