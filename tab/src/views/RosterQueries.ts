/**
 * The roster's reads and writes (issue 15) as TanStack Query hooks. Every change carries the
 * version the lead read (If-Match "v<n>"); a new record carries If-None-Match: *, so it can never
 * overwrite one someone else added meanwhile. A save invalidates the roster and the caseload.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { RosterEctEndingInput, RosterEctInput, RosterPersonInput, RosterPersonLeavingInput } from "@shared/model/roster";
import { useApp } from "../AppContext";
import { ApiError, callApi } from "../lib/api";
import { caseloadKeys } from "../lib/queries";
import { rawJson } from "../records/http";

export const rosterKeys = { all: (who: string) => [who, "roster"] as const };

export function useRoster() {
  const { api, me } = useApp();
  return useQuery({ queryKey: rosterKeys.all(me.person.id), queryFn: () => callApi(api, "GET /api/roster") });
}

/** Which record a write is about, and the version it was read at (absent: a new record). */
export interface RosterWrite {
  kind: "people" | "ects";
  id: string;
  version?: number;
  /** PUT the record itself, PUT its ending/leaving, or DELETE that (reinstating). */
  action: "save" | "end" | "reinstate";
  body?: RosterPersonInput | RosterEctInput | RosterEctEndingInput | RosterPersonLeavingInput;
}

const condition = (version: number | undefined): Record<string, string> => (version ? { "if-match": `"v${version}"` } : { "if-none-match": "*" });

export function useRosterWrite() {
  const { api, me } = useApp();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ kind, id, version, action, body }: RosterWrite): Promise<unknown> => {
      const headers = condition(version);
      // The contract types each write's body and answer; a reinstatement (DELETE) has no body to type.
      if (action === "save" && kind === "people")
        return callApi(api, "PUT /api/roster/people/{personId}", { params: { personId: id }, body: body as RosterPersonInput, headers });
      if (action === "save") return callApi(api, "PUT /api/roster/ects/{ectId}", { params: { ectId: id }, body: body as RosterEctInput, headers });
      if (action === "end" && kind === "people")
        return callApi(api, "PUT /api/roster/people/{personId}/leaving", { params: { personId: id }, body: body as RosterPersonLeavingInput, headers });
      if (action === "end") return callApi(api, "PUT /api/roster/ects/{ectId}/ending", { params: { ectId: id }, body: body as RosterEctEndingInput, headers });
      const ending = `/api/roster/${kind}/${encodeURIComponent(id)}/${kind === "ects" ? "ending" : "leaving"}`;
      return rawJson(await api.raw("DELETE", ending, undefined, { accept: "application/json", ...headers }));
    },
    // A refusal changed nothing; a save changed the roster and maybe the caseload.
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: rosterKeys.all(me.person.id) }),
        client.invalidateQueries({ queryKey: caseloadKeys.all(me.person.id) }),
      ]);
    },
  });
}

/** Someone else changed the record first: the server's words ("Sam Patel changed this record…"). */
export const isStale = (e: unknown): e is ApiError => e instanceof ApiError && e.status === 409 && typeof e.problem.currentVersion === "number";

/** The server's refusal in words: its detail and each rule broken, once each. */
export const problemText = (e: unknown): string =>
  e instanceof ApiError
    ? [e.message, ...(e.problem.violations ?? []).map((v) => v.message)].filter((x, i, a) => a.indexOf(x) === i).join(" ")
    : e instanceof Error
      ? e.message
      : String(e);
