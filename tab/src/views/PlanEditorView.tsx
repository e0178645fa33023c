import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Badge, Button, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { templateById } from "@shared/templates";
import { blockingViolations, validatePlan } from "@shared/rules";
import { agreementChanges, editorContent, pathPart } from "@shared/agreement";
import { useApp } from "../AppContext";
import { ApiError, ifMatch } from "../lib/api";
import { Link } from "../lib/router";
import { formatDateTime, outcomeLabels, todayIso } from "../lib/format";
import type { Plan, PlanContent, PlanView, Violation } from "../lib/types";
import { PlanForm } from "../editor/PlanForm";
import { TargetEvidence } from "../records/TargetEvidence";
import { CommentsPanel, ConflictPanel } from "../editor/Panels";
import { SignaturesPanel } from "../editor/SignaturesPanel";
import { ReviewPanel } from "../editor/ReviewPanel";
import { AmendmentPanel } from "../editor/AmendmentPanel";
import { PlanOrigin, useCarriedEvidence } from "../editor/PlanOrigin";
import { agreedValueAt } from "../editor/amendmentView";
import { EscalateDialog, canEscalate } from "../editor/EscalateDialog";
import { canEditPath, clearDrafts, contentOf, loadDraft, mergeContent, sameContent, saveDraft, type MergeResult } from "../editor/model";

const useStyles = makeStyles({
  head: { display: "flex", flexWrap: "wrap", alignItems: "baseline", gap: tokens.spacingHorizontalM, marginBottom: tokens.spacingVerticalS },
  h1: { margin: 0, fontSize: tokens.fontSizeBase600 },
  meta: {
    display: "flex",
    flexWrap: "wrap",
    gap: tokens.spacingHorizontalM,
    alignItems: "center",
    marginBottom: tokens.spacingVerticalL,
    color: tokens.colorNeutralForeground2,
  },
  summary: { marginBottom: tokens.spacingVerticalL },
  bar: {
    position: "sticky",
    bottom: 0,
    zIndex: 5,
    display: "flex",
    gap: tokens.spacingHorizontalM,
    alignItems: "center",
    flexWrap: "wrap",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderTop: `1px solid ${tokens.colorNeutralStroke1}`,
    boxShadow: tokens.shadow16,
    marginTop: tokens.spacingVerticalL,
  },
  grow: { flexGrow: 1 },
  list: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingLeft: tokens.spacingHorizontalXL },
});

/** What the editor shows and saves: the plan with any proposed amendment in place (the domain's editorContent). */
const shownContent = (plan: Plan) => contentOf(editorContent(plan));
/** A plan whose agreement is signed and running: changing the agreement proposes an amendment. */
const amendable = (plan: Plan) => plan.status === "agreed" || plan.status === "active";

interface ConflictState {
  merge: MergeResult;
  by: string | undefined;
}

