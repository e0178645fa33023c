import { useEffect, useMemo } from "react";
import { Badge, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useApp } from "../AppContext";
import { Link } from "../lib/router";
import { ScrollRegion } from "../components/Navigation";
import { formatDate, todayIso } from "../lib/format";
import { downloadFile, errorMessage } from "../records/http";
import { ratingLabel } from "../records/scale";
import type { CaseloadRow } from "../lib/types";
import { useAbReviews, useCaseload } from "../lib/queries";
import { planName } from "./CaseloadTable";

const useStyles = makeStyles({
  head: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalL, marginBottom: tokens.spacingVerticalM },
  h1: { margin: 0, fontSize: tokens.fontSizeBase600 },
  table: { borderCollapse: "collapse", width: "100%", backgroundColor: tokens.colorNeutralBackground1 },
  th: { textAlign: "left", padding: tokens.spacingHorizontalS, borderBottom: `2px solid ${tokens.colorNeutralStroke1}` },
  td: { padding: tokens.spacingHorizontalS, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, verticalAlign: "top" },
  overdue: { color: tokens.colorPaletteRedForeground1 },
});

/** "Level 4 – Cause for concern", the form's name off the ladder, or "No open plan". */
function levelInWords(r: CaseloadRow): string {
  const p = r.plan;
  if (!p || p.status === "closed") return "No open plan";
  const name = planName(p.templateId, p.level);
  return p.level === undefined ? name : `Level ${p.level} – ${name}`;
}

const signOffStatus = { awaiting_signatures: "awaiting signatures", signed: "signed by all", returned: "returned to the school" } as const;

/** The appropriate body's listing: every ECT it covers, latest review or assessment, not on track first. */
export default function AbReviewsView() {
  const styles = useStyles();
  const { api, notify } = useApp();
  const reviews = useAbReviews();
  const rows = reviews.data?.rows;
  // Each ECT's level comes from the caseload (the same rows, the same order of seriousness);
  // if it cannot be read the list still shows, with the level unknown rather than wrong.
  const caseload = useCaseload();
  const levels = useMemo(() => new Map(caseload.data?.rows.map((r) => [r.ectId, levelInWords(r)])), [caseload.data]);
  useEffect(() => {
    document.title = "Progress reviews – appropriate body";
  }, []);
  if (reviews.error && !rows) return <Text role="alert">Could not load the reviews: {errorMessage(reviews.error)}</Text>;
  if (!rows) return <Spinner label="Loading the reviews…" />;
  const csv = "/api/ab/reviews.csv";
  return (
    <article aria-labelledby="ab-title">
      <div className={styles.head}>
        <h1 id="ab-title" className={styles.h1}>
          Progress reviews
        </h1>
        <span style={{ flexGrow: 1 }} />
        <a
          href={csv}
          download={`progress-reviews-${todayIso()}.csv`}
          onClick={(e) => {
            e.preventDefault();
            downloadFile(api, csv, `progress-reviews-${todayIso()}.csv`).catch((err: unknown) =>
              notify(`Could not download the CSV: ${errorMessage(err)}`, "error"),
            );
          }}
        >
          Download as CSV
        </a>
      </div>
      <Text block style={{ marginBottom: 12 }}>
        ECTs not on track come first, then those with nothing recorded yet.
      </Text>
      <ScrollRegion label="Progress reviews, one row per ECT">
        <table className={styles.table} data-testid="ab-reviews">
          <thead>
            <tr>
              {["ECT", "School", "Level", "Latest record", "On track", "Lowest rating", "Targets", "Next due", "Overdue"].map((h) => (
                <th key={h} className={styles.th} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.ectId} data-ect={r.ectId}>
                <th className={styles.td} scope="row" style={{ textAlign: "left", fontWeight: "normal" }}>
                  <Link href={`/ects/${encodeURIComponent(r.ectId)}/records`}>{r.ectName}</Link>
                </th>
                <td className={styles.td}>{r.schoolName}</td>
                <td className={styles.td} data-testid="ab-review-level">
                  {levels.get(r.ectId) ?? "—"}
                </td>
                <td className={styles.td}>
                  {r.latest ? `${r.latest.label} · ${formatDate(r.latest.date)} (by ${r.latest.recordedByName})` : "None recorded"}
                  {/* Issue 16: where its sign-off stands (the current revision only). */}
                  {r.latest?.status && (
                    <span>
                      {" "}
                      · {signOffStatus[r.latest.status]}
                      {(r.latest.revision ?? 1) > 1 ? `, revision ${r.latest.revision}` : ""}
                    </span>
                  )}
                </td>
                <td className={styles.td}>
                  {r.latest?.onTrack === undefined ? (
                    "—"
                  ) : r.latest.onTrack ? (
                    <Badge appearance="filled" color="success">
                      Yes
                    </Badge>
                  ) : (
                    <Badge appearance="filled" color="danger">
                      No
                    </Badge>
                  )}
                </td>
                <td className={styles.td}>{r.latest?.lowestRating ? ratingLabel(r.latest.lowestRating) : "—"}</td>
                <td className={styles.td}>{r.latest ? r.latest.targets : "—"}</td>
                <td className={styles.td}>{r.nextDue ? `${r.nextDue.label} · ${formatDate(r.nextDue.date)}` : "—"}</td>
                <td className={styles.td}>
                  {r.overdue.length ? <span className={styles.overdue}>{r.overdue.map((o) => `${o.label} (${formatDate(o.date)})`).join("; ")}</span> : "None"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {rows.length === 0 && <Text>No ECTs yet.</Text>}
    </article>
  );
}
