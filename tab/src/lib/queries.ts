/**
 * The tab's reads and writes as TanStack Query hooks, each over one route of the contract
 * (callApi). Keys start with the signed-in person, so switching persona never shows the last
 * person's data; a save invalidates what it changed, so lists show it without a reload.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ApiBody, ApiResponse } from "@shared/api/contract";
import { useApp } from "../AppContext";
import { callApi, fillPath } from "./api";
import { apiDelete, uploadFile } from "../records/http";

type Who = string;

export const caseloadKeys = { all: (who: Who) => [who, "caseload"] as const };
export const planKeys = {
  all: (who: Who) => [who, "plans"] as const,
  detail: (who: Who, planId: string) => [who, "plans", planId] as const,
  audit: (who: Who, planId: string) => [who, "plans", planId, "audit"] as const,
  /** Evidence on one target, or (no target) on the whole plan. */
  evidence: (who: Who, planId: string, targetId?: string) => [who, "plans", planId, "evidence", ...(targetId ? [targetId] : [])] as const,
};
export const ectKeys = {
  summary: (who: Who, ectId: string) => [who, "ects", ectId] as const,
  records: (who: Who, ectId: string) => [who, "ects", ectId, "records"] as const,
  concerns: (who: Who, ectId: string) => [who, "ects", ectId, "concerns"] as const,
  journey: (who: Who, ectId: string) => [who, "ects", ectId, "journey"] as const,
};
export const abKeys = {
  reviews: (who: Who) => [who, "ab", "reviews"] as const,
  /** The dashboard's figures (an AB officer's, or a lead's for their school). */
  dashboard: (who: Who) => [who, "ab", "dashboard"] as const,
};
/** The same for everyone (public reference data). */
export const referenceKeys = { all: ["reference"] as const };

/** The api and the signed-in person's id, which every key starts with. */
export function useCaller() {
  const { api, me } = useApp();
  return { api, who: me.person.id };
}

export function useCaseload() {
  const { api, who } = useCaller();
  // Every write in the tab invalidates it (plan writes: usePlanSaved), so a visit within the
  // minute shows the cache; others' changes show within a minute or on the next save.
  return useQuery({ queryKey: caseloadKeys.all(who), queryFn: () => callApi(api, "GET /api/caseload"), staleTime: 60_000 });
}

/** A plan as the server shows it to me; none when `planId` is undefined (a plan that has no successor yet). */
export function usePlanView(planId: string | undefined) {
  const { api, who } = useCaller();
  return useQuery({
    queryKey: planKeys.detail(who, planId ?? ""),
    queryFn: () => callApi(api, "GET /api/plans/{planId}", { params: { planId: planId ?? "" } }),
    enabled: planId !== undefined,
    // Opening a plan always asks the server (someone may have saved it); the cache shows it meanwhile.
    staleTime: 0,
  });
}

export function useAudit(planId: string) {
  const { api, who } = useCaller();
  return useQuery({ queryKey: planKeys.audit(who, planId), queryFn: () => callApi(api, "GET /api/plans/{planId}/audit", { params: { planId } }) });
}

export function useEctSummary(ectId: string) {
  const { api, who } = useCaller();
  return useQuery({ queryKey: ectKeys.summary(who, ectId), queryFn: () => callApi(api, "GET /api/ects/{ectId}", { params: { ectId } }) });
}

export function useRecords(ectId: string) {
  const { api, who } = useCaller();
  return useQuery({ queryKey: ectKeys.records(who, ectId), queryFn: () => callApi(api, "GET /api/ects/{ectId}/records", { params: { ectId } }) });
}

export function useConcerns(ectId: string) {
  const { api, who } = useCaller();
  return useQuery({ queryKey: ectKeys.concerns(who, ectId), queryFn: () => callApi(api, "GET /api/ects/{ectId}/concerns", { params: { ectId } }) });
}

