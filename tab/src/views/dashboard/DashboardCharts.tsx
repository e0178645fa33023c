import { DataVizPalette, GroupedVerticalBarChart, HorizontalBarChartWithAxis, VerticalStackedBarChart, getColorFromToken } from "@fluentui/react-charts";
import type { AbDashboard } from "@shared/model/abDashboard";
import { levelColour } from "./chartColours";
import { days, levelKeys, levelName, outcomeKeys, outcomeWords } from "./labels";

/**
 * The dashboard's three charts, drawn with Fluent's own chart library (@fluentui/react-charts).
 * This module is the only one that imports it, and only the lazily loaded dashboard and journey
 * import this module, so the library never joins the first load.
 */
const outcomeColours = { opened: DataVizPalette.info, on_track: DataVizPalette.success, continued: DataVizPalette.warning, escalated: DataVizPalette.error };

export function LevelsChart({ data, dark }: { data: AbDashboard["levelsBySchool"]; dark: boolean }) {
  // Only the levels someone is at: an empty series would add a legend for nothing.
  const shown = levelKeys.filter((k) => data.some((s) => s.counts[k] > 0));
  return (
    <VerticalStackedBarChart
      chartTitle="ECTs by level, per school"
      height={320}
      data={data.map((s) => ({
        xAxisPoint: s.schoolName,
        chartData: shown.map((k) => ({ legend: levelName(k), data: s.counts[k], color: levelColour(levelKeys.indexOf(k), dark) })),
      }))}
      yAxisTitle="ECTs"
      roundedTicks
      // Wide bars spaced evenly, every school named under its bar (the default hides labels that would overlap).
      barWidth="auto"
      maxBarWidth={56}
      xAxisInnerPadding={0.5}
      hideTickOverlap={false}
      wrapXAxisLables
      enabledLegendsWrapLines
      margins={{ left: 60, bottom: 60, top: 20, right: 20 }}
    />
  );
}

export function TermsChart({ data, dark }: { data: AbDashboard["terms"]; dark: boolean }) {
  return (
    <GroupedVerticalBarChart
      chartTitle="Plans opened and closed per term"
      height={320}
      data={data.map((t) => ({
        name: t.term,
        series: [
          { key: "opened", legend: "Opened", data: t.opened, color: getColorFromToken(outcomeColours.opened, dark) },
          ...outcomeKeys.map((o) => ({
            key: o,
            legend: `Closed: ${outcomeWords[o].toLowerCase()}`,
            data: t.closed[o],
            color: getColorFromToken(outcomeColours[o], dark),
          })),
        ],
      }))}
      yAxisTitle="Plans"
      roundedTicks
      enabledLegendsWrapLines
      margins={{ left: 60, bottom: 60, top: 20, right: 20 }}
    />
  );
}

export function TimeAtLevelChart({ data, dark }: { data: AbDashboard["timeAtLevel"]; dark: boolean }) {
  return (
    <HorizontalBarChartWithAxis
      chartTitle="Median days at each level, per ECT"
      height={Math.max(160, 56 * data.length + 80)}
      data={data.map((l) => ({
        y: levelName(l.level),
        x: l.medianDays,
        legend: levelName(l.level),
        color: levelColour(l.level - 1, dark),
        barLabel: days(l.medianDays),
      }))}
      xAxisTitle="Median days"
      hideLegend
      showYAxisLables
      margins={{ left: 220, bottom: 60, top: 20, right: 40 }}
    />
  );
}
