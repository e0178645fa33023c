import { ApiError, retryAfterOf, type Api } from "../lib/api";
import type { Problem } from "../lib/types";

/** A raw request's answer as JSON, or an ApiError carrying the server's problem JSON (its `detail`). */
export async function rawJson<T>(res: Response): Promise<T> {
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const problem = (json as Problem | undefined) ?? { title: res.statusText || `Request failed (${res.status})` };
    throw new ApiError(res.status, problem, retryAfterOf(res, problem));
  }
  return json as T;
}

export const apiDelete = async <T>(api: Api, path: string): Promise<T> => rawJson<T>(await api.raw("DELETE", path, undefined, { accept: "application/json" }));

export async function uploadFile<T>(api: Api, path: string, file: File): Promise<T> {
  const sep = path.includes("?") ? "&" : "?";
  const res = await api.raw("POST", `${path}${sep}filename=${encodeURIComponent(file.name)}`, file, {
    accept: "application/json",
    "content-type": file.type || "application/octet-stream",
  });
  return rawJson<T>(res);
}

/** Fetches a signed-in download and hands it to the browser as a file with that name. */
export async function downloadFile(api: Api, path: string, fileName: string): Promise<void> {
  const res = await api.raw("GET", path);
  if (!res.ok) await rawJson(res); // throws the problem
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const errorMessage = (e: unknown) => (e instanceof Error ? e.message : String(e));
