import { useEffect, useMemo, useState } from "react";
import { Badge, Button, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { TargetWord, templateById } from "@shared/templates";
import { blockingViolations, validatePlan } from "@shared/rules";
import { agreementChanges, editorContent, pathPart } from "@shared/agreement";
import { useApp } from "../AppContext";
import { ApiError } from "../lib/api";
import { busyWait } from "../lib/queryClient";
import { usePlanView } from "../lib/queries";
import { useSavePlan } from "../lib/planWrites";
import { Link } from "../lib/router";
import { Breadcrumb, Refusal, refusalTitle } from "../components/Navigation";
import { formatDateTime, outcomeLabels, todayIso } from "../lib/format";
import type { Plan, PlanContent, PlanView, Violation } from "../lib/types";
import { PlanForm } from "../editor/PlanForm";
import { PermissionBanner } from "../editor/PermissionBanner";
import { TargetEvidence } from "../records/TargetEvidence";
import { CommentsPanel, ConflictPanel } from "../editor/Panels";
import { SignaturesPanel } from "../editor/SignaturesPanel";
import { ReviewPanel } from "../editor/ReviewPanel";
import { AmendmentPanel } from "../editor/AmendmentPanel";
import { PlanOrigin, useCarriedEvidence } from "../editor/PlanOrigin";
import { agreedValueAt } from "../editor/amendmentView";
import { EscalateDialog, canEscalate } from "../editor/EscalateDialog";
import { SaveBar, SkipToSave, saveEffect, useSaveShortcut, whySaveIsOff } from "../editor/SaveBar";
import { canEditPath, clearDrafts, contentOf, labelFor, loadDraft, mergeContent, sameContent, saveDraft, type MergeResult } from "../editor/model";

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

/** What the editor starts with: the plan as read, with this device's unsaved draft put back on it. */
function openPlan(v: PlanView, storage: Storage, planId: string) {
  const current = shownContent(v.plan);
  const draft = loadDraft(storage, planId);
  if (draft && draft.version === v.plan.version && !sameContent(draft.content, current))
    return { base: current, content: draft.content, restored: draft.savedAt, conflict: undefined };
  if (draft && draft.version < v.plan.version && !sameContent(draft.content, draft.base)) {
    const merge = mergeContent(draft.base, draft.content, current, labelFor(TargetWord(v.plan.templateId)));
    return merge.conflicts.length > 0
      ? { base: current, content: merge.build(), restored: undefined, conflict: { merge, by: undefined } }
      : { base: current, content: merge.build(), restored: draft.savedAt, conflict: undefined };
  }
  // No draft, or one with nothing left to restore: the draft effect clears it.
  return { base: current, content: current, restored: undefined, conflict: undefined };
}

/** Reads the plan through the query cache, then edits it; a busy server's Retry-After is waited out (queryClient). */
export default function PlanEditorView({ planId, storage = localStorage }: { planId: string; storage?: Storage }) {
  const query = usePlanView(planId);
  if (!query.data) {
    if (query.error)
      return <Refusal title={refusalTitle(query.error instanceof ApiError ? query.error.status : undefined, "plan")}>{query.error.message}</Refusal>;
    const wait = busyWait(query.failureReason);
    return <Spinner label={wait !== undefined ? `The server is busy: trying again in ${wait} seconds…` : "Opening the plan…"} />;
  }
  return <PlanEditor key={planId} planId={planId} storage={storage} latest={query.data} />;
}

function PlanEditor({ planId, storage, latest }: { planId: string; storage: Storage; latest: PlanView }) {
  const styles = useStyles();
  const { notify } = useApp();
  const [opened] = useState(() => openPlan(latest, storage, planId));
  const [view, setView] = useState<PlanView>(latest);
  const [base, setBase] = useState<PlanContent>(opened.base);
  const [content, setContent] = useState<PlanContent>(opened.content);
  const [saveError, setSaveError] = useState<{ message: string; violations: Violation[] }>();
  const [conflict, setConflict] = useState<ConflictState | undefined>(opened.conflict);
  const [restored, setRestored] = useState<string | undefined>(opened.restored);
  const [escalating, setEscalating] = useState(false);
  const saveMutation = useSavePlan(planId);
  const saving = saveMutation.isPending;
  const carriedEvidence = useCarriedEvidence(view);

  const template = templateById(view.plan.templateId);
  const dirty = !sameContent(content, base);

  // A newer plan in the cache (a panel's action, a background read, someone else's save read
  // again): take it without dropping my edits; where we both changed a field, I choose. A read
  // that left before my save and answers after it is older than what I have: it is not taken.
  const [seen, setSeen] = useState(latest);
  if (latest !== seen && latest.plan.version >= view.plan.version) {
    setSeen(latest);
    const theirs = shownContent(latest.plan);
    setView(latest);
    if (!sameContent(theirs, base)) {
      setBase(theirs);
      if (!dirty) setContent(theirs);
      else {
        const merge = mergeContent(base, content, theirs, labelFor(TargetWord(latest.plan.templateId)));
        setContent(merge.build());
        if (merge.conflicts.length > 0) setConflict({ merge, by: undefined });
      }
    }
  }

  // Unsaved changes survive a reload: a draft keyed by plan id and the version it was written on.
  useEffect(() => {
    if (dirty) saveDraft(storage, { planId, version: view.plan.version, base, content });
    else clearDrafts(storage, planId);
  }, [content, base, view, dirty, planId, storage]);

  useEffect(() => {
    document.title = `${view.ect.name} – ${templateById(view.plan.templateId).name}`;
  }, [view]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const violations = useMemo(() => {
    const local = validatePlan({ ...content, templateId: view.plan.templateId, level: view.plan.level }, { today: todayIso() });
    // The server knows the ECT's induction record (for advice such as "escalate an ECT2 sooner").
    const serverOnly = view.violations.filter((v) => v.code === "ect2-near-end");
    return [...local, ...serverOnly];
  }, [view, content]);

  const save = async (toSave: PlanContent, against: PlanView) => {
    setSaveError(undefined);
    try {
      // The mutation puts the saved plan in the cache and invalidates the caseload and the ECT's pages.
      const saved = await saveMutation.mutateAsync({ content: toSave, against });
      const now = shownContent(saved.plan);
      clearDrafts(storage, planId);
      setView(saved);
      setBase(now);
      setContent(now);
      setConflict(undefined);
      setRestored(undefined);
      notify("Saved");
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.problem.current) {
        const current = e.problem.current;
        const theirs = shownContent(current.plan);
        const merge = mergeContent(base, toSave, theirs, labelFor(TargetWord(current.plan.templateId)));
        setView(current);
        setBase(theirs);
        setContent(merge.build());
        setConflict({ merge, by: undefined });
      } else if (e instanceof ApiError) {
        setSaveError({ message: e.message, violations: e.problem.violations ?? [] });
      } else {
        setSaveError({ message: e instanceof Error ? e.message : String(e), violations: [] });
      }
    }
  };

  // Ctrl+S / Cmd+S does what Save does; when Save is off, it says why (the button's own words).
  useSaveShortcut(() => {
    if (view.plan.status === "closed" || view.editScope === "none") return;
    const off = whySaveIsOff({ dirty, saving, blockers: blockingViolations(violations, "save").length, conflict: !!conflict });
    if (off) notify(off, "info");
    else void save(content, view);
  });

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
  const changesAgreement = dirty ? agreementChanges(base, content).length > 0 : false;
  // Bringing a proposal back to what was signed withdraws it (editPlan).
  const backToAgreed = changesAgreement && !!plan.amendment && agreementChanges(plan, content).length === 0;
  const saveBlockers = blockingViolations(violations, "save");
  const agreeBlockers = blockingViolations(violations, "agree");
  const incomplete = violations.filter((v) => v.severity === "incomplete");
  const advice = violations.filter((v) => v.severity === "warning");
  const canWriteAnything = scope !== "none";
  const saveOff = whySaveIsOff({ dirty, saving, blockers: saveBlockers.length, conflict: !!conflict });

  return (
    <article aria-labelledby="plan-title">
      <Breadcrumb current={view.ect.name} />
      <div className={styles.head}>
        <h1 id="plan-title" className={styles.h1} tabIndex={-1}>
          {view.ect.name} · {template.name}
        </h1>
        {canWriteAnything && <SkipToSave />}
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
      {escalating && <EscalateDialog view={view} onClose={() => setEscalating(false)} />}
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
      <PermissionBanner view={view} />
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

      <AmendmentPanel view={view} dirty={dirty} blockers={agreeBlockers.length} />
      <PlanForm
        template={template}
        content={content}
        onChange={setContent}
        canEdit={canEdit}
        violations={scope === "all" ? violations : []}
        schoolName={view.ect.schoolName}
        ectName={view.ect.name}
        ectId={plan.ectId}
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
      <SignaturesPanel view={view} dirty={dirty} agreeBlockers={agreeBlockers.length} />
      <ReviewPanel key={`${plan.id}:${plan.status}:${plan.review?.recordedAt ?? ""}`} view={view} template={template} dirty={dirty} />
      <CommentsPanel view={view} />

      {canWriteAnything && (
        <SaveBar
          saving={saving}
          dirty={dirty}
          effect={saveEffect(plan, { dirty, changesAgreement, backToAgreed })}
          error={saveError && `${saveError.message}${saveError.violations.length > 0 ? `: ${saveError.violations.map((v) => v.message).join(" ")}` : ""}`}
          off={saveOff}
          onSave={() => void save(content, view)}
          onDiscard={() => setContent(base)}
        />
      )}
    </article>
  );
}
