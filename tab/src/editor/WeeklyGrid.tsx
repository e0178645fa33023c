import { useLayoutEffect, useRef } from "react";
import { Text, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import type { WeekRow } from "@shared/model/plan";
import type { PlanContent, Violation } from "../lib/types";
import { AgreedNote } from "../components/fields";
import { formatDateTime } from "../lib/format";

/** Seed 003's week columns (Levels 2–5), with the ECT's comment on progress on its own line under each week. */
export const weekColumns: { field: Exclude<keyof WeekRow, "week" | "ectComment" | "ectCommentAt">; label: string }[] = [
  { field: "action", label: "Action to be taken" },
  { field: "byWhom", label: "By whom" },
  { field: "resources", label: "Resources required (incl. PD time / support)" },
  { field: "successCriteria", label: "Success criteria" },
  { field: "evaluation", label: "Evaluation of progress" },
];
const commentLabel = "ECT's comment on progress";

/** Narrow widths (a phone, a Teams side panel): each week is a card of label: value. */
const narrow = "@media (max-width: 640px)";
const visuallyHidden = {
  position: "absolute",
  width: "1px",
  height: "1px",
  margin: "-1px",
  padding: 0,
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  whiteSpace: "nowrap",
  border: 0,
} as const;

const useStyles = makeStyles({
  grid: { display: "flex", flexDirection: "column" },
  // Week number, then the five columns: no fixed minimum width, so nothing scrolls sideways.
  columns: {
    display: "grid",
    gridTemplateColumns: "4.5rem repeat(5, minmax(0, 1fr))",
    columnGap: tokens.spacingHorizontalS,
  },
  head: {
    fontWeight: tokens.fontWeightSemibold,
    fontSize: tokens.fontSizeBase200,
    borderBottom: `2px solid ${tokens.colorNeutralStroke1}`,
    paddingBottom: tokens.spacingVerticalXS,
    alignItems: "end",
    [narrow]: { display: "none" },
  },
  week: {
    rowGap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    [narrow]: {
      display: "flex",
      flexDirection: "column",
      gap: tokens.spacingVerticalM,
      padding: tokens.spacingHorizontalM,
      marginBottom: tokens.spacingVerticalM,
      border: `1px solid ${tokens.colorNeutralStroke1}`,
      borderLeft: `4px solid ${tokens.colorBrandStroke1}`,
      borderRadius: tokens.borderRadiusMedium,
    },
  },
  weekHeading: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightBold, whiteSpace: "nowrap" },
  cell: { display: "flex", flexDirection: "column", gap: "2px", minWidth: 0 },
  // Inside the grid the column heading names the field; on a card the label is shown beside it.
  cellLabel: {
    ...visuallyHidden,
    [narrow]: { position: "static", width: "auto", height: "auto", margin: 0, overflow: "visible", clip: "auto", whiteSpace: "normal" },
  },
  shownLabel: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  srOnly: visuallyHidden,
  comment: {
    gridColumn: "2 / -1",
    display: "flex",
    flexDirection: "column",
    gap: "2px",
    padding: tokens.spacingHorizontalS,
    backgroundColor: tokens.colorNeutralBackground2,
    borderRadius: tokens.borderRadiusMedium,
  },
  byline: { color: tokens.colorNeutralForeground2 },
  value: { whiteSpace: "pre-wrap", overflowWrap: "anywhere" },
  empty: { color: tokens.colorNeutralForeground3, fontStyle: "italic" },
  area: {
    width: "100%",
    minHeight: "3.5em",
    boxSizing: "border-box",
    font: "inherit",
    padding: "6px",
    borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStrokeAccessible}`,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    // The box grows with its text (never a scrollbar inside it): natively where the browser can.
    resize: "none",
    overflowY: "hidden",
    fieldSizing: "content",
  } as Record<string, string>,
  message: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold, display: "block", marginBottom: tokens.spacingVerticalS },
});

const sizesNatively = () => typeof CSS !== "undefined" && typeof CSS.supports === "function" && CSS.supports("field-sizing", "content");

/** A textarea as tall as its text: field-sizing where supported, its scroll height otherwise. */
export function GrowingTextarea({
  id,
  value,
  onChange,
  className,
  describedBy,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  className?: string;
  describedBy?: string;
}) {
  const ref = useRef<HTMLTextAreaElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || sizesNatively()) return;
    el.style.height = "auto";
    // scrollHeight leaves out the borders; the box is border-box.
    if (el.scrollHeight > 0) el.style.height = `${el.scrollHeight + el.offsetHeight - el.clientHeight}px`;
  }, [value]);
  return <textarea ref={ref} id={id} className={className} value={value} rows={2} aria-describedby={describedBy} onChange={(e) => onChange(e.target.value)} />;
}

export interface WeeklyGridProps {
  content: PlanContent;
  onChange: (next: PlanContent) => void;
  canEdit: (path: string) => boolean;
  violations: Violation[];
  /** Who writes the comment on progress (the ECT), for its byline. */
  ectName: string;
  agreedAt?: ((path: string) => string | undefined) | undefined;
}

/**
 * The weekly plan (seed 003, Levels 2–5): each week's action and by whom, resources, success
 * criteria and evaluation, with the ECT's comment on progress under its week, saying who wrote
 * it and when. A grid on wide screens, a card per week on narrow ones; every box grows with its
 * text. Which boxes are inputs is the viewer's edit scope (canEdit).
 */
export function WeeklyGrid({ content, onChange, canEdit, violations, ectName, agreedAt }: WeeklyGridProps) {
  const styles = useStyles();
  const weeks = content.weeks ?? [];
  const setWeek = (i: number, patch: Partial<WeekRow>) => onChange({ ...content, weeks: weeks.map((w, j) => (j === i ? { ...w, ...patch } : w)) });

  const field = (w: WeekRow, i: number, name: keyof WeekRow, label: string, labelClass: string) => {
    const path = `weeks.${i}.${name}`;
    const id = `week-${w.week}-${name}`;
    const value = (w[name] as string | undefined) ?? "";
    const agreed = agreedAt?.(path);
    const agreedNote = agreed !== undefined ? <AgreedNote value={agreed} /> : null;
    const labelText = (
      <>
        <span className={styles.srOnly}>Week {w.week}: </span>
        {label}
      </>
    );
    if (canEdit(path)) {
      return (
        <>
          <label htmlFor={id} className={labelClass}>
            {labelText}
          </label>
          <GrowingTextarea id={id} className={styles.area} value={value} onChange={(v) => setWeek(i, { [name]: v })} />
          {agreedNote}
        </>
      );
    }
    return (
      <>
        <span className={labelClass}>{labelText}</span>
        <span className={mergeClasses(styles.value, !value && styles.empty)} data-testid={id}>
          {value || "Not written yet"}
        </span>
        {agreedNote}
      </>
    );
  };

  return (
    <div className={styles.grid} data-testid="weekly-grid">
      {violations
        .filter((v) => v.path.startsWith("weeks"))
        .map((v) => (
          <Text key={v.path + v.code} className={styles.message}>
            {v.message}
          </Text>
        ))}
      <div className={mergeClasses(styles.columns, styles.head)} aria-hidden="true">
        <span>Week</span>
        {weekColumns.map((c) => (
          <span key={c.field}>{c.label}</span>
        ))}
      </div>
      {weeks.map((w, i) => (
        <section key={w.week} className={mergeClasses(styles.columns, styles.week)} aria-labelledby={`week-${w.week}-heading`} data-testid={`week-${w.week}`}>
          <h3 id={`week-${w.week}-heading`} className={styles.weekHeading}>
            Week {w.week}
          </h3>
          {weekColumns.map((c) => (
            <div key={c.field} className={styles.cell}>
              {field(w, i, c.field, c.label, styles.cellLabel)}
            </div>
          ))}
          <div className={styles.comment} data-testid={`week-${w.week}-comment`}>
            {field(w, i, "ectComment", commentLabel, styles.shownLabel)}
            {w.ectComment && w.ectCommentAt ? (
              <Text size={200} className={styles.byline}>
                Written by {ectName}, {formatDateTime(w.ectCommentAt)}
              </Text>
            ) : null}
          </div>
        </section>
      ))}
    </div>
  );
}
