import { recordChain, type OutboxMessage } from "@ectsp/shared";
import type { Store } from "../store/store.js";
import { recordNoticeCard, recordsLink, type AdaptiveCard, type PlanLinks } from "../cards/index.js";

/**
 * The card for a record_signed / record_returned message (issue 16), built from the record as it
 * stands when sent: nothing is sent once it has moved on (signed, then returned or revised; returned,
 * then revised), so nobody is asked to act on a revision that is no longer current.
 */
export async function recordNoticeFor(
  store: Pick<Store, "getEct" | "getPerson" | "listRecords">,
  links: PlanLinks,
  m: OutboxMessage,
): Promise<AdaptiveCard | undefined> {
  const recordId = typeof m.data.recordId === "string" ? m.data.recordId : undefined;
  const ect = m.ectId ? await store.getEct(m.ectId) : undefined;
  if (!ect || !recordId) return undefined;
  const [person, records] = await Promise.all([store.getPerson(ect.personId), store.listRecords({ ectIds: [ect.id] })]);
  const chain = recordChain(records, recordId);
  if (!chain || chain.current.id !== recordId) return undefined;
  const base = {
    ectName: person?.displayName ?? "An ECT",
    label: chain.current.due?.label ?? (chain.current.kind === "progress_review" ? "Progress review" : "Formal assessment"),
    revision: chain.current.revision,
    url: recordsLink(links, ect.id),
  };
  if (m.kind === "record_signed") return chain.status === "signed" ? recordNoticeCard({ ...base, event: "signed" }) : undefined;
  const back = chain.returns.at(-1);
  if (chain.status !== "returned" || !back) return undefined;
  return recordNoticeCard({
    ...base,
    event: "returned",
    returnedBy: back.recordedByName,
    returnedAt: back.recordedAt,
    reasons: back.reasons,
    comments: back.comments,
  });
}
