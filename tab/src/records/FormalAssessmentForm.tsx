import { Controller, useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { z } from "zod";
import { Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Radio, RadioGroup, Select, Textarea } from "@fluentui/react-components";
import { FormalAssessment } from "@shared/model/inductionRecords";
import type { Violation } from "../lib/types";
import { todayIso } from "../lib/format";
import { RatingsGrid, TargetsList, formViolations, targetTexts, useRecordFormStyles, violationsAt, type RatingsValue } from "./ProgressReviewForm";

const assessment = FormalAssessment.shape;

/**
 * The form's values checked with the shared FormalAssessment schema's fields, then shaped as the
 * body: the first assessment says whether the ECT is on track, the final one the head's recommendation.
 */
export const FormalAssessmentFormSchema = z
  .object({
    date: assessment.date,
    number: z.enum(["1", "2"]),
    ratings: assessment.ratings,
    evidenceSummary: assessment.evidenceSummary,
    onTrack: z.enum(["", "yes", "no"]),
    recommendation: z.union([z.literal(""), assessment.recommendation.unwrap()]),
    targets: targetTexts.pipe(assessment.targets.unwrap()),
    ectComments: assessment.ectComments,
  })
  .transform(({ number, onTrack, recommendation, ...rest }) => ({
    ...rest,
    number: number === "2" ? (2 as const) : (1 as const),
    ...(number === "1" && onTrack ? { onTrack: onTrack === "yes" } : {}),
    ...(number === "2" && recommendation ? { recommendation } : {}),
  }));
type FormValues = z.input<typeof FormalAssessmentFormSchema>;
/** What a revision opens with: the returned assessment's values as the form holds them. */
export type FormalAssessmentInitial = FormValues;

/** What the form sends: POST /api/ects/{ectId}/formal-assessments. */
export type FormalAssessmentBody = z.output<typeof FormalAssessmentFormSchema>;

/** The formal assessment (end of year 1, or the final one with the head's recommendation). */
export function FormalAssessmentForm({
  headings,
  onSubmit,
  serverViolations = [],
  serverError,
  initial,
  submitLabel,
}: {
  headings: { code: string; title: string }[];
  onSubmit: (b: FormalAssessmentBody) => Promise<void>;
  serverViolations?: Violation[];
  serverError?: string;
  /** Revising a returned assessment: the form opens with it filled in (revisionDefaults.ts). */
  initial?: FormalAssessmentInitial;
  submitLabel?: string;
}) {
  const styles = useRecordFormStyles();
  const { control, handleSubmit, formState } = useForm<FormValues, unknown, FormalAssessmentBody>({
    resolver: zodResolver(FormalAssessmentFormSchema),
    defaultValues: initial ?? {
      date: todayIso(),
      number: "1",
      ratings: {},
      evidenceSummary: "",
      onTrack: "",
      recommendation: "",
      targets: [""],
      ectComments: "",
    },
  });
  const num = useWatch({ control, name: "number" });
  const busy = formState.isSubmitting;
  const submit = handleSubmit(onSubmit);
  const at = (p: string) => violationsAt(serverViolations, p);
  const partViolations = [...formViolations(formState.errors), ...serverViolations];
  const msg = (vs: Violation[]) => (vs.length ? vs.map((v) => v.message).join(" ") : undefined);
  /** The schema's message for a field first, else the server's. */
  const err = (name: "date" | "evidenceSummary" | "recommendation" | "ectComments") => formState.errors[name]?.message ?? msg(at(name));
  const handled = ["ratings", "targets", "onTrack", "evidenceSummary", "recommendation", "date", "number", "ectComments"];
  const other = serverViolations.filter((v) => !handled.some((h) => v.path === h || v.path.startsWith(`${h}.`)));

  return (
    <form className={styles.form} aria-label="Record a formal assessment" noValidate onSubmit={(e) => void submit(e)}>
      <div className={styles.row}>
        <Field label="Date of the assessment" required validationState={err("date") ? "error" : "none"} validationMessage={err("date")}>
          <Controller
            control={control}
            name="date"
            render={({ field }) => <Input type="date" value={field.value} onChange={(_, d) => field.onChange(d.value)} />}
          />
        </Field>
        <Field label="Which assessment" required>
          <Controller
            control={control}
            name="number"
            render={({ field }) => (
              <RadioGroup layout="horizontal" value={field.value} onChange={(_, d) => field.onChange(d.value)}>
                <Radio value="1" label="First (end of year 1)" />
                <Radio value="2" label="Final (end of induction)" />
              </RadioGroup>
            )}
          />
        </Field>
      </div>
      <Controller
        control={control}
        name="ratings"
        render={({ field }) => (
          <RatingsGrid value={(field.value ?? {}) as RatingsValue} onChange={field.onChange} headings={headings} serverViolations={partViolations} optional />
        )}
      />
      {num === "1" ? (
        <Field label="Is the ECT on track?" validationState={at("onTrack").length ? "error" : "none"} validationMessage={msg(at("onTrack"))}>
          <Controller
            control={control}
            name="onTrack"
            render={({ field }) => (
              <RadioGroup layout="horizontal" value={field.value} onChange={(_, d) => field.onChange(d.value)}>
                <Radio value="yes" label="Yes, on track" />
                <Radio value="no" label="No, not on track" />
              </RadioGroup>
            )}
          />
        </Field>
      ) : (
        <Field
          label="Headteacher's recommendation to the appropriate body"
          required
          validationState={err("recommendation") ? "error" : "none"}
          validationMessage={err("recommendation")}
          style={{ maxWidth: 420 }}
        >
          <Controller
            control={control}
            name="recommendation"
            render={({ field }) => (
              <Select value={field.value} onChange={(_, d) => field.onChange(d.value)}>
                <option value="">Choose a recommendation</option>
                <option value="satisfactory">Satisfactory: meets the Teachers' Standards</option>
                <option value="unsatisfactory">Unsatisfactory</option>
                <option value="consider_extension">Consider an extension</option>
              </Select>
            )}
          />
        </Field>
      )}
      <Field label="Evidence summary" validationState={err("evidenceSummary") ? "error" : "none"} validationMessage={err("evidenceSummary")}>
        <Controller
          control={control}
          name="evidenceSummary"
          render={({ field }) => <Textarea rows={3} resize="vertical" value={field.value ?? ""} onChange={(_, d) => field.onChange(d.value)} />}
        />
      </Field>
      <Controller
        control={control}
        name="targets"
        render={({ field }) => <TargetsList targets={field.value} onChange={field.onChange} serverViolations={partViolations} required={false} />}
      />
      <Field
        label="The ECT's comments"
        hint="Added before signatures."
        validationState={err("ectComments") ? "error" : "none"}
        validationMessage={err("ectComments")}
      >
        <Controller
          control={control}
          name="ectComments"
          render={({ field }) => <Textarea rows={2} resize="vertical" value={field.value ?? ""} onChange={(_, d) => field.onChange(d.value)} />}
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
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={busy}>
          {busy ? "Recording…" : (submitLabel ?? "Record formal assessment")}
        </Button>
      </div>
    </form>
  );
}
