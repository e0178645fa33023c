import { useState } from "react";
import { MessageBar, MessageBarBody, MessageBarTitle, Text } from "@fluentui/react-components";
import { useApp } from "../AppContext";
import { ApiError } from "../lib/api";
import type { Violation } from "../lib/types";
import { ProgressReviewForm, type ProgressReviewFormProps, type ProgressReviewInitial } from "./ProgressReviewForm";
import { FormalAssessmentForm, type FormalAssessmentInitial } from "./FormalAssessmentForm";
import { useReviseRecord, type RecordChainView } from "./lifecycleQueries";

type Current = RecordChainView["current"];

/** The returned review as the review form holds it. */
export function reviewDefaults(r: Extract<Current, { kind: "progress_review" }>): ProgressReviewInitial {
  return {
    date: r.review.date,
    ratings: r.review.ratings,
    targets: r.review.targets.map((t) => t.text),
    onTrack: r.review.onTrack ? "yes" : "no",
    evidenceSummary: r.review.evidenceSummary,
    ...(r.review.supportPlanId ? { supportPlanId: r.review.supportPlanId } : {}),
  };
}

/** The returned assessment as the assessment form holds it. */
export function assessmentDefaults(r: Extract<Current, { kind: "formal_assessment" }>): FormalAssessmentInitial {
  const a = r.assessment;
  return {
    date: a.date,
    number: a.number === 2 ? "2" : "1",
    ratings: a.ratings,
    evidenceSummary: a.evidenceSummary,
    onTrack: a.onTrack === undefined ? "" : a.onTrack ? "yes" : "no",
    recommendation: a.recommendation ?? "",
    targets: a.targets.map((t) => t.text),
    ectComments: a.ectComments,
  };
}

/**
 * The school revises a review or assessment the AB returned: the form it was written on, filled
 * in with the returned revision, checked as recording it is. Saved, it is a new revision at the
 * same review point that everyone signs again; the returned one stays in the history.
 */
export function ReviseRecordForm({
  ectId,
  chain,
  headings,
  plans,
  onDone,
}: {
  ectId: string;
  chain: RecordChainView;
  headings: { code: string; title: string }[];
  plans: ProgressReviewFormProps["plans"];
  onDone: (warnings: Violation[]) => void;
}) {
  const { notify } = useApp();
  const revise = useReviseRecord(ectId);
  const [server, setServer] = useState<{ error?: string; violations: Violation[] }>({ violations: [] });
  const current = chain.current;
  const lastReturn = chain.returns.at(-1);

  const send = async (body: Parameters<typeof revise.mutateAsync>[0]["body"]) => {
    setServer({ violations: [] });
    try {
      const saved = await revise.mutateAsync({ recordId: current.id, body });
      notify(`Revision ${saved.record.revision} saved: it needs everyone's signatures again`);
      onDone(saved.warnings);
    } catch (e) {
      if (e instanceof ApiError) setServer({ error: e.message, violations: e.problem.violations ?? [] });
      else setServer({ error: e instanceof Error ? e.message : String(e), violations: [] });
    }
  };

  return (
    <div data-testid="revise-form">
      <Text weight="semibold" block>
        Revise {current.due?.label ?? "this record"} (revision {current.revision + 1})
      </Text>
      {lastReturn && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The appropriate body asked</MessageBarTitle>
            {lastReturn.comments}
          </MessageBarBody>
        </MessageBar>
      )}
      {current.kind === "progress_review" ? (
        <ProgressReviewForm
          headings={headings}
          plans={plans}
          initial={reviewDefaults(current)}
          submitLabel="Save the revision"
          onSubmit={(b) => send(b)}
          serverViolations={server.violations}
          serverError={server.error}
        />
      ) : (
        <FormalAssessmentForm
          headings={headings}
          initial={assessmentDefaults(current)}
          submitLabel="Save the revision"
          onSubmit={(b) => send(b)}
          serverViolations={server.violations}
          serverError={server.error}
        />
      )}
    </div>
  );
}
