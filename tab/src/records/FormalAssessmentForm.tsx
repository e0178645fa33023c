import { useState } from "react";
import { Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Radio, RadioGroup, Select, Textarea } from "@fluentui/react-components";
import type { Violation } from "../lib/types";
import { todayIso } from "../lib/format";
import { RatingsGrid, TargetsList, useRecordFormStyles, violationsAt, type RatingsValue } from "./ProgressReviewForm";

export interface FormalAssessmentBody {
  date: string;
  number: 1 | 2;
  ratings: RatingsValue;
  evidenceSummary: string;
  onTrack?: boolean;
  targets: { text: string; standards: string[] }[];
  recommendation?: "satisfactory" | "unsatisfactory" | "consider_extension";
  ectComments: string;
}

/** The formal assessment (end of year 1, or the final one with the head's recommendation). */
export function FormalAssessmentForm({
  headings,
  onSubmit,
  serverViolations = [],
  serverError,
}: {
  headings: { code: string; title: string }[];
  onSubmit: (b: FormalAssessmentBody) => Promise<void>;
  serverViolations?: Violation[];
  serverError?: string;
}) {
  const styles = useRecordFormStyles();
  const [date, setDate] = useState(todayIso());
  const [num, setNum] = useState<"1" | "2">("1");
  const [ratings, setRatings] = useState<RatingsValue>({});
  const [evidenceSummary, setEvidenceSummary] = useState("");
  const [onTrack, setOnTrack] = useState<"" | "yes" | "no">("");
  const [recommendation, setRecommendation] = useState("");
  const [targets, setTargets] = useState<string[]>([""]);
  const [ectComments, setEctComments] = useState("");
  const [busy, setBusy] = useState(false);
  const at = (p: string) => violationsAt(serverViolations, p);
  const msg = (vs: Violation[]) => (vs.length ? vs.map((v) => v.message).join(" ") : undefined);
  const handled = ["ratings", "targets", "onTrack", "evidenceSummary", "recommendation", "date", "number", "ectComments"];
  const other = serverViolations.filter((v) => !handled.some((h) => v.path === h || v.path.startsWith(`${h}.`)));

  const submit = async () => {
    setBusy(true);
    try {
      await onSubmit({
        date,
        number: num === "2" ? 2 : 1,
        ratings,
        evidenceSummary,
        ...(num === "1" && onTrack ? { onTrack: onTrack === "yes" } : {}),
        ...(num === "2" && recommendation ? { recommendation: recommendation as FormalAssessmentBody["recommendation"] & string } : {}),
        targets: targets.filter((t) => t.trim()).map((text) => ({ text, standards: [] })),
        ectComments,
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className={styles.form}
      aria-label="Record a formal assessment"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className={styles.row}>
        <Field label="Date of the assessment" required validationState={at("date").length ? "error" : "none"} validationMessage={msg(at("date"))}>
          <Input type="date" value={date} onChange={(_, d) => setDate(d.value)} />
        </Field>
        <Field label="Which assessment" required>
          <RadioGroup layout="horizontal" value={num} onChange={(_, d) => setNum(d.value as "1" | "2")}>
            <Radio value="1" label="First (end of year 1)" />
            <Radio value="2" label="Final (end of induction)" />
          </RadioGroup>
        </Field>
      </div>
      <RatingsGrid value={ratings} onChange={setRatings} headings={headings} serverViolations={serverViolations} optional />
      {num === "1" ? (
        <Field label="Is the ECT on track?" validationState={at("onTrack").length ? "error" : "none"} validationMessage={msg(at("onTrack"))}>
          <RadioGroup layout="horizontal" value={onTrack} onChange={(_, d) => setOnTrack(d.value as "yes" | "no")}>
            <Radio value="yes" label="Yes, on track" />
            <Radio value="no" label="No, not on track" />
          </RadioGroup>
        </Field>
      ) : (
        <Field
          label="Headteacher's recommendation to the appropriate body"
          required
          validationState={at("recommendation").length ? "error" : "none"}
          validationMessage={msg(at("recommendation"))}
          style={{ maxWidth: 420 }}
        >
          <Select value={recommendation} onChange={(_, d) => setRecommendation(d.value)}>
            <option value="">Choose a recommendation</option>
            <option value="satisfactory">Satisfactory: meets the Teachers' Standards</option>
            <option value="unsatisfactory">Unsatisfactory</option>
            <option value="consider_extension">Consider an extension</option>
          </Select>
        </Field>
      )}
      <Field label="Evidence summary" validationState={at("evidenceSummary").length ? "error" : "none"} validationMessage={msg(at("evidenceSummary"))}>
        <Textarea rows={3} resize="vertical" value={evidenceSummary} onChange={(_, d) => setEvidenceSummary(d.value)} />
      </Field>
      <TargetsList targets={targets} onChange={setTargets} serverViolations={serverViolations} required={false} />
      <Field label="The ECT's comments" hint="Added before signatures.">
        <Textarea rows={2} resize="vertical" value={ectComments} onChange={(_, d) => setEctComments(d.value)} />
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
          {busy ? "Recording…" : "Record formal assessment"}
        </Button>
      </div>
    </form>
  );
}