export function useEctJourney(ectId: string) {
  const { api, who } = useCaller();
  return useQuery({ queryKey: ectKeys.journey(who, ectId), queryFn: () => callApi(api, "GET /api/ects/{ectId}/journey", { params: { ectId } }) });
}

export function useAbDashboard() {
  const { api, who } = useCaller();
  return useQuery({ queryKey: abKeys.dashboard(who), queryFn: () => callApi(api, "GET /api/ab/dashboard") });
}

export function useAbReviews() {
  const { api, who } = useCaller();
  return useQuery({ queryKey: abKeys.reviews(who), queryFn: () => callApi(api, "GET /api/ab/reviews") });
}

/** The Teachers' Standards headings (public, and the same for an hour). */
export function useStandards() {
  const { api } = useCaller();
  return useQuery({
    queryKey: referenceKeys.all,
    queryFn: () => callApi(api, "GET /api/reference"),
    select: (r) => r.standards,
    staleTime: 60 * 60 * 1000,
  });
}

/** After a review or assessment: the ECT's records, the caseload and the AB's listing show it. */
function useRecordSaved(ectId: string) {
  const client = useQueryClient();
  const { who } = useCaller();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ectKeys.records(who, ectId) }),
      client.invalidateQueries({ queryKey: caseloadKeys.all(who) }),
      client.invalidateQueries({ queryKey: abKeys.reviews(who) }),
    ]);
}

export function useRecordProgressReview(ectId: string) {
  const { api } = useCaller();
  const saved = useRecordSaved(ectId);
  return useMutation({
    mutationFn: (body: ApiBody<"POST /api/ects/{ectId}/progress-reviews">) =>
      callApi(api, "POST /api/ects/{ectId}/progress-reviews", { params: { ectId }, body }),
    onSuccess: saved,
  });
}

export function useRecordFormalAssessment(ectId: string) {
  const { api } = useCaller();
  const saved = useRecordSaved(ectId);
  return useMutation({
    mutationFn: (body: ApiBody<"POST /api/ects/{ectId}/formal-assessments">) =>
      callApi(api, "POST /api/ects/{ectId}/formal-assessments", { params: { ectId }, body }),
    onSuccess: saved,
  });
}

export function useRaiseConcern(ectId: string) {
  const { api, who } = useCaller();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ApiBody<"POST /api/ects/{ectId}/concerns">) => callApi(api, "POST /api/ects/{ectId}/concerns", { params: { ectId }, body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ectKeys.concerns(who, ectId) }),
  });
}

export function useEvidence(planId: string, targetId: string) {
  const { api, who } = useCaller();
  return useQuery({
    queryKey: planKeys.evidence(who, planId, targetId),
    queryFn: () => callApi(api, "GET /api/plans/{planId}/targets/{targetId}/evidence", { params: { planId, targetId } }),
  });
}

/** After a file is added or removed: every evidence list of the plan (its targets' and the whole plan's). */
function useEvidenceChanged(planId: string) {
  const client = useQueryClient();
  const { who } = useCaller();
  return () => client.invalidateQueries({ queryKey: planKeys.evidence(who, planId) });
}

export function useUploadEvidence(planId: string, targetId: string) {
  const { api } = useCaller();
  const changed = useEvidenceChanged(planId);
  const route = "/api/plans/{planId}/targets/{targetId}/evidence";
  return useMutation({
    mutationFn: (file: File) => uploadFile<ApiResponse<`POST ${typeof route}`>>(api, fillPath(route, { planId, targetId }), file),
    onSuccess: changed,
  });
}

export function useRemoveEvidence(planId: string) {
  const { api } = useCaller();
  const changed = useEvidenceChanged(planId);
  return useMutation({
    mutationFn: (id: string) => apiDelete<ApiResponse<"DELETE /api/evidence/{id}">>(api, fillPath("/api/evidence/{id}", { id })),
    onSuccess: changed,
  });
}
