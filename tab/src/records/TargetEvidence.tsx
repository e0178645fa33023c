import { useRef, useState } from "react";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useApp } from "../AppContext";
import { formatDateTime } from "../lib/format";
import { useEvidence, useRemoveEvidence, useUploadEvidence } from "../lib/queries";
import { downloadFile, errorMessage } from "./http";
import { formatBytes, kindLabels } from "./scale";
import type { EvidenceItem } from "./types";

const useStyles = makeStyles({
  box: { marginTop: tokens.spacingVerticalM, paddingTop: tokens.spacingVerticalS, borderTop: `1px solid ${tokens.colorNeutralStroke2}` },
  h: { margin: `0 0 ${tokens.spacingVerticalXS}`, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  list: { listStyle: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  item: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalM },
  meta: { color: tokens.colorNeutralForeground2 },
  upload: { display: "flex", flexWrap: "wrap", alignItems: "flex-end", gap: tokens.spacingHorizontalM, marginTop: tokens.spacingVerticalS },
  file: {
    font: "inherit",
    color: tokens.colorNeutralForeground1,
    padding: tokens.spacingVerticalXS,
    border: `1px solid ${tokens.colorNeutralStrokeAccessible}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    maxWidth: "100%",
  },
});

const ACCEPT = ".pdf,.docx,.png,.jpg,.jpeg,.gif,.webp,.txt,.md,.csv,application/pdf,image/*,text/plain";

export interface TargetEvidenceProps {
  planId: string;
  targetId: string;
  /** "Target 2": names the controls so each target's are told apart. */
  targetLabel: string;
  /** May add files (leads, evaluators, the ECT); the server decides in the end. */
  canUpload: boolean;
  /** May remove any file (the plan's lead); others remove only their own. */
  canRemoveAny: boolean;
}

/** Evidence files on one target of a saved plan: list, download, upload, remove (kept for the record). */
export function TargetEvidence({ planId, targetId, targetLabel, canUpload, canRemoveAny }: TargetEvidenceProps) {
  const styles = useStyles();
  const { api, me, notify } = useApp();
  const evidence = useEvidence(planId, targetId);
  const items = evidence.data?.evidence;
  const loadError = evidence.error && !items ? errorMessage(evidence.error) : undefined;
  const uploadMutation = useUploadEvidence(planId, targetId);
  const removeMutation = useRemoveEvidence(planId);
  const [file, setFile] = useState<File>();
  const [uploadError, setUploadError] = useState<string>();
  const [removing, setRemoving] = useState<EvidenceItem>();
  const [removeError, setRemoveError] = useState<string>();
  const fileRef = useRef<HTMLInputElement>(null);
  const headingId = `evidence-h-${targetId}`;
  const uploading = uploadMutation.isPending;

  /** The list shows the new file once the upload has invalidated the plan's evidence (lib/queries.ts). */
  const upload = async () => {
    if (!file) return;
    setUploadError(undefined);
    try {
      await uploadMutation.mutateAsync(file);
      setFile(undefined);
      if (fileRef.current) fileRef.current.value = "";
      notify(`Added ${file.name}`);
    } catch (e) {
      setUploadError(errorMessage(e));
    }
  };

  const remove = async (item: EvidenceItem) => {
    setRemoveError(undefined);
    try {
      await removeMutation.mutateAsync(item.id);
      setRemoving(undefined);
      notify(`Removed ${item.fileName}`);
    } catch (e) {
      setRemoveError(errorMessage(e));
    }
  };

  const download = (item: EvidenceItem) =>
    downloadFile(api, item.url, item.fileName).catch((e: unknown) => notify(`Could not download ${item.fileName}: ${errorMessage(e)}`, "error"));

  return (
    <section className={styles.box} aria-labelledby={headingId} data-testid={`evidence-${targetId}`}>
      <h4 id={headingId} className={styles.h}>
        Evidence for {targetLabel.toLowerCase()}
      </h4>
      {loadError ? (
        <Text role="alert">Could not load the evidence: {loadError}</Text>
      ) : !items ? (
        <Spinner size="tiny" label="Loading evidence…" />
      ) : items.length === 0 ? (
        <Text className={styles.meta}>No evidence yet.</Text>
      ) : (
        <ul className={styles.list}>
          {items.map((e) => (
            <li key={e.id} className={styles.item}>
              <a
                href={e.url}
                download={e.fileName}
                onClick={(ev) => {
                  ev.preventDefault();
                  void download(e);
                }}
                aria-label={`Download ${e.fileName}`}
              >
                {e.fileName}
              </a>
              <Text size={200} className={styles.meta}>
                {kindLabels[e.kind] ?? e.kind} · {formatBytes(e.size)} · added by {e.uploadedByName} on {formatDateTime(e.uploadedAt)}
              </Text>
              {(canRemoveAny || e.uploadedBy === me.person.id) && canUpload && (
                <Button size="small" appearance="subtle" onClick={() => setRemoving(e)} aria-label={`Remove ${e.fileName}`}>
                  Remove
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canUpload && (
        <div className={styles.upload}>
          <Field
            label={`Add evidence to ${targetLabel.toLowerCase()}`}
            hint="PDF, Word (.docx), images or plain text; up to 10 MB."
            validationState={uploadError ? "error" : "none"}
            validationMessage={uploadError}
          >
            {(fieldProps) => (
              <input
                {...fieldProps}
                ref={fileRef}
                type="file"
                accept={ACCEPT}
                className={styles.file}
                onChange={(ev) => {
                  setUploadError(undefined);
                  setFile(ev.target.files?.[0] ?? undefined);
                }}
              />
            )}
          </Field>
          <Button appearance="secondary" disabled={!file || uploading} onClick={() => void upload()}>
            {uploading ? "Uploading…" : `Upload to ${targetLabel.toLowerCase()}`}
          </Button>
        </div>
      )}
      {removing && (
        <Dialog open modalType="alert" onOpenChange={(_, d) => !d.open && setRemoving(undefined)}>
          <DialogSurface>
            <DialogBody>
              <DialogTitle>Remove {removing.fileName}?</DialogTitle>
              <DialogContent>
                <Text block>It disappears from the plan. The file is kept in the records for retention, and the removal is in the plan's history.</Text>
                {removeError && (
                  <MessageBar intent="error" style={{ marginTop: 8 }}>
                    <MessageBarBody>{removeError}</MessageBarBody>
                  </MessageBar>
                )}
              </DialogContent>
              <DialogActions>
                <Button appearance="secondary" onClick={() => setRemoving(undefined)}>
                  Cancel
                </Button>
                <Button appearance="primary" onClick={() => void remove(removing)}>
                  Remove evidence
                </Button>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      )}
    </section>
  );
}
