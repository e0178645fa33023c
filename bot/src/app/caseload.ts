import {
  addDays,
  caseloadScopes,
  compareCaseloadRows,
  inductionTimeline,
  missingSigners,
  openReviewPoints,
  recordedPoints,
  planStage,
  schoolDate,
  signatureProgress,
  versionToSign,
  type Actor,
  type AttentionReason,
  type CaseloadRow,
  type CheckIn,
  type Ect,
  type Plan,
  termsOf,
} from "@ectsp/shared";
import type { Store } from "../store/store.js";

/** What a caseload reads: the directory, plan summaries, each ECT's current plan and check-ins, and their reviews (for what is next due). */
export type CaseloadReads = Pick<Store, "listEcts" | "listPlanSummaries" | "getPerson" | "listSchools" | "getPlan" | "listCheckIns" | "listRecords">;

/**
 * A caseload row as the API sends it: the shared row, with the plan's stage as people read it
 * ("Awaiting signatures (1 of 3)") and, while signatures are awaited, how many of how many.
 */
export type CaseloadRowView = Omit<CaseloadRow, "plan" | "attention"> & {
  plan?: NonNullable<CaseloadRow["plan"]> & { stage: string; signatureProgress?: { signed: number; of: number; amendment: boolean } };
  attention: AttentionReason[];
};

/** A review this close counts as due: a week leaves time to book the meeting. */
export const REVIEW_DUE_WITHIN_DAYS = 7;

/**
 * Why a plan needs attention today: check-ins past due and unanswered, a review due within the
 * week or past, each signer not yet signed the version asked for, or a draft never sent.
 */
export function attentionReasons(plan: Plan, open: readonly CheckIn[], nextReviewDate: string | undefined, today: string): AttentionReason[] {
  if (plan.status === "closed") return [];
  const reasons: AttentionReason[] = [];
  const late = open
    .filter((c) => c.dueOn < today)
    .map((c) => c.dueOn)
    .sort();
  if (late[0]) reasons.push({ kind: "check_in_unanswered", since: late[0], count: late.length });
  // A review is due on a plan that runs; before agreement its date is only planned, and once
  // in review the review is being done.
  if ((plan.status === "agreed" || plan.status === "active") && nextReviewDate && nextReviewDate <= addDays(today, REVIEW_DUE_WITHIN_DAYS))
    reasons.push({ kind: "review_due", on: nextReviewDate, overdue: nextReviewDate < today });
  const missing = missingSigners(plan);
  const amendment = !!plan.amendment;
  if (signatureProgress(plan)) {
    const request = plan.signatureRequest?.revision === versionToSign(plan) ? plan.signatureRequest : undefined;
    for (const s of missing)
      reasons.push({
        kind: "awaiting_signature",
        role: s.role,
        amendment,
        ...(request ? { since: schoolDate(request.requestedAt), signBy: request.signBy } : {}),
      });
  } else if (missing.length > 0 && (plan.status === "draft" || amendment)) reasons.push({ kind: "not_sent_for_signature", amendment });
  return reasons;
}

/** ITT provider staff named on a trainee's record: the trainees they sign for, nothing else. */
const namesOnTrainee = (ect: Ect, personId: string) => ect.track === "itt" && Object.values(ect.ittSigners ?? {}).includes(personId);

/** The ECTs an actor's roles cover: their own record, their mentees/tutees, their school, their AB, the trainees naming them. */
export async function ectsInCaseload(store: Pick<Store, "listEcts">, actor: Actor): Promise<Ect[]> {
  const found = new Map<string, Ect>();
  if (actor.roles.includes("itt_staff")) {
    // The roster only names ITT staff of the trainee's own school on their record.
    const trainees = await store.listEcts(actor.schoolId ? { schoolId: actor.schoolId } : {});
    for (const ect of trainees) if (namesOnTrainee(ect, actor.id)) found.set(ect.id, ect);
  }
  for (const scope of caseloadScopes(actor)) {
    const lists =
      scope.kind === "self"
        ? [await store.listEcts({ personId: scope.personId })]
        : scope.kind === "ab"
          ? [await store.listEcts({ abId: scope.abId })]
          : scope.wholeSchool && scope.schoolId
            ? [await store.listEcts({ schoolId: scope.schoolId })]
            : [await store.listEcts({ mentorId: scope.personId }), await store.listEcts({ inductionTutorId: scope.personId })];
    for (const list of lists) for (const ect of list) found.set(ect.id, ect);
  }
  return [...found.values()];
}

