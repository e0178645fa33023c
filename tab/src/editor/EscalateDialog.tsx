import { useState } from "react";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Radio,
  RadioGroup,
  Text,
  Textarea,
} from "@fluentui/react-components";
import { ladder } from "@shared/ladder";
import type { Plan } from "@shared/model/plan";
import { templateForLevel } from "@shared/templates";
import { successorStart } from "@shared/usecases/successorStart";
import { useApp } from "../AppContext";
import { ApiError } from "../lib/api";
import { useEscalatePlan } from "../lib/planWrites";
import { formatDate, todayIso } from "../lib/format";
import { navigate } from "../lib/router";
import type { PlanView } from "../lib/types";
import { NotMetNote, formNoun } from "./PlanOrigin";

type Level = 1 | 2 | 3 | 4 | 5 | 6;

/** The level the ladder suggests above this plan (mirrors the domain's `levelAbove`): ITT early support leads to Level 4. */
export function suggestedEscalationLevel(plan: Pick<Plan, "templateId" | "level">): Level {
  if (plan.templateId === "itt_early_support") return 4;
  return Math.min(6, (plan.level ?? 1) + 1) as Level;
}

/** Levels a plan can be escalated to: any level above its own (plans outside the ladder: any level). */
export function escalationChoices(plan: Pick<Plan, "level">): Level[] {
  return ladder.map((l) => l.level as Level).filter((l) => plan.level === undefined || l > plan.level);
}

/** Plans that may be escalated: once agreed (a plan never agreed is changed, not escalated). */
const escalatable = new Set(["agreed", "active", "in_review"]);

/** Whether "Escalate now" applies: the server allows it and the plan is agreed, open and below Level 6. */
export const canEscalate = (view: PlanView) => view.allowed.escalate && escalatable.has(view.plan.status) && view.plan.level !== 6;

/** Who the escalation alert reaches at that level (the ladder's `notify`; the induction tutor always). */
function told(level: Level): string {
  const notify = ladder.find((l) => l.level === level)?.notify ?? [];
  const who = ["the induction tutor", ...(notify.includes("ab") ? ["the appropriate body"] : []), ...(notify.includes("head") ? ["the head"] : [])];
  const list = who.length > 1 ? `${who.slice(0, -1).join(", ")} and ${who.at(-1)}` : who[0];
  return `${list?.charAt(0).toUpperCase()}${list?.slice(1)} will be told.`;
}

/**
 * What the successor will start with, from the same domain function the server builds it with:
 * the ladder's dates, then each objective (carried-over ones with the evidence they were not met).
 */
