import { useState } from "react";
import { Badge, Button, Field, MessageBar, MessageBarBody, MessageBarTitle, Text, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { useApp } from "../AppContext";
import { formatDateTime } from "../lib/format";
import { errorMessage } from "./http";
import { returnReasonLabels, signAsLabel, signerLabel, signerOrder } from "./lifecycleLabels";
import { useSignRecord, type RecordChainView } from "./lifecycleQueries";
import { ReturnRecordDialog } from "./ReturnRecordDialog";

const useStyles = makeStyles({
  box: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, marginTop: tokens.spacingVerticalM },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  actions: { display: "flex", gap: tokens.spacingHorizontalM, flexWrap: "wrap", alignItems: "flex-end" },
});

const statusBadge = (chain: RecordChainView) =>
  chain.status === "signed" ? (
    <Badge appearance="filled" color="success">
      Signed by all
    </Badge>
  ) : chain.status === "returned" ? (
    <Badge appearance="filled" color="warning">
      Returned by the appropriate body
    </Badge>
  ) : (
    <Badge appearance="outline" color="informative">
      Awaiting signatures ({chain.signatures.length} of {chain.signatures.length + chain.missingSigners.length})
    </Badge>
  );

/**
 * The sign-off of one review or assessment (issue 16): its status, who has signed and who still
 * must, a Sign button for a signer still to sign (the ECT may add comments first, SG §2.61), the
 * AB's reasons when it returned it, "Return to school" for the AB's officer and "Revise" for the
 * school once it is returned. The server decides again on every action (chain.may is a hint).
 */
export function RecordSignOff({ ectId, chain, what, onRevise }: { ectId: string; chain: RecordChainView; what: string; onRevise: () => void }) {
  const styles = useStyles();
  const { notify } = useApp();
  const sign = useSignRecord(ectId);
  const [comments, setComments] = useState("");
  const [error, setError] = useState<string>();
  const asEct = chain.may.signAs.includes("ect");
  const lastReturn = chain.status === "returned" ? chain.returns.at(-1) : undefined;

  const doSign = async () => {
    setError(undefined);
    try {
      await sign.mutateAsync({ recordId: chain.current.id, ...(asEct && comments.trim() ? { comments } : {}) });
      notify(`Signed the ${what}`);
      setComments("");
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <section className={styles.box} aria-label={`Sign-off of the ${what}`} data-testid="sign-off">
      <div>
        {statusBadge(chain)}
        {chain.current.revision > 1 && <Text size={200}> · revision {chain.current.revision}</Text>}
      </div>
      <ul className={styles.list} aria-label="Signatures">
        {signerOrder.map((role) => {
          const s = chain.signatures.find((x) => x.role === role);
          return (
            <li key={role}>
              {signerLabel[role]}: {s ? `signed by ${s.name}, ${formatDateTime(s.recordedAt)}` : "not signed yet"}
              {s?.comments ? ` — “${s.comments}”` : ""}
            </li>
          );
        })}
      </ul>
      {lastReturn && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>
              Returned by {lastReturn.recordedByName}, {formatDateTime(lastReturn.recordedAt)}
            </MessageBarTitle>
            {lastReturn.reasons.length > 0 && (
              <ul className={styles.list} aria-label="Reasons">
                {lastReturn.reasons.map((r) => (
                  <li key={r}>{returnReasonLabels[r]}</li>
                ))}
              </ul>
            )}
            <Text block>{lastReturn.comments}</Text>
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.actions}>
        {chain.may.signAs.length > 0 && (
          <>
            {asEct && (
              <Field label="Your comments before you sign (optional)" style={{ minWidth: 320 }}>
                <Textarea rows={2} resize="vertical" value={comments} onChange={(_, d) => setComments(d.value)} />
              </Field>
            )}
            <Button appearance="primary" disabled={sign.isPending} onClick={() => void doSign()}>
              {sign.isPending ? "Signing…" : `Sign as ${chain.may.signAs.map((r) => signAsLabel[r]).join(" and ")}`}
            </Button>
          </>
        )}
        {chain.may.return && <ReturnRecordDialog ectId={ectId} recordId={chain.current.id} what={what} />}
        {chain.may.revise && (
          <Button appearance="primary" onClick={onRevise}>
            Revise
          </Button>
        )}
      </div>
      {error && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
