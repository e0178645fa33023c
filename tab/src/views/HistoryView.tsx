import { useEffect, useState } from "react";
import { Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useApp } from "../AppContext";
import { Link } from "../lib/router";
import { formatDateTime } from "../lib/format";
import type { AuditEntry, PlanView } from "../lib/types";

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
  const { api } = useApp();
  const [entries, setEntries] = useState<AuditEntry[]>();
  const [view, setView] = useState<PlanView>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    Promise.all([
      api.get<{ entries: AuditEntry[] }>(`/api/plans/${encodeURIComponent(planId)}/audit`),
      api.get<PlanView>(`/api/plans/${encodeURIComponent(planId)}`),
    ])
      .then(([a, v]) => {
        setEntries(a.entries);
        setView(v);
        document.title = `History – ${v.ect.name}`;
      })
      .catch((e: Error) => setError(e.message));
  }, [api, planId]);
  if (error) return <Text role="alert">Could not load the history: {error}</Text>;
  if (!entries || !view) return <Spinner label="Loading the history…" />;
  return (
    <section aria-labelledby="history-title">
      <nav aria-label="Breadcrumb" style={{ marginBottom: 8 }}>
        <Link href="/">Caseload</Link> › <Link href={`/plans/${planId}`}>{view.ect.name}</Link> › <span>History</span>
      </nav>
      <h1 id="history-title">History of {view.ect.name}'s plan</h1>
      <Text block style={{ marginBottom: 12 }}>
        Every change is recorded: who, when, and which parts of the plan changed. The record never holds the plan's text.
      </Text>
      <div className={styles.wrap}>
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
      </div>
    </section>
  );
}
