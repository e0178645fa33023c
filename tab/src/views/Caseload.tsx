import { lazy, Suspense, useEffect, useMemo, useState } from "react";
import { Badge, Button, Checkbox, Field, Input, Select, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ladder } from "@shared/ladder";
import { templates } from "@shared/templates";
import { useApp } from "../AppContext";
import { Link } from "../lib/router";
import { formatDate, statusLabels, todayIso } from "../lib/format";
import { emptyFilter, filterRows, groupForAb, needsAttention, rowStage, signaturesAwaited, sortRows, type CaseloadFilter, type SortKey } from "../lib/caseload";
import type { CaseloadRow } from "../lib/types";

const NewPlanDialog = lazy(() => import("../components/NewPlanDialog"));

const levelName = (l: number) => ladder.find((x) => x.level === l)?.name ?? "";
const templateName = (id: string) => templates.find((t) => t.id === id)?.name ?? id;

const useStyles = makeStyles({
  toolbar: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, alignItems: "end", marginBottom: tokens.spacingVerticalL },
  search: { minWidth: "240px" },
  tableWrap: {
    overflowX: "auto",
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
    marginBottom: tokens.spacingVerticalL,
  },
  table: { width: "100%", borderCollapse: "collapse", fontSize: tokens.fontSizeBase300 },
  th: {
    textAlign: "left",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke1}`,
    fontWeight: tokens.fontWeightSemibold,
    whiteSpace: "nowrap",
  },
  td: { padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`, borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, verticalAlign: "top" },
  caption: {
    textAlign: "left",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    fontWeight: tokens.fontWeightSemibold,
    fontSize: tokens.fontSizeBase400,
  },
  sub: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  warn: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  summary: { display: "flex", gap: tokens.spacingHorizontalXL, flexWrap: "wrap", marginBottom: tokens.spacingVerticalM },
  stat: {
    backgroundColor: tokens.colorNeutralBackground1,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    borderRadius: tokens.borderRadiusMedium,
    boxShadow: tokens.shadow2,
  },
  statNum: { fontSize: tokens.fontSizeHero700, fontWeight: tokens.fontWeightSemibold, display: "block" },
});

const levelColour = (l: number | undefined): "informative" | "warning" | "danger" | "severe" | "subtle" =>
  l === undefined ? "informative" : l >= 5 ? "danger" : l === 4 ? "severe" : l >= 2 ? "warning" : "informative";

