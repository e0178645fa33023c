import { useEffect } from "react";
import { Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useApp } from "../AppContext";
import { useAbDashboard } from "../lib/queries";
import { Link } from "../lib/router";
import { formatDate } from "../lib/format";
import { errorMessage } from "../records/http";
import { ChartFigure } from "./dashboard/ChartFigure";
import { LevelsChart, TermsChart, TimeAtLevelChart } from "./dashboard/DashboardCharts";
import { LevelsTable, TermsTable, TimeAtLevelTable } from "./dashboard/DashboardTables";

const useStyles = makeStyles({
  h1: { margin: `0 0 ${tokens.spacingVerticalXS}`, fontSize: tokens.fontSizeBase600 },
  meta: { color: tokens.colorNeutralForeground2, display: "block", marginBottom: tokens.spacingVerticalL },
});

/**
 * Issue 15: the appropriate body's dashboard (an induction lead's or head's, for their school).
 * Three charts, each with a heading, a sentence, and a table with the same facts. Loaded lazily
 * (App.tsx), so the chart library is fetched only by those who open it.
 */
export default function AbDashboardView() {
  const styles = useStyles();
  const { theme } = useApp();
  const query = useAbDashboard();
  useEffect(() => {
    document.title = "Dashboard – support plans";
  }, []);
  if (query.error) return <Text role="alert">Could not load the dashboard: {errorMessage(query.error)}</Text>;
  if (!query.data) return <Spinner label="Loading the dashboard…" />;
  const d = query.data;
  const dark = theme !== "light";
  const onPlans = d.levelsBySchool.reduce((n, s) => n + s.ects - s.counts.none, 0);
  return (
    <article aria-labelledby="dashboard-title">
      <h1 id="dashboard-title" className={styles.h1}>
        Dashboard
      </h1>
      <Text className={styles.meta}>
        {d.scope === "appropriate_body" ? "Every ECT your appropriate body covers" : "Your school's ECTs"}: {d.ects} ECTs in {d.levelsBySchool.length}{" "}
        {d.levelsBySchool.length === 1 ? "school" : "schools"}, {onPlans} on a support plan, as of {formatDate(d.today)}. Each ECT's induction journey is on
        their records page (from <Link href="/ab/reviews">Progress reviews</Link> or the caseload).
      </Text>
      {d.ects === 0 ? (
        <Text>No ECTs yet.</Text>
      ) : (
        <>
          <ChartFigure
            id="levels"
            title="ECTs by level, per school"
            summary="Each bar is a school; its parts are the ECTs at each level of the ladder now, and those with no open plan."
            chart={<LevelsChart data={d.levelsBySchool} dark={dark} />}
            table={<LevelsTable data={d.levelsBySchool} />}
          />
          <ChartFigure
            id="terms"
            title="Plans opened and closed per term"
            summary={
              d.terms.length
                ? "For each school term: plans started, and plans closed by how they ended: back on track, continued into a further plan, or escalated."
                : "No plans have started yet."
            }
            chart={d.terms.length ? <TermsChart data={d.terms} dark={dark} /> : null}
            table={<TermsTable data={d.terms} />}
          />
          <ChartFigure
            id="time"
            title="Time at each level"
            summary={
              d.timeAtLevel.length
                ? "The median number of days an ECT has spent at each level, all their plans at that level together; open plans count to today."
                : "No plans have started yet."
            }
            chart={d.timeAtLevel.length ? <TimeAtLevelChart data={d.timeAtLevel} dark={dark} /> : null}
            table={<TimeAtLevelTable data={d.timeAtLevel} />}
          />
        </>
      )}
    </article>
  );
}
