import { useState } from "react";
import { Button, MessageBar, MessageBarBody, MessageBarTitle, Text, makeStyles, tokens } from "@fluentui/react-components";
import { agreedVersion } from "@shared/templates";
import { versionToSign } from "@shared/usecases/signers";
import { useApp } from "../AppContext";
import { useWithdrawAmendment } from "../lib/planWrites";
import { formatDate } from "../lib/format";
import type { PlanView } from "../lib/types";
import { useFormStyles } from "./PlanForm";
import { compareChanges } from "./amendmentView";
import { SignatureRequestControl } from "./SignaturesPanel";

const useStyles = makeStyles({
  table: { width: "100%", borderCollapse: "collapse", marginTop: tokens.spacingVerticalM },
  th: { textAlign: "left", padding: tokens.spacingHorizontalS, borderBottom: `2px solid ${tokens.colorNeutralStroke1}`, verticalAlign: "bottom" },
  td: {
    padding: tokens.spacingHorizontalS,
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    verticalAlign: "top",
    whiteSpace: "pre-wrap",
    overflowWrap: "anywhere",
  },
  agreed: { backgroundColor: tokens.colorNeutralBackground3 },
  proposed: { backgroundColor: tokens.colorPaletteYellowBackground1 },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap", alignItems: "end", marginTop: tokens.spacingVerticalM },
});

/**
 * A proposed change to what was agreed, beside the agreed text: who proposed it and when, how many
 * have signed it, each change with the agreed value and the proposed one. The plan runs on the
 * agreed version meanwhile; the lead asks for signatures on the amendment or withdraws it.
 */
export function AmendmentPanel({ view, dirty, blockers }: { view: PlanView; dirty: boolean; blockers: number }) {
  const formStyles = useFormStyles();
  const styles = useStyles();
  const { notify } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const { plan } = view;
  // The plan without its amendment (or, on a 409, as it is now) goes into its cache entry, which the editor shows.
  const withdrawal = useWithdrawAmendment(plan.id);
  const busy = withdrawal.isPending;
  const amendment = plan.amendment;
  if (!amendment) return null;

  const asked = plan.signatureRequest?.revision === versionToSign(plan);
  // Awaiting signatures once sent (the domain's signatureProgress); before that only proposed.
  const progress = asked
    ? (view.signatureProgress ?? { signed: view.signers.filter((s) => !!s.signature).length, of: view.signers.length, amendment: true })
    : undefined;
  const rows = compareChanges(plan, amendment.content, amendment.changes);

  const withdraw = async () => {
    setError(undefined);
    try {
      await withdrawal.mutateAsync(view);
      notify("Amendment withdrawn: the plan runs on as agreed");
      setConfirming(false);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <section className={formStyles.section} aria-labelledby="sec-amendment" data-testid="amendment" data-section="amendment">
      <h2 id="sec-amendment" className={formStyles.h2}>
        Proposed amendment
      </h2>
      <MessageBar intent="warning" layout="multiline" data-testid="amendment-banner">
        <MessageBarBody>
          <MessageBarTitle>
            Amendment proposed by {amendment.proposedByName} on {formatDate(amendment.proposedAt)}:{" "}
            {progress ? `awaiting signatures (${progress.signed} of ${progress.of})` : "not yet sent for signature"}
          </MessageBarTitle>
          {asked ? "Sent to the signers." : "Ask for signatures when it is ready."} The plan runs on {agreedVersion(plan.revision)} until everyone has signed
          the amendment. Weekly evaluations, the ECT&apos;s comments and outcomes from observations are the running record: they are saved onto the plan as
          before and need no signatures again.
        </MessageBarBody>
      </MessageBar>
      <table className={styles.table} data-testid="amendment-changes">
        <caption style={{ textAlign: "left", fontWeight: 600, paddingTop: 8 }}>
          What the amendment changes ({rows.length} change{rows.length === 1 ? "" : "s"})
        </caption>
        <thead>
          <tr>
            <th className={styles.th} scope="col">
              Change
            </th>
            <th className={styles.th} scope="col">
              Agreed
            </th>
            <th className={styles.th} scope="col">
              Proposed
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.path + r.label} data-path={r.path}>
              <th className={styles.td} scope="row" style={{ fontWeight: 600 }}>
                {r.label}
              </th>
              <td className={`${styles.td} ${styles.agreed}`} data-part="agreed">
                {r.agreed}
              </td>
              <td className={`${styles.td} ${styles.proposed}`} data-part="proposed">
                {r.proposed}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Text block size={200} style={{ marginTop: 6 }}>
        The form below shows the plan with the amendment in place; fields it changes show the agreed text under them.
      </Text>
      {view.allowed.request_signatures && (
        <div className={styles.actions}>
          <SignatureRequestControl view={view} dirty={dirty} blockers={blockers} />
          {!confirming ? (
            <Button disabled={busy || dirty} onClick={() => setConfirming(true)}>
              Withdraw amendment
            </Button>
          ) : (
            <div role="group" aria-label="Withdraw the amendment" style={{ display: "flex", gap: 8, alignItems: "center", flexWrap: "wrap" }}>
              <Text>The proposed changes are discarded and the plan runs on as agreed.</Text>
              <Button appearance="primary" disabled={busy} onClick={() => void withdraw()}>
                Yes, withdraw it
              </Button>
              <Button disabled={busy} onClick={() => setConfirming(false)}>
                Keep it
              </Button>
            </div>
          )}
        </div>
      )}
      {dirty && view.allowed.request_signatures && (
        <Text block size={200} style={{ marginTop: 6 }}>
          Save your changes first.
        </Text>
      )}
      {error && (
        <Text role="alert" className={formStyles.sectionMsg} style={{ marginTop: 8 }}>
          {error}
        </Text>
      )}
    </section>
  );
}
