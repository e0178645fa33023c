import {
  currentRevisions,
  defaultRatingScale,
  recordChains,
  openReviewPoints,
  recordedPoints,
  reviewedStandards,
  type AbReviewRow,
  type Actor,
  type FormalAssessmentRecord,
  type InductionRecord,
  type ProgressReviewRecord,
  type RatingScale,
  termsOf,
} from "@ectsp/shared";
import type { Store } from "../store/store.js";
import { ectsInCaseload } from "./caseload.js";

/**
 * What the induction-record routes (issue 7) read and write: evidence and records, which the
 * store commits with their audit entries, and the directory the AB's listing names. Plans are
 * not reached this way (PlanService and bot/src/plans do that).
 */
export type InductionRecordStore = Pick<
  Store,
  | "addEvidence"
  | "getEvidence"
  | "listEvidence"
  | "readEvidenceContent"
  | "markEvidenceDeleted"
  | "addRecords"
  | "listRecords"
  | "listEcts"
  | "listSchools"
  | "getPerson"
>;

export type JudgementRecord = ProgressReviewRecord | FormalAssessmentRecord;

const dateOf = (r: JudgementRecord) => (r.kind === "progress_review" ? r.review.date : r.assessment.date);

/** On track: the review's judgement; at a first assessment its judgement; at the final one a satisfactory recommendation. */
export function onTrackOf(r: JudgementRecord): boolean | undefined {
  if (r.kind === "progress_review") return r.review.onTrack;
  if (r.assessment.number === 1) return r.assessment.onTrack;
  return r.assessment.recommendation === undefined ? undefined : r.assessment.recommendation === "satisfactory";
}

/** The lowest rating given to any standard, as the scale labels it. */
export function lowestRating(r: JudgementRecord, scale: RatingScale = defaultRatingScale): string | undefined {
  const ratings = r.kind === "progress_review" ? r.review.ratings : r.assessment.ratings;
  let worst = -1;
  for (const code of reviewedStandards) {
    const i = scale.levels.findIndex((l) => l.id === ratings[code]?.ratingId);
    if (i > worst) worst = i;
  }
  return worst >= 0 ? scale.levels[worst]!.label : undefined;
}

/** "Attention needed; not on track (progress review, 2026-12-10)": the caseload CSV's last rating. */
export function lastRatingText(r: JudgementRecord | undefined): string {
  if (!r) return "";
  const rating = lowestRating(r);
  const track = onTrackOf(r);
  const what = r.kind === "progress_review" ? "progress review" : r.assessment.number === 2 ? "final assessment" : "formal assessment 1";
  const parts = [rating ? `Lowest: ${rating}` : undefined, track === undefined ? undefined : track ? "on track" : "not on track"].filter(Boolean);
  return `${parts.join("; ")} (${what}, ${dateOf(r)})`;
}

/**
 * Each ECT's latest review or assessment, by date then when it was recorded. Only current
 * revisions count: a revision the school replaced after an AB return, and the signature and
 * return records, are not judgements of their own.
 */
export function latestJudgements(records: readonly InductionRecord[]): Map<string, JudgementRecord> {
  const latest = new Map<string, JudgementRecord>();
  for (const r of currentRevisions(records)) {
    const prev = latest.get(r.ectId);
    if (!prev || dateOf(r) > dateOf(prev) || (dateOf(r) === dateOf(prev) && r.recordedAt >= prev.recordedAt)) latest.set(r.ectId, r);
  }
  return latest;
}

/**
 * The AB's view: for every ECT it covers, the latest progress review or formal assessment, with
 * those not on track first, then those with nothing recorded yet, then those on track.
 */
export async function listAbReviews(
  store: Pick<Store, "listEcts" | "listRecords" | "listSchools" | "getPerson">,
  actor: Actor,
  today: string,
): Promise<AbReviewRow[]> {
  const ects = (await ectsInCaseload(store, { ...actor, roles: actor.roles.filter((r) => r === "ab_officer") })).filter((e) => e.abId === actor.abId);
  if (ects.length === 0) return [];
  const [records, schools, people] = await Promise.all([
    store.listRecords({ ectIds: ects.map((e) => e.id) }),
    store.listSchools(),
    Promise.all(ects.map((e) => store.getPerson(e.personId))),
  ]);
  const judgements = currentRevisions(records);
  const latest = latestJudgements(judgements);
  const statusOf = new Map(recordChains(records).map((c) => [c.current.id, c.status]));
  const schoolNames = new Map(schools.map((s) => [s.id, s.name]));
  const schoolTerms = new Map(schools.map((s) => [s.id, termsOf(s)]));
  const rows = ects.map((ect, i): AbReviewRow => {
    const r = latest.get(ect.id);
    // "Next due" is the first point without a record, past or not (issue 16): one that was missed stays due.
    const open = openReviewPoints(ect, recordedPoints(judgements.filter((j) => j.ectId === ect.id)), schoolTerms.get(ect.schoolId));
    const next = open[0];
    return {
      ectId: ect.id,
      ectName: people[i]?.displayName ?? "Unknown",
      schoolId: ect.schoolId,
      schoolName: schoolNames.get(ect.schoolId) ?? "",
      ...(r
        ? {
            latest: {
              id: r.id,
              kind: r.kind,
              label: r.due?.label ?? (r.kind === "progress_review" ? "Progress review" : "Formal assessment"),
              date: dateOf(r),
              ...(onTrackOf(r) !== undefined ? { onTrack: onTrackOf(r) } : {}),
              ...(lowestRating(r) ? { lowestRating: lowestRating(r) } : {}),
              ...(r.kind === "formal_assessment" && r.assessment.recommendation ? { recommendation: r.assessment.recommendation } : {}),
              targets: (r.kind === "progress_review" ? r.review.targets : r.assessment.targets).length,
              recordedByName: r.recordedByName,
              revision: r.revision,
              ...(statusOf.has(r.id) ? { status: statusOf.get(r.id) } : {}),
            },
          }
        : {}),
      ...(next ? { nextDue: { label: next.label, date: next.date } } : {}),
      overdue: open.filter((e) => e.date < today).map((e) => ({ label: e.label, date: e.date })),
    };
  });
  const rank = (r: AbReviewRow) => (r.latest?.onTrack === false ? 0 : !r.latest ? 1 : 2);
  return rows.sort((a, b) => rank(a) - rank(b) || a.ectName.localeCompare(b.ectName) || a.ectId.localeCompare(b.ectId));
}
