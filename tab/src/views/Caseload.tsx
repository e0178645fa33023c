import { lazy, Suspense, useEffect, useMemo, useState } from "react";
import { Dropdown, Field, Input, Option, Select, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ladder } from "@shared/ladder";
import { useApp } from "../AppContext";
import { statusLabels, todayIso } from "../lib/format";
import { emptyFilter, filterRows, sortRows, type CaseloadFilter, type SortKey } from "../lib/caseload";
import { useCaseload } from "../lib/queries";
import type { CaseloadRow } from "../lib/types";
import { CaseloadTable } from "./CaseloadTable";
import { CaseloadTiles } from "./CaseloadTiles";

const NewPlanDialog = lazy(() => import("../components/NewPlanDialog"));

const useStyles = makeStyles({
  toolbar: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, alignItems: "end", marginBottom: tokens.spacingVerticalL },
  search: { minWidth: "240px" },
  school: { minWidth: "220px" },
});

export function Caseload() {
  const styles = useStyles();
  const { me } = useApp();
  const caseload = useCaseload();
  const rows = caseload.data?.rows;
  const [filter, setFilter] = useState<CaseloadFilter>(emptyFilter);
  const [sort, setSort] = useState<SortKey>("level");
  const [creatingFor, setCreatingFor] = useState<CaseloadRow>();
  const isAb = me.person.roles.includes("ab_officer");
  const isEctOnly = me.person.roles.every((r) => r === "ect");
  const canStart = me.person.roles.some((r) => r === "mentor" || r === "induction_tutor" || r === "induction_lead" || r === "head");

  useEffect(() => {
    document.title = "Caseload – ECT support plans";
  }, []);

  const shown = useMemo(() => (rows ? sortRows(filterRows(rows, filter), sort) : []), [rows, filter, sort]);
  const today = todayIso();

  if (caseload.error && !rows) return <Text role="alert">Could not load the caseload: {caseload.error.message}</Text>;
  if (!rows) return <Spinner label="Loading the caseload…" />;

  const set = (patch: Partial<CaseloadFilter>) => setFilter((f) => ({ ...f, ...patch }));
  // The AB's caseload spans schools: school is a column and a filter, never a grouping.
  const schools = [...new Map(rows.map((r) => [r.schoolId, r.schoolName])).entries()].sort(([, a], [, b]) => a.localeCompare(b));
  const manySchools = isAb || schools.length > 1;
  const schoolLabel = schools.find(([id]) => id === filter.school)?.[1] ?? "All schools";

  return (
    <section aria-labelledby="caseload-title">
      <h1 id="caseload-title">{isEctOnly ? "My support plans" : isAb ? "ECTs your appropriate body covers" : "Caseload"}</h1>
      {!isEctOnly && <CaseloadTiles rows={rows} tile={filter.tile} onTile={(tile) => set({ tile })} />}
      {!isEctOnly && (
        <div className={styles.toolbar} role="search" aria-label="Filter the caseload">
          <Field label="Search" className={styles.search}>
            <Input type="search" value={filter.text} onChange={(_, d) => set({ text: d.value })} placeholder="Name, school, mentor…" />
          </Field>
          {manySchools && (
            <Field label="School" className={styles.school}>
              <Dropdown value={schoolLabel} selectedOptions={[filter.school]} onOptionSelect={(_, d) => set({ school: d.optionValue ?? "all" })}>
                <Option value="all">All schools</Option>
                {schools.map(([id, name]) => (
                  <Option key={id} value={id}>
                    {name}
                  </Option>
                ))}
              </Dropdown>
            </Field>
          )}
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
        </div>
      )}
      {shown.length === 0 && <Text>No ECTs match these filters.</Text>}
      {shown.length > 0 && (
        <CaseloadTable
          rows={shown}
          caption={isEctOnly ? "Your plans" : "ECTs"}
          showSchool={manySchools}
          canStart={canStart}
          today={today}
          onStart={setCreatingFor}
        />
      )}
      {creatingFor && (
        <Suspense fallback={null}>
          <NewPlanDialog row={creatingFor} onClose={() => setCreatingFor(undefined)} />
        </Suspense>
      )}
    </section>
  );
}
