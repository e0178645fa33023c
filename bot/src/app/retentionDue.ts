/** Issue 16, item 9: what an ECT holds, for retention dates only, and what has passed its date at a school (the job, the card and the lead's list). */
import { assessRetention, openPlanStatuses, termsOf, type EctHoldings, type RetentionDueRow } from "@ectsp/shared";
import type { Store } from "../store/store.js";

/** What each ECT at a school holds, read for dates only; an ECT with an open plan is skipped early (never due). */
export async function schoolHoldings(store: Store, schoolId: string, only?: Set<string>): Promise<Map<string, EctHoldings>> {
  const ects = (await store.listEcts({ schoolId })).filter((e) => !only || only.has(e.id));
  const out = new Map<string, EctHoldings>();
  if (ects.length === 0) return out;
  const ids = ects.map((e) => e.id);
  const [summaries, records, school] = await Promise.all([
    store.listPlanSummaries({ ectIds: ids }),
    store.listRecords({ ectIds: ids }),
    store.getSchool(schoolId),
  ]);
  const terms = termsOf(school);
  for (const ect of ects) {
    const mine = summaries.filter((s) => s.ectId === ect.id);
    const open = mine.filter((s) => openPlanStatuses.includes(s.status));
    // The status is all an open plan needs: it is never due, whatever its dates.
    const plans = open.length
      ? open.map((s) => ({ id: s.id, status: s.status, retainUntil: "9999-12-31", createdAt: s.updatedAt }))
      : (await Promise.all(mine.map((s) => store.getPlan(s.id)))).filter((p) => !!p);
    const [checkIns, evidence] = open.length
      ? [[], []]
      : await Promise.all([store.listCheckIns({ ectId: ect.id }), store.listEvidence({ ectId: ect.id, includeDeleted: true })]);
    out.set(ect.id, { ect, terms, plans, checkIns, evidence, records: records.filter((r) => r.ectId === ect.id) });
  }
  return out;
}

/** The school's ECTs whose whole induction record has passed its date on `today`, with their names. */
export async function retentionDue(store: Store, schoolId: string, today: string): Promise<RetentionDueRow[]> {
  const rows: RetentionDueRow[] = [];
  for (const h of (await schoolHoldings(store, schoolId)).values()) {
    const a = assessRetention(h, today);
    if (!a.due) continue;
    const person = await store.getPerson(h.ect.personId);
    rows.push({ ectId: a.ectId, ectName: person?.displayName ?? "An ECT", retainUntil: a.retainUntil, counts: a.counts, version: a.version });
  }
  return rows.sort((x, y) => x.retainUntil.localeCompare(y.retainUntil) || x.ectName.localeCompare(y.ectName));
}
