import {
  abDashboard,
  ectJourney,
  forbidden,
  mayReadInductionRecords,
  notFound,
  planClosedOn,
  type AbDashboard,
  type Actor,
  type DashboardPlan,
  type EctJourney,
  type PlanSummary,
  type TemplateId,
  termsOf,
} from "@ectsp/shared";
import type { Store } from "../store/store.js";

/**
 * The AB dashboard and an ECT's induction journey (issue 15): the store is read here, the
 * pictures' facts are worked out by the pure functions in shared (abDashboard.ts, inductionJourney.ts).
 */
export type DashboardReads = Pick<Store, "listEcts" | "listPlanSummaries" | "getPlan" | "listSchools" | "getEct" | "getPerson" | "listRecords">;

export const DASHBOARD_REFUSAL = "Only appropriate body officers, and induction leads and heads for their own school, can see the dashboard.";
export const JOURNEY_REFUSAL =
  "You can only see the induction journey of ECTs you support, your school's ECTs if you lead it, or the ECTs your appropriate body covers.";

/** Whose ECTs the dashboard covers: an AB officer's AB; otherwise an induction lead's or head's school. */
export function dashboardScope(actor: Actor): { scope: AbDashboard["scope"]; filter: { abId: string } | { schoolId: string } } | undefined {
  if (actor.roles.includes("ab_officer") && actor.abId) return { scope: "appropriate_body", filter: { abId: actor.abId } };
  if ((actor.roles.includes("induction_lead") || actor.roles.includes("head")) && actor.schoolId)
    return { scope: "school", filter: { schoolId: actor.schoolId } };
  return undefined;
}

/**
 * The plans as the dashboard reads them. Summaries carry what an open plan needs; a closed one is
 * read in full for its review's date (concurrent reads: a remote store batches them).
 */
async function dashboardPlans(
  store: DashboardReads,
  summaries: readonly PlanSummary[],
): Promise<(DashboardPlan & { templateId: TemplateId; endDate?: string })[]> {
  return Promise.all(
    summaries.map(async (s) => {
      const full = s.status === "closed" ? await store.getPlan(s.id) : undefined;
      const closedOn = full ? planClosedOn(full) : undefined;
      return {
        id: s.id,
        ectId: s.ectId,
        templateId: s.templateId,
        status: s.status,
        ...(s.level !== undefined ? { level: s.level } : {}),
        ...(s.outcome ? { outcome: s.outcome } : {}),
        ...(s.startDate ? { startDate: s.startDate } : {}),
        ...(s.endDate ? { endDate: s.endDate } : {}),
        ...(closedOn ? { closedOn } : {}),
      };
    }),
  );
}

export async function loadAbDashboard(store: DashboardReads, actor: Actor, today: string): Promise<AbDashboard> {
  const scope = dashboardScope(actor);
  if (!scope) throw forbidden(DASHBOARD_REFUSAL);
  const ects = await store.listEcts(scope.filter);
  const [summaries, schools] = await Promise.all([ects.length ? store.listPlanSummaries({ ectIds: ects.map((e) => e.id) }) : [], store.listSchools()]);
  const plans = await dashboardPlans(store, summaries);
  return abDashboard({ today, scope: scope.scope, ects, schools: schools.map((s) => ({ id: s.id, name: s.name })), plans });
}

/** The journey, for anyone who may read the ECT's induction records (recordAccess.ts); concerns are never part of it. */
export async function loadEctJourney(store: DashboardReads, actor: Actor, ectId: string, today: string): Promise<EctJourney> {
  const ect = await store.getEct(ectId);
  if (!ect) throw notFound("That ECT");
  if (!mayReadInductionRecords(actor, ect)) throw forbidden(JOURNEY_REFUSAL);
  const [person, schools, summaries, records] = await Promise.all([
    store.getPerson(ect.personId),
    store.listSchools(),
    store.listPlanSummaries({ ectIds: [ect.id] }),
    store.listRecords({ ectIds: [ect.id] }),
  ]);
  const school = schools.find((s) => s.id === ect.schoolId);
  return ectJourney({
    ect,
    ectName: person?.displayName ?? "Unknown",
    schoolName: school?.name ?? "",
    terms: termsOf(school),
    plans: await dashboardPlans(store, summaries),
    records: records.filter((r) => r.kind !== "concern"),
    today,
  });
}
