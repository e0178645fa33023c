import { Text, makeStyles, tokens } from "@fluentui/react-components";
import { formatDate, formatDateTime } from "../lib/format";
import { returnReasonLabels, signAsLabel } from "./lifecycleLabels";
import type { RecordChainView } from "./lifecycleQueries";

const useStyles = makeStyles({
  history: { marginTop: tokens.spacingVerticalM, borderTop: `1px solid ${tokens.colorNeutralStroke2}`, paddingTop: tokens.spacingVerticalS },
  list: { margin: `${tokens.spacingVerticalXS} 0`, paddingLeft: tokens.spacingHorizontalXL },
});

type Revision = RecordChainView["earlier"][number];
const dateOf = (r: Revision) => (r.kind === "progress_review" ? r.review.date : r.assessment.date);
const targetsOf = (r: Revision) => (r.kind === "progress_review" ? r.review.targets : r.assessment.targets);

/**
 * The history of a review or assessment the AB returned: each earlier revision with its date, who
 * recorded it, who had signed it, and who returned it and why. Nothing in it is current: the
 * revision above is the one that counts (and needs its own signatures).
 */
export function RecordHistory({ chain }: { chain: RecordChainView }) {
  const styles = useStyles();
  if (chain.earlier.length === 0) return null;
  return (
    <details className={styles.history} data-testid="record-history">
      <summary>
        History: {chain.earlier.length} earlier revision{chain.earlier.length === 1 ? "" : "s"}
      </summary>
      <ol className={styles.list}>
        {chain.earlier.map((r) => {
          const signed = chain.earlierSignatures.filter((s) => s.recordId === r.id);
          const returns = chain.returns.filter((x) => x.recordId === r.id);
          return (
            <li key={r.id} data-testid="earlier-revision">
              <Text weight="semibold" block>
                Revision {r.revision} · dated {formatDate(dateOf(r))} · recorded by {r.recordedByName}, {formatDateTime(r.recordedAt)}
              </Text>
              <Text block>{signed.length === 0 ? "Not signed." : `Signed by ${signed.map((s) => `${s.name} (${signAsLabel[s.role]})`).join(", ")}.`}</Text>
              {returns.map((x) => (
                <div key={x.id}>
                  <Text block>
                    Returned by {x.recordedByName}, {formatDateTime(x.recordedAt)}
                    {x.reasons.length > 0 ? `: ${x.reasons.map((reason) => returnReasonLabels[reason]).join("; ")}` : ""}
                  </Text>
                  <Text block italic>
                    “{x.comments}”
                  </Text>
                </div>
              ))}
              <Text block>Targets then:</Text>
              <ol className={styles.list}>
                {targetsOf(r).map((t, i) => (
                  <li key={i}>{t.text}</li>
                ))}
              </ol>
            </li>
          );
        })}
      </ol>
    </details>
  );
}
