import type { ReactNode } from "react";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  makeStyles,
  tokens,
} from "@fluentui/react-components";

const useStyles = makeStyles({ form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM } });

/** What went wrong with the last save: the server's words, and whether someone else saved first. */
export interface SaveProblem {
  text: string;
  stale: boolean;
}

/**
 * The roster's edit dialog: a form whose fields stay as typed when a save is refused. When
 * someone else saved first, it says so and offers to reload their change (which discards what
 * was typed here, so it is the user's choice, never automatic).
 */
export function RosterDialog({
  title,
  onClose,
  onSubmit,
  busy,
  problem,
  onReload,
  submitLabel = "Save",
  children,
}: {
  title: string;
  onClose: () => void;
  onSubmit: () => void;
  busy: boolean;
  problem?: SaveProblem;
  onReload?: () => void;
  submitLabel?: string;
  children: ReactNode;
}) {
  const styles = useStyles();
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            onSubmit();
          }}
        >
          <DialogBody>
            <DialogTitle>{title}</DialogTitle>
            <DialogContent className={styles.form}>
              {children}
              {problem && (
                <MessageBar intent={problem.stale ? "warning" : "error"} role="alert" layout="multiline">
                  <MessageBarBody>
                    {problem.text}
                    {problem.stale && " What you typed is still here; nothing of it was saved."}
                  </MessageBarBody>
                  {problem.stale && onReload && (
                    <MessageBarActions>
                      <Button onClick={onReload}>Reload their change</Button>
                    </MessageBarActions>
                  )}
                </MessageBar>
              )}
            </DialogContent>
            <DialogActions>
              <Button onClick={onClose}>Cancel</Button>
              <Button appearance="primary" type="submit" disabled={busy}>
                {busy ? "Saving…" : submitLabel}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
