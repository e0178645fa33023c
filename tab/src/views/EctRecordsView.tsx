import { useEffect, useState } from "react";
import { Badge, Button, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useApp } from "../AppContext";
import { ApiError } from "../lib/api";
import { Link } from "../lib/router";
import { Breadcrumb, Refusal, refusalTitle } from "../components/Navigation";
import { formatDate, formatDateTime } from "../lib/format";
import { useEctSummary, useRecordFormalAssessment, useRecordProgressReview, useRecords, useStandards } from "../lib/queries";
import type { Violation } from "../lib/types";
import { ProgressReviewForm } from "../records/ProgressReviewForm";
import { ConcernsPanel } from "../records/ConcernsPanel";
import { FormalAssessmentForm } from "../records/FormalAssessmentForm";
import { ratingLabel, reviewedStandards, standardTitle } from "../records/scale";
import { EctJourneySection } from "./dashboard/EctJourneySection";
import { RecordDownloads, WholeRecordDownload } from "../records/RecordDownloads";
import { RecordSignOff } from "../records/RecordSignOff";
import { RecordHistory } from "../records/RecordHistory";
import { ReviseRecordForm } from "../records/ReviseRecordForm";
import { SavedWarnings } from "../records/SavedWarnings";
import { HrAlongsideInduction } from "../records/HrAlongsideInduction";

