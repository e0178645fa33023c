/**
 * The shape of one entry in the API contract (contract.ts), and the types the tab derives from it.
 * A route is named by its method and OpenAPI path ("GET /api/ects/{ectId}/records"): the name is
 * the runtime address and the type key at once, so the tab needs no copy of the route table.
 */
import type { z } from "zod";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type RouteKey = `${Method} /${string}`;
export type SuccessStatus = 200 | 201 | 202 | 204;

/** The refusals a route can answer, each a problem JSON (ProblemResponse). */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 428 | 503;

export const problemDescriptions: Record<ProblemStatus, string> = {
  400: "Malformed request: a path id, the JSON or a field is not in the right form (violations say which). Nothing was changed.",
  401: "Not signed in, or the sign-in has expired.",
  403: "Your role does not allow this for this ECT (or, in a tenant, your school has not given you a role yet).",
  404: "Not found, or not something you may know exists.",
  409: "Stale version, or not possible in the current state. Nothing was changed.",
  413: "The body is too large. Nothing was saved.",
  415: "Send JSON (content-type application/json) without a content encoding. Nothing was read.",
  422: "It breaks a domain rule (violations say which). Nothing was changed.",
  428: "Send the version you read (If-Match or body.version).",
  503: "Busy: the store asked the app to slow down. Retry-After says when to try again; on a write, `unchanged: true` means nothing was changed and `completing: true` that it will complete without being sent again.",
};

export interface ResponseSpec {
  readonly description: string;
  /** The JSON body; absent for a file (contentType says which). */
  readonly schema?: z.ZodType;
  readonly contentType?: string;
}

export interface RouteSpec {
  readonly summary: string;
  /** Who may call it, in a sentence. */
  readonly access: string;
  /** Answered without signing in. */
  readonly public?: boolean;
  /** Registered in local (demo) mode only. */
  readonly localOnly?: boolean;
  /** Path parameters; their names are the path's {names} (a test checks they agree). */
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  /** Takes the version read as If-Match ("v3"), or as body.version. */
  readonly ifMatch?: boolean;
  readonly body?: {
    readonly description: string;
    readonly required: boolean;
    /** JSON unless said otherwise; a raw file has no schema. */
    readonly schema?: z.ZodType;
    readonly contentType?: string;
  };
  readonly responses: { readonly [S in SuccessStatus]?: ResponseSpec };
  readonly problems: readonly ProblemStatus[];
}

/** "GET /api/me" → { method: "GET", path: "/api/me" } */
export const splitRouteKey = (key: string): { method: Method; path: string } => {
  const space = key.indexOf(" ");
  return { method: key.slice(0, space) as Method, path: key.slice(space + 1) };
};

/** "/api/plans/{planId}" → ["planId"] */
export const pathParamNames = (path: string): string[] => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

// ------------------------------------------------------------------ types derived from a contract

type PathOf<K> = K extends `${Method} ${infer P}` ? P : never;
type ParamNames<P> = P extends `${string}{${infer N}}${infer R}` ? N | ParamNames<R> : never;

/** The path parameters a route's path names, as strings. */
export type PathParamsOf<K> = { [N in ParamNames<PathOf<K>>]: string };

/** What a client sends as a route's JSON body (the schema's input: defaults may be left out). */
export type BodyOf<R> = R extends { body: { schema: infer S extends z.ZodType } } ? z.input<S> : never;

/** What a route answers on success (the schema's output, as the server built it). */
export type ResponseOf<R> = R extends { responses: infer Rs }
  ? { [S in keyof Rs]: S extends SuccessStatus ? (Rs[S] extends { schema: infer Z extends z.ZodType } ? z.output<Z> : never) : never }[keyof Rs]
  : never;