export function SuccessorPreview({ plan, level }: { plan: Plan; level: number }) {
  const start = successorStart(plan, level, todayIso());
  const template = templateForLevel(level);
  const noun = template.targetColumns.find((c) => c.field === "text")?.label ?? "Objective";
  const lengthNote = start.lengthWeeks ? ` (${start.lengthWeeks} weeks, the ladder's longest for Level ${level})` : "";
  return (
    <section aria-label={`What the Level ${level} plan starts with`} data-testid="successor-preview" style={{ marginTop: 12 }}>
      <Text weight="semibold" block>
        The Level {level} plan will start with
      </Text>
      <dl style={{ display: "grid", gridTemplateColumns: "max-content 1fr", gap: "2px 12px", margin: "4px 0" }}>
        <dt>Start date of plan</dt>
        <dd style={{ margin: 0 }} data-testid="successor-start">
          {formatDate(start.startDate)}
        </dd>
        <dt>End of support plan date</dt>
        <dd style={{ margin: 0 }} data-testid="successor-end">
          {start.endDate ? `${formatDate(start.endDate)}${lengthNote}` : "Not set: the ladder gives this level no set length"}
        </dd>
        <dt>Review date</dt>
        <dd style={{ margin: 0 }} data-testid="successor-review">
          {start.reviewDate ? formatDate(start.reviewDate) : "Not set"}
        </dd>
      </dl>
      {start.objectives.length === 0 ? (
        <Text block>
          No {formNoun(plan)}s carry over: add the new plan's {noun.toLowerCase()}s.
        </Text>
      ) : (
        <ol style={{ margin: "4px 0", paddingLeft: 20 }}>
          {start.objectives.map((o, i) => (
            <li key={i} data-testid={`successor-objective-${i + 1}`}>
              <Text>
                {o.target.text || "(no wording yet)"}
                {o.target.standards.length ? ` (${o.target.standards.join(", ")})` : ""}
              </Text>
              {o.notMet ? (
                <NotMetNote evidence={o.notMet} />
              ) : (
                <Text block size={200}>
                  From the review's next objectives
                </Text>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/**
 * "Escalate now": close this plan as escalated and open its successor at a higher level,
 * pre-filled with what was not met. A reason is required; the ladder's next level is the default.
 */
export function EscalateDialog({ view, onClose }: { view: PlanView; onClose: () => void }) {
  const { notify } = useApp();
  const { plan } = view;
  // On a 409 the plan as it is now goes into its cache entry, which the editor shows behind the dialog.
  const escalation = useEscalatePlan(plan);
  const choices = escalationChoices(plan);
  const suggested = suggestedEscalationLevel(plan);
  const [toLevel, setToLevel] = useState<Level>(choices.includes(suggested) ? suggested : (choices[0] ?? suggested));
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const levelName = (l: Level) => `Level ${l} – ${ladder.find((x) => x.level === l)?.name ?? ""}`;

  const escalate = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const res = await escalation.mutateAsync({ version: plan.version, toLevel, reason: reason.trim() });
      notify(`Escalated: started the ${levelName(toLevel)} plan with the ${formNoun(plan)}s not met`);
      onClose();
      if (res.successorId) navigate(`/plans/${encodeURIComponent(res.successorId)}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        setError("Someone else changed this plan meanwhile. Check the plan, then escalate again.");
      } else if (e instanceof ApiError && e.problem.violations?.length) {
        // The server's rules by name (a reason is required there too).
        setError([e.message, ...e.problem.violations.map((v) => v.message)].filter((x, i, a) => a.indexOf(x) === i).join(": "));
      } else {
        setError(e instanceof Error ? e.message : String(e));
      }
      setBusy(false);
    }
  };

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && !busy && onClose()}>
      <DialogSurface aria-describedby="escalate-desc">
        <DialogBody>
          <DialogTitle>Escalate {view.ect.name}'s plan now</DialogTitle>
          <DialogContent>
            <Text id="escalate-desc" block>
              This closes the current plan as escalated and starts a plan at the level you choose, with the {formNoun(plan)}s not met carried over.{" "}
              {told(toLevel)}
            </Text>
            <Field label="Escalate to" required style={{ marginTop: 12 }}>
              <RadioGroup value={String(toLevel)} onChange={(_, d) => setToLevel(Number(d.value) as Level)}>
                {choices.map((l) => (
                  <Radio key={l} value={String(l)} label={`${levelName(l)}${l === suggested ? " (the ladder's next level)" : ""}`} />
                ))}
              </RadioGroup>
            </Field>
            <SuccessorPreview plan={plan} level={toLevel} />
            <Field
              label="Reason for escalating"
              required
              style={{ marginTop: 12 }}
              hint="Required. Kept on the plan, carried on the alert to the appropriate body and printed in the export."
            >
              <Textarea value={reason} onChange={(_, d) => setReason(d.value)} rows={3} maxLength={2000} />
            </Field>
            {error && (
              <Text role="alert" block style={{ marginTop: 8, color: "var(--colorPaletteRedForeground1)" }}>
                {error}
              </Text>
            )}
          </DialogContent>
          <DialogActions>
            <Button disabled={busy} onClick={onClose}>
              Cancel
            </Button>
            <Button appearance="primary" disabled={busy || !reason.trim()} onClick={() => void escalate()}>
              {busy ? "Escalating…" : `Escalate to Level ${toLevel}`}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
