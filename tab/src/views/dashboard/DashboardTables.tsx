import { makeStyles, tokens } from "@fluentui/react-components";
import type { AbDashboard } from "@shared/model/abDashboard";
import { days, levelKeys, levelName, outcomeKeys, outcomeWords } from "./labels";

/**
 * The dashboard's text alternatives: each table holds every number its chart draws (and a little
 * more: totals, open plans), in the same words, so nothing is only in the picture.
 */
const useStyles = makeStyles({
  table: { borderCollapse: "collapse", width: "100%" },
  caption: { textAlign: "left", paddingBottom: tokens.spacingVerticalXS, fontWeight: tokens.fontWeightSemibold },
  th: { textAlign: "left", padding: tokens.spacingHorizontalS, borderBottom: `2px solid ${tokens.colorNeutralStroke1}` },
  td: { padding: tokens.spacingHorizontalS, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, textAlign: "right" },
  rowHead: { padding: tokens.spacingHorizontalS, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, textAlign: "left", fontWeight: "normal" },
});

function Table({ caption, columns, rows, testId }: { caption: string; columns: string[]; rows: (string | number)[][]; testId: string }) {
  const styles = useStyles();
  return (
    <table className={styles.table} data-testid={testId}>
      <caption className={styles.caption}>{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c} scope="col" className={styles.th}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map(([head, ...cells], i) => (
          <tr key={i}>
            <th scope="row" className={styles.rowHead}>
              {head}
            </th>
            {cells.map((c, j) => (
              <td key={j} className={styles.td}>
                {c}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function LevelsTable({ data }: { data: AbDashboard["levelsBySchool"] }) {
  return (
    <Table
      testId="levels-table"
      caption="ECTs by the level of their open plan, per school"
      columns={["School", ...levelKeys.map(levelName), "ECTs"]}
      rows={data.map((s) => [s.schoolName, ...levelKeys.map((k) => s.counts[k]), s.ects])}
    />
  );
}

export function TermsTable({ data }: { data: AbDashboard["terms"] }) {
  return (
    <Table
      testId="terms-table"
      caption="Plans opened and closed per school term, closed plans by outcome"
      columns={["Term", "Opened", ...outcomeKeys.map((o) => `Closed: ${outcomeWords[o].toLowerCase()}`), "Closed in all"]}
      rows={data.map((t) => [t.term, t.opened, ...outcomeKeys.map((o) => t.closed[o]), t.closed.total])}
    />
  );
}

export function TimeAtLevelTable({ data }: { data: AbDashboard["timeAtLevel"] }) {
  return (
    <Table
      testId="time-table"
      caption="Time ECTs have spent at each level (open plans counted to today)"
      columns={["Level", "Median per ECT", "Total", "ECTs", "Plans", "Still open"]}
      rows={data.map((l) => [levelName(l.level), days(l.medianDays), days(l.totalDays), l.ects, l.plans, l.open])}
    />
  );
}
