import type { ReactNode } from "react";
import { Button, Card, Field, Select, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { PlanTemplate, TargetField } from "@shared/templates";
import type { Meeting, Target, WeekRow } from "@shared/model/plan";
import type { PlanContent, Violation } from "../lib/types";
import { AgreedNote, DateField, ReadOnly, TextField, validationProps } from "../components/fields";
import { StandardsPicker } from "../components/StandardsPicker";
import { formatDateTime, todayIso } from "../lib/format";
import { newId } from "./model";

export const useFormStyles = makeStyles({
  section: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL} ${tokens.spacingVerticalL}`,
    marginBottom: tokens.spacingVerticalL,
  },
  h2: { fontSize: tokens.fontSizeBase500, margin: `0 0 ${tokens.spacingVerticalM}` },
  grid: { display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(220px, 1fr))", gap: tokens.spacingHorizontalL, alignItems: "start" },
  gridWide: { display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(320px, 1fr))", gap: tokens.spacingHorizontalL, alignItems: "start" },
  target: { padding: tokens.spacingHorizontalL, marginBottom: tokens.spacingVerticalM, borderLeft: `4px solid ${tokens.colorBrandStroke1}` },
  targetHead: { display: "flex", justifyContent: "space-between", alignItems: "center", marginBottom: tokens.spacingVerticalS },
  guidance: { color: tokens.colorNeutralForeground2, marginBottom: tokens.spacingVerticalM, display: "block" },
  sectionMsg: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold, display: "block", marginBottom: tokens.spacingVerticalS },
  sectionWarn: { color: tokens.colorPaletteDarkOrangeForeground1, display: "block", marginBottom: tokens.spacingVerticalS },
  weeksWrap: { overflowX: "auto" },
  weeks: { width: "100%", borderCollapse: "collapse", minWidth: "960px" },
  wth: {
    textAlign: "left",
    padding: tokens.spacingHorizontalS,
    borderBottom: `2px solid ${tokens.colorNeutralStroke1}`,
    fontWeight: tokens.fontWeightSemibold,
    verticalAlign: "bottom",
    fontSize: tokens.fontSizeBase200,
  },
  wtd: { padding: tokens.spacingHorizontalXS, borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, verticalAlign: "top", minWidth: "150px" },
  weekNo: { fontWeight: tokens.fontWeightBold, whiteSpace: "nowrap", padding: tokens.spacingHorizontalS, minWidth: "auto" },
  cellText: { whiteSpace: "pre-wrap", overflowWrap: "anywhere", display: "block", padding: tokens.spacingHorizontalXS },
  cellArea: {
    width: "100%",
    minHeight: "64px",
    boxSizing: "border-box",
    font: "inherit",
    padding: "6px",
    borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStrokeAccessible}`,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    resize: "vertical",
  },
  entries: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  entryRow: { display: "grid", gridTemplateColumns: "160px 1fr auto", gap: tokens.spacingHorizontalS, alignItems: "end" },
});

export interface FormProps {
  template: PlanTemplate;
  content: PlanContent;
  onChange: (next: PlanContent) => void;
  canEdit: (path: string) => boolean;
  violations: Violation[];
  schoolName: string;
  ectName: string;
  level: number | undefined;
  /** Extra content under each target (the evidence files of a saved target). */
  renderTargetExtra?: (target: Target, index: number, label: string) => ReactNode;
  /** While an amendment is proposed: the agreed value of a field the form's content changes. */
  agreedAt?: (path: string) => string | undefined;
}

const sectionTitles: Partial<Record<string, string>> = {
  initial_meeting: "Initial meeting",
  plan_dates: "The plan",
  itt_header: "Early support plan",
  previous_objectives: "Previous objectives",
  related_standards: "Related Teachers' Standards",
  statement_of_concern: "Reason for light touch support",
  risk_of_failing: "Risk of failing",
  weeks: "Weekly plan",
  ab_meeting: "Meeting with the appropriate body",
  capability: "School capability procedures",
};

