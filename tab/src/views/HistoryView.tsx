import { useEffect } from "react";
import { Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ApiError } from "../lib/api";
import { Breadcrumb, Refusal, ScrollRegion, refusalTitle } from "../components/Navigation";
import { formatDateTime } from "../lib/format";
import { useAudit, usePlanView } from "../lib/queries";

const actionLabels: Record<string, string> = {
  createPlan: "Started the plan",
  editPlan: "Edited the plan",
  signPlan: "Signed",
  planAgreed: "Plan agreed",
  signaturesVoided: "Signatures voided",
  requestSignatures: "Asked for signatures",
  assignSigner: "Named a signer",
  proposeAmendment: "Proposed an amendment",
  reviseAmendment: "Revised the amendment",
  withdrawAmendment: "Withdrew the amendment",
  amendmentAgreed: "Amendment agreed",
  startPlan: "Started running the plan",
  addComment: "Commented",
  recordCheckIn: "Answered the weekly check-in",
  recordReview: "Recorded the review",
  closePlanOnTrack: "Closed: on track",
  escalatePlan: "Escalated",
  continuePlan: "Continued with a further plan",
};

const useStyles = makeStyles({
  wrap: { backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusLarge, boxShadow: tokens.shadow4, overflowX: "auto" },
  table: { width: "100%", borderCollapse: "collapse" },
  th: {
    textAlign: "left",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke1}`,
    whiteSpace: "nowrap",
  },
  td: { padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`, borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, verticalAlign: "top" },
});

/** The audit trail, readable: who did what and which fields changed (never the content itself). */
export default function HistoryView({ planId }: { planId: string }) {
  const styles = useStyles();
  const audit = useAudit(planId);
  const plan = usePlanView(planId);
  const entries = audit.data?.entries;
  const view = plan.data;
  useEffect(() => {
    if (view) document.title = `History – ${view.ect.name}`;
  }, [view]);
  const error = audit.error ?? plan.error;
  if (error && !(entries && view))
    return <Refusal title={refusalTitle(error instanceof ApiError ? error.status : undefined, "plan's history")}>{error.message}</Refusal>;
  if (!entries || !view) return <Spinner label="Loading the history…" />;
  return (
    <section aria-labelledby="history-title">
      <Breadcrumb trail={[{ href: `/plans/${planId}`, label: view.ect.name }]} current="History" />
      <h1 id="history-title">History of {view.ect.name}'s plan</h1>
      <Text block style={{ marginBottom: 12 }}>
        Every change is recorded: who, when, and which parts of the plan changed. The record never holds the plan's text.
      </Text>
      <ScrollRegion label="Changes to the plan, newest first" className={styles.wrap}>
        <table className={styles.table}>
          <thead>
            <tr>
              <th className={styles.th} scope="col">
                When
              </th>
              <th className={styles.th} scope="col">
                Who
              </th>
              <th className={styles.th} scope="col">
                What
              </th>
              <th className={styles.th} scope="col">
                Details
              </th>
              <th className={styles.th} scope="col">
                Version
              </th>
            </tr>
          </thead>
          <tbody>
            {[...entries].reverse().map((e) => (
              <tr key={e.id}>
                <td className={styles.td} style={{ whiteSpace: "nowrap" }}>
                  {formatDateTime(e.at)}
                </td>
                <td className={styles.td}>{e.actorName}</td>
                <td className={styles.td}>{actionLabels[e.action] ?? e.action}</td>
                <td className={styles.td}>{e.summary}</td>
                <td className={styles.td}>{e.version ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}
