import { useState } from "react";
import {
  Badge,
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Select,
  Text,
  Textarea,
} from "@fluentui/react-components";
import { signerLabels, type PlanTemplate } from "@shared/templates";
import { suggestSuccessorLevel, ladder } from "@shared/ladder";
import type { Review, TargetOutcome } from "@shared/model/plan";
import { useApp } from "../AppContext";
import { ifMatch } from "../lib/api";
import { formatDate, formatDateTime, todayIso } from "../lib/format";
import { navigate } from "../lib/router";
import type { PlanView } from "../lib/types";
import { useFormStyles } from "./PlanForm";
import type { MergeConflict } from "./model";

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function SignaturesPanel({
  view,
  dirty,
  agreeBlockers,
  onView,
}: {
  view: PlanView;
  dirty: boolean;
  agreeBlockers: number;
  onView: (v: PlanView) => void;
}) {
  const styles = useFormStyles();
  const { api, me, notify } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const { plan } = view;
  const run = async (what: () => Promise<PlanView>, done: string) => {
    setBusy(true);
    setError(undefined);
    try {
      onView(await what());
      notify(done);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const mine = view.missingSigners.filter((s) => s.personId === me.person.id);
  return (
    <section className={styles.section} aria-labelledby="sec-signatures" data-section="signatures">
      <h2 id="sec-signatures" className={styles.h2}>
        Signatures
      </h2>
      <Text block className={styles.guidance}>
        A signature binds revision {plan.revision} of the plan. Changing what was agreed voids the signatures and asks again.
      </Text>
      <ul style={{ listStyle: "none", padding: 0, margin: 0, display: "grid", gap: 8 }} data-testid="signers">
        {view.signers.map((s) => {
          const valid = view.validSignatures.find((v) => v.role === s.role);
          const stale = !valid && plan.signatures.filter((x) => x.role === s.role).at(-1);
          return (
            <li key={s.role} style={{ display: "flex", gap: 12, alignItems: "center", flexWrap: "wrap" }}>
              <Text weight="semibold" style={{ minWidth: 180 }}>
                {signerLabels[s.role]}
              </Text>
              {!valid && s.role !== "ect" && s.role !== "trainee" && view.allowed.request_signatures && view.signerCandidates.length > 0 ? (
                <Select
                  aria-label={`Who signs as ${signerLabels[s.role]}`}
                  value={s.personId ?? ""}
                  disabled={busy || dirty}
                  style={{ minWidth: 200 }}
                  onChange={(_, d) => {
                    if (d.value)
                      void run(
                        () => api.send<PlanView>("PUT", `/api/plans/${plan.id}/signers/${s.role}`, { personId: d.value }, ifMatch(view)),
                        `${signerLabels[s.role]} named`,
                      );
                  }}
                >
                  {!s.personId && <option value="">No one assigned — choose…</option>}
                  {view.signerCandidates.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </Select>
              ) : (
                <Text style={{ minWidth: 160 }}>{s.name ?? "No one assigned"}</Text>
              )}
              {valid ? (
                <Badge color="success" appearance="tint">
                  Signed {formatDate(valid.signedAt)}
                </Badge>
              ) : stale ? (
                <Badge color="warning" appearance="tint">
                  Signed revision {stale.revision}; the plan changed since — needs signing again
                </Badge>
              ) : (
                <Badge color="informative" appearance="outline">
                  Not signed yet
                </Badge>
              )}
            </li>
          );
        })}
      </ul>
      {error && (
        <Text role="alert" className={styles.sectionMsg} style={{ marginTop: 8 }}>
          {error}
        </Text>
      )}
      <div style={{ display: "flex", gap: 8, marginTop: 12, flexWrap: "wrap" }}>
        {view.allowed.sign && mine.length > 0 && (
          <Button
            appearance="primary"
            disabled={busy || dirty}
            onClick={() => void run(() => api.send<PlanView>("POST", `/api/plans/${plan.id}/signatures`, { revision: plan.revision }), "Signed")}
          >
            Sign as {mine.map((s) => signerLabels[s.role]).join(" and ")}
          </Button>
        )}
        {view.allowed.request_signatures && view.missingSigners.length > 0 && (
          <Button
            disabled={busy || dirty || agreeBlockers > 0}
            onClick={() => void run(() => api.send<PlanView>("POST", `/api/plans/${plan.id}/signature-requests`, {}), "Signature requests sent")}
          >
            Request signatures
          </Button>
        )}
        {view.allowed.start_plan && plan.status === "agreed" && (
          <Button disabled={busy || dirty} onClick={() => void run(() => api.send<PlanView>("POST", `/api/plans/${plan.id}/start`, {}), "Plan started")}>
            Start the plan now
          </Button>
        )}
      </div>
      {dirty && (view.allowed.sign || view.allowed.request_signatures) && (
        <Text block size={200} style={{ marginTop: 6 }}>
          Save your changes before signing or asking for signatures.
        </Text>
      )}
      {!dirty && agreeBlockers > 0 && view.allowed.request_signatures && view.missingSigners.length > 0 && (
        <Text block size={200} style={{ marginTop: 6 }}>
          Finish the {agreeBlockers} item{agreeBlockers === 1 ? "" : "s"} listed at the top before asking for signatures.
        </Text>
      )}
    </section>
  );
}

const outcomeLabels: Record<TargetOutcome, string> = { met: "Met", partially_met: "Partially met", not_met: "Not met" };

export function ReviewPanel({ view, template, dirty, onView }: { view: PlanView; template: PlanTemplate; dirty: boolean; onView: (v: PlanView) => void }) {
  const styles = useFormStyles();
  const { api, notify } = useApp();
  const { plan } = view;
  const itt = template.sections.includes("itt_review");
  const [review, setReview] = useState<Omit<Review, "recordedBy" | "recordedAt">>(() => ({
    date: plan.review?.date ?? todayIso(),
    notes: plan.review?.notes ?? "",
    targetOutcomes: plan.targets.map(
      (t) => plan.review?.targetOutcomes.find((o) => o.targetId === t.id) ?? { targetId: t.id, outcome: "met" as const, evidence: "" },
    ),
    evaluation: plan.review?.evaluation ?? "",
    nextObjectives: plan.review?.nextObjectives ?? "",
    ...(plan.review?.onTrack !== undefined ? { onTrack: plan.review.onTrack } : {}),
    finalOutcome: plan.review?.finalOutcome ?? "",
  }));
  const [decision, setDecision] = useState<"on_track" | "continue" | "escalate">(plan.review?.onTrack ? "on_track" : "escalate");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const canReview = view.allowed.review && ["agreed", "active", "in_review"].includes(plan.status);
  const editable = canReview;
  const setOutcome = (i: number, patch: Partial<Review["targetOutcomes"][number]>) =>
    setReview((r) => ({ ...r, targetOutcomes: r.targetOutcomes.map((o, j) => (j === i ? { ...o, ...patch } : o)) }));

  const successorLevel =
    decision === "on_track"
      ? undefined
      : plan.templateId === "itt_early_support"
        ? 4
        : plan.level !== undefined
          ? suggestSuccessorLevel(plan.level, decision, false)
          : undefined;

  const record = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onView(await api.send<PlanView>("PUT", `/api/plans/${plan.id}/review`, { review }, ifMatch(view)));
      notify("Review recorded");
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const conclude = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const res = await api.send<{ successorId: string | null }>("POST", `/api/plans/${plan.id}/conclusion`, { decision, reason }, ifMatch(view));
      if (res.successorId) {
        notify(`Started the Level ${successorLevel ?? ""} plan with the targets not met`);
        navigate(`/plans/${res.successorId}`);
      } else {
        notify("Plan closed: the ECT is on track");
        onView(await api.get<PlanView>(`/api/plans/${plan.id}`));
      }
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  if (!plan.review && !canReview) return null;
  return (
    <section className={styles.section} aria-labelledby="sec-review" data-section="review">
      <h2 id="sec-review" className={styles.h2}>
        {itt ? "Review of the early support plan" : "Review"}
      </h2>
      {!canReview && plan.review && (
        <Text block className={styles.guidance}>
          Recorded {formatDateTime(plan.review.recordedAt)}.
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
          return (
            <div key={t.id} style={{ marginTop: 16 }} data-testid={`review-target-${i + 1}`}>
              <Text weight="semibold" block>
                Target {i + 1}: {t.text || "(no wording yet)"} {t.standards.length ? `(${t.standards.join(", ")})` : ""}
              </Text>
              <div className={styles.gridWide}>
                <Field label={`Outcome for target ${i + 1}`}>
                  <RadioGroup layout="horizontal" value={o.outcome} onChange={(_, d) => setOutcome(i, { outcome: d.value as TargetOutcome })}>
                    {(itt ? (["met", "not_met"] as const) : (["met", "partially_met", "not_met"] as const)).map((k) => (
                      <Radio key={k} value={k} label={outcomeLabels[k]} />
                    ))}
                  </RadioGroup>
                </Field>
                <Field label={`Evidence for target ${i + 1}`}>
                  <Textarea value={o.evidence} onChange={(_, d) => setOutcome(i, { evidence: d.value })} readOnly={!editable} />
                </Field>
              </div>
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
      {error && (
        <Text role="alert" className={styles.sectionMsg}>
          {error}
        </Text>
      )}
      {canReview && (
        <div style={{ marginTop: 12 }}>
          <Button appearance={plan.status === "in_review" ? "secondary" : "primary"} disabled={busy || dirty} onClick={() => void record()}>
            {plan.review ? "Update the review" : "Record the review"}
          </Button>
          {dirty && (
            <Text size={200} style={{ marginLeft: 8 }}>
              Save your changes to the plan first.
            </Text>
          )}
        </div>
      )}
      {canReview && plan.status === "in_review" && plan.review && (
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
                The ladder suggests this level. The new plan starts with the targets that were not met.
              </MessageBarBody>
            </MessageBar>
          )}
          <Field label="Reason" style={{ marginTop: 8 }}>
            <Textarea value={reason} onChange={(_, d) => setReason(d.value)} />
          </Field>
          <Button appearance="primary" style={{ marginTop: 8 }} disabled={busy} onClick={() => void conclude()}>
            {decision === "on_track" ? "Close the plan" : `Start the Level ${successorLevel ?? ""} plan`}
          </Button>
        </div>
      )}
    </section>
  );
}

export function CommentsPanel({ view, onView }: { view: PlanView; onView: (v: PlanView) => void }) {
  const styles = useFormStyles();
  const { api, notify } = useApp();
  const [text, setText] = useState("");
  const [week, setWeek] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const { plan } = view;
  const post = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onView(await api.send<PlanView>("POST", `/api/plans/${plan.id}/comments`, { text, ...(week ? { week: Number(week) } : {}) }));
      setText("");
      notify("Comment added");
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className={styles.section} aria-labelledby="sec-comments" data-section="comments">
      <h2 id="sec-comments" className={styles.h2}>
        Comments
      </h2>
      {plan.comments.length === 0 && <Text block>No comments yet.</Text>}
      <ol style={{ listStyle: "none", padding: 0, margin: 0, display: "grid", gap: 10 }}>
        {plan.comments.map((c) => (
          <li key={c.id}>
            <Text weight="semibold">{c.authorName}</Text>{" "}
            <Text size={200}>
              {formatDateTime(c.at)}
              {c.week ? ` · week ${c.week}` : ""}
            </Text>
            <Text block style={{ whiteSpace: "pre-wrap" }}>
              {c.text}
            </Text>
          </li>
        ))}
      </ol>
      {view.allowed.comment && (
        <div style={{ marginTop: 12, display: "grid", gap: 8, maxWidth: 720 }}>
          <Field label="Add a comment">
            <Textarea value={text} onChange={(_, d) => setText(d.value)} />
          </Field>
          {plan.weeks.length > 0 && (
            <Field label="About week (optional)">
              <Select value={week} onChange={(_, d) => setWeek(d.value)} style={{ maxWidth: 240 }}>
                <option value="">The plan as a whole</option>
                {plan.weeks.map((w) => (
                  <option key={w.week} value={w.week}>
                    Week {w.week}
                  </option>
                ))}
              </Select>
            </Field>
          )}
          {error && (
            <Text role="alert" className={styles.sectionMsg}>
              {error}
            </Text>
          )}
          <div>
            <Button disabled={busy || !text.trim()} onClick={() => void post()}>
              Post comment
            </Button>
          </div>
        </div>
      )}
    </section>
  );
}

const show = (v: unknown) =>
  v === undefined || v === ""
    ? "(empty)"
    : Array.isArray(v)
      ? v.join(", ")
      : typeof v === "string"
        ? v
        : typeof v === "number" || typeof v === "boolean" || typeof v === "bigint"
          ? String(v)
          : JSON.stringify(v);

/** Someone saved first: what they changed, and a choice per field where both of us wrote. */
export function ConflictPanel({
  changedByThem,
  conflicts,
  reapplied,
  by,
  onResolve,
  busy,
}: {
  changedByThem: string[];
  conflicts: MergeConflict[];
  reapplied: number;
  by: string | undefined;
  onResolve: (choices: Record<string, "mine" | "theirs">) => void;
  busy: boolean;
}) {
  const styles = useFormStyles();
  const [choices, setChoices] = useState<Record<string, "mine" | "theirs">>({});
  return (
    <section
      className={styles.section}
      aria-labelledby="sec-conflict"
      data-testid="conflict"
      style={{ borderLeft: "4px solid var(--colorPaletteDarkOrangeBorder2)" }}
    >
      <h2 id="sec-conflict" className={styles.h2}>
        Someone else saved this plan first
      </h2>
      <Text block>
        {by ? `${by} saved` : "Someone saved"} a newer version after you opened it. Nothing you typed is lost: your changes
        {reapplied > 0 ? ` (${reapplied} field${reapplied === 1 ? "" : "s"})` : ""} are kept on top of their version.
      </Text>
      {changedByThem.length > 0 && (
        <>
          <h3 style={{ margin: "12px 0 4px" }}>What they changed</h3>
          <ul data-testid="changed-by-them">
            {changedByThem.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </>
      )}
      {conflicts.length > 0 && <h3 style={{ margin: "12px 0 4px" }}>You both changed these — choose which to keep</h3>}
      {conflicts.map((c) => (
        <div key={c.key} style={{ marginBottom: 12 }}>
          <Field label={c.label}>
            <RadioGroup value={choices[c.key] ?? "mine"} onChange={(_, d) => setChoices((x) => ({ ...x, [c.key]: d.value as "mine" | "theirs" }))}>
              <Radio value="mine" label={`Keep my text: ${show(c.mine)}`} />
              <Radio value="theirs" label={`Use theirs: ${show(c.theirs)}`} />
            </RadioGroup>
          </Field>
        </div>
      ))}
      <Button appearance="primary" disabled={busy} onClick={() => onResolve(choices)}>
        Save the merged version
      </Button>
    </section>
  );
}
