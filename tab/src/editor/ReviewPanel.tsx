import { useState } from "react";
import { Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Radio, RadioGroup, Text, Textarea } from "@fluentui/react-components";
import { TargetWord, targetWord, type PlanTemplate } from "@shared/templates";
import { suggestSuccessorLevel, ladder } from "@shared/ladder";
import type { Review, TargetOutcome } from "@shared/model/plan";
import { useApp } from "../AppContext";
import { ApiError } from "../lib/api";
import { useConcludeReview, useRecordReview } from "../lib/planWrites";
import { formatDateTime, todayIso } from "../lib/format";
import { navigate } from "../lib/router";
import type { PlanView, Violation } from "../lib/types";
import { useFormStyles } from "./PlanForm";
import { SuccessorPreview } from "./EscalateDialog";

const outcomeLabels: Record<TargetOutcome, string> = { met: "Met", partially_met: "Partially met", not_met: "Not met" };
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** One target's judgement as the form holds it: nothing is chosen until the reviewer chooses. */
interface OutcomeDraft {
  targetId: string;
  outcome?: TargetOutcome;
  evidence: string;
}
type ReviewDraft = Omit<Review, "recordedBy" | "recordedAt" | "targetOutcomes"> & { targetOutcomes: OutcomeDraft[] };

/** What a target still needs before the review can be recorded: an outcome, and its evidence. */
export function missingForTarget(o: OutcomeDraft | undefined, itt: boolean): string[] {
  const out: string[] = [];
  if (!o?.outcome) out.push(itt ? "choose met or not met" : "choose met, partially met or not met");
  if (!o?.evidence.trim()) out.push("give the evidence for the outcome");
  return out;
}

/**
 * The server's refusals, by target, read from each violation's path (never its wording): evidence
 * missing points at the outcome's place in what was sent, an outcome missing at the plan's target.
 */
function serverByTarget(violations: Violation[], sent: OutcomeDraft[], targetIds: string[]): { byTarget: Map<string, string[]>; general: string[] } {
  const byTarget = new Map<string, string[]>();
  const general: string[] = [];
  const add = (id: string | undefined, message: string) => {
    if (id) byTarget.set(id, [...(byTarget.get(id) ?? []), message]);
    else general.push(message);
  };
  for (const v of violations) {
    const at = /^review\.targetOutcomes\.(\d+)/.exec(v.path);
    if (at) add(sent[Number(at[1])]?.targetId, v.message);
    else if (/^targets\.\d+$/.test(v.path)) add(targetIds[Number(v.path.split(".")[1])], v.message);
    else general.push(v.message);
  }
  return { byTarget, general };
}

