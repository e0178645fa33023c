import { useState, type ReactNode } from "react";
import { Button, Text, makeStyles, tokens, useId } from "@fluentui/react-components";

const useStyles = makeStyles({
  section: {
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingHorizontalL,
    marginBottom: tokens.spacingVerticalL,
  },
  h2: { fontSize: tokens.fontSizeBase500, margin: `0 0 ${tokens.spacingVerticalXS}` },
  summary: { color: tokens.colorNeutralForeground2, display: "block", marginBottom: tokens.spacingVerticalS },
  chart: { minHeight: "120px", overflowX: "auto" },
  table: { marginTop: tokens.spacingVerticalS, overflowX: "auto" },
});

/**
 * One picture with its heading, a sentence saying what it shows, and its text alternative: a
 * table with the same facts behind a disclosure button (reachable by keyboard; the chart's own
 * bars are focusable too). `table` renders only when shown.
 */
export function ChartFigure({ id, title, summary, chart, table }: { id: string; title: string; summary: string; chart: ReactNode; table: ReactNode }) {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const tableId = useId(`${id}-table`);
  return (
    <section aria-labelledby={`${id}-title`} className={styles.section} data-testid={id}>
      <h2 id={`${id}-title`} className={styles.h2}>
        {title}
      </h2>
      <Text className={styles.summary} id={`${id}-summary`}>
        {summary}
      </Text>
      <div className={styles.chart} data-testid={`${id}-chart`}>
        {chart}
      </div>
      <Button appearance="secondary" aria-expanded={open} aria-controls={tableId} onClick={() => setOpen(!open)}>
        {open ? `Hide the table: ${lowerFirst(title)}` : `Show as a table: ${lowerFirst(title)}`}
      </Button>
      <div id={tableId} className={styles.table} hidden={!open}>
        {open && table}
      </div>
    </section>
  );
}

/** "ECTs by level" stays "ECTs", "Time at each level" becomes "time at each level". */
const lowerFirst = (title: string) => (/^[A-Z][a-z]/.test(title) ? title.charAt(0).toLowerCase() + title.slice(1) : title);