const useStyles = makeStyles({
  h1: { margin: `0 0 ${tokens.spacingVerticalS}`, fontSize: tokens.fontSizeBase600 },
  h2: { fontSize: tokens.fontSizeBase500, margin: `${tokens.spacingVerticalXL} 0 ${tokens.spacingVerticalS}` },
  meta: { color: tokens.colorNeutralForeground2, marginBottom: tokens.spacingVerticalM, display: "block" },
  table: { borderCollapse: "collapse", width: "100%", backgroundColor: tokens.colorNeutralBackground1 },
  th: { textAlign: "left", padding: tokens.spacingHorizontalS, borderBottom: `2px solid ${tokens.colorNeutralStroke1}` },
  td: { padding: tokens.spacingHorizontalS, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, verticalAlign: "top" },
  card: {
    backgroundColor: tokens.colorNeutralBackground1,
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusMedium,
    marginBottom: tokens.spacingVerticalM,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  list: { margin: `${tokens.spacingVerticalXS} 0`, paddingLeft: tokens.spacingHorizontalXL },
  actions: { display: "flex", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
});

type Form = "review" | "assessment" | undefined;

export default function EctRecordsView({ ectId }: { ectId: string }) {
  const styles = useStyles();
  const { me, notify } = useApp();
  // The summary (name, plans) is a nicety: the records show without it if it cannot be read.
  const summary = useEctSummary(ectId).data;
  const records = useRecords(ectId);
  const data = records.data;
  const headings = useStandards().data ?? [];
  const [form, setForm] = useState<Form>();
  const [server, setServer] = useState<{ error?: string; violations: Violation[] }>({ violations: [] });
  /** Issue 16: the chain being revised (its current record id), and warnings that came back with the last save. */
  const [revising, setRevising] = useState<string>();
  const [warnings, setWarnings] = useState<Violation[]>([]);
  const review = useRecordProgressReview(ectId);
  const assessment = useRecordFormalAssessment(ectId);
  useEffect(() => {
    if (summary) document.title = `${summary.name} – induction records`;
  }, [summary]);

  const roles = me.person.roles;
  const mayReview = roles.some((r) => r === "induction_tutor" || r === "head" || r === "induction_lead");
  const mayAssess = roles.some((r) => r === "induction_tutor" || r === "head");

  /** Records it; the list shows it once the mutation has invalidated the records (lib/queries.ts). */
  const send = async (save: () => Promise<unknown>, done: string) => {
    setServer({ violations: [] });
    setWarnings([]);
    try {
      await save();
      notify(done);
      setForm(undefined);
    } catch (e) {
      if (e instanceof ApiError) setServer({ error: e.message, violations: e.problem.violations ?? [] });
      else setServer({ error: e instanceof Error ? e.message : String(e), violations: [] });
    }
  };

  if (records.error && !data)
    return <Refusal title={refusalTitle(records.error instanceof ApiError ? records.error.status : undefined, "record")}>{records.error.message}</Refusal>;
  if (!data) return <Spinner label="Loading the records…" />;
  const name = summary?.name ?? "ECT";
  // Each review/assessment once, as its chain (current revision, sign-off, history), latest first.
  const chains = [...data.chains].sort((a, b) => b.current.recordedAt.localeCompare(a.current.recordedAt));

  return (
    <article aria-labelledby="records-title">
      <Breadcrumb current={name} />
      <h1 id="records-title" className={styles.h1}>
        {name} · induction records
      </h1>
      {summary && (
        <Text className={styles.meta}>
          {summary.schoolName} · induction started {formatDate(summary.ect.inductionStartDate)} ·{" "}
          {summary.ect.fte === 1 ? "full time" : `${summary.ect.fte} FTE`}
          {summary.plans.length > 0 && (
            <>
              {" · "}
              <Link href={`/plans/${summary.plans[0]!.id}`}>Latest support plan</Link>
            </>
          )}
        </Text>
      )}

      <WholeRecordDownload ect={summary?.ect} />
      {data.events.length > 0 && <EctJourneySection ectId={ectId} />}
      <HrAlongsideInduction ectId={ectId} />

      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title" className={styles.h2}>
          Statutory timeline
        </h2>
        {data.events.length === 0 ? (
          <Text>The timeline is shown to those who keep this ECT's induction records.</Text>
        ) : (
          <table className={styles.table} data-testid="timeline">
            <caption style={{ textAlign: "left", paddingBottom: 4 }}>Progress reviews and formal assessments, with what is recorded against each</caption>
            <thead>
              <tr>
                <th className={styles.th} scope="col">
                  Review or assessment
                </th>
                <th className={styles.th} scope="col">
                  Due by
                </th>
                <th className={styles.th} scope="col">
                  Status
                </th>
              </tr>
            </thead>
            <tbody>
              {data.events.map((e) => (
                <tr key={`${e.kind}:${e.number}:${e.date}`}>
                  <td className={styles.td}>{e.label}</td>
                  <td className={styles.td}>{formatDate(e.date)}</td>
                  <td className={styles.td}>
                    {e.recorded ? (
                      <Badge appearance="filled" color="success">
                        Recorded
                      </Badge>
                    ) : e.overdue ? (
                      <Badge appearance="filled" color="danger">
                        Overdue
                      </Badge>
                    ) : (
                      <Badge appearance="outline" color="informative">
                        Due
                      </Badge>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {(mayReview || mayAssess) && (
        <section aria-labelledby="record-title">
          <h2 id="record-title" className={styles.h2}>
            Record
          </h2>
          <div className={styles.actions}>
            {mayReview && (
              <Button
                appearance={form === "review" ? "primary" : "secondary"}
                aria-expanded={form === "review"}
                onClick={() => {
                  setServer({ violations: [] });
                  setForm(form === "review" ? undefined : "review");
                }}
              >
                Progress review
              </Button>
            )}
            {mayAssess && (
              <Button
                appearance={form === "assessment" ? "primary" : "secondary"}
                aria-expanded={form === "assessment"}
                onClick={() => {
                  setServer({ violations: [] });
                  setForm(form === "assessment" ? undefined : "assessment");
                }}
              >
                Formal assessment
              </Button>
            )}
          </div>
          {form === "review" && (
            <div className={styles.card} style={{ marginTop: 12 }}>
              <ProgressReviewForm
                headings={headings}
                plans={summary?.plans ?? []}
                onSubmit={(b) => send(async () => setWarnings((await review.mutateAsync(b)).warnings), "Progress review recorded")}
                serverViolations={server.violations}
                serverError={server.error}
              />
            </div>
          )}
          {form === "assessment" && (
            <div className={styles.card} style={{ marginTop: 12 }}>
              <FormalAssessmentForm
                headings={headings}
                onSubmit={(b) => send(() => assessment.mutateAsync(b), "Formal assessment recorded")}
                serverViolations={server.violations}
                serverError={server.error}
              />
            </div>
          )}
          <SavedWarnings warnings={warnings} />
        </section>
      )}

      <section aria-labelledby="recorded-title">
        <h2 id="recorded-title" className={styles.h2}>
          Reviews and assessments recorded
        </h2>
        {chains.length === 0 && <Text>Nothing recorded yet.</Text>}
        {chains.map((chain) => {
          const r = chain.current;
          const isReview = r.kind === "progress_review";
          const body = isReview ? r.review : r.assessment;
          const onTrack = body.onTrack;
          return (
            <div key={r.id} className={styles.card} data-testid="record">
              <Text weight="semibold" block>
                {isReview ? "Progress review" : `Formal assessment ${r.assessment.number}`} · {formatDate(body.date)}
                {r.due ? ` · answers ${r.due.label}` : ""}
              </Text>
              <Text size={200} block className={styles.meta}>
                Recorded by {r.recordedByName} on {formatDateTime(r.recordedAt)}
              </Text>
              {onTrack !== undefined && (
                <Badge appearance="filled" color={onTrack ? "success" : "danger"}>
                  {onTrack ? "On track" : "Not on track"}
                </Badge>
              )}
              {!isReview && r.assessment.recommendation && <Text block>Recommendation: {r.assessment.recommendation.replace("_", " ")}</Text>}
              <ul className={styles.list}>
                {reviewedStandards
                  .filter((c) => body.ratings[c])
                  .map((c) => (
                    <li key={c}>
                      {standardTitle(c, headings)}: <strong>{ratingLabel(body.ratings[c]?.ratingId)}</strong>
                      {body.ratings[c]?.statement ? ` — ${body.ratings[c].statement}` : ""}
                    </li>
                  ))}
              </ul>
              {body.targets.length > 0 && (
                <>
                  <Text weight="semibold">Targets</Text>
                  <ol className={styles.list}>
                    {body.targets.map((t, i) => (
                      <li key={i}>{t.text}</li>
                    ))}
                  </ol>
                </>
              )}
              {body.evidenceSummary && <Text block>Evidence: {body.evidenceSummary}</Text>}
              <RecordDownloads ectId={ectId} recordId={r.id} what={`${isReview ? "progress review" : "formal assessment"} of ${formatDate(body.date)}`} />
              <RecordSignOff ectId={ectId} chain={chain} what={isReview ? "progress review" : "formal assessment"} onRevise={() => setRevising(r.id)} />
              {revising === r.id && (
                <ReviseRecordForm
                  ectId={ectId}
                  chain={chain}
                  headings={headings}
                  plans={summary?.plans ?? []}
                  onDone={(w) => {
                    setRevising(undefined);
                    setWarnings(w);
                  }}
                />
              )}
              <RecordHistory chain={chain} />
            </div>
          );
        })}
      </section>
      <ConcernsPanel ectId={ectId} />
    </article>
  );
}
