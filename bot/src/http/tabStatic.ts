import { createReadStream, existsSync, statSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";
import type { Request, Response, Server } from "restify";

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
export function registerTabStatic(server: Server, distDir: string): boolean {
  const index = join(distDir, "index.html");
  if (!existsSync(index)) return false;
  const root = normalize(distDir + sep);
  const serve = (req: Request, res: Response) => {
    const urlPath = decodeURIComponent((req.path() || "/").split("?")[0] ?? "/");
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
