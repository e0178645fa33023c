/**
 * The plan's writes as TanStack Query mutations, each over one route of the contract (callApi).
 * A write that answers the plan puts it in the plan's cache entry (the editor and the history show
 * it at once) and invalidates what a plan feeds: the caseload, the ECT's pages, the plan's audit,
 * the dashboard. Loaded with the editor only (the caseload's first load does not need it).
 */
import { useCallback } from "react";
import { useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import type { ApiBody } from "@shared/api/contract";
import { ApiError, callApi, ifMatch } from "./api";
import { abKeys, caseloadKeys, ectKeys, planKeys, useCaller } from "./queries";
import type { PlanContent, PlanView, SignerRole } from "./types";

type Who = string;

/** What a change to one of the ECT's plans shows up in, besides the plan itself. */
export function invalidatePlanFeeds(client: QueryClient, who: Who, plan: { id: string; ectId: string }): Promise<unknown> {
  return Promise.all([
    client.invalidateQueries({ queryKey: caseloadKeys.all(who) }),
    client.invalidateQueries({ queryKey: planKeys.audit(who, plan.id) }),
    // The summary's key is also the prefix of the ECT's concerns, which no plan write changes.
    client.invalidateQueries({ queryKey: ectKeys.summary(who, plan.ectId), exact: true }),
    client.invalidateQueries({ queryKey: ectKeys.records(who, plan.ectId) }),
    client.invalidateQueries({ queryKey: ectKeys.journey(who, plan.ectId) }),
    client.invalidateQueries({ queryKey: abKeys.dashboard(who) }),
  ]);
}

/** After a write that answered the plan: the cache holds it as saved, and what it feeds reads again. */
export function usePlanSaved(): (view: PlanView) => void {
  const client = useQueryClient();
  const { who } = useCaller();
  return useCallback(
    (view: PlanView) => {
      client.setQueryData(planKeys.detail(who, view.plan.id), view);
      // Not awaited: the views that show these are not on screen; they read again when opened.
      void invalidatePlanFeeds(client, who, view.plan);
    },
    [client, who],
  );
}

/**
 * A write against a stale version (409): the cache takes the plan as it is now (the problem's
 * `current`), or reads it again, so the editor shows what the other person saved.
 */
function useStaleWrite(planId: string): (error: unknown) => void {
  const client = useQueryClient();
  const { who } = useCaller();
  return (error) => {
    if (!(error instanceof ApiError) || error.status !== 409) return;
    const key = planKeys.detail(who, planId);
    if (error.problem.current) client.setQueryData(key, error.problem.current);
    else void client.invalidateQueries({ queryKey: key, exact: true });
  };
}

/** One plan write that answers the plan view. */
function usePlanWrite<I, V extends PlanView>(planId: string, write: (input: I) => Promise<V>) {
  const saved = usePlanSaved();
  const stale = useStaleWrite(planId);
  return useMutation({ mutationFn: write, onSuccess: saved, onError: stale });
}

/** Save the editor's content against the version it was written on (If-Match). */
export function useSavePlan(planId: string) {
  const { api } = useCaller();
  return usePlanWrite(planId, ({ content, against }: { content: PlanContent; against: PlanView }) =>
    callApi(api, "PUT /api/plans/{planId}", { params: { planId }, body: { content }, headers: ifMatch(against) }),
  );
}

export function useShareWithMentor(planId: string) {
  const { api } = useCaller();
  return usePlanWrite(planId, ({ shared, against }: { shared: boolean; against: PlanView }) =>
    callApi(api, "PUT /api/plans/{planId}/mentor-access", { params: { planId }, body: { shared }, headers: ifMatch(against) }),
  );
}

export function useRequestSignatures(planId: string) {
  const { api } = useCaller();
  return usePlanWrite(planId, (body: ApiBody<"POST /api/plans/{planId}/signature-requests">) =>
    callApi(api, "POST /api/plans/{planId}/signature-requests", { params: { planId }, body }),
  );
}

export function useNameSigner(planId: string) {
  const { api } = useCaller();
  return usePlanWrite(planId, ({ role, personId, against }: { role: SignerRole; personId: string; against: PlanView }) =>
    callApi(api, "PUT /api/plans/{planId}/signers/{role}", { params: { planId, role }, body: { personId }, headers: ifMatch(against) }),
  );
}

export function useSignPlan(planId: string) {
  const { api } = useCaller();
  return usePlanWrite(planId, (body: ApiBody<"POST /api/plans/{planId}/signatures">) =>
    callApi(api, "POST /api/plans/{planId}/signatures", { params: { planId }, body }),
  );
}

export function useStartPlan(planId: string) {
  const { api } = useCaller();
  return usePlanWrite(planId, () => callApi(api, "POST /api/plans/{planId}/start", { params: { planId } }));
}

export function useWithdrawAmendment(planId: string) {
  const { api } = useCaller();
  return usePlanWrite(planId, (against: PlanView) =>
    callApi(api, "POST /api/plans/{planId}/amendment/withdrawal", {
      params: { planId },
      body: { version: against.plan.version },
      headers: ifMatch(against),
    }),
  );
}

export function useAddComment(planId: string) {
  const { api } = useCaller();
  return usePlanWrite(planId, (body: ApiBody<"POST /api/plans/{planId}/comments">) =>
    callApi(api, "POST /api/plans/{planId}/comments", { params: { planId }, body }),
  );
}

export function useRecordReview(planId: string) {
  const { api } = useCaller();
  return usePlanWrite(planId, ({ review, against }: { review: ApiBody<"PUT /api/plans/{planId}/review">["review"]; against: PlanView }) =>
    callApi(api, "PUT /api/plans/{planId}/review", { params: { planId }, body: { review }, headers: ifMatch(against) }),
  );
}

/**
 * A write that closes the plan (a conclusion, an escalation): it answers the closed plan and its
 * successor's id, not a view, so the plan itself reads again too (the editor shows it closed).
 */
function useClosePlan<I>(plan: { id: string; ectId: string }, write: (input: I) => Promise<{ successorId: string | null }>) {
  const client = useQueryClient();
  const { who } = useCaller();
  const stale = useStaleWrite(plan.id);
  return useMutation({
    mutationFn: write,
    // Settles once the closed plan is read again, so the editor never offers to close it twice.
    onSuccess: () => {
      void invalidatePlanFeeds(client, who, plan);
      return client.invalidateQueries({ queryKey: planKeys.detail(who, plan.id), exact: true });
    },
    onError: stale,
  });
}

export function useConcludeReview(plan: { id: string; ectId: string }) {
  const { api } = useCaller();
  return useClosePlan(plan, ({ against, ...body }: ApiBody<"POST /api/plans/{planId}/conclusion"> & { against: PlanView }) =>
    callApi(api, "POST /api/plans/{planId}/conclusion", { params: { planId: plan.id }, body, headers: ifMatch(against) }),
  );
}

export function useEscalatePlan(plan: { id: string; ectId: string }) {
  const { api } = useCaller();
  return useClosePlan(plan, (body: ApiBody<"POST /api/plans/{planId}/escalation">) =>
    callApi(api, "POST /api/plans/{planId}/escalation", { params: { planId: plan.id }, body }),
  );
}

/** Start a plan for an ECT: the new plan is in the cache before the editor opens it. */
export function useCreatePlan() {
  const { api } = useCaller();
  const saved = usePlanSaved();
  return useMutation({ mutationFn: (body: ApiBody<"POST /api/plans">) => callApi(api, "POST /api/plans", { body }), onSuccess: saved });
}
