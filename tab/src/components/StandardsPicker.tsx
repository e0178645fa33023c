import { useMemo, useState } from "react";
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Label,
  Spinner,
  Text,
  makeStyles,
  tokens,
  useId,
} from "@fluentui/react-components";
import { flattenStandards, searchEntries, type StandardEntry } from "../lib/reference";
import { useStandards } from "../lib/queries";
import { useFieldStyles } from "./fields";
import type { Violation } from "../lib/types";

const useStyles = makeStyles({
  list: {
    listStyle: "none",
    padding: 0,
    margin: 0,
    maxHeight: "50vh",
    overflowY: "auto",
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  heading: {
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    backgroundColor: tokens.colorNeutralBackground3,
    fontWeight: tokens.fontWeightSemibold,
    position: "sticky",
    top: 0,
    zIndex: 1,
  },
  item: { padding: `0 ${tokens.spacingHorizontalS}`, borderBottom: `1px solid ${tokens.colorNeutralStroke3}` },
  chosen: { listStyle: "none", padding: 0, margin: `${tokens.spacingVerticalXS} 0`, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  chosenItem: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "baseline" },
  code: { fontWeight: tokens.fontWeightBold, minWidth: "3.5em" },
  wrap: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
});

/** The Standards as searchable entries, from the one cached read of the reference data (queries.ts). */
function useStandardEntries() {
  const standards = useStandards();
  const entries = useMemo(() => standards.data && flattenStandards(standards.data), [standards.data]);
  return { entries, error: standards.error?.message };
}

/**
 * Pick the Teachers' Standards a target relates to: search by code or words, see the exact
 * wording, choose several. Checkboxes in a dialog: Tab, Space and Escape are all it needs.
 */
export function StandardsPicker({
  label,
  value,
  onChange,
  editable,
  violations,
  subject,
}: {
  label: string;
  value: string[];
  onChange: (v: string[]) => void;
  editable: boolean;
  violations?: Violation[] | undefined;
  subject: string;
}) {
  const styles = useStyles();
  const fieldStyles = useFieldStyles();
  const { entries, error } = useStandardEntries();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [picked, setPicked] = useState<string[]>(value);
  const labelId = useId("standards-label");
  const byCode = useMemo(() => new Map((entries ?? []).map((e) => [e.code, e])), [entries]);
  const results = useMemo(() => (entries ? searchEntries(entries, query) : []), [entries, query]);

  const chosen = (
    <ul className={styles.chosen} aria-label={`${label} chosen`}>
      {value.length === 0 && <li className={fieldStyles.empty}>None chosen yet</li>}
      {value.map((code) => (
        <li key={code} className={styles.chosenItem}>
          <span className={styles.code}>{code}</span>
          <span>{byCode.get(code)?.text ?? (error ? "" : "…")}</span>
        </li>
      ))}
    </ul>
  );

  const chosenEditable = (
    <ul className={styles.chosen} aria-label={`${label} chosen`}>
      {value.length === 0 && <li className={fieldStyles.empty}>None chosen yet</li>}
      {value.map((code) => (
        <li key={code} className={styles.chosenItem}>
          <span className={styles.code}>{code}</span>
          <span style={{ flexGrow: 1 }}>{byCode.get(code)?.text ?? (error ? "" : "…")}</span>
          <Button size="small" appearance="subtle" aria-label={`Remove ${code} from ${subject}`} onClick={() => onChange(value.filter((c) => c !== code))}>
            Remove
          </Button>
        </li>
      ))}
    </ul>
  );

  if (!editable)
    return (
      <div className={styles.wrap}>
        <Label className={fieldStyles.label}>{label}</Label>
        {chosen}
      </div>
    );

  const grouped: { heading: string; items: StandardEntry[] }[] = [];
  for (const r of results) {
    const last = grouped.at(-1);
    if (last?.heading === r.heading) last.items.push(r);
    else grouped.push({ heading: r.heading, items: [r] });
  }

  return (
    <>
      <div className={styles.wrap} role="group" aria-labelledby={labelId}>
        <Label id={labelId} className={fieldStyles.label}>
          {label}
        </Label>
        {chosenEditable}
        <div>
          <Button
            size="small"
            onClick={() => {
              setPicked(value);
              setQuery("");
              setOpen(true);
            }}
            aria-label={`${value.length ? "Change standards" : "Choose standards"} for ${subject}`}
          >
            {value.length ? "Change standards" : "Choose standards"}
          </Button>
        </div>
        {violations?.map((v) => (
          <Text
            key={v.code}
            size={200}
            style={{ color: v.severity === "error" ? tokens.colorPaletteRedForeground1 : tokens.colorPaletteDarkOrangeForeground1 }}
          >
            {v.message}
          </Text>
        ))}
      </div>
      {/* Mounted only while open: a closed Dialog still registers a focus trap, whose aria-hidden
          focusable guards on <body> axe reports (aria-hidden-focus) on every editable plan. */}
      {open && (
        <Dialog open onOpenChange={(_, d) => setOpen(d.open)}>
          <DialogSurface>
            <DialogBody>
              <DialogTitle>Teachers' Standards for {subject}</DialogTitle>
              <DialogContent>
                <Field label="Search by code or words" hint="For example 7d, or behaviour">
                  <Input type="search" value={query} onChange={(_, d) => setQuery(d.value)} autoFocus />
                </Field>
                <Text size={200} block style={{ margin: "6px 0" }} aria-live="polite">
                  {entries ? `${results.length} standard${results.length === 1 ? "" : "s"} shown; ${picked.length} chosen` : ""}
                </Text>
                {!entries && !error && <Spinner size="small" label="Loading the standards…" />}
                {error && <Text role="alert">Could not load the standards: {error}</Text>}
                <ul className={styles.list} aria-label="Teachers' Standards">
                  {grouped.map((g) => (
                    <li key={g.heading}>
                      <div className={styles.heading} aria-hidden="true">
                        {g.heading}
                      </div>
                      <ul style={{ listStyle: "none", padding: 0, margin: 0 }}>
                        {g.items.map((e) => (
                          <li key={e.code} className={styles.item}>
                            <Checkbox
                              checked={picked.includes(e.code)}
                              onChange={(_, d) => setPicked((p) => (d.checked ? [...p, e.code] : p.filter((c) => c !== e.code)))}
                              label={
                                <span>
                                  <strong>{e.code}</strong> {e.text}
                                </span>
                              }
                              data-code={e.code}
                            />
                          </li>
                        ))}
                      </ul>
                    </li>
                  ))}
                </ul>
              </DialogContent>
              <DialogActions>
                <Button onClick={() => setOpen(false)}>Cancel</Button>
                <Button
                  appearance="primary"
                  onClick={() => {
                    onChange(picked);
                    setOpen(false);
                  }}
                >
                  Use {picked.length} standard{picked.length === 1 ? "" : "s"}
                </Button>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      )}
    </>
  );
}