export function ReviewPanel({ view, template, dirty }: { view: PlanView; template: PlanTemplate; dirty: boolean }) {
  const styles = useFormStyles();
  const { notify } = useApp();
  const { plan } = view;
  // The review answers the plan, which goes into its cache entry; a conclusion reads the plan again (planWrites).
  const recordReview = useRecordReview(plan.id);
  const concludeReview = useConcludeReview(plan);
  const itt = template.sections.includes("itt_review");
  // "Objective 2" on the Level forms, "Target 2" on the others: the form's own word.
  const Word = TargetWord(template.id);
  const word = targetWord(template.id);
  const [review, setReview] = useState<ReviewDraft>(() => ({
    date: plan.review?.date ?? todayIso(),
    notes: plan.review?.notes ?? "",
    // No outcome is pre-selected: each target is judged, with its evidence, by the reviewer.
    targetOutcomes: plan.targets.map((t) => plan.review?.targetOutcomes.find((o) => o.targetId === t.id) ?? { targetId: t.id, evidence: "" }),
    evaluation: plan.review?.evaluation ?? "",
    nextObjectives: plan.review?.nextObjectives ?? "",
    ...(plan.review?.onTrack !== undefined ? { onTrack: plan.review.onTrack } : {}),
    finalOutcome: plan.review?.finalOutcome ?? "",
  }));
  const [decision, setDecision] = useState<"on_track" | "continue" | "escalate" | "">("");
  const [reason, setReason] = useState("");
  const [concluding, setConcluding] = useState(false);
  const busy = recordReview.isPending || concluding;
  const [attempted, setAttempted] = useState(false);
  const [error, setError] = useState<string>();
  const [refused, setRefused] = useState<{ byTarget: Map<string, string[]>; general: string[] }>();
  // A review is recorded on a plan that was agreed (and perhaps running), once; then concluded.
  const reviewable = plan.status === "agreed" || plan.status === "active";
  const waitingAmendment = !!plan.amendment;
  const canReview = view.allowed.review && reviewable && !waitingAmendment;
  const canConclude = view.allowed.review && plan.status === "in_review" && !!plan.review;
  const editable = canReview;
  const setOutcome = (i: number, patch: Partial<OutcomeDraft>) =>
    setReview((r) => ({ ...r, targetOutcomes: r.targetOutcomes.map((o, j) => (j === i ? { ...o, ...patch } : o)) }));

  const missing = plan.targets.map((t, i) => ({ n: i + 1, id: t.id, what: missingForTarget(review.targetOutcomes[i], itt) })).filter((m) => m.what.length > 0);

  const successorLevel =
    decision === "on_track" || decision === ""
      ? undefined
      : plan.templateId === "itt_early_support"
        ? 4
        : plan.level !== undefined
          ? suggestSuccessorLevel(plan.level, decision, false)
          : undefined;
  const needsReason = decision === "continue" || decision === "escalate";

  const record = async () => {
    setAttempted(true);
    setError(undefined);
    setRefused(undefined);
    // Nothing is sent while a target lacks its outcome or evidence: the form says which, per target.
    if (missing.length > 0) return;
    const sent = review.targetOutcomes.filter((o): o is OutcomeDraft & { outcome: TargetOutcome } => !!o.outcome);
    try {
      await recordReview.mutateAsync({ review: { ...review, targetOutcomes: sent }, against: view });
      notify("Review recorded");
    } catch (e) {
      setError(errorText(e));
      if (e instanceof ApiError && e.problem.violations?.length) {
        setRefused(
          serverByTarget(
            e.problem.violations,
            sent,
            plan.targets.map((t) => t.id),
          ),
        );
      }
    }
  };
  const conclude = async () => {
    if (!decision) return;
    // Busy until the successor opens, or (on track) until the closed plan is read again.
    setConcluding(true);
    setError(undefined);
    try {
      const res = await concludeReview.mutateAsync({ decision, reason: reason.trim(), against: view });
      if (res.successorId) {
        notify(`Started the Level ${successorLevel ?? ""} plan with the ${word}s not met`);
        navigate(`/plans/${res.successorId}`);
      } else {
        // The closed plan has been read again by now (planWrites): the editor shows it closed.
        notify("Plan closed: the ECT is on track");
        setConcluding(false);
      }
    } catch (e) {
      setError(errorText(e));
      setConcluding(false);
    }
  };

  if (!plan.review && !(view.allowed.review && reviewable)) return null;
  const heading = itt ? "Review of the early support plan" : "Review";
  // The plan is reviewed as agreed: not while a proposed change to the agreement waits.
  if (!plan.review && !canReview)
    return (
      <section className={styles.section} aria-labelledby="sec-review" data-section="review">
        <h2 id="sec-review" className={styles.h2}>
          {heading}
        </h2>
        <MessageBar intent="info">
          <MessageBarBody>An amendment to this plan is waiting: have it signed or withdraw it, then review the plan as agreed.</MessageBarBody>
        </MessageBar>
      </section>
    );
  return (
    <section className={styles.section} aria-labelledby="sec-review" data-section="review">
      <h2 id="sec-review" className={styles.h2}>
        {heading}
      </h2>
      {!canReview && plan.review && (
        <Text block className={styles.guidance}>
          Recorded {formatDateTime(plan.review.recordedAt)}.
        </Text>
      )}
      {canReview && (
        <Text block className={styles.guidance}>
          Judge every {word}: choose whether it was met and give the evidence. Nothing is chosen for you.
        </Text>
      )}
      <fieldset disabled={!editable || busy} style={{ border: "none", padding: 0, margin: 0 }}>
        <legend className="sr-only" style={{ position: "absolute", left: -9999 }}>
          Review of the plan
        </legend>
        <div className={styles.grid}>
          <Field label="Date of review">
            <Input type="date" value={review.date ?? ""} onChange={(_, d) => setReview((r) => ({ ...r, date: d.value || undefined }))} readOnly={!editable} />
          </Field>
        </div>
        {itt && (
          <Field label="Notes from the review meeting" style={{ marginTop: 12 }}>
            <Textarea value={review.notes} onChange={(_, d) => setReview((r) => ({ ...r, notes: d.value }))} readOnly={!editable} />
          </Field>
        )}
        {plan.targets.map((t, i) => {
          const o = review.targetOutcomes[i];
          if (!o) return null;
          const stillNeeded = editable ? missingForTarget(o, itt) : [];
          const fromServer = refused?.byTarget.get(t.id) ?? [];
          const showErrors = attempted && stillNeeded.length > 0;
          return (
            <div key={t.id} style={{ marginTop: 16 }} data-testid={`review-target-${i + 1}`}>
              <Text weight="semibold" block>
                {Word} {i + 1}: {t.text || "(no wording yet)"} {t.standards.length ? `(${t.standards.join(", ")})` : ""}
              </Text>
              <div className={styles.gridWide}>
                <Field
                  label={`Outcome for ${word} ${i + 1}`}
                  required={editable}
                  {...(showErrors && !o.outcome ? { validationState: "error" as const, validationMessage: `${Word} ${i + 1}: ${stillNeeded[0]}.` } : {})}
                >
                  <RadioGroup layout="horizontal" value={o.outcome ?? ""} onChange={(_, d) => setOutcome(i, { outcome: d.value as TargetOutcome })}>
                    {(itt ? (["met", "not_met"] as const) : (["met", "partially_met", "not_met"] as const)).map((k) => (
                      <Radio key={k} value={k} label={outcomeLabels[k]} />
                    ))}
                  </RadioGroup>
                </Field>
                <Field
                  label={`Evidence for ${word} ${i + 1}`}
                  required={editable}
                  {...(showErrors && !o.evidence.trim()
                    ? { validationState: "error" as const, validationMessage: `${Word} ${i + 1}: give the evidence for the outcome.` }
                    : {})}
                >
                  <Textarea value={o.evidence} onChange={(_, d) => setOutcome(i, { evidence: d.value })} readOnly={!editable} />
                </Field>
              </div>
              {!showErrors && stillNeeded.length > 0 && (
                <Text size={200} block className={styles.sectionWarn} data-testid="review-missing">
                  Still to do for {word} {i + 1}: {stillNeeded.join(" and ")}.
                </Text>
              )}
              {fromServer.map((m) => (
                <Text key={m} role="alert" block className={styles.sectionMsg}>
                  {m}
                </Text>
              ))}
            </div>
          );
        })}
        <div className={styles.gridWide} style={{ marginTop: 16 }}>
          <Field label="Evaluation">
            <Textarea value={review.evaluation} onChange={(_, d) => setReview((r) => ({ ...r, evaluation: d.value }))} readOnly={!editable} rows={3} />
          </Field>
          <Field label="Next objectives">
            <Textarea value={review.nextObjectives} onChange={(_, d) => setReview((r) => ({ ...r, nextObjectives: d.value }))} readOnly={!editable} rows={3} />
          </Field>
          {itt && (
            <Field label="Final outcome from the support plan procedure">
              <Textarea value={review.finalOutcome} onChange={(_, d) => setReview((r) => ({ ...r, finalOutcome: d.value }))} readOnly={!editable} />
            </Field>
          )}
        </div>
        <Field label="Is the ECT on track at end date?" style={{ marginTop: 12 }}>
          <RadioGroup
            layout="horizontal"
            value={review.onTrack === undefined ? "" : review.onTrack ? "yes" : "no"}
            onChange={(_, d) => setReview((r) => ({ ...r, onTrack: d.value === "yes" }))}
          >
            <Radio value="yes" label="Yes" />
            <Radio value="no" label="No" />
          </RadioGroup>
        </Field>
      </fieldset>
      {attempted && missing.length > 0 && (
        <MessageBar intent="error" layout="multiline" style={{ marginTop: 12 }} data-testid="review-incomplete">
          <MessageBarBody>
            <MessageBarTitle>The review is not recorded yet</MessageBarTitle>
            <ul style={{ margin: "4px 0 0", paddingLeft: 20 }}>
              {missing.map((m) => (
                <li key={m.id}>
                  {Word} {m.n}: {m.what.join(" and ")}.
                </li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}
      {error && (
        <Text role="alert" className={styles.sectionMsg} style={{ marginTop: 8 }}>
          {error}
          {refused?.general.length ? `: ${refused.general.join(" ")}` : ""}
        </Text>
      )}
      {canReview && (
        <div style={{ marginTop: 12 }}>
          <Button appearance="primary" disabled={busy || dirty} onClick={() => void record()}>
            Record the review
          </Button>
          {dirty && (
            <Text size={200} style={{ marginLeft: 8 }}>
              Save your changes to the plan first.
            </Text>
          )}
        </div>
      )}
      {canConclude && plan.review && (
        <div style={{ marginTop: 20 }} data-testid="conclude">
          <h3 style={{ margin: "0 0 8px" }}>What happens next</h3>
          <RadioGroup value={decision} onChange={(_, d) => setDecision(d.value as typeof decision)} aria-label="What happens next">
            <Radio value="on_track" disabled={plan.review.onTrack !== true} label="On track: close the plan; the ECT comes off support" />
            <Radio value="continue" label="Some progress: a further plan" />
            <Radio value="escalate" label="Not enough progress: escalate to the next level" />
          </RadioGroup>
          {successorLevel !== undefined && (
            <MessageBar intent="info" style={{ marginTop: 8 }}>
              <MessageBarBody>
                <MessageBarTitle>
                  Level {successorLevel} – {ladder.find((l) => l.level === successorLevel)?.name}
                </MessageBarTitle>
                The ladder suggests this level.
              </MessageBarBody>
            </MessageBar>
          )}
          {successorLevel !== undefined && <SuccessorPreview plan={plan} level={successorLevel} />}
          <Field label="Reason" required={needsReason} hint="Kept on the plan, carried on the alert and printed in the export." style={{ marginTop: 8 }}>
            <Textarea value={reason} onChange={(_, d) => setReason(d.value)} maxLength={2000} />
          </Field>
          <Button appearance="primary" style={{ marginTop: 8 }} disabled={busy || !decision || (needsReason && !reason.trim())} onClick={() => void conclude()}>
            {decision === "on_track" ? "Close the plan" : decision ? `Start the Level ${successorLevel ?? ""} plan` : "Choose what happens next"}
          </Button>
        </div>
      )}
    </section>
  );
}
