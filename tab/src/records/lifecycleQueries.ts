/**
 * Sign-off, AB return and revision (issue 16) as TanStack Query mutations over the contract's
 * routes (callApi). Each invalidates what it changed: the ECT's records, the caseload and the
 * AB's listing, so every list shows the new state without a reload.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ApiBody, ApiResponse } from "@shared/api/contract";
import { callApi } from "../lib/api";
import { abKeys, caseloadKeys, ectKeys, useCaller } from "../lib/queries";

export type RecordChainView = ApiResponse<"GET /api/ects/{ectId}/records">["chains"][number];
export type ReturnBody = ApiBody<"POST /api/ects/{ectId}/records/{recordId}/returns">;
export type ReviseBody = ApiBody<"POST /api/ects/{ectId}/records/{recordId}/revisions">;

function useChanged(ectId: string) {
  const client = useQueryClient();
  const { who } = useCaller();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ectKeys.records(who, ectId) }),
      client.invalidateQueries({ queryKey: ectKeys.journey(who, ectId) }),
      client.invalidateQueries({ queryKey: caseloadKeys.all(who) }),
      client.invalidateQueries({ queryKey: abKeys.reviews(who) }),
    ]);
}

export function useSignRecord(ectId: string) {
  const { api } = useCaller();
  const changed = useChanged(ectId);
  return useMutation({
    mutationFn: ({ recordId, comments }: { recordId: string; comments?: string }) =>
      callApi(api, "POST /api/ects/{ectId}/records/{recordId}/signatures", { params: { ectId, recordId }, body: comments ? { comments } : {} }),
    onSuccess: changed,
  });
}

export function useReturnRecord(ectId: string) {
  const { api } = useCaller();
  const changed = useChanged(ectId);
  return useMutation({
    mutationFn: ({ recordId, body }: { recordId: string; body: ReturnBody }) =>
      callApi(api, "POST /api/ects/{ectId}/records/{recordId}/returns", { params: { ectId, recordId }, body }),
    onSuccess: changed,
  });
}

export function useReviseRecord(ectId: string) {
  const { api } = useCaller();
  const changed = useChanged(ectId);
  return useMutation({
    mutationFn: ({ recordId, body }: { recordId: string; body: ReviseBody }) =>
      callApi(api, "POST /api/ects/{ectId}/records/{recordId}/revisions", { params: { ectId, recordId }, body }),
    onSuccess: changed,
  });
}
