/**
 * Files in the site's document library through Graph (issue 7: evidence). Small files go up in
 * one PUT …/items/{parent}:/{name}:/content; larger ones through an upload session
 * (createUploadSession, then PUT fragments with Content-Range, each a multiple of 320 KiB, to the
 * pre-authenticated uploadUrl). A download follows the 302 from …/items/{id}/content.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { GraphRequestError } from "./graph.js";

/** Above this, an upload session (Graph recommends sessions above 4 MB). */
export const simpleUploadLimit = 4 * 1024 * 1024;
/** Upload session fragment: 10 × 320 KiB. */
export const fragmentBytes = 10 * 320 * 1024;

interface BinaryResponse {
  status: number;
  headers: Record<string, string>;
  bytes: Buffer;
}

async function raw(
  client: Client,
  method: "GET" | "PUT" | "POST" | "DELETE",
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<BinaryResponse> {
  const req = client
    .api(path)
    .headers(headers)
    .responseType("raw" as never);
  // With responseType raw the Graph client hands back the fetch Response itself.
  const res = (
    method === "GET" ? await req.get() : method === "PUT" ? await req.put(body) : method === "POST" ? await req.post(body ?? {}) : await req.delete()
  ) as Response;
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => (out[k.toLowerCase()] = v));
  return { status: res.status, headers: out, bytes: Buffer.from(await res.arrayBuffer()) };
}

const json = (r: BinaryResponse): Record<string, unknown> => {
  try {
    return JSON.parse(r.bytes.toString("utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
};

function check(r: BinaryResponse, operation: string, allowed: number[] = []): BinaryResponse {
  if ((r.status >= 200 && r.status < 300) || allowed.includes(r.status)) return r;
  const e = (json(r).error ?? {}) as { code?: string; message?: string };
  throw new GraphRequestError(r.status, e.code ?? "unknown", e.message ?? "no message", operation);
}

const encodePath = (p: string) => p.split("/").map(encodeURIComponent).join("/");

/** The site's default document library. */
export async function siteDriveId(client: Client, siteId: string): Promise<string> {
  const r = check(await raw(client, "GET", `/sites/${siteId}/drive`), "Finding the site's document library");
  return String(json(r).id);
}

/** Uploads a new file at `path` (folders below the root); fails if one exists there. Returns the drive item id. */
export async function uploadFile(client: Client, driveId: string, path: string, bytes: Uint8Array): Promise<string> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const base = `/drives/${driveId}/items/root:/${encodePath(path)}:`;
  if (buffer.length <= simpleUploadLimit) {
    const r = check(
      await raw(client, "PUT", `${base}/content?@microsoft.graph.conflictBehavior=fail`, buffer, { "content-type": "application/octet-stream" }),
      "Uploading a file",
    );
    return String(json(r).id);
  }
  const session = json(
    check(await raw(client, "POST", `${base}/createUploadSession`, { item: { "@microsoft.graph.conflictBehavior": "fail" } }), "Starting an upload session"),
  );
  const uploadUrl = String(session.uploadUrl);
  try {
    for (let start = 0; start < buffer.length; start += fragmentBytes) {
      const chunk = buffer.subarray(start, Math.min(buffer.length, start + fragmentBytes));
      const end = start + chunk.length - 1;
      const r = check(
        await raw(client, "PUT", uploadUrl, chunk, { "content-range": `bytes ${start}-${end}/${buffer.length}`, "content-type": "application/octet-stream" }),
        "Uploading a file fragment",
      );
      if (end + 1 === buffer.length) return String(json(r).id);
    }
  } catch (e) {
    // Cancel the session so no partial file lingers.
    await raw(client, "DELETE", uploadUrl).catch(() => undefined);
    throw e;
  }
  throw new Error("Upload session ended without a file");
}

export async function downloadFile(client: Client, driveId: string, itemId: string): Promise<Buffer | undefined> {
  const r = await raw(client, "GET", `/drives/${driveId}/items/${encodeURIComponent(itemId)}/content`);
  if (r.status === 404) return undefined;
  if (r.status === 302 || r.status === 301) {
    const location = r.headers.location;
    if (!location) throw new GraphRequestError(r.status, "noLocation", "A redirect without a location", "Downloading a file");
    return check(await raw(client, "GET", location), "Downloading a file").bytes;
  }
  return check(r, "Downloading a file").bytes;
}

export async function deleteFile(client: Client, driveId: string, itemId: string): Promise<void> {
  check(await raw(client, "DELETE", `/drives/${driveId}/items/${encodeURIComponent(itemId)}`), "Removing a file", [404]);
}
