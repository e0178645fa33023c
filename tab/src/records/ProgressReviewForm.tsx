import { useMemo, useState } from "react";
import { Controller, useForm, useWatch, type FieldErrors } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { z } from "zod";
import { ProgressReview, ReviewTarget } from "@shared/ratings";
import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Select,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { Violation } from "../lib/types";
import { todayIso } from "../lib/format";
import { ratingLevels, reviewedStandards, standardTitle, type ReviewedStandard } from "./scale";
import { summaryStage } from "@shared/planStates";
import type { PlanSummary } from "./types";

export const useRecordFormStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "960px" },
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalL, alignItems: "flex-start" },
  fieldset: {
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingHorizontalM,
    margin: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
  },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: `0 ${tokens.spacingHorizontalXS}` },
  rating: {
    display: "grid",
    gridTemplateColumns: "minmax(220px, 320px) 1fr",
    gap: tokens.spacingHorizontalM,
    alignItems: "start",
    paddingBottom: tokens.spacingVerticalS,
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
  },
  target: { display: "grid", gridTemplateColumns: "1fr auto", gap: tokens.spacingHorizontalS, alignItems: "end" },
  actions: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "center" },
  list: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingLeft: tokens.spacingHorizontalXL },
});

export type RatingsValue = Partial<Record<ReviewedStandard, { ratingId: string; statement: string }>>;

/** Violations at a path (and below it, e.g. ratings.7 → ratings.7.statement). */
export const violationsAt = (vs: Violation[], path: string) => vs.filter((v) => v.path === path || v.path.startsWith(`${path}.`));
const message = (vs: Violation[]) => (vs.length ? vs.map((v) => v.message).join(" ") : undefined);

/** Each standard heading rated on the scale; the two lowest ratings need a statement, flagged as soon as they are picked. */
export function RatingsGrid({
  value,
  onChange,
  headings,
  serverViolations,
  optional = false,
}: {
  value: RatingsValue;
  onChange: (v: RatingsValue) => void;
  headings: { code: string; title: string }[];
  serverViolations: Violation[];
  optional?: boolean;
}) {
  const styles = useRecordFormStyles();
  return (
    <fieldset className={styles.fieldset}>
      <legend className={styles.legend}>Teachers' Standards ratings{optional ? " (optional)" : ""}</legend>
      {reviewedStandards.map((code) => {
        const title = standardTitle(code, headings);
        const r = value[code];
        const level = ratingLevels.find((l) => l.id === r?.ratingId);
        const ratingErr = serverViolations.filter((v) => v.path === `ratings.${code}` || v.path === `ratings.${code}.ratingId`);
        const stmtMissing = !!level?.statementRequired && !(r?.statement ?? "").trim();
        const stmtServer = serverViolations.filter((v) => v.path === `ratings.${code}.statement`);
        return (
          <div key={code} className={styles.rating} data-testid={`rating-${code}`}>
            <Field
              label={`Rating for ${title}`}
              required={!optional}
              validationState={ratingErr.length ? "error" : "none"}
              validationMessage={message(ratingErr)}
            >
              <Select
                value={r?.ratingId ?? ""}
                onChange={(_, d) => {
                  const next = { ...value };
                  if (d.value) next[code] = { ratingId: d.value, statement: r?.statement ?? "" };
                  else delete next[code];
                  onChange(next);
                }}
              >
                <option value="">{optional ? "Not rated" : "Choose a rating"}</option>
                {ratingLevels.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.label}
                  </option>
                ))}
              </Select>
            </Field>
            {level?.statementRequired ? (
              <Field
                label={`Statement of the areas of concern for standard ${code === "P2" ? "Part Two" : code}`}
                required
                validationState={stmtMissing || stmtServer.length ? "error" : "none"}
                validationMessage={stmtMissing ? `Rated "${level.label}": write a statement outlining the areas of concern.` : message(stmtServer)}
              >
                <Textarea
                  rows={2}
                  resize="vertical"
                  value={r?.statement ?? ""}
                  onChange={(_, d) => onChange({ ...value, [code]: { ratingId: r!.ratingId, statement: d.value } })}
                />
              </Field>
            ) : (
              <span />
            )}
          </div>
        );
      })}
    </fieldset>
  );
}

