/**
 * Issue 16, item 8: HR alongside induction for one ECT (seed 003's table with the ECT's terms of
 * induction, the school's probation length and the term marked now). Read by anyone who may read
 * the ECT's induction records; nothing is written.
 */
import {
  forbidden,
  hrAlongsideInduction,
  mayReadInductionRecords,
  notFound,
  probationTermsOf,
  termsOf,
  type Actor,
  type HrAlongsideInduction,
} from "@ectsp/shared";
import type { Store } from "../store/store.js";

export const HR_REFUSAL =
  "You can only see how HR policy runs alongside induction for ECTs you support, your school's ECTs if you lead it, or the ECTs your appropriate body covers.";

export async function loadHrAlongsideInduction(
  store: Pick<Store, "getEct" | "getSchool">,
  actor: Actor,
  ectId: string,
  today: string,
): Promise<HrAlongsideInduction> {
  const ect = await store.getEct(ectId);
  if (!ect) throw notFound("That ECT");
  if (!mayReadInductionRecords(actor, ect)) throw forbidden(HR_REFUSAL);
  const school = await store.getSchool(ect.schoolId);
  return hrAlongsideInduction(ect, probationTermsOf(school), today, termsOf(school));
}
