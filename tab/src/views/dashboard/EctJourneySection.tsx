import { Suspense, lazy } from "react";
import { Spinner, Text } from "@fluentui/react-components";
import type { ApiResponse } from "@shared/api/contract";
import { useApp } from "../../AppContext";
import { ApiError } from "../../lib/api";
import { useEctJourney } from "../../lib/queries";
import { formatDate } from "../../lib/format";
import { errorMessage } from "../../records/http";
import { ChartFigure } from "./ChartFigure";
import { JourneyTables } from "./JourneyTables";

type EctJourney = ApiResponse<"GET /api/ects/{ectId}/journey">;

// The chart library loads only when a journey is drawn: the records page stays as light as it was.
const JourneyChart = lazy(() => import("./JourneyChart"));

const stageWords: Record<string, string> = {
  not_started: "not started",
  ECT1: "in year 1",
  ECT2: "in year 2",
  extended: "in an extension",
  completed: "completed",
};

/** "4.2 of 6 FTE terms served (0.6 FTE), in year 2; expected to end 31 Aug 2027." */
export function journeySummary(j: EctJourney): string {
  const served = Math.round(j.termsServed * 10) / 10;
  const total = Math.round(j.totalTerms * 100) / 100;
  const pattern = j.fte < 1 ? ` (${j.fte} FTE)` : "";
  const plans = j.plans.length === 0 ? "no support plans" : `${j.plans.length} support ${j.plans.length === 1 ? "plan" : "plans"}`;
  return `${served} of ${total} FTE terms served${pattern}, ${stageWords[j.stage] ?? j.stage}; expected to end ${formatDate(j.expectedEndDate)}; ${plans}.`;
}

/** Issue 15: one ECT's induction journey on their records page, as a chart and as tables. */
export function EctJourneySection({ ectId }: { ectId: string }) {
  const { theme } = useApp();
  const query = useEctJourney(ectId);
  // Someone who only sees a concern they were sent has no journey to see: the section stays out of the way.
  if (query.error)
    return query.error instanceof ApiError && query.error.status === 403 ? (
      <Text block>The induction journey is shown to those who keep this ECT's induction records.</Text>
    ) : (
      <Text role="alert">Could not load the induction journey: {errorMessage(query.error)}</Text>
    );
  if (!query.data) return <Spinner size="small" label="Loading the induction journey…" />;
  const j = query.data;
  return (
    <ChartFigure
      id="journey"
      title="Induction journey"
      summary={journeySummary(j)}
      chart={
        <Suspense fallback={<Spinner size="small" label="Drawing the journey…" />}>
          <JourneyChart journey={j} dark={theme !== "light"} />
        </Suspense>
      }
      table={<JourneyTables journey={j} />}
    />
  );
}
