import { makeStyles, tokens } from "@fluentui/react-components";
import type { EctJourney, JourneyPlan, JourneyReviewPoint } from "@shared/model/inductionJourney";
import { formatDate } from "../../lib/format";
import { levelName, outcomeWords } from "./labels";

/** The journey's text alternative: the terms, the reviews with each standard's rating, the plans, the extensions. */
const useStyles = makeStyles({
  table: { borderCollapse: "collapse", width: "100%", marginBottom: tokens.spacingVerticalM },
  caption: { textAlign: "left", paddingBottom: tokens.spacingVerticalXS, fontWeight: tokens.fontWeightSemibold },
  th: { textAlign: "left", padding: tokens.spacingHorizontalS, borderBottom: `2px solid ${tokens.colorNeutralStroke1}` },
  td: { padding: tokens.spacingHorizontalS, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, verticalAlign: "top" },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

/** "Level 2 plan from 12 Jan 2026": a row of the chart, short enough to read beside it. */
export const planLabel = (p: JourneyPlan) => `${p.level === undefined ? "Support plan" : `Level ${p.level} plan`} from ${formatDate(p.start)}`;

export function reviewStatusWords(r: JourneyReviewPoint): string {
  if (r.status === "recorded") return r.onTrack === undefined ? "recorded" : r.onTrack ? "recorded: on track" : "recorded: not on track";
  return r.status === "overdue" ? "overdue" : "due";
}

const fte = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, ""));

function Head({ columns }: { columns: string[] }) {
  const styles = useStyles();
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th key={c} scope="col" className={styles.th}>
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}

export function JourneyTables({ journey }: { journey: EctJourney }) {
  const styles = useStyles();
  return (
    <>
      <table className={styles.table} data-testid="journey-terms">
        <caption className={styles.caption}>
          Induction terms ({fte(journey.totalTerms)} FTE terms{journey.fte < 1 ? ` at ${journey.fte} FTE` : ""})
        </caption>
        <Head columns={["Term", "From", "To", "School terms", "FTE terms"]} />
        <tbody>
          {journey.terms.map((t) => (
            <tr key={t.number}>
              <th scope="row" className={styles.td} style={{ fontWeight: "normal" }}>
                Term {t.number}
                {t.extension ? " (extension)" : ""}
              </th>
              <td className={styles.td}>{formatDate(t.start)}</td>
              <td className={styles.td}>{formatDate(t.end)}</td>
              <td className={styles.td}>{t.schoolTerms.join(", ")}</td>
              <td className={styles.td}>{fte(t.fteTerms)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <table className={styles.table} data-testid="journey-reviews">
        <caption className={styles.caption}>Progress reviews and formal assessments, with the ratings per standard</caption>
        <Head columns={["Review or assessment", "Due by", "Held on", "Status", "Ratings"]} />
        <tbody>
          {journey.reviewPoints.map((r, i) => (
            <tr key={`${r.kind}:${r.dueDate ?? r.date}:${i}`}>
              <th scope="row" className={styles.td} style={{ fontWeight: "normal" }}>
                {r.label}
              </th>
              <td className={styles.td}>{r.dueDate ? formatDate(r.dueDate) : "—"}</td>
              <td className={styles.td}>{r.date ? formatDate(r.date) : "—"}</td>
              <td className={styles.td}>
                {reviewStatusWords(r)}
                {r.recommendation ? `; recommendation: ${r.recommendation.replace("_", " ")}` : ""}
                {r.abDecision ? `; AB decision: ${r.abDecision}` : ""}
              </td>
              <td className={styles.td}>
                {r.ratings.length === 0 ? (
                  "—"
                ) : (
                  <ul className={styles.list}>
                    {r.ratings.map((x) => (
                      <li key={x.standard}>
                        {x.title}: <strong>{x.rating}</strong>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <table className={styles.table} data-testid="journey-plans">
        <caption className={styles.caption}>Support plans and their levels</caption>
        <Head columns={["Plan", "From", "To", "How it stands"]} />
        <tbody>
          {journey.plans.length === 0 && (
            <tr>
              <td className={styles.td} colSpan={4}>
                No support plans.
              </td>
            </tr>
          )}
          {journey.plans.map((p) => (
            <tr key={p.id}>
              <th scope="row" className={styles.td} style={{ fontWeight: "normal" }}>
                {p.level === undefined ? "Support plan" : levelName(p.level)}
              </th>
              <td className={styles.td}>{formatDate(p.start)}</td>
              <td className={styles.td}>
                {p.upcoming
                  ? `${formatDate(p.end)} (planned)`
                  : p.open
                    ? `today (planned to end ${p.plannedEnd ? formatDate(p.plannedEnd) : "at its review"})`
                    : formatDate(p.end)}
              </td>
              <td className={styles.td}>
                {p.upcoming
                  ? `Open, starting ${formatDate(p.start)}`
                  : p.open
                    ? "Open"
                    : p.outcome
                      ? `Closed: ${outcomeWords[p.outcome].toLowerCase()}`
                      : "Closed"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {journey.extensions.length > 0 || journey.absenceExtensionDays > 0 ? (
        <ul className={styles.list} data-testid="journey-extensions">
          {journey.extensions.map((e, i) => (
            <li key={i}>
              Extension of {fte(e.terms)} {e.terms === 1 ? "term" : "terms"} ({e.source.replace(/_/g, " ")}, decided {formatDate(e.decidedOn)})
              {e.reason ? `: ${e.reason}` : ""}
            </li>
          ))}
          {journey.absenceExtensionDays > 0 && <li>Absence extends induction by {journey.absenceExtensionDays} days.</li>}
        </ul>
      ) : (
        <p data-testid="journey-extensions">No extensions.</p>
      )}
    </>
  );
}