/**
 * The caseload an actor sees, one row per ECT with the current plan and why it needs attention,
 * across every school the actor's roles cover (each row names its school). Sorted by
 * compareCaseloadRows: Levels 5 → 2 first, then overdue reviews, then name.
 */
export async function listCaseload(store: CaseloadReads, actor: Actor, today: string): Promise<CaseloadRowView[]> {
  // Issue 15: an ECT whose record at the school has ended is not live caseload (their plans stay readable).
  const ects = (await ectsInCaseload(store, actor)).filter((e) => !e.endedOn);
  if (ects.length === 0) return [];
  const ectIds = ects.map((e) => e.id);
  // Only the people this caseload names: an AB's directory can hold thousands.
  const personIds = [...new Set(ects.flatMap((e) => [e.personId, e.mentorId, e.inductionTutorId]).filter((id): id is string => !!id))];
  const [summaries, people, schools, records] = await Promise.all([
    store.listPlanSummaries({ ectIds }),
    Promise.all(personIds.map((id) => store.getPerson(id))),
    store.listSchools(),
    ectIds.length > 0 ? store.listRecords({ ectIds }) : [],
  ]);
  const names = new Map(people.filter((p) => !!p).map((p) => [p.id, p.displayName]));
  const schoolNames = new Map(schools.map((s) => [s.id, s.name]));
  const schoolTerms = new Map(schools.map((s) => [s.id, termsOf(s)]));
  const byEct = new Map<string, typeof summaries>();
  for (const s of summaries) byEct.set(s.ectId, [...(byEct.get(s.ectId) ?? []), s]);
  const recordsByEct = new Map<string, typeof records>();
  for (const r of records) recordsByEct.set(r.ectId, [...(recordsByEct.get(r.ectId) ?? []), r]);

  // Each ECT's current plan and its open check-ins, loaded together: a remote store batches
  // concurrent reads (SharePoint: up to 20 per $batch) instead of one round trip per ECT.
  const loaded = await Promise.all(
    ects.map(async (ect) => {
      const plans = (byEct.get(ect.id) ?? []).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
      const current = plans.find((p) => p.status !== "closed") ?? plans[0];
      const [full, open] = await Promise.all([
        current ? store.getPlan(current.id) : undefined,
        current && current.status !== "closed" ? store.listCheckIns({ planId: current.id, status: "open" }) : [],
      ]);
      return { ect, plans, full, open };
    }),
  );

  const rows: CaseloadRowView[] = [];
  for (const { ect, plans, full, open } of loaded) {
    const terms = schoolTerms.get(ect.schoolId);
    const timeline = inductionTimeline(ect, today, terms);
    // Next due is the first point without a record, even when it is past: as the AB's list says.
    const next = openReviewPoints(ect, recordedPoints(recordsByEct.get(ect.id) ?? []), terms)[0];
    const progress = full ? signatureProgress(full) : undefined;
    const reviewDates = full ? [full.reviewDate, ...full.targets.map((t) => t.reviewDate), full.endDate].filter((d): d is string => !!d).sort() : [];
    const nextReviewDate = reviewDates.find((d) => d >= today) ?? reviewDates.at(-1);
    rows.push({
      ectId: ect.id,
      ectName: names.get(ect.personId) ?? "Unknown",
      schoolId: ect.schoolId,
      schoolName: schoolNames.get(ect.schoolId) ?? "",
      abId: ect.abId,
      track: ect.track,
      year: timeline.year,
      ...(ect.mentorId && names.get(ect.mentorId) ? { mentorName: names.get(ect.mentorId) } : {}),
      ...(ect.inductionTutorId && names.get(ect.inductionTutorId) ? { inductionTutorName: names.get(ect.inductionTutorId) } : {}),
      ...(next ? { nextStatutoryEvent: { label: next.label, date: next.date } } : {}),
      ...(full
        ? {
            plan: {
              id: full.id,
              templateId: full.templateId,
              ...(full.level !== undefined ? { level: full.level } : {}),
              status: full.status,
              ...(full.startDate ? { startDate: full.startDate } : {}),
              ...(full.endDate ? { endDate: full.endDate } : {}),
              ...(nextReviewDate ? { nextReviewDate } : {}),
              awaitingSignatures: full.status === "closed" ? 0 : missingSigners(full).length,
              overdueCheckIns: open.filter((c) => c.dueOn < today).length,
              stage: planStage(full),
              ...(progress ? { signatureProgress: progress } : {}),
            },
          }
        : {}),
      planCount: plans.length,
      attention: full ? attentionReasons(full, open, nextReviewDate, today) : [],
    });
  }
  return rows.sort(compareCaseloadRows);
}
