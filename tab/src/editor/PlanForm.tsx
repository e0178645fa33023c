import type { ReactNode } from "react";
import { Text, makeStyles, tokens } from "@fluentui/react-components";
import type { PlanTemplate } from "@shared/templates";
import type { Meeting, Target } from "@shared/model/plan";
import type { PlanContent, Violation } from "../lib/types";
import { AgreedNote, DateField, ReadOnly, TextField } from "../components/fields";
import { StandardsPicker } from "../components/StandardsPicker";
import { newId } from "./model";
import { TargetsSection } from "./TargetsSection";
import { WeeklyGrid } from "./WeeklyGrid";
import { HrAlongsideInduction } from "../records/HrAlongsideInduction";

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
  /** The ECT the plan is for: the Level 6 hand-over shows which HR policy applies alongside induction. */
  ectId?: string;
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
        return <WeeklyGrid content={content} onChange={onChange} canEdit={canEdit} violations={violations} ectName={props.ectName} agreedAt={props.agreedAt} />;
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

function CapabilitySection({ content, onChange, canEdit, ectId }: FormProps) {
  const styles = useFormStyles();
  const cap = content.capability ?? { hrContact: "", notes: "" };
  const set = (patch: Partial<NonNullable<PlanContent["capability"]>>) => onChange({ ...content, capability: { ...cap, ...patch } });
  const ed = canEdit("capability");
  return (
    <>
      <div className={styles.grid}>
        <DateField
          label="HR capability procedure started on"
          value={cap.hrProcedureStartedOn}
          onChange={(d) => set({ hrProcedureStartedOn: d })}
          editable={ed}
        />
        <DateField label="Appropriate body informed on" value={cap.abInformedOn} onChange={(d) => set({ abInformedOn: d })} editable={ed} />
        <TextField label="HR contact" multiline={false} value={cap.hrContact} onChange={(d) => set({ hrContact: d })} editable={ed} />
        <TextField label="Notes for induction (induction continues in parallel)" value={cap.notes} onChange={(d) => set({ notes: d })} editable={ed} />
      </div>
      {ectId && <HrAlongsideInduction ectId={ectId} headingLevel={3} />}
    </>
  );
}