export function TargetsList({
  targets,
  onChange,
  serverViolations,
  required,
}: {
  targets: string[];
  onChange: (t: string[]) => void;
  serverViolations: Violation[];
  required: boolean;
}) {
  const styles = useRecordFormStyles();
  const top = serverViolations.filter((v) => v.path === "targets");
  return (
    <fieldset className={styles.fieldset}>
      <legend className={styles.legend}>Targets{required ? " (at least one)" : ""}</legend>
      {top.length > 0 && (
        <MessageBar intent="error">
          <MessageBarBody>{message(top)}</MessageBarBody>
        </MessageBar>
      )}
      {targets.map((t, i) => {
        const vs = violationsAt(serverViolations, `targets.${i}`);
        return (
          <div key={i} className={styles.target}>
            <Field label={`Target ${i + 1}`} required={required && i === 0} validationState={vs.length ? "error" : "none"} validationMessage={message(vs)}>
              <Textarea rows={2} resize="vertical" value={t} onChange={(_, d) => onChange(targets.map((x, j) => (j === i ? d.value : x)))} />
            </Field>
            {targets.length > 1 && (
              <Button appearance="subtle" onClick={() => onChange(targets.filter((_, j) => j !== i))} aria-label={`Remove target ${i + 1}`}>
                Remove
              </Button>
            )}
          </div>
        );
      })}
      <div>
        <Button onClick={() => onChange([...targets, ""])}>Add a target</Button>
      </div>
    </fieldset>
  );
}

const review = ProgressReview.shape;
/** The targets list's texts (TargetsList) as the records hold targets: blank ones left out. */
export const targetTexts = z
  .array(
    // Each written target is checked where it stands (as ReviewTarget checks its text), so a refusal names its own target.
    z.string().superRefine((text, ctx) => {
      if (!text.trim()) return;
      for (const issue of ReviewTarget.shape.text.safeParse(text).error?.issues ?? []) ctx.addIssue({ code: "custom", message: issue.message });
    }),
  )
  .transform((ts) => ts.filter((t) => t.trim()).map((text) => ({ text })));

/**
 * The schema's refusals of parts of a field (a target, a rating's statement) as violations, so
 * RatingsGrid and TargetsList show them where the server's would go. Whole-field refusals are
 * said by the form itself.
 */
export function formViolations(errors: FieldErrors, prefix = ""): Violation[] {
  const out: Violation[] = [];
  for (const [key, value] of Object.entries(errors)) {
    // `ref` is the input element; `types` repeats the messages.
    if (key === "ref" || key === "types" || !value || typeof value !== "object") continue;
    const path = key === "root" ? prefix : prefix ? `${prefix}.${key}` : key;
    const { message, type } = value as { message?: unknown; type?: unknown };
    if (prefix && typeof message === "string" && message) out.push({ path, code: typeof type === "string" ? type : "invalid", message, severity: "error" });
    out.push(...formViolations(value as FieldErrors, path));
  }
  return out;
}

/**
 * The form's values checked with the shared schema's own fields (shared/src/ratings.ts): dates,
 * lengths and hidden characters are refused here as the server would refuse them. Whether every
 * standard is rated and a statement given is the domain's rule, said in `missing` below.
 */
export const ProgressReviewFormSchema = z.object({
  date: review.date,
  ratings: review.ratings,
  targets: targetTexts.pipe(review.targets),
  onTrack: z.enum(["yes", "no"], { message: "Choose yes or no." }).transform((v) => v === "yes"),
  evidenceSummary: review.evidenceSummary,
});
type FormValues = z.input<typeof ProgressReviewFormSchema>;

/** What the form sends: POST /api/ects/{ectId}/progress-reviews. */
export type ProgressReviewBody = z.output<typeof ProgressReviewFormSchema> & { supportPlanId?: string };

