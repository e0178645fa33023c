import { useState } from "react";
import { MessageBar, MessageBarBody, MessageBarTitle, Switch, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useApp } from "../AppContext";
import { useShareWithMentor } from "../lib/planWrites";
import type { PlanView } from "../lib/types";

const useStyles = makeStyles({
  banner: { marginBottom: tokens.spacingVerticalL },
  share: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, marginTop: tokens.spacingVerticalS },
  error: { color: tokens.colorPaletteRedForeground1 },
});

const titles: Record<PlanView["editScope"], string> = {
  all: "You can change this plan",
  weekly_plan: "You write the weeks with the induction tutor",
  week_evaluations: "You evaluate the weeks",
  ect_comments: "Your comments on progress",
  none: "Read only",
};

/**
 * At the top of every plan: what the viewer may change, in the domain's words (PlanView.access,
 * from permissions.ts editAccess), or that they can read only and whom to ask. The tutor or lead
 * of a Level 4–5 plan shares it with the ECT's mentor here.
 */
export function PermissionBanner({ view }: { view: PlanView }) {
  const styles = useStyles();
  const { notify } = useApp();
  const [error, setError] = useState<string>();
  const { access, plan } = view;
  // The answer (or, when someone saved meanwhile, the plan read again) goes into the plan's cache entry, which the editor shows.
  const shareMutation = useShareWithMentor(plan.id);
  const busy = shareMutation.isPending;
  const sharing = access.mentorSharing;
  const closed = plan.status === "closed";
  const mentor = view.ect.mentorName ? `the mentor, ${view.ect.mentorName}` : "the ECT's mentor";

  const share = async (shared: boolean) => {
    setError(undefined);
    try {
      await shareMutation.mutateAsync({ shared, against: view });
      notify(shared ? `Shared with ${mentor}` : `No longer shared with ${mentor}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <MessageBar intent={access.scope === "none" || closed ? "warning" : "info"} layout="multiline" className={styles.banner} data-testid="permission-banner">
      <MessageBarBody>
        <MessageBarTitle>{closed ? "Closed plan" : titles[access.scope]}</MessageBarTitle>
        <Text data-testid="permission-summary">{access.summary}</Text>
        {sharing?.mayChange && view.ect.mentorName !== undefined && (
          <div className={styles.share}>
            <Switch
              checked={sharing.shared}
              disabled={busy}
              label={`Let ${mentor} change the weekly actions, resources and success criteria`}
              onChange={(_, d) => void share(d.checked)}
            />
            <Text size={200}>
              {sharing.shared
                ? "Shared: the mentor writes the weeks with you; the targets and dates stay yours."
                : "Not shared: the mentor writes each week's evaluation only."}
            </Text>
            {error && (
              <Text role="alert" className={styles.error}>
                {error}
              </Text>
            )}
          </div>
        )}
        {sharing && !sharing.mayChange && sharing.shared && access.scope !== "weekly_plan" && (
          <Text size={200} block>
            The induction tutor has shared this plan with the ECT&apos;s mentor.
          </Text>
        )}
      </MessageBarBody>
    </MessageBar>
  );
}
