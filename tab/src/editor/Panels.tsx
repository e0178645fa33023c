import { useState } from "react";
import { Button, Field, Radio, RadioGroup, Select, Text, Textarea } from "@fluentui/react-components";
import { useApp } from "../AppContext";
import { useAddComment } from "../lib/planWrites";
import { formatDateTime } from "../lib/format";
import type { PlanView } from "../lib/types";
import { useFormStyles } from "./PlanForm";
import type { MergeConflict } from "./model";

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function CommentsPanel({ view }: { view: PlanView }) {
  const styles = useFormStyles();
  const { notify } = useApp();
  const [text, setText] = useState("");
  const [week, setWeek] = useState("");
  const [error, setError] = useState<string>();
  const { plan } = view;
  // The plan with the comment goes into its cache entry, which the editor shows (keeping any unsaved edits).
  const comment = useAddComment(plan.id);
  const busy = comment.isPending;
  const post = async () => {
    setError(undefined);
    try {
      await comment.mutateAsync({ text, ...(week ? { week: Number(week) } : {}) });
      setText("");
      notify("Comment added");
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <section className={styles.section} aria-labelledby="sec-comments" data-section="comments">
      <h2 id="sec-comments" className={styles.h2}>
        Comments
      </h2>
      {plan.comments.length === 0 && <Text block>No comments yet.</Text>}
      <ol style={{ listStyle: "none", padding: 0, margin: 0, display: "grid", gap: 10 }}>
        {plan.comments.map((c) => (
          <li key={c.id}>
            <Text weight="semibold">{c.authorName}</Text>{" "}
            <Text size={200}>
              {formatDateTime(c.at)}
              {c.week ? ` · week ${c.week}` : ""}
            </Text>
            <Text block style={{ whiteSpace: "pre-wrap" }}>
              {c.text}
            </Text>
          </li>
        ))}
      </ol>
      {view.allowed.comment && (
        <div style={{ marginTop: 12, display: "grid", gap: 8, maxWidth: 720 }}>
          <Field label="Add a comment">
            <Textarea value={text} onChange={(_, d) => setText(d.value)} />
          </Field>
          {plan.weeks.length > 0 && (
            <Field label="About week (optional)">
              <Select value={week} onChange={(_, d) => setWeek(d.value)} style={{ maxWidth: 240 }}>
                <option value="">The plan as a whole</option>
                {plan.weeks.map((w) => (
                  <option key={w.week} value={w.week}>
                    Week {w.week}
                  </option>
                ))}
              </Select>
            </Field>
          )}
          {error && (
            <Text role="alert" className={styles.sectionMsg}>
              {error}
            </Text>
          )}
          <div>
            <Button disabled={busy || !text.trim()} onClick={() => void post()}>
              Post comment
            </Button>
          </div>
        </div>
      )}
    </section>
  );
}

const show = (v: unknown) =>
  v === undefined || v === ""
    ? "(empty)"
    : Array.isArray(v)
      ? v.join(", ")
      : typeof v === "string"
        ? v
        : typeof v === "number" || typeof v === "boolean" || typeof v === "bigint"
          ? String(v)
          : JSON.stringify(v);

/** Someone saved first: what they changed, and a choice per field where both of us wrote. */
export function ConflictPanel({
  changedByThem,
  conflicts,
  reapplied,
  by,
  onResolve,
  busy,
}: {
  changedByThem: string[];
  conflicts: MergeConflict[];
  reapplied: number;
  by: string | undefined;
  onResolve: (choices: Record<string, "mine" | "theirs">) => void;
  busy: boolean;
}) {
  const styles = useFormStyles();
  const [choices, setChoices] = useState<Record<string, "mine" | "theirs">>({});
  return (
    <section
      className={styles.section}
      aria-labelledby="sec-conflict"
      data-testid="conflict"
      style={{ borderLeft: "4px solid var(--colorPaletteDarkOrangeBorder2)" }}
    >
      <h2 id="sec-conflict" className={styles.h2}>
        Someone else saved this plan first
      </h2>
      <Text block>
        {by ? `${by} saved` : "Someone saved"} a newer version after you opened it. Nothing you typed is lost: your changes
        {reapplied > 0 ? ` (${reapplied} field${reapplied === 1 ? "" : "s"})` : ""} are kept on top of their version.
      </Text>
      {changedByThem.length > 0 && (
        <>
          <h3 style={{ margin: "12px 0 4px" }}>What they changed</h3>
          <ul data-testid="changed-by-them">
            {changedByThem.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </>
      )}
      {conflicts.length > 0 && <h3 style={{ margin: "12px 0 4px" }}>You both changed these — choose which to keep</h3>}
      {conflicts.map((c) => (
        <div key={c.key} style={{ marginBottom: 12 }}>
          <Field label={c.label}>
            <RadioGroup value={choices[c.key] ?? "mine"} onChange={(_, d) => setChoices((x) => ({ ...x, [c.key]: d.value as "mine" | "theirs" }))}>
              <Radio value="mine" label={`Keep my text: ${show(c.mine)}`} />
              <Radio value="theirs" label={`Use theirs: ${show(c.theirs)}`} />
            </RadioGroup>
          </Field>
        </div>
      ))}
      <Button appearance="primary" disabled={busy} onClick={() => onResolve(choices)}>
        Save the merged version
      </Button>
    </section>
  );
}
