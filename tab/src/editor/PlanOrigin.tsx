import type { ReactNode } from "react";
import { MessageBar, MessageBarBody, MessageBarTitle, Text } from "@fluentui/react-components";
import { targetWord, templateById } from "@shared/templates";
import type { Plan, Target } from "@shared/model/plan";
import { notMetEvidence, weekEvaluations, type NotMetEvidence } from "@shared/usecases/successorStart";
import { Link } from "../lib/router";
import { usePlanView } from "../lib/queries";
import type { PlanView } from "../lib/types";

const planName = (p: { templateId: Plan["templateId"]; level?: number | undefined }) =>
  p.level !== undefined ? `the Level ${p.level} plan` : `the ${templateById(p.templateId).name}`;

/** How a closed plan ended, in one sentence: "Escalated to Level 3 because: …". */
export function closedSentence(plan: Pick<Plan, "outcome" | "outcomeReason">, successorLevel: number | undefined): string {
  const to = successorLevel !== undefined ? ` to Level ${successorLevel}` : "";
  const because = plan.outcomeReason ? ` because: ${plan.outcomeReason}` : "";
  switch (plan.outcome) {
    case "escalated":
      return `Escalated${to}${because}`;
    case "continued":
      return `Continued into a further plan${successorLevel !== undefined ? ` at Level ${successorLevel}` : ""}${because}`;
    case "on_track":
      return `Closed: the ECT is on track${plan.outcomeReason ? `. Conclusion: ${plan.outcomeReason}` : ""}`;
    default:
      return "Closed";
  }
}

/** A successor's origin: "Escalated from the Level 2 plan because: …". */
export function originSentence(p: NonNullable<PlanView["predecessor"]>): string {
  const because = p.outcomeReason ? ` because: ${p.outcomeReason}` : "";
  if (p.outcome === "escalated") return `Escalated from ${planName(p)}${because}`;
  if (p.outcome === "continued") return `Continues ${planName(p)}${because}`;
  return `Follows ${planName(p)}${because}`;
}

/** Where this plan came from and, once closed, how it ended and why. */
export function PlanOrigin({ view, className }: { view: PlanView; className?: string }) {
  const { plan, predecessor } = view;
  // The closed plan knows its successor's id only; its level is read from the successor itself
  // (the same cache entry the editor opens it from). Without it the sentence names no level.
  const successorLevel = usePlanView(plan.status === "closed" ? plan.successorId : undefined).data?.plan.level;

  return (
    <>
      {predecessor && (
        <MessageBar intent="info" layout="multiline" className={className} data-testid="plan-origin">
          <MessageBarBody>
            <MessageBarTitle>Where this plan comes from</MessageBarTitle>
            {originSentence(predecessor)} <Link href={`/plans/${encodeURIComponent(predecessor.id)}`}>Open the previous plan</Link>
          </MessageBarBody>
        </MessageBar>
      )}
      {plan.status === "closed" && (
        <MessageBar intent="info" layout="multiline" className={className} data-testid="plan-outcome">
          <MessageBarBody>
            <MessageBarTitle>This plan is closed and kept as a record</MessageBarTitle>
            {closedSentence(plan, successorLevel)}
            {plan.successorId && (
              <>
                {" "}
                <Link href={`/plans/${encodeURIComponent(plan.successorId)}`}>Open the next plan</Link>
              </>
            )}
          </MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}

/** The form's own word for what it holds: "objective" on the Level forms, "target" on seeds 000, 001 and 002. */
export const formNoun = (p: Pick<Plan, "templateId">) => targetWord(p.templateId);

/** "Not met at review: Starters still overrun", in the words of the review that carried it over. */
export function notMetSentence(n: NotMetEvidence): string {
  if (!n.outcome) return "Carried over unreviewed: the plan was escalated before its review";
  const said = n.outcome === "partially_met" ? "Partially met at review" : "Not met at review";
  return n.evidence.trim() ? `${said}: ${n.evidence}` : said;
}

/** The evidence a carried-over objective was not met, shown beside it. */
export function NotMetNote({ evidence, testId }: { evidence: NotMetEvidence; testId?: string }) {
  return (
    <Text block size={200} data-testid={testId} style={{ marginTop: 4, color: "var(--colorNeutralForeground2)" }}>
      {notMetSentence(evidence)}
    </Text>
  );
}

/**
 * For a successor: reads the plan it follows once, and renders beside each carried-over objective
 * the evidence it was not met (read from that plan's review, so it says what the review said).
 */
export function useCarriedEvidence(view: PlanView | undefined): (target: Target, index: number) => ReactNode {
  const from = usePlanView(view?.plan.predecessorId).data?.plan;
  return (target, index) => {
    const evidence = from && target.carriedFromTargetId ? notMetEvidence(from, target.carriedFromTargetId) : undefined;
    if (!from || !evidence) return null;
    const weeks = weekEvaluations(from);
    return (
      <div data-testid={`carried-evidence-${index + 1}`} style={{ marginTop: 8 }}>
        <Text weight="semibold" size={200} block>
          Why this {formNoun(view?.plan ?? from)} was carried over
        </Text>
        <NotMetNote evidence={evidence} />
        {weeks.length > 0 && (
          <Text block size={200} style={{ color: "var(--colorNeutralForeground2)" }}>
            Evaluation of progress on the previous plan: {weeks.map((w) => `week ${w.week}: ${w.evaluation}`).join("; ")}
          </Text>
        )}
      </div>
    );
  };
}
