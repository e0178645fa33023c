import { Button, Card, Field, Select, Text } from "@fluentui/react-components";
import type { TargetField } from "@shared/templates";
import type { Target } from "@shared/model/plan";
import { AgreedNote, DateField, ReadOnly, TextField, validationProps } from "../components/fields";
import { StandardsPicker } from "../components/StandardsPicker";
import { todayIso } from "../lib/format";
import { newId } from "./model";
import { useFormStyles, type FormProps } from "./PlanForm";

/**
 * The plan's targets (objectives), one card each with the template's columns. Which fields are
 * inputs is the viewer's edit scope: the mentor at Levels 2–3 reads the targets, the tutor writes them.
 */
function blankTarget(): Target {
  return {
    id: newId(),
    standards: [],
    text: "",
    ectActions: "",
    schoolActions: "",
    supportedBy: "",
    resources: "",
    successCriteria: "",
    timeScale: "",
    observationOutcome: "",
    outcomeEntries: [],
  };
}

export function TargetsSection({ template, content, onChange, canEdit, violations, renderTargetExtra, agreedAt }: FormProps) {
  const styles = useFormStyles();
  const targets = content.targets ?? [];
  const at = (path: string) => violations.filter((v) => v.path === path);
  const setTarget = (i: number, patch: Partial<Target>) => onChange({ ...content, targets: targets.map((t, j) => (j === i ? { ...t, ...patch } : t)) });
  const editable = canEdit("targets");
  const sectionViolations = at("targets");
  const noun = template.targetColumns.find((c) => c.field === "text")?.label ?? "Target";

  const cell = (t: Target, i: number, field: TargetField, label: string) => {
    const path = `targets.${i}.${field}`;
    const v = at(path);
    const ed = canEdit(path);
    const fullLabel = `${label}`;
    const agreed = agreedAt?.(path);
    switch (field) {
      case "standards":
        return (
          <div key={field}>
            {agreed !== undefined && <AgreedNote value={agreed} />}
            <StandardsPicker
              key={field}
              label={fullLabel}
              subject={`${noun.toLowerCase()} ${i + 1}`}
              value={t.standards}
              onChange={(s) => setTarget(i, { standards: s })}
              editable={ed}
              violations={v}
            />
          </div>
        );
      case "reviewDate":
        return (
          <DateField
            key={field}
            label={fullLabel}
            value={t.reviewDate}
            onChange={(d) => setTarget(i, { reviewDate: d })}
            editable={ed}
            violations={v}
            agreed={agreed}
          />
        );
      case "outcomeAtReview":
        return ed ? (
          <Field key={field} label={fullLabel} {...validationProps(v)}>
            <Select value={t.outcomeAtReview ?? ""} onChange={(_, d) => setTarget(i, { outcomeAtReview: (d.value || undefined) as Target["outcomeAtReview"] })}>
              <option value="">Not yet reviewed</option>
              <option value="yes">Yes</option>
              <option value="partially">Partially</option>
              <option value="no">No</option>
            </Select>
          </Field>
        ) : (
          <ReadOnly key={field} label={fullLabel} value={t.outcomeAtReview ? { yes: "Yes", no: "No", partially: "Partially" }[t.outcomeAtReview] : ""} />
        );
      case "outcomeEntries":
        return (
          <OutcomeEntries key={field} label={fullLabel} noun={noun} target={t} index={i} editable={ed} onChange={(e) => setTarget(i, { outcomeEntries: e })} />
        );
      default:
        return (
          <TextField
            key={field}
            label={fullLabel}
            value={t[field]}
            onChange={(val) => setTarget(i, { [field]: val })}
            editable={ed}
            violations={v}
            agreed={agreed}
            rows={field === "text" ? 3 : 2}
          />
        );
    }
  };

  return (
    <>
      <Text className={styles.guidance}>{template.guidance}</Text>
      {sectionViolations.map((v) => (
        <Text
          key={v.code}
          role={v.severity === "error" ? "alert" : undefined}
          className={v.severity === "error" ? styles.sectionMsg : styles.sectionWarn}
          data-testid="targets-message"
        >
          {v.message}
        </Text>
      ))}
      {targets.length === 0 && <Text block>No targets yet.</Text>}
      {targets.map((t, i) => {
        const [standardsCol, ...rest] = template.targetColumns;
        return (
          <Card key={t.id} className={styles.target} data-testid={`target-${i + 1}`} role="group" aria-label={`${noun} ${i + 1}`}>
            <div className={styles.targetHead}>
              <Text weight="semibold" size={400}>
                {noun} {i + 1}
                {t.carriedFromTargetId ? " (carried over from the previous plan)" : ""}
              </Text>
              {editable && (
                <Button
                  size="small"
                  appearance="subtle"
                  onClick={() => onChange({ ...content, targets: targets.filter((_, j) => j !== i) })}
                  aria-label={`Remove ${noun.toLowerCase()} ${i + 1}`}
                >
                  Remove
                </Button>
              )}
            </div>
            {standardsCol && <div style={{ marginBottom: 12 }}>{cell(t, i, standardsCol.field, standardsCol.label)}</div>}
            <div className={styles.gridWide}>{rest.map((c) => cell(t, i, c.field, c.label))}</div>
            {renderTargetExtra?.(t, i, `${noun} ${i + 1}`)}
          </Card>
        );
      })}
      {editable && (
        <Button appearance="primary" onClick={() => onChange({ ...content, targets: [...targets, blankTarget()] })}>
          Add {noun.toLowerCase()}
        </Button>
      )}
    </>
  );
}

function OutcomeEntries({
  label,
  noun,
  target,
  index,
  editable,
  onChange,
}: {
  label: string;
  /** The form's word for a target ("Objective" or "Target"). */
  noun: string;
  target: Target;
  index: number;
  editable: boolean;
  onChange: (e: Target["outcomeEntries"]) => void;
}) {
  const styles = useFormStyles();
  const entries = target.outcomeEntries ?? [];
  if (!editable) return <ReadOnly label={label} value={entries.map((e) => `${e.date}: ${e.text}`).join("\n")} />;
  return (
    <fieldset style={{ border: "none", padding: 0, margin: 0 }}>
      <legend style={{ fontWeight: 600, marginBottom: 4 }}>{label}</legend>
      <div className={styles.entries}>
        {entries.map((e, j) => (
          <div key={j} className={styles.entryRow}>
            <Field label={`Date (entry ${j + 1})`}>
              <input
                type="date"
                className={styles.cellArea}
                style={{ minHeight: 32 }}
                value={e.date}
                onChange={(ev) => onChange(entries.map((x, k) => (k === j ? { ...x, date: ev.target.value } : x)))}
              />
            </Field>
            <Field label={`Outcome (entry ${j + 1})`}>
              <textarea
                className={styles.cellArea}
                value={e.text}
                onChange={(ev) => onChange(entries.map((x, k) => (k === j ? { ...x, text: ev.target.value } : x)))}
              />
            </Field>
            <Button
              size="small"
              appearance="subtle"
              onClick={() => onChange(entries.filter((_, k) => k !== j))}
              aria-label={`Remove outcome entry ${j + 1} of ${noun.toLowerCase()} ${index + 1}`}
            >
              Remove
            </Button>
          </div>
        ))}
        <div>
          <Button size="small" onClick={() => onChange([...entries, { date: todayIso(), text: "" }])}>
            Add a dated outcome
          </Button>
        </div>
      </div>
    </fieldset>
  );
}
