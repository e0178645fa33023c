import { Spinner, Text, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { callApi } from "../lib/api";
import { formatDate } from "../lib/format";
import { useCaller } from "../lib/queries";
import { errorMessage } from "./http";
import { ScrollRegion } from "../components/Navigation";

const useStyles = makeStyles({
  h2: { fontSize: tokens.fontSizeBase500, margin: `${tokens.spacingVerticalXL} 0 ${tokens.spacingVerticalS}` },
  h3: { fontSize: tokens.fontSizeBase400, margin: `${tokens.spacingVerticalM} 0 ${tokens.spacingVerticalS}` },
  table: { borderCollapse: "collapse", width: "100%", backgroundColor: tokens.colorNeutralBackground1 },
  caption: { textAlign: "left", fontWeight: tokens.fontWeightSemibold, padding: `${tokens.spacingVerticalXS} 0` },
  th: { textAlign: "left", padding: tokens.spacingHorizontalS, borderBottom: `2px solid ${tokens.colorNeutralStroke1}`, verticalAlign: "top" },
  td: { padding: tokens.spacingHorizontalS, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, verticalAlign: "top" },
  // The current term is also named in words ("This term"): the outline only helps the eye.
  current: { backgroundColor: tokens.colorBrandBackground2, outline: `2px solid ${tokens.colorBrandStroke1}` },
  sub: { display: "block", fontWeight: tokens.fontWeightRegular, color: tokens.colorNeutralForeground2 },
  now: { display: "block", fontWeight: tokens.fontWeightSemibold },
  note: { display: "block", color: tokens.colorNeutralForeground2, marginTop: tokens.spacingVerticalS },
  applies: { display: "block", marginBottom: tokens.spacingVerticalS },
});

/** The table for one ECT, read once per ECT and viewer; a save to the school's settings refreshes it with the ECT's pages. */
function useHrAlongsideInduction(ectId: string) {
  const { api, who } = useCaller();
  return useQuery({
    queryKey: [who, "ects", ectId, "hr-alongside-induction"] as const,
    queryFn: () => callApi(api, "GET /api/ects/{ectId}/hr-alongside-induction", { params: { ectId } }),
  });
}

/**
 * Seed 003's "HR v ECT Induction" table for this ECT: which HR policy applies in each of their
 * terms of induction (the school's probation length), the current term marked in words.
 * `headingLevel` 3 inside a plan (the Level 6 hand-over), 2 on the record page.
 */
export function HrAlongsideInduction({ ectId, headingLevel = 2 }: { ectId: string; headingLevel?: 2 | 3 }) {
  const styles = useStyles();
  const query = useHrAlongsideInduction(ectId);
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const id = `hr-${headingLevel}-${ectId}`;
  const data = query.data;
  if (query.error) return <Text role="alert">Could not load how HR policy runs alongside induction: {errorMessage(query.error)}</Text>;
  if (!data?.columns) return <Spinner size="tiny" label="Loading HR alongside induction…" />;
  return (
    <section aria-labelledby={id} data-testid="hr-alongside-induction">
      <Heading id={id} className={headingLevel === 2 ? styles.h2 : styles.h3}>
        {data.title}
      </Heading>
      <Text className={styles.applies} data-testid="hr-this-term">
        {data.thisTerm.text}
      </Text>
      <Text className={styles.note}>{data.intro}</Text>
      <ScrollRegion label="HR alongside induction, by term">
        <table className={styles.table}>
          <caption className={styles.caption}>
            Which HR policy applies in each term of induction (this school&apos;s probation: {data.probationTerms} term{data.probationTerms === 1 ? "" : "s"})
          </caption>
          <thead>
            <tr>
              <td className={styles.th} />
              {data.columns.map((c) => (
                <th key={c.heading} scope="col" className={mergeClasses(styles.th, c.current && styles.current)} aria-current={c.current ? "true" : undefined}>
                  {c.current && <span className={styles.now}>This term</span>}
                  {c.heading}
                  <span className={styles.sub}>{c.schoolTerms}</span>
                  <span className={styles.sub}>{c.to ? `${formatDate(c.from)} – ${formatDate(c.to)}` : `from ${formatDate(c.from)}`}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => (
              <tr key={r.policy}>
                <th scope="row" className={styles.th}>
                  {r.label}
                </th>
                {r.cells.map((cell, i) => (
                  <td key={data.columns[i]!.heading} className={mergeClasses(styles.td, data.columns[i]!.current && styles.current)}>
                    {cell.text}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <Text className={styles.note}>* {data.footnote}</Text>
    </section>
  );
}