/** The plan laid out like its seed form: the template's sections, in order, with the form's own labels. */
export function PlanForm(props: FormProps) {
  const styles = useFormStyles();
  const { template, content, onChange, canEdit, violations } = props;
  const at = (path: string) => violations.filter((v) => v.path === path);
  const set = (patch: Partial<PlanContent>) => onChange({ ...content, ...patch });
  const hasDatesSection = template.sections.some((s) => s === "plan_dates" || s === "itt_header");
  const printsEnd = template.sections.includes("review") || template.sections.includes("plan_dates");

  const dates = (
    <div className={styles.grid}>
      <DateField
        label={template.track === "itt" ? "Start date" : "Start date of plan"}
        value={content.startDate}
        onChange={(v) => set({ startDate: v })}
        editable={canEdit("startDate")}
        agreed={props.agreedAt?.("startDate")}
        violations={at("startDate")}
      />
      {printsEnd && (
        <DateField
          label="End of support plan date"
          value={content.endDate}
          onChange={(v) => set({ endDate: v })}
          editable={canEdit("endDate")}
          agreed={props.agreedAt?.("endDate")}
          violations={at("endDate")}
        />
      )}
      <DateField
        label={template.track === "itt" ? "Review date (within 2 weeks)" : "Review date"}
        value={content.reviewDate}
        onChange={(v) => set({ reviewDate: v })}
        editable={canEdit("reviewDate")}
        agreed={props.agreedAt?.("reviewDate")}
        violations={at("reviewDate")}
      />
      {template.sections.includes("plan_dates") && (
        <TextField
          label="Term"
          multiline={false}
          value={content.term}
          onChange={(v) => set({ term: v })}
          editable={canEdit("term")}
          agreed={props.agreedAt?.("term")}
          violations={at("term")}
        />
      )}
    </div>
  );

  const renderSection = (s: string) => {
    switch (s) {
      case "plan_dates":
        return (
          <>
            <div className={styles.grid} style={{ marginBottom: 12 }}>
              <ReadOnly label="School" value={props.schoolName} />
              <ReadOnly label="ECT" value={props.ectName} />
            </div>
            {dates}
          </>
        );
      case "initial_meeting":
        return (
          <>
            <div className={styles.grid}>
              <ReadOnly label="ECT" value={props.ectName} />
              <ReadOnly label="School" value={props.schoolName} />
              <DateField
                label="Date of initial meeting"
                value={content.initialMeetingDate}
                onChange={(v) => set({ initialMeetingDate: v })}
                editable={canEdit("initialMeetingDate")}
                agreed={props.agreedAt?.("initialMeetingDate")}
              />
            </div>
            <div style={{ marginTop: 12 }}>
              <TextField
                label="Present at meeting"
                value={content.presentAtMeeting}
                onChange={(v) => set({ presentAtMeeting: v })}
                editable={canEdit("presentAtMeeting")}
                agreed={props.agreedAt?.("presentAtMeeting")}
                rows={2}
              />
            </div>
            {!hasDatesSection && <div style={{ marginTop: 12 }}>{dates}</div>}
          </>
        );
      case "itt_header":
        return (
          <>
            <div className={styles.grid}>
              <ReadOnly label="Trainee" value={props.ectName} />
              <ReadOnly label="School" value={props.schoolName} />
              <TextField
                label="Subject"
                multiline={false}
                value={content.subject}
                onChange={(v) => set({ subject: v })}
                editable={canEdit("subject")}
                agreed={props.agreedAt?.("subject")}
              />
            </div>
            <div style={{ marginTop: 12 }}>{dates}</div>
            <div className={styles.gridWide} style={{ marginTop: 12 }}>
              <TextField
                label="Initial statement of concern"
                value={content.statementOfConcern}
                onChange={(v) => set({ statementOfConcern: v })}
                editable={canEdit("statementOfConcern")}
                agreed={props.agreedAt?.("statementOfConcern")}
                violations={at("statementOfConcern")}
              />
              <TextField
                label="Staff members"
                value={content.staffMembers}
                onChange={(v) => set({ staffMembers: v })}
                editable={canEdit("staffMembers")}
                agreed={props.agreedAt?.("staffMembers")}
              />
            </div>
          </>
        );
      case "previous_objectives":
        return (
          <div className={styles.gridWide}>
            <TextField
              label="Previous objectives"
              value={content.previousObjectives}
              onChange={(v) => set({ previousObjectives: v })}
              editable={canEdit("previousObjectives")}
              agreed={props.agreedAt?.("previousObjectives")}
            />
            <TextField
              label="Evaluation of previous objectives"
              value={content.previousEvaluation}
              onChange={(v) => set({ previousEvaluation: v })}
              editable={canEdit("previousEvaluation")}
              agreed={props.agreedAt?.("previousEvaluation")}
            />
          </div>
        );
      case "related_standards": {
        const agreed = props.agreedAt?.("relatedStandards");
        return (
          <>
            {agreed !== undefined && <AgreedNote value={agreed} />}
            <StandardsPicker
              label="Related Teachers' Standards"
              subject="the plan"
              value={content.relatedStandards ?? []}
              onChange={(v) => set({ relatedStandards: v })}
              editable={canEdit("relatedStandards")}
              violations={at("relatedStandards")}
            />
          </>
        );
      }
      case "statement_of_concern":
        return (
          <TextField
            label="Reason for light touch support"
            value={content.statementOfConcern}
            onChange={(v) => set({ statementOfConcern: v })}
            editable={canEdit("statementOfConcern")}
            agreed={props.agreedAt?.("statementOfConcern")}
            violations={at("statementOfConcern")}
          />
        );
      case "risk_of_failing":
        return (
          <div className={styles.gridWide}>
            <TextField
              label="Reasons for risk of failing (linked to the Teachers' Standards)"
              value={content.statementOfConcern}
              onChange={(v) => set({ statementOfConcern: v })}
              editable={canEdit("statementOfConcern")}
              agreed={props.agreedAt?.("statementOfConcern")}
              violations={at("statementOfConcern")}
            />
            <TextField
              label="Possible reasons for extension to induction"
              value={content.possibleExtensionReasons}
              onChange={(v) => set({ possibleExtensionReasons: v })}
              editable={canEdit("possibleExtensionReasons")}
              agreed={props.agreedAt?.("possibleExtensionReasons")}
            />
          </div>
        );
      case "targets":
        return <TargetsSection {...props} />;
      case "weeks":
        return <WeeksSection {...props} />;
      case "ab_meeting":
        return <AbMeetingSection {...props} />;
      case "capability":
        return <CapabilitySection {...props} />;
      default:
        return null;
    }
  };

  // Forms without a header section of their own still need their dates (ect_additional_support has initial_meeting).
  const needsLooseDates = !template.sections.some((s) => s === "plan_dates" || s === "itt_header" || s === "initial_meeting");

  return (
    <>
      {needsLooseDates && (
        <section className={styles.section} aria-labelledby="sec-dates">
          <h2 id="sec-dates" className={styles.h2}>
            Dates
          </h2>
          <div className={styles.grid} style={{ marginBottom: 12 }}>
            <ReadOnly label="ECT" value={props.ectName} />
            <ReadOnly label="School" value={props.schoolName} />
          </div>
          {dates}
        </section>
      )}
      {template.sections
        .filter((s) => !["review", "itt_review", "signatures"].includes(s))
        .map((s) => (
          <section key={s} className={styles.section} aria-labelledby={`sec-${s}`} data-section={s}>
            <h2 id={`sec-${s}`} className={styles.h2}>
              {s === "targets" ? template.targetsHeading : (sectionTitles[s] ?? s)}
            </h2>
            {renderSection(s)}
          </section>
        ))}
    </>
  );
}

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

