import { useState } from "react";
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  MessageBar,
  MessageBarBody,
  Textarea,
} from "@fluentui/react-components";
import { useApp } from "../AppContext";
import { ApiError } from "../lib/api";
import { errorMessage } from "./http";
import { returnReasonLabels, returnReasons, type ReturnReason } from "./lifecycleLabels";
import { useReturnRecord } from "./lifecycleQueries";

/**
 * An AB officer returns the current revision of a review or assessment to the school: the usual
 * reasons to tick, and comments saying what to change (required). The induction tutor is told.
 */
export function ReturnRecordDialog({ ectId, recordId, what }: { ectId: string; recordId: string; what: string }) {
  const { notify } = useApp();
  const send = useReturnRecord(ectId);
  const [open, setOpen] = useState(false);
  const [reasons, setReasons] = useState<ReturnReason[]>([]);
  const [comments, setComments] = useState("");
  const [error, setError] = useState<{ message: string; comments?: string }>();

  const submit = async () => {
    setError(undefined);
    if (!comments.trim()) {
      setError({ message: "Say what the school should change.", comments: "Say what the school should change." });
      return;
    }
    try {
      await send.mutateAsync({ recordId, body: { reasons, comments } });
      notify(`Returned the ${what} to the school`);
      setOpen(false);
      setReasons([]);
      setComments("");
    } catch (e) {
      const field = e instanceof ApiError ? e.problem.violations?.find((v) => v.path === "comments")?.message : undefined;
      setError({ message: errorMessage(e), ...(field ? { comments: field } : {}) });
    }
  };

  return (
    <>
      <Button onClick={() => setOpen(true)}>Return to school</Button>
      <Dialog open={open} onOpenChange={(_, d) => setOpen(d.open)}>
        <DialogSurface aria-describedby={undefined}>
          <DialogBody>
            <DialogTitle>Return the {what} to the school</DialogTitle>
            <DialogContent style={{ display: "flex", flexDirection: "column", gap: 12 }}>
              <fieldset style={{ border: "none", margin: 0, padding: 0 }}>
                <legend style={{ fontWeight: 600, marginBottom: 4 }}>Reasons</legend>
                {returnReasons.map((r) => (
                  <Checkbox
                    key={r}
                    label={returnReasonLabels[r]}
                    checked={reasons.includes(r)}
                    onChange={(_, d) => setReasons((now) => (d.checked ? [...now, r] : now.filter((x) => x !== r)))}
                  />
                ))}
              </fieldset>
              <Field label="Comments for the school" required validationState={error?.comments ? "error" : "none"} validationMessage={error?.comments}>
                <Textarea rows={4} resize="vertical" value={comments} onChange={(_, d) => setComments(d.value)} />
              </Field>
              {error && !error.comments && (
                <MessageBar intent="error" role="alert">
                  <MessageBarBody>{error.message}</MessageBarBody>
                </MessageBar>
              )}
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button appearance="primary" disabled={send.isPending} onClick={() => void submit()}>
                {send.isPending ? "Returning…" : "Return to school"}
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </>
  );
}
