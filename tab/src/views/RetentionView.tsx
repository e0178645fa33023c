/**
 * Issue 16, item 9: the induction lead's list of ECTs whose whole induction record has passed its
 * retention date, and the confirmation that deletes it. The dialog says exactly what goes; the
 * answer says what was deleted, as the server reported it.
 */
import { useEffect, useState } from "react";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { RetentionCounts, RetentionDeletionResult, RetentionDueRow } from "@shared/retentionDue";
import { useApp } from "../AppContext";
import { ApiError, callApi } from "../lib/api";
import { formatDate } from "../lib/format";
import { newId } from "../editor/model";
import { Breadcrumb, Refusal, ScrollRegion, refusalTitle } from "../components/Navigation";

const useStyles = makeStyles({
  h1: { margin: 0, fontSize: tokens.fontSizeBase600 },
  table: { borderCollapse: "collapse", width: "100%", backgroundColor: tokens.colorNeutralBackground1, marginBlock: tokens.spacingVerticalM },
  th: { textAlign: "left", padding: tokens.spacingHorizontalS, borderBottom: `2px solid ${tokens.colorNeutralStroke1}` },
  td: { padding: tokens.spacingHorizontalS, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, verticalAlign: "top" },
});

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "1 plan, 3 check-ins, 2 induction records, 1 evidence file" */
const countsInWords = (c: RetentionCounts) =>
  [plural(c.plans, "plan"), plural(c.checkIns, "check-in"), plural(c.records, "induction record"), plural(c.evidenceFiles, "evidence file")].join(", ");

const total = (rows: { counts: RetentionCounts }[]): RetentionCounts =>
  rows.reduce(
    (t, r) => ({
      plans: t.plans + r.counts.plans,
      checkIns: t.checkIns + r.counts.checkIns,
      records: t.records + r.counts.records,
      evidenceFiles: t.evidenceFiles + r.counts.evidenceFiles,
    }),
    {
      plans: 0,
      checkIns: 0,
      records: 0,
      evidenceFiles: 0,
    },
  );

export default function RetentionView() {
  const styles = useStyles();
  const { api, me } = useApp();
  const client = useQueryClient();
  const key = [me.person.id, "retention"] as const;
  const list = useQuery({ queryKey: key, queryFn: () => callApi(api, "GET /api/retention") });
  const [confirming, setConfirming] = useState<{ rows: RetentionDueRow[]; confirmationId: string }>();
  const [done, setDone] = useState<{ result: RetentionDeletionResult; names: Map<string, string> }>();
  const confirm = useMutation({
    // The same confirmation id on a retry: the server finishes it and answers what it deleted.
    mutationFn: (c: { rows: RetentionDueRow[]; confirmationId: string }) =>
      callApi(api, "POST /api/retention/deletions", {
        body: { confirmationId: c.confirmationId, ects: c.rows.map((r) => ({ ectId: r.ectId, version: r.version })) },
      }),
    onSuccess: (result, c) => {
      setDone({ result, names: new Map(c.rows.map((r) => [r.ectId, r.ectName])) });
      setConfirming(undefined);
      void client.invalidateQueries({ queryKey: key });
    },
    onError: (e) => {
      // The list changed since it was shown: show the new one; nothing was deleted.
      if (e instanceof ApiError && e.status === 409) void client.invalidateQueries({ queryKey: key });
    },
  });
  useEffect(() => {
    document.title = "Records due for deletion";
  }, []);

  if (list.error && !list.data) {
    const status = list.error instanceof ApiError ? list.error.status : undefined;
    return <Refusal title={refusalTitle(status, "page")}>{list.error.message}</Refusal>;
  }
  if (!list.data) return <Spinner label="Loading what is due…" />;
  const due = list.data.due;
  const error =
    confirm.error instanceof ApiError ? confirm.error : confirm.error ? new ApiError(0, { title: "Failed", detail: confirm.error.message }) : undefined;
  const violations = (error?.problem.violations ?? []) as { message: string }[];

  return (
    <article aria-labelledby="retention-title">
      <Breadcrumb current="Records due for deletion" />
      <h1 id="retention-title" className={styles.h1}>
        Records due for deletion
      </h1>
      <Text block>
        Induction records are kept for six years after an ECT&apos;s induction ends (statutory guidance §2.77). An ECT is listed once every plan and record of
        theirs has passed its date and no plan of theirs is open. Nothing is deleted until you confirm.
      </Text>
      {done && (
        <Text role="status" block weight="semibold" style={{ marginTop: 12 }}>
          Deleted: {done.result.deleted.map((d) => `${done.names.get(d.ectId) ?? "an ECT"} (${countsInWords(d.counts)})`).join("; ")}. A record that they were
          deleted, with no content, stays in the audit trail.
        </Text>
      )}
      {due.length === 0 ? (
        <Text block style={{ marginTop: 12 }} data-testid="retention-empty">
          Nothing has passed its retention date today ({formatDate(list.data.today)}).
        </Text>
      ) : (
        <>
          <ScrollRegion label="ECTs whose records have passed their retention date">
            <table className={styles.table} data-testid="retention-due">
              <thead>
                <tr>
                  {["ECT", "Kept until", "What would be deleted"].map((h) => (
                    <th key={h} className={styles.th} scope="col">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {due.map((r) => (
                  <tr key={r.ectId}>
                    <td className={styles.td}>{r.ectName}</td>
                    <td className={styles.td}>{formatDate(r.retainUntil)}</td>
                    <td className={styles.td}>{countsInWords(r.counts)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          <Button
            appearance="primary"
            onClick={() => {
              confirm.reset();
              setConfirming({ rows: due, confirmationId: newId() });
            }}
          >
            Delete these records…
          </Button>
        </>
      )}
      {confirming && (
        <Dialog open onOpenChange={(_, d) => !d.open && !confirm.isPending && setConfirming(undefined)}>
          <DialogSurface>
            <DialogBody>
              <DialogTitle>Delete these induction records for good?</DialogTitle>
              <DialogContent>
                <Text block>This deletes, and cannot be undone:</Text>
                <ul data-testid="retention-confirm-list">
                  {confirming.rows.map((r) => (
                    <li key={r.ectId}>
                      {r.ectName} (kept until {formatDate(r.retainUntil)}): {countsInWords(r.counts)}
                    </li>
                  ))}
                </ul>
                <Text block>
                  In all: {countsInWords(total(confirming.rows))}. The ECTs stay on the roster; the audit trail keeps a note of the deletion, with no names or
                  content.
                </Text>
                {error && (
                  <Text role="alert" block style={{ marginTop: 8 }}>
                    {error.message}
                    {violations.map((v) => ` ${v.message}`).join("")}
                  </Text>
                )}
              </DialogContent>
              <DialogActions>
                <Button appearance="secondary" disabled={confirm.isPending} onClick={() => setConfirming(undefined)}>
                  Cancel
                </Button>
                {/* After a 409 the list is reloaded: a new confirmation is needed for the new list. */}
                {!(error?.status === 409) && (
                  <Button appearance="primary" disabled={confirm.isPending} onClick={() => confirm.mutate(confirming)}>
                    {confirm.isPending
                      ? "Deleting…"
                      : error?.status === 503
                        ? "Try again to finish"
                        : `Delete ${plural(confirming.rows.length, "ECT's records", "ECTs' records")}`}
                  </Button>
                )}
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      )}
    </article>
  );
}