export function Caseload() {
  const styles = useStyles();
  const { api, me } = useApp();
  const [rows, setRows] = useState<CaseloadRow[]>();
  const [error, setError] = useState<string>();
  const [filter, setFilter] = useState<CaseloadFilter>(emptyFilter);
  const [sort, setSort] = useState<SortKey>("level");
  const [creatingFor, setCreatingFor] = useState<CaseloadRow>();
  const isAb = me.person.roles.includes("ab_officer");
  const isEctOnly = me.person.roles.every((r) => r === "ect");
  const canStart = me.person.roles.some((r) => r === "mentor" || r === "induction_tutor" || r === "induction_lead" || r === "head");

  useEffect(() => {
    document.title = "Caseload – ECT support plans";
    api
      .get<{ rows: CaseloadRow[] }>("/api/caseload")
      .then((b) => setRows(b.rows))
      .catch((e: Error) => setError(e.message));
  }, [api]);

  const shown = useMemo(() => (rows ? sortRows(filterRows(rows, filter), sort) : []), [rows, filter, sort]);
  const groups = useMemo(() => (isAb ? groupForAb(shown, levelName) : undefined), [isAb, shown]);
  const today = todayIso();

  if (error) return <Text role="alert">Could not load the caseload: {error}</Text>;
  if (!rows) return <Spinner label="Loading the caseload…" />;

  const open = rows.filter((r) => r.plan && r.plan.status !== "closed");
  const set = (patch: Partial<CaseloadFilter>) => setFilter((f) => ({ ...f, ...patch }));

  const table = (list: CaseloadRow[], caption: string, showSchool: boolean) => (
    <div className={styles.tableWrap} key={caption}>
      <table className={styles.table} data-testid="caseload-table">
        <caption className={styles.caption}>
          {caption} ({list.length})
        </caption>
        <thead>
          <tr>
            <th className={styles.th} scope="col">
              ECT
            </th>
            {showSchool && (
              <th className={styles.th} scope="col">
                School
              </th>
            )}
            <th className={styles.th} scope="col">
              Current plan
            </th>
            <th className={styles.th} scope="col">
              Status
            </th>
            <th className={styles.th} scope="col">
              Next review
            </th>
            <th className={styles.th} scope="col">
              Overdue check-ins
            </th>
            <th className={styles.th} scope="col">
              Signatures awaited
            </th>
            {canStart && (
              <th className={styles.th} scope="col">
                Actions
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {list.map((r) => {
            const p = r.plan;
            const isOpen = p && p.status !== "closed";
            return (
              <tr key={r.ectId} data-ect={r.ectId}>
                <th className={styles.td} scope="row" style={{ fontWeight: "normal" }}>
                  {p ? <Link href={`/plans/${p.id}`}>{r.ectName}</Link> : <Text weight="semibold">{r.ectName}</Text>}
                  <div className={styles.sub}>
                    {r.track === "itt" ? "Trainee" : r.year}
                    {r.inductionTutorName ? ` · IT: ${r.inductionTutorName}` : ""}
                    {r.mentorName ? ` · Mentor: ${r.mentorName}` : ""}
                    {" · "}
                    <Link href={`/ects/${encodeURIComponent(r.ectId)}/records`}>Records</Link>
                  </div>
                </th>
                {showSchool && <td className={styles.td}>{r.schoolName}</td>}
                <td className={styles.td}>
                  {p ? (
                    <>
                      {p.level !== undefined && (
                        <Badge appearance="tint" color={levelColour(p.level)} style={{ marginRight: 6 }}>
                          Level {p.level}
                        </Badge>
                      )}
                      <span>{templateName(p.templateId)}</span>
                    </>
                  ) : (
                    <span className={styles.sub}>No plan</span>
                  )}
                </td>
                <td className={styles.td}>
                  {p ? (
                    <Badge appearance="outline" color={p.status === "closed" ? "subtle" : "brand"}>
                      {rowStage(p)}
                    </Badge>
                  ) : (
                    "—"
                  )}
                </td>
                <td className={styles.td}>
                  {isOpen && p.nextReviewDate ? (
                    <span className={p.nextReviewDate < today ? styles.warn : undefined}>
                      {formatDate(p.nextReviewDate)}
                      {p.nextReviewDate < today ? " (overdue)" : ""}
                    </span>
                  ) : (
                    "—"
                  )}
                </td>
                <td className={styles.td}>{isOpen && p.overdueCheckIns > 0 ? <span className={styles.warn}>{p.overdueCheckIns}</span> : isOpen ? "0" : "—"}</td>
                <td className={styles.td}>
                  {isOpen && signaturesAwaited(p) > 0 ? <span className={styles.warn}>{signaturesAwaited(p)}</span> : isOpen ? "0" : "—"}
                </td>
                {canStart && (
                  <td className={styles.td}>
                    {!isOpen && (
                      <Button size="small" onClick={() => setCreatingFor(r)} aria-label={`Start a plan for ${r.ectName}`}>
                        Start a plan
                      </Button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );

  return (
    <section aria-labelledby="caseload-title">
      <h1 id="caseload-title">{isEctOnly ? "My support plans" : isAb ? "ECTs your appropriate body covers" : "Caseload"}</h1>
      {!isEctOnly && (
        <div className={styles.summary}>
          <div className={styles.stat}>
            <span className={styles.statNum}>{rows.length}</span>ECTs
          </div>
          <div className={styles.stat}>
            <span className={styles.statNum}>{open.length}</span>on a plan
          </div>
          <div className={styles.stat}>
            <span className={styles.statNum}>{open.filter((r) => (r.plan?.level ?? 0) >= 4).length}</span>at Level 4 or above
          </div>
          <div className={styles.stat}>
            <span className={styles.statNum}>{rows.filter(needsAttention).length}</span>need attention
          </div>
        </div>
      )}
      {!isEctOnly && (
        <div className={styles.toolbar} role="search" aria-label="Filter the caseload">
          <Field label="Search" className={styles.search}>
            <Input type="search" value={filter.text} onChange={(_, d) => set({ text: d.value })} placeholder="Name, school, mentor…" />
          </Field>
          <Field label="Level">
            <Select value={filter.level} onChange={(_, d) => set({ level: d.value })}>
              <option value="all">All levels</option>
              {ladder.map((l) => (
                <option key={l.level} value={String(l.level)}>
                  Level {l.level} – {l.name}
                </option>
              ))}
              <option value="itt">ITT early support</option>
              <option value="none">No open plan</option>
            </Select>
          </Field>
          <Field label="Plan status">
            <Select value={filter.status} onChange={(_, d) => set({ status: d.value })}>
              <option value="all">Any status</option>
              {Object.entries(statusLabels).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
              <option value="none">No plan</option>
            </Select>
          </Field>
          {!isAb && (
            <Field label="Sort by">
              <Select value={sort} onChange={(_, d) => setSort(d.value as SortKey)}>
                <option value="level">Level (highest first)</option>
                <option value="review">Next review date</option>
                <option value="name">Name</option>
                <option value="school">School</option>
              </Select>
            </Field>
          )}
          <Checkbox checked={filter.attention} onChange={(_, d) => set({ attention: !!d.checked })} label="Only those needing attention" />
        </div>
      )}
      {shown.length === 0 && <Text>No ECTs match these filters.</Text>}
      {groups
        ? groups.map((g) => (
            <section key={g.title} aria-label={g.title}>
              <h2>{g.title}</h2>
              {g.subgroups.map((s) => table(s.rows, s.title, false))}
            </section>
          ))
        : shown.length > 0 && table(shown, isEctOnly ? "Your plans" : "ECTs", new Set(rows.map((r) => r.schoolId)).size > 1)}
      {creatingFor && (
        <Suspense fallback={null}>
          <NewPlanDialog row={creatingFor} onClose={() => setCreatingFor(undefined)} />
        </Suspense>
      )}
    </section>
  );
}
