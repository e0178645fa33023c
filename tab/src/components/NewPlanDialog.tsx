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
  Input,
  Radio,
  RadioGroup,
  Text,
} from "@fluentui/react-components";
import { templates } from "@shared/templates";
import type { TemplateId } from "@shared/model/plan";
import { useApp } from "../AppContext";
import { navigate } from "../lib/router";
import { todayIso } from "../lib/format";
import { useCreatePlan } from "../lib/planWrites";
import type { CaseloadRow } from "../lib/types";

/** Start a plan for an ECT from one of the school's forms. */
export default function NewPlanDialog({ row, onClose }: { row: CaseloadRow; onClose: () => void }) {
  const { notify } = useApp();
  // The new plan goes into the cache (the editor opens it without reading it again) and the caseload reads again.
  const createPlan = useCreatePlan();
  const choices = templates.filter((t) => t.track === row.track);
  const [templateId, setTemplateId] = useState<string>(choices.find((t) => t.id === "level_2")?.id ?? choices[0]?.id ?? "");
  const [startDate, setStartDate] = useState(todayIso());
  // Busy until the editor opens: the dialog closes as it navigates.
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const view = await createPlan.mutateAsync({ ectId: row.ectId, templateId: templateId as TemplateId, content: { startDate } });
      notify(`Started a plan for ${row.ectName}`);
      onClose();
      navigate(`/plans/${view.plan.id}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface aria-describedby="new-plan-desc">
        <DialogBody>
          <DialogTitle>Start a plan for {row.ectName}</DialogTitle>
          <DialogContent>
            <Text id="new-plan-desc" block>
              Choose the form. The plan starts as a draft; nothing is shared until you ask for signatures.
            </Text>
            <Field label="Form" required style={{ marginTop: 12 }}>
              <RadioGroup value={templateId} onChange={(_, d) => setTemplateId(d.value)}>
                {choices.map((t) => (
                  <Radio key={t.id} value={t.id} label={t.name} />
                ))}
              </RadioGroup>
            </Field>
            <Field label="Start date" required style={{ marginTop: 12 }}>
              <Input type="date" value={startDate} onChange={(_, d) => setStartDate(d.value)} />
            </Field>
            {error && (
              <Text role="alert" style={{ color: "var(--colorPaletteRedForeground1)" }} block>
                {error}
              </Text>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose}>Cancel</Button>
            <Button appearance="primary" disabled={busy || !templateId} onClick={() => void create()}>
              {busy ? "Starting…" : "Start plan"}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
