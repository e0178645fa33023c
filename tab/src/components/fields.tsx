import type { ReactElement } from "react";
import { Field, Input, Label, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import type { Violation } from "../lib/types";
import { formatDate } from "../lib/format";

export const useFieldStyles = makeStyles({
  readonly: { display: "flex", flexDirection: "column", gap: "2px", minWidth: 0 },
  value: { whiteSpace: "pre-wrap", overflowWrap: "anywhere", color: tokens.colorNeutralForeground1, minHeight: "20px" },
  empty: { color: tokens.colorNeutralForeground3, fontStyle: "italic" },
  label: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2 },
  agreed: { whiteSpace: "pre-wrap", overflowWrap: "anywhere", color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});

/**
 * Under a field an amendment changes: the text as agreed (signed), labelled, so the proposed and
 * the agreed wording are read side by side.
 */
export function AgreedNote({ value }: { value: string }) {
  const styles = useFieldStyles();
  return (
    <span className={styles.agreed} data-agreed>
      <strong>Agreed:</strong> {value}
    </span>
  );
}

const hintWith = (hint: string | undefined, agreed: string | undefined): string | ReactElement | undefined =>
  agreed === undefined ? (
    hint
  ) : (
    <>
      {hint && <span style={{ display: "block" }}>{hint}</span>}
      <AgreedNote value={agreed} />
    </>
  );

export function validationProps(violations: Violation[] | undefined): { validationState?: "error" | "warning"; validationMessage?: string } {
  if (!violations || violations.length === 0) return {};
  const worst = violations.some((v) => v.severity === "error") ? "error" : "warning";
  return { validationState: worst, validationMessage: violations.map((v) => v.message).join(" ") };
}

interface TextProps {
  label: string;
  value: string | undefined;
  onChange: (value: string) => void;
  editable: boolean;
  multiline?: boolean;
  violations?: Violation[] | undefined;
  hint?: string;
  rows?: number;
  testId?: string;
  /** The agreed value, when an amendment proposes another: shown under the field. */
  agreed?: string | undefined;
}

/** A form field: an input for whoever may write it, plain text for everyone else. */
export function TextField({ label, value, onChange, editable, multiline = true, violations, hint, rows = 3, testId, agreed }: TextProps) {
  if (!editable) return <ReadOnly label={label} value={value} violations={violations} agreed={agreed} />;
  return (
    <Field label={label} hint={hintWith(hint, agreed)} {...validationProps(violations)}>
      {multiline ? (
        <Textarea value={value ?? ""} resize="vertical" rows={rows} onChange={(_, d) => onChange(d.value)} data-testid={testId} />
      ) : (
        // Fluent's own Input, unstyled: the read-only value's style squeezed it thinner than the other fields.
        <Input value={value ?? ""} onChange={(_, d) => onChange(d.value)} data-testid={testId} />
      )}
    </Field>
  );
}

export function DateField({
  label,
  value,
  onChange,
  editable,
  violations,
  hint,
  agreed,
}: Omit<TextProps, "multiline" | "onChange"> & { onChange: (v: string | undefined) => void }) {
  if (!editable) return <ReadOnly label={label} value={formatDate(value)} violations={violations} agreed={agreed} />;
  return (
    <Field label={label} hint={hintWith(hint, agreed)} {...validationProps(violations)}>
      <Input type="date" value={value ?? ""} onChange={(_, d) => onChange(d.value || undefined)} />
    </Field>
  );
}

export function ReadOnly({
  label,
  value,
  violations,
  agreed,
}: {
  label: string;
  value: string | undefined;
  violations?: Violation[] | undefined;
  agreed?: string | undefined;
}) {
  const styles = useFieldStyles();
  return (
    <div className={styles.readonly}>
      <Label className={styles.label}>{label}</Label>
      <div className={value ? styles.value : `${styles.value} ${styles.empty}`}>{value || "Not filled in yet"}</div>
      {agreed !== undefined && <AgreedNote value={agreed} />}
      {violations && violations.length > 0 && (
        <div style={{ color: tokens.colorPaletteDarkOrangeForeground1 }}>{violations.map((v) => v.message).join(" ")}</div>
      )}
    </div>
  );
}
