import { DataVizPalette, GanttChart, getColorFromToken, type GanttChartDataPoint } from "@fluentui/react-charts";
import type { EctJourney } from "@shared/model/inductionJourney";
import { formatDate } from "../../lib/format";
import { levelColour } from "./chartColours";
import { levelName } from "./labels";
import { planLabel, reviewStatusWords } from "./JourneyTables";

/**
 * The journey as one Gantt chart: a row per induction term (extension terms in their own colour),
 * a row per support plan coloured by its level, and a row of the reviews and assessments (a
 * week-wide mark each, coloured by what is recorded). Loaded lazily by EctJourneySection.
 */
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const nextDay = (iso: string) => new Date(day(iso).getTime() + 86_400_000);
const REVIEWS = "Reviews and assessments";

export default function JourneyChart({ journey, dark }: { journey: EctJourney; dark: boolean }) {
  const colour = (token: string) => getColorFromToken(token, dark);
  const data: GanttChartDataPoint[] = [
    ...journey.terms.map((t) => ({
      y: `Term ${t.number}${t.extension ? " (extension)" : ""}`,
      x: { start: day(t.start), end: nextDay(t.end) },
      legend: t.extension ? "Extension term" : "Induction term",
      color: colour(t.extension ? DataVizPalette.warning : DataVizPalette.color10),
      xAxisCalloutData: `${formatDate(t.start)} to ${formatDate(t.end)}`,
    })),
    ...journey.plans.map((p) => ({
      y: planLabel(p),
      x: { start: day(p.start), end: nextDay(p.end) },
      legend: p.level === undefined ? "Plan off the ladder" : levelName(p.level),
      color: p.level === undefined ? colour(DataVizPalette.color7) : levelColour(p.level - 1, dark),
      xAxisCalloutData: `${formatDate(p.start)} to ${p.open && !p.upcoming ? "today" : formatDate(p.end)}`,
    })),
    ...journey.reviewPoints.flatMap((r) => {
      const at = r.date ?? r.dueDate;
      if (!at) return [];
      const token =
        r.status === "recorded"
          ? r.onTrack === false
            ? DataVizPalette.error
            : DataVizPalette.success
          : r.status === "overdue"
            ? DataVizPalette.highError
            : DataVizPalette.disabled;
      return [
        {
          y: REVIEWS,
          x: { start: day(at), end: new Date(day(at).getTime() + 7 * 86_400_000) },
          legend: `Review ${reviewStatusWords(r)}`,
          color: colour(token),
          xAxisCalloutData: `${r.label}: ${formatDate(at)}`,
        },
      ];
    }),
  ];
  return (
    <GanttChart
      chartTitle={`${journey.ectName}'s induction journey`}
      data={data}
      height={Math.max(260, 34 * (journey.terms.length + journey.plans.length + 1) + 120)}
      maxBarHeight={18}
      showYAxisLables
      margins={{ left: 240, bottom: 60, top: 20, right: 30 }}
    />
  );
}