function TargetsSection({ template, content, onChange, canEdit, violations, renderTargetExtra, agreedAt }: FormProps) {
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
              subject={`target ${i + 1}`}
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
        return <OutcomeEntries key={field} label={fullLabel} target={t} index={i} editable={ed} onChange={(e) => setTarget(i, { outcomeEntries: e })} />;
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
  target,
  index,
  editable,
  onChange,
}: {
  label: string;
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
              aria-label={`Remove outcome entry ${j + 1} of target ${index + 1}`}
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

const weekColumns: { field: keyof WeekRow; label: string }[] = [
  { field: "action", label: "Action to be taken" },
  { field: "byWhom", label: "By whom" },
  { field: "resources", label: "Resources required (incl. PD time / support)" },
  { field: "successCriteria", label: "Success criteria" },
  { field: "evaluation", label: "Evaluation of progress" },
  { field: "ectComment", label: "ECT's comment on progress" },
];

function WeeksSection({ content, onChange, canEdit, violations, agreedAt }: FormProps) {
  const styles = useFormStyles();
  const weeks = content.weeks ?? [];
  const setWeek = (i: number, patch: Partial<WeekRow>) => onChange({ ...content, weeks: weeks.map((w, j) => (j === i ? { ...w, ...patch } : w)) });
  return (
    <div className={styles.weeksWrap}>
      {violations
        .filter((v) => v.path.startsWith("weeks"))
        .map((v) => (
          <Text key={v.path + v.code} className={styles.sectionMsg}>
            {v.message}
          </Text>
        ))}
      <table className={styles.weeks} data-testid="weeks-table">
        <thead>
          <tr>
            <th className={styles.wth} scope="col">
              Week
            </th>
            {weekColumns.map((c) => (
              <th key={c.field} className={styles.wth} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((w, i) => (
            <tr key={w.week}>
              <th className={`${styles.wtd} ${styles.weekNo}`} scope="row">
                Week {w.week}
              </th>
              {weekColumns.map((c) => {
                const path = `weeks.${i}.${c.field}`;
                const value = (w[c.field] as string | undefined) ?? "";
                const agreed = agreedAt?.(path);
                return (
                  <td key={c.field} className={styles.wtd}>
                    {agreed !== undefined && <AgreedNote value={agreed} />}
                    {canEdit(path) ? (
                      <textarea
                        className={styles.cellArea}
                        aria-label={`Week ${w.week}: ${c.label}`}
                        value={value}
                        onChange={(e) => setWeek(i, { [c.field]: e.target.value })}
                        rows={3}
                      />
                    ) : (
                      <span className={styles.cellText}>
                        {value}
                        {c.field === "ectComment" && w.ectCommentAt && value ? (
                          <Text size={200} block>
                            ({formatDateTime(w.ectCommentAt)})
                          </Text>
                        ) : null}
                      </span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AbMeetingSection({ content, onChange, canEdit, violations, agreedAt }: FormProps) {
  const styles = useFormStyles();
  const meetings = content.meetings ?? [];
  const idx = meetings.findIndex((m) => m.kind === "ab");
  const meeting: Meeting = idx >= 0 ? (meetings[idx] as Meeting) : { id: newId(), kind: "ab", attendees: "", outline: "", outcome: "" };
  const set = (patch: Partial<Meeting>) => {
    const next = { ...meeting, ...patch };
    onChange({ ...content, meetings: idx >= 0 ? meetings.map((m, j) => (j === idx ? next : m)) : [...meetings, next] });
  };
  const i = idx >= 0 ? idx : meetings.length;
  const v = violations.filter((x) => x.path === "meetings" || x.path.startsWith(`meetings.${i}`));
  const ed = canEdit("meetings");
  const ag = (field: string) => (idx >= 0 ? agreedAt?.(`meetings.${idx}.${field}`) : undefined);
  return (
    <>
      {v.map((x) => (
        <Text key={x.code} className={styles.sectionWarn}>
          {x.message}
        </Text>
      ))}
      <div className={styles.grid}>
        <DateField label="Date of meeting with the AB" value={meeting.date} onChange={(d) => set({ date: d })} editable={ed} agreed={ag("date")} />
        <TextField label="Who attended" value={meeting.attendees} onChange={(a) => set({ attendees: a })} editable={ed} rows={2} agreed={ag("attendees")} />
      </div>
      <div className={styles.gridWide} style={{ marginTop: 12 }}>
        <TextField label="Outline of meeting" value={meeting.outline} onChange={(a) => set({ outline: a })} editable={ed} agreed={ag("outline")} />
        <TextField label="Outcome of meeting" value={meeting.outcome} onChange={(a) => set({ outcome: a })} editable={ed} agreed={ag("outcome")} />
      </div>
    </>
  );
}

function CapabilitySection({ content, onChange, canEdit }: FormProps) {
  const styles = useFormStyles();
  const cap = content.capability ?? { hrContact: "", notes: "" };
  const set = (patch: Partial<NonNullable<PlanContent["capability"]>>) => onChange({ ...content, capability: { ...cap, ...patch } });
  const ed = canEdit("capability");
  return (
    <div className={styles.grid}>
      <DateField label="HR capability procedure started on" value={cap.hrProcedureStartedOn} onChange={(d) => set({ hrProcedureStartedOn: d })} editable={ed} />
      <DateField label="Appropriate body informed on" value={cap.abInformedOn} onChange={(d) => set({ abInformedOn: d })} editable={ed} />
      <TextField label="HR contact" multiline={false} value={cap.hrContact} onChange={(d) => set({ hrContact: d })} editable={ed} />
      <TextField label="Notes for induction (induction continues in parallel)" value={cap.notes} onChange={(d) => set({ notes: d })} editable={ed} />
    </div>
  );
}
