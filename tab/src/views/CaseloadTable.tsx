import { Badge, Button, Text, makeStyles, tokens } from "@fluentui/react-components";
import { templates } from "@shared/templates";
import { Link } from "../lib/router";
import { formatDate } from "../lib/format";
import { rowStage } from "../lib/caseload";
import type { CaseloadRow } from "../lib/types";
import { reasonLines } from "./caseloadReasons";

const useStyles = makeStyles({
  tableWrap: {
    overflowX: "auto",
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
    marginBottom: tokens.spacingVerticalL,
  },
  table: { width: "100%", borderCollapse: "collapse", fontSize: tokens.fontSizeBase300 },
  th: {
    textAlign: "left",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke1}`,
    fontWeight: tokens.fontWeightSemibold,
    whiteSpace: "nowrap",
  },
  td: { padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`, borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, verticalAlign: "top" },
  caption: {
    textAlign: "left",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    fontWeight: tokens.fontWeightSemibold,
    fontSize: tokens.fontSizeBase400,
  },
  sub: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  warn: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  reasons: { margin: 0, paddingLeft: 0, listStyleType: "none" },
  reason: { fontWeight: tokens.fontWeightSemibold },
  // A long stage ("Awaiting signatures (2 of 3)") wraps inside its badge instead of spilling out.
  stage: { height: "auto", minHeight: "20px", whiteSpace: "normal", textAlign: "left", paddingBlock: "1px" },
});

const levelColour = (l: number | undefined): "informative" | "warning" | "danger" | "severe" | "subtle" =>
  l === undefined ? "informative" : l >= 5 ? "danger" : l === 4 ? "severe" : l >= 2 ? "warning" : "informative";

/**
 * What the plan is, beside its level badge: a ladder form's name without its level ("Support
 * plan 1", not "Level 2 – Support plan 1" after a "Level 2" badge, which read the level twice);
 * another form's name as it is.
 */
export function planName(templateId: string, level: number | undefined): string {
  const name = templates.find((t) => t.id === templateId)?.name ?? templateId;
  const prefix = `Level ${level} – `;
  return level !== undefined && name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

interface Props {
  rows: CaseloadRow[];
  caption: string;
  showSchool: boolean;
  canStart: boolean;
  today: string;
  onStart: (row: CaseloadRow) => void;
}

/** The caseload as one table: who, school, plan and level, stage, next review, and why it needs attention. */
export function CaseloadTable({ rows, caption, showSchool, canStart, today, onStart }: Props) {
  const styles = useStyles();
  const headings = ["ECT", ...(showSchool ? ["School"] : []), "Current plan", "Status", "Next review", "Needs attention", ...(canStart ? ["Actions"] : [])];
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table} data-testid="caseload-table">
        <caption className={styles.caption}>
          {caption} ({rows.length})
        </caption>
        <thead>
          <tr>
            {headings.map((h) => (
              <th key={h} className={styles.th} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const p = r.plan;
            const isOpen = p && p.status !== "closed";
            const reasons = reasonLines(r.attention ?? [], today);
            return (
              <tr key={r.ectId} data-ect={r.ectId}>
                <th className={styles.td} scope="row" style={{ fontWeight: "normal" }}>
                  {p ? <Link href={`/plans/${p.id}`}>{r.ectName}</Link> : <Text weight="semibold">{r.ectName}</Text>}
                  <div className={styles.sub}>
                    {r.track === "itt" ? "Trainee" : r.year}
                    {r.inductionTutorName ? ` · IT: ${r.inductionTutorName}` : ""}
                    {r.mentorName ? ` · Mentor: ${r.mentorName}` : ""}
                    {" · "}
                    <Link href={`/ects/${encodeURIComponent(r.ectId)}/records`}>Records</Link>
                  </div>
                </th>
                {showSchool && <td className={styles.td}>{r.schoolName}</td>}
                <td className={styles.td} data-testid="caseload-plan">
                  {p ? (
                    <>
                      {p.level !== undefined && (
                        <Badge appearance="tint" color={levelColour(p.level)} style={{ marginRight: 6 }}>
                          Level {p.level}
                        </Badge>
                      )}{" "}
                      <span>{planName(p.templateId, p.level)}</span>
                    </>
                  ) : (
                    <span className={styles.sub}>No plan</span>
                  )}
                </td>
                <td className={styles.td}>
                  {p ? (
                    <Badge appearance="outline" className={styles.stage} color={p.status === "closed" ? "informative" : "brand"}>
                      {rowStage(p)}
                    </Badge>
                  ) : (
                    "—"
                  )}
                </td>
                <td className={styles.td}>
                  {isOpen && p.nextReviewDate ? (
                    <span className={p.nextReviewDate < today ? styles.warn : undefined}>
                      {formatDate(p.nextReviewDate)}
                      {p.nextReviewDate < today ? " (overdue)" : ""}
                    </span>
                  ) : (
                    "—"
                  )}
                </td>
                <td className={styles.td} data-testid="caseload-reasons">
                  {reasons.length > 0 ? (
                    <ul className={styles.reasons}>
                      {reasons.map((line) => (
                        <li key={line.text} className={line.late ? styles.warn : styles.reason}>
                          {line.text}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    // An older server sends no reasons: say nothing rather than "nothing".
                    <span className={styles.sub}>{r.attention ? "Nothing" : "—"}</span>
                  )}
                </td>
                {canStart && (
                  <td className={styles.td}>
                    {!isOpen && (
                      <Button size="small" onClick={() => onStart(r)} aria-label={`Start a plan for ${r.ectName}`}>
                        Start a plan
                      </Button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
