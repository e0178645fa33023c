import type { InductionRecord } from "../model/inductionRecords.js";
import type { Ect } from "../model/people.js";
import { relationshipsTo, type Actor } from "../permissions.js";
import { recordChains, type RecordChain } from "../recordLifecycle.js";
import { signerRolesOf } from "./signRecord.js";

/** What the caller may do to a chain now (the tab shows the buttons; the use cases decide again). */
export function mayOnChain(actor: Actor, ect: Ect, chain: RecordChain) {
  const rel = relationshipsTo(actor, ect);
  const returned = chain.status === "returned";
  const writes =
    chain.current.kind === "progress_review"
      ? rel.has("induction_tutor") || rel.has("head") || rel.has("induction_lead")
      : rel.has("induction_tutor") || rel.has("head");
  return {
    signAs: returned ? [] : signerRolesOf(actor, ect).filter((r) => chain.missingSigners.includes(r)),
    return: !returned && rel.has("ab_officer"),
    revise: returned && writes,
  };
}

/** Every review/assessment chain with what the caller may do (the records read, GET /api/ects/{ectId}/records). */
export const chainViewsFor = (actor: Actor, ect: Ect, records: readonly InductionRecord[]) =>
  recordChains(records).map((chain) => ({ ...chain, may: mayOnChain(actor, ect, chain) }));