export interface ProgressReviewFormProps {
  headings: { code: string; title: string }[];
  /** The ECT's plans: a review that is not on track links the support plan that follows. */
  plans: (Pick<PlanSummary, "id" | "templateId" | "level" | "status" | "startDate"> & Partial<Pick<PlanSummary, "awaitingSignatures">>)[];
  /** Sends the review; rejects with an ApiError whose problem may carry `violations`. */
  onSubmit: (body: ProgressReviewBody) => Promise<void>;
  serverViolations?: Violation[];
  serverError?: string;
  /** Revising a returned review: the form opens with it filled in (revisionDefaults.ts). */
  initial?: ProgressReviewInitial;
  submitLabel?: string;
}

/** What a revision opens with: the returned review's values as the form holds them. */
export interface ProgressReviewInitial {
  date: string;
  ratings: RatingsValue;
  targets: string[];
  onTrack: "yes" | "no";
  evidenceSummary: string;
  supportPlanId?: string;
}

/** The termly progress review: every standard rated, statements where needed, targets, on track yes / no. */
export function ProgressReviewForm({ headings, plans, onSubmit, serverViolations = [], serverError, initial, submitLabel }: ProgressReviewFormProps) {
  const styles = useRecordFormStyles();
  const { control, handleSubmit, formState } = useForm<FormValues, unknown, z.output<typeof ProgressReviewFormSchema>>({
    resolver: zodResolver(ProgressReviewFormSchema),
    defaultValues: initial
      ? { date: initial.date, ratings: initial.ratings, targets: initial.targets, onTrack: initial.onTrack, evidenceSummary: initial.evidenceSummary }
      : { date: todayIso(), ratings: {}, targets: [""], evidenceSummary: "" },
  });
  const [ratingsValue, targetsValue, onTrackValue, evidenceValue] = useWatch({ control, name: ["ratings", "targets", "onTrack", "evidenceSummary"] });
  const onTrack = onTrackValue ?? "";
  const evidenceSummary = evidenceValue ?? "";
  /** The plan the person chose; until they choose one, a review that is not on track links the ECT's open plan. */
  const [chosenPlanId, setChosenPlanId] = useState(initial?.supportPlanId ?? "");
  const supportPlanId = chosenPlanId || (onTrack === "no" ? (plans.find((p) => p.status !== "closed")?.id ?? "") : "");
  const [tried, setTried] = useState(false);

  /** What is missing before it can be sent (the server checks again). */
  const missing = useMemo(() => {
    const ratings = (ratingsValue ?? {}) as RatingsValue;
    const targets = targetsValue ?? [];
    const out: string[] = [];
    const unrated = reviewedStandards.filter((c) => !ratings[c]);
    if (unrated.length) out.push(`Rate every standard (${unrated.length} not rated yet).`);
    const noStmt = reviewedStandards.filter(
      (c) => ratingLevels.find((l) => l.id === ratings[c]?.ratingId)?.statementRequired && !(ratings[c]?.statement ?? "").trim(),
    );
    if (noStmt.length) out.push(`Write a statement for standard ${noStmt.map((c) => (c === "P2" ? "Part Two" : c)).join(", ")}.`);
    if (!targets.some((t) => t.trim())) out.push("Add at least one target.");
    if (!onTrack) out.push("Say whether the ECT is on track.");
    if (onTrack === "no" && !evidenceSummary.trim()) out.push("Summarise the evidence behind the judgement.");
    if (onTrack === "no" && !supportPlanId) out.push("Link the support plan that follows.");
    return out;
  }, [ratingsValue, targetsValue, onTrack, evidenceSummary, supportPlanId]);

  const submit = handleSubmit(async (body) => {
    if (missing.length) return;
    await onSubmit({ ...body, ...(!body.onTrack && supportPlanId ? { supportPlanId } : {}) });
  });
  const busy = formState.isSubmitting;
  /** The schema's message for a field, else the server's. */
  const fieldError = (name: "date" | "evidenceSummary") => formState.errors[name]?.message;

  const at = (p: string) => violationsAt(serverViolations, p);
  const partViolations = [...formViolations(formState.errors), ...serverViolations];
  const handled = ["ratings", "targets", "onTrack", "evidenceSummary", "supportPlanId", "date"];
  const other = serverViolations.filter((v) => !handled.some((h) => v.path === h || v.path.startsWith(`${h}.`)));
  const evidenceMissing = tried && onTrack === "no" && !evidenceSummary.trim();

  return (
    <form
      className={styles.form}
      aria-label="Record a progress review"
      noValidate
      onSubmit={(e) => {
        setTried(true);
        void submit(e);
      }}
    >
      <Field
        label="Date of the review"
        required
        validationState={at("date").length || fieldError("date") ? "error" : "none"}
        validationMessage={fieldError("date") ?? message(at("date"))}
        style={{ maxWidth: 220 }}
      >
        <Controller
          control={control}
          name="date"
          render={({ field }) => <Input type="date" value={field.value} onChange={(_, d) => field.onChange(d.value)} />}
        />
      </Field>
      <Controller
        control={control}
        name="ratings"
        render={({ field }) => (
          <RatingsGrid value={(field.value ?? {}) as RatingsValue} onChange={field.onChange} headings={headings} serverViolations={partViolations} />
        )}
      />
      <Controller
        control={control}
        name="targets"
        render={({ field }) => <TargetsList targets={field.value} onChange={field.onChange} serverViolations={partViolations} required />}
      />
      <Field
        label="Is the ECT on track to meet the Teachers' Standards by the end of induction?"
        required
        validationState={at("onTrack").length || (tried && !onTrack) ? "error" : "none"}
        validationMessage={message(at("onTrack")) ?? (tried && !onTrack ? "Choose yes or no." : undefined)}
      >
        <Controller
          control={control}
          name="onTrack"
          render={({ field }) => (
            <RadioGroup layout="horizontal" value={field.value ?? ""} onChange={(_, d) => field.onChange(d.value)}>
              <Radio value="yes" label="Yes, on track" />
              <Radio value="no" label="No, not on track" />
            </RadioGroup>
          )}
        />
      </Field>
      {onTrack === "no" && (
        <Field
          label="Support plan that follows"
          required
          validationState={at("supportPlanId").length ? "error" : "none"}
          validationMessage={
            message(at("supportPlanId")) ?? (plans.length === 0 ? "This ECT has no support plan yet: start one from the caseload first." : undefined)
          }
          style={{ maxWidth: 420 }}
        >
          <Select value={supportPlanId} onChange={(_, d) => setChosenPlanId(d.value)}>
            <option value="">Choose a plan</option>
            {plans.map((p) => (
              <option key={p.id} value={p.id}>
                {p.level !== undefined ? `Level ${p.level}` : p.templateId} · {summaryStage(p)}
                {p.startDate ? ` · from ${p.startDate}` : ""}
              </option>
            ))}
          </Select>
        </Field>
      )}
      <Field
        label="Evidence summary"
        hint="The evidence behind the judgement (observations, work scrutiny, pupil outcomes). Required when the ECT is not on track."
        required={onTrack === "no"}
        validationState={at("evidenceSummary").length || evidenceMissing || fieldError("evidenceSummary") ? "error" : "none"}
        validationMessage={
          fieldError("evidenceSummary") ??
          message(at("evidenceSummary")) ??
          (evidenceMissing ? "The ECT is not on track: summarise the evidence behind the judgement." : undefined)
        }
      >
        <Controller
          control={control}
          name="evidenceSummary"
          render={({ field }) => <Textarea rows={3} resize="vertical" value={field.value ?? ""} onChange={(_, d) => field.onChange(d.value)} />}
        />
      </Field>
      {(serverError || other.length > 0) && (
        <MessageBar intent="error" layout="multiline" role="alert">
          <MessageBarBody>
            <MessageBarTitle>Not saved</MessageBarTitle>
            {serverError}
            {other.length > 0 && (
              <ul className={styles.list}>
                {other.map((v) => (
                  <li key={v.path + v.code}>{v.message}</li>
                ))}
              </ul>
            )}
          </MessageBarBody>
        </MessageBar>
      )}
      {tried && missing.length > 0 && (
        <MessageBar intent="warning" layout="multiline" role="alert">
          <MessageBarBody>
            <MessageBarTitle>Before recording this review</MessageBarTitle>
            <ul className={styles.list}>
              {missing.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={busy}>
          {busy ? "Recording…" : (submitLabel ?? "Record progress review")}
        </Button>
      </div>
    </form>
  );
}
