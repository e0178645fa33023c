import { daysBetween, openReviewPoints, recordedPoints, termsOf, type Ect } from "@ectsp/shared";
import type { Store } from "../store/store.js";

/** Older misses than about a term are the AB's monitoring, not the tutor's weekly list (as the scheduler's reminders). */
const overdueWindowDays = 120;

export interface OverdueStatutoryReview {
  ectId: string;
  label: string;
  date: string;
}

/**
 * The progress reviews and formal assessments of these ECTs whose date has passed with nothing
 * recorded: what the tutor's weekly digest lists, so an overdue review is reminded once on its own
 * and then only here.
 */
export async function overdueStatutoryReviews(
  store: Pick<Store, "listRecords" | "listSchools">,
  ects: Ect[],
  today: string,
): Promise<OverdueStatutoryReview[]> {
  if (ects.length === 0) return [];
  const [records, schools] = await Promise.all([store.listRecords({ ectIds: ects.map((e) => e.id) }), store.listSchools()]);
  const schoolTerms = new Map(schools.map((s) => [s.id, termsOf(s)]));
  return ects.flatMap((ect) =>
    openReviewPoints(ect, recordedPoints(records.filter((r) => r.ectId === ect.id)), schoolTerms.get(ect.schoolId))
      .filter((e) => {
        const days = daysBetween(today, e.date);
        return days < 0 && days >= -overdueWindowDays;
      })
      .map((e) => ({ ectId: ect.id, label: e.label, date: e.date })),
  );
}
