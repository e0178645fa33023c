import { useEffect, useState } from "react";
import { MessageBar, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import { templateById } from "@shared/templates";
import type { Plan } from "@shared/model/plan";
import { useApp } from "../AppContext";
import { Link } from "../lib/router";
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
  const { api } = useApp();
  const { plan, predecessor } = view;
  const [successorLevel, setSuccessorLevel] = useState<number>();
  // The closed plan knows its successor's id only; its level is read from the successor itself.
  useEffect(() => {
    if (plan.status !== "closed" || !plan.successorId) return;
    let cancelled = false;
    api.get<PlanView>(`/api/plans/${encodeURIComponent(plan.successorId)}`).then(
      (v) => !cancelled && setSuccessorLevel(v.plan.level),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [api, plan.status, plan.successorId]);

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