export default function PlanEditorView({ planId, storage = localStorage }: { planId: string; storage?: Storage }) {
  const styles = useStyles();
  const { api, notify } = useApp();
  const [view, setView] = useState<PlanView>();
  const [base, setBase] = useState<PlanContent>();
  const [content, setContent] = useState<PlanContent>();
  const [loadError, setLoadError] = useState<string>();
  const [saveError, setSaveError] = useState<{ message: string; violations: Violation[] }>();
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<ConflictState>();
  const [restored, setRestored] = useState<string>();
  const [escalating, setEscalating] = useState(false);
  const carriedEvidence = useCarriedEvidence(view);
  const loaded = useRef(false);

  useEffect(() => {
    let cancelled = false;
    api
      .get<PlanView>(`/api/plans/${encodeURIComponent(planId)}`)
      .then((v) => {
        if (cancelled) return;
        const current = shownContent(v.plan);
        setView(v);
        setBase(current);
        const draft = loadDraft(storage, planId);
        if (draft && draft.version === v.plan.version && !sameContent(draft.content, current)) {
          setContent(draft.content);
          setRestored(draft.savedAt);
        } else if (draft && draft.version < v.plan.version && !sameContent(draft.content, draft.base)) {
          const merge = mergeContent(draft.base, draft.content, current);
          setContent(merge.build());
          if (merge.conflicts.length > 0) setConflict({ merge, by: undefined });
          else setRestored(draft.savedAt);
        } else {
          if (draft) clearDrafts(storage, planId);
          setContent(current);
        }
        loaded.current = true;
      })
      .catch((e: Error) => !cancelled && setLoadError(e.message));
    return () => {
      cancelled = true;
    };
  }, [api, planId, storage]);

  const template = view ? templateById(view.plan.templateId) : undefined;
  const dirty = !!content && !!base && !sameContent(content, base);

  // Unsaved changes survive a reload: a draft keyed by plan id and the version it was written on.
  useEffect(() => {
    if (!loaded.current || !view || !content || !base) return;
    if (dirty) saveDraft(storage, { planId, version: view.plan.version, base, content });
    else clearDrafts(storage, planId);
  }, [content, base, view, dirty, planId, storage]);

  useEffect(() => {
    if (view) document.title = `${view.ect.name} – ${templateById(view.plan.templateId).name}`;
  }, [view]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const violations = useMemo(() => {
    if (!view || !content) return [];
    const local = validatePlan({ ...content, templateId: view.plan.templateId, level: view.plan.level }, { today: todayIso() });
    // The server knows the ECT's induction record (for advice such as "escalate an ECT2 sooner").
    const serverOnly = view.violations.filter((v) => v.code === "ect2-near-end");
    return [...local, ...serverOnly];
  }, [view, content]);

  /** Take a newer plan view (after signing, commenting, reviewing...) without dropping edits. */
  const adoptView = useCallback(
    (next: PlanView) => {
      const theirs = shownContent(next.plan);
      setView(next);
      setContent((mine) => (mine && base && !sameContent(mine, base) ? mergeContent(base, mine, theirs).build() : theirs));
      setBase(theirs);
    },
    [base],
  );

  const save = async (toSave: PlanContent, against: PlanView) => {
    setSaving(true);
    setSaveError(undefined);
    try {
      const saved = await api.send<PlanView>("PUT", `/api/plans/${encodeURIComponent(planId)}`, { content: toSave }, ifMatch(against));
      const now = shownContent(saved.plan);
      clearDrafts(storage, planId);
      setView(saved);
      setBase(now);
      setContent(now);
      setConflict(undefined);
      setRestored(undefined);
      notify("Saved");
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.problem.current && base) {
        const current = e.problem.current;
        const theirs = shownContent(current.plan);
        const merge = mergeContent(base, toSave, theirs);
        setView(current);
        setBase(theirs);
        setContent(merge.build());
        setConflict({ merge, by: undefined });
      } else if (e instanceof ApiError) {
        setSaveError({ message: e.message, violations: e.problem.violations ?? [] });
      } else {
        setSaveError({ message: e instanceof Error ? e.message : String(e), violations: [] });
      }
    } finally {
      setSaving(false);
    }
  };

  if (loadError) return <Text role="alert">Could not open this plan: {loadError}</Text>;
  if (!view || !content || !template) return <Spinner label="Opening the plan…" />;

  const { plan } = view;
  const scope = plan.status === "closed" ? "none" : view.editScope;
  // Under review the agreement stands as signed; the running record is still written.
  const agreementFixed = plan.status === "in_review";
  const canEdit = (path: string) =>
    canEditPath(scope, path) && !(agreementFixed && (path === "targets" || path === "meetings" || pathPart(path, content, base) === "agreement"));
  // While the agreement is signed, fields the editor's content changes show the agreed text under them.
  const agreedAt =
    amendable(plan) || plan.amendment
      ? (path: string) => (pathPart(path, content, plan) === "agreement" ? agreedValueAt(plan, content, path) : undefined)
      : undefined;
  const changesAgreement = dirty && base ? agreementChanges(base, content).length > 0 : false;
  // Bringing a proposal back to what was signed withdraws it (editPlan).
  const backToAgreed = changesAgreement && !!plan.amendment && agreementChanges(plan, content).length === 0;
  const saveBlockers = blockingViolations(violations, "save");
  const agreeBlockers = blockingViolations(violations, "agree");
  const incomplete = violations.filter((v) => v.severity === "incomplete");
  const advice = violations.filter((v) => v.severity === "warning");
  const canWriteAnything = scope !== "none";

  return (
    <article aria-labelledby="plan-title">
      <nav aria-label="Breadcrumb" style={{ marginBottom: 8 }}>
        <Link href="/">Caseload</Link> › <span>{view.ect.name}</span>
      </nav>
      <div className={styles.head}>
        <h1 id="plan-title" className={styles.h1}>
          {view.ect.name} · {template.name}
        </h1>
        {canEscalate(view) && (
          <span style={{ marginLeft: "auto", display: "inline-flex", alignItems: "center", gap: 8 }}>
            {dirty && (
              <Text size={200} id="escalate-hint">
                Save or discard your changes first.
              </Text>
            )}
            <Button appearance="secondary" disabled={dirty} aria-describedby={dirty ? "escalate-hint" : undefined} onClick={() => setEscalating(true)}>
              Escalate now
            </Button>
          </span>
        )}
      </div>
      {escalating && <EscalateDialog view={view} onClose={() => setEscalating(false)} onView={adoptView} />}
      <div className={styles.meta}>
        {plan.level !== undefined && (
          <Badge color={plan.level >= 4 ? "danger" : "warning"} appearance="filled">
            Level {plan.level}
          </Badge>
        )}
        <Badge appearance="outline" data-testid="plan-stage">
          {view.stage}
          {plan.outcome ? ` · ${outcomeLabels[plan.outcome]}` : ""}
        </Badge>
        <Text>{view.ect.schoolName}</Text>
        {view.ect.inductionTutorName && <Text>Induction tutor: {view.ect.inductionTutorName}</Text>}
        {view.ect.mentorName && <Text>Mentor: {view.ect.mentorName}</Text>}
        <Text size={200}>
          Version {plan.version} · updated {formatDateTime(plan.updatedAt)}
        </Text>
        <Link href={`/plans/${plan.id}/history`}>History</Link>
        <Link href={`/ects/${encodeURIComponent(plan.ectId)}/records`}>Induction records</Link>
        {plan.predecessorId && <Link href={`/plans/${plan.predecessorId}`}>Previous plan</Link>}
        {plan.successorId && <Link href={`/plans/${plan.successorId}`}>Next plan</Link>}
      </div>

      {scope === "ect_comments" && (
        <MessageBar intent="info" className={styles.summary}>
          <MessageBarBody>
            <MessageBarTitle>Your plan</MessageBarTitle>
            Your induction tutor writes the plan. You can add your comment on progress for each week, and comments below.
          </MessageBarBody>
        </MessageBar>
      )}
      <PlanOrigin view={view} className={styles.summary} />
      {restored && !conflict && (
        <MessageBar intent="info" className={styles.summary} data-testid="draft-restored">
          <MessageBarBody>
            <MessageBarTitle>Unsaved changes restored</MessageBarTitle>
            Your changes from {formatDateTime(restored)} were not saved yet; they are back in the form.
          </MessageBarBody>
          <Button
            size="small"
            onClick={() => {
              setContent(base);
              setRestored(undefined);
            }}
          >
            Discard them
          </Button>
        </MessageBar>
      )}
      {conflict && (
        <ConflictPanel
          changedByThem={conflict.merge.changedByThem}
          conflicts={conflict.merge.conflicts}
          reapplied={conflict.merge.reapplied}
          by={undefined}
          busy={saving}
          onResolve={(choices) => {
            const merged = conflict.merge.build(choices);
            setContent(merged);
            void save(merged, view);
          }}
        />
      )}
      {canWriteAnything && scope === "all" && violations.length > 0 && (
        <section aria-labelledby="rules-title" className={styles.summary} data-testid="rules-summary">
          <h2 id="rules-title" style={{ fontSize: tokens.fontSizeBase400, margin: "0 0 6px" }}>
            Checks on this plan
          </h2>
          {saveBlockers.length > 0 && (
            <MessageBar intent="error" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>Fix before saving</MessageBarTitle>
                <ul className={styles.list}>
                  {saveBlockers.map((v) => (
                    <li key={v.path + v.code}>{v.message}</li>
                  ))}
                </ul>
              </MessageBarBody>
            </MessageBar>
          )}
          {incomplete.length > 0 && (
            <MessageBar intent="warning" layout="multiline" style={{ marginTop: 6 }}>
              <MessageBarBody>
                <MessageBarTitle>To finish before asking for signatures</MessageBarTitle>
                <ul className={styles.list}>
                  {incomplete.map((v) => (
                    <li key={v.path + v.code}>{v.message}</li>
                  ))}
                </ul>
              </MessageBarBody>
            </MessageBar>
          )}
          {advice.length > 0 && (
            <MessageBar intent="info" layout="multiline" style={{ marginTop: 6 }}>
              <MessageBarBody>
                <MessageBarTitle>Advice</MessageBarTitle>
                <ul className={styles.list}>
                  {advice.map((v) => (
                    <li key={v.path + v.code}>{v.message}</li>
                  ))}
                </ul>
              </MessageBarBody>
            </MessageBar>
          )}
        </section>
      )}

      <AmendmentPanel view={view} dirty={dirty} blockers={agreeBlockers.length} onView={adoptView} />
      <PlanForm
        template={template}
        content={content}
        onChange={setContent}
        canEdit={canEdit}
        violations={scope === "all" ? violations : []}
        schoolName={view.ect.schoolName}
        ectName={view.ect.name}
        level={plan.level}
        {...(agreedAt ? { agreedAt } : {})}
        renderTargetExtra={(t, i, label) => (
          <>
            {carriedEvidence(t, i)}
            {/* Evidence hangs off saved targets only (the server does not know a new one yet). */}
            {plan.targets.some((x) => x.id === t.id) ? (
              <TargetEvidence
                planId={plan.id}
                targetId={t.id}
                targetLabel={label}
                canUpload={plan.status !== "closed" && (view.allowed.edit_plan || view.allowed.evaluate_week || view.allowed.answer_check_in)}
                canRemoveAny={view.allowed.edit_plan}
              />
            ) : null}
          </>
        )}
      />
      <SignaturesPanel view={view} dirty={dirty} agreeBlockers={agreeBlockers.length} onView={adoptView} />
      <ReviewPanel key={`${plan.id}:${plan.status}:${plan.review?.recordedAt ?? ""}`} view={view} template={template} dirty={dirty} onView={adoptView} />
      <CommentsPanel view={view} onView={adoptView} />

      {canWriteAnything && (
        <div className={styles.bar} role="region" aria-label="Save">
          <Text aria-live="polite" data-testid="save-state">
            {saving ? "Saving…" : dirty ? "Unsaved changes (kept on this device until you save)" : "All changes saved"}
          </Text>
          {dirty && (amendable(plan) || plan.status === "awaiting_signatures") && (
            <Text size={200} data-testid="save-effect">
              {!changesAgreement
                ? "Running record only: saved onto the plan, no new signatures needed."
                : plan.status === "awaiting_signatures"
                  ? "This changes what was sent for signature: the plan goes back to draft, to be asked for again."
                  : backToAgreed
                    ? "This brings the agreement back to what was signed: saving withdraws the amendment."
                    : plan.amendment
                      ? "This revises the proposed amendment; the plan runs on as agreed."
                      : "This changes what was agreed: saving proposes an amendment for the same signers; the plan runs on as agreed meanwhile."}
            </Text>
          )}
          <span className={styles.grow} />
          {saveError && (
            <Text role="alert" style={{ color: tokens.colorPaletteRedForeground1 }}>
              {saveError.message}
              {saveError.violations.length > 0 ? `: ${saveError.violations.map((v) => v.message).join(" ")}` : ""}
            </Text>
          )}
          {dirty && (
            <Button disabled={saving} onClick={() => base && setContent(base)}>
              Discard changes
            </Button>
          )}
          <Button appearance="primary" disabled={!dirty || saving || saveBlockers.length > 0 || !!conflict} onClick={() => void save(content, view)}>
            {saveBlockers.length > 0 ? "Fix the errors to save" : "Save"}
          </Button>
        </div>
      )}
    </article>
  );
}
