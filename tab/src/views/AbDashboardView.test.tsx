// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, teamsLightTheme } from "@fluentui/react-components";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { AbDashboard } from "@shared/model/abDashboard";
import type { EctJourney } from "@shared/model/inductionJourney";
import AbDashboardView from "./AbDashboardView";
import { EctJourneySection } from "./dashboard/EctJourneySection";
import { AppContext, type AppServices } from "../AppContext";
import { ApiError, type Api } from "../lib/api";
import { createQueryClient } from "../lib/queryClient";

// The charts draw SVG sized from the layout, which jsdom has none of; Chromium draws them (tests/e2e/dashboard.test.ts).
// Here the text alternatives are under test, so each chart is a stand-in.
vi.mock("./dashboard/DashboardCharts", () => ({
  LevelsChart: () => <svg data-testid="levels-svg" />,
  TermsChart: () => <svg data-testid="terms-svg" />,
  TimeAtLevelChart: () => <svg data-testid="time-svg" />,
}));
vi.mock("./dashboard/JourneyChart", () => ({ default: () => <svg data-testid="journey-svg" /> }));

afterEach(cleanup);
window.scrollTo = vi.fn();

const counts = (over: Partial<AbDashboard["levelsBySchool"][number]["counts"]>) => ({ "1": 0, "2": 0, "3": 0, "4": 0, "5": 0, "6": 0, none: 0, ...over });
const dashboard: AbDashboard = {
  today: "2026-11-27",
  scope: "appropriate_body",
  ects: 5,
  levelsBySchool: [
    { schoolId: "n", schoolName: "Northgate", ects: 1, counts: counts({ none: 1 }) },
    { schoolId: "r", schoolName: "Riverside", ects: 4, counts: counts({ "2": 2, "4": 1, none: 1 }) },
  ],
  terms: [{ term: "Autumn 2026", start: "2026-09-01", end: "2026-12-31", opened: 5, closed: { on_track: 1, continued: 2, escalated: 1, total: 4 } }],
  timeAtLevel: [{ level: 2, plans: 3, open: 2, ects: 2, totalDays: 61, medianDays: 30.5 }],
};

const officer: AppServices["me"] = {
  person: { id: "p-ab", displayName: "Priya Shah", roles: ["ab_officer"] },
  roleLabels: ["Appropriate body officer"],
  mode: "local",
};

function renderWith(
  get: (path: string) => Promise<unknown>,
  ui: ReactNode,
  me: AppServices["me"] = officer,
  client = new QueryClient({ defaultOptions: { queries: { retry: false } } }),
) {
  const services: AppServices = { api: { get: vi.fn(get), send: vi.fn() } as unknown as Api, me, theme: "light", inTeams: false, notify: vi.fn() };
  render(
    <FluentProvider theme={teamsLightTheme}>
      <QueryClientProvider client={client}>
        <AppContext.Provider value={services}>{ui}</AppContext.Provider>
      </QueryClientProvider>
    </FluentProvider>,
  );
  return services;
}

const rows = (testId: string) =>
  within(screen.getByTestId(testId))
    .getAllByRole("row")
    .map((r) => r.textContent);

describe("the AB dashboard's text alternatives", () => {
  it("gives each chart a heading and a table with the same numbers, opened from the keyboard", async () => {
    const services = renderWith(async () => dashboard, <AbDashboardView />);
    await screen.findByRole("heading", { level: 1, name: "Dashboard" });
    expect(services.api.get).toHaveBeenCalledWith("/api/ab/dashboard");
    expect(screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent)).toEqual([
      "ECTs by level, per school",
      "Plans opened and closed per term",
      "Time at each level",
    ]);
    expect(screen.getByText(/5 ECTs in 2 schools, 3 on a support plan, as of 27 Nov 2026/)).toBeTruthy();

    const show = screen.getByRole("button", { name: "Show as a table: ECTs by level, per school" });
    expect(show.getAttribute("aria-expanded")).toBe("false");
    expect(screen.queryByTestId("levels-table")).toBeNull();
    const user = userEvent.setup();
    for (let i = 0; i < 30 && document.activeElement !== show; i++) await user.tab();
    expect(document.activeElement).toBe(show);
    await user.keyboard("{Enter}");
    expect(show.getAttribute("aria-expanded")).toBe("true");
    expect(rows("levels-table").slice(1)).toEqual(["Northgate00000011", "Riverside02010014"]);
    expect(within(screen.getByTestId("levels-table")).getByRole("columnheader", { name: "Level 4 – Cause for concern" })).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Show as a table: plans opened and closed per term" }));
    const terms = within(screen.getByTestId("terms-table"));
    expect(terms.getAllByRole("columnheader").map((h) => h.textContent)).toEqual([
      "Term",
      "Opened",
      "Closed: back on track",
      "Closed: continued",
      "Closed: escalated",
      "Closed in all",
    ]);
    expect(rows("terms-table")[1]).toBe("Autumn 202651214");

    await user.click(screen.getByRole("button", { name: "Show as a table: time at each level" }));
    expect(within(screen.getByTestId("time-table")).getByRole("row", { name: /Level 2 – Support plan 1/ }).textContent).toBe(
      "Level 2 – Support plan 130.5 days61 days232",
    );
  });

  it("says so when there are no ECTs, and shows the server's refusal", async () => {
    renderWith(async () => ({ ...dashboard, ects: 0, levelsBySchool: [], terms: [], timeAtLevel: [] }), <AbDashboardView />);
    expect(await screen.findByText("No ECTs yet.")).toBeTruthy();
    cleanup();
    renderWith(
      async () => {
        throw new ApiError(403, {
          title: "Not allowed",
          detail: "Only appropriate body officers, and induction leads and heads for their own school, can see the dashboard.",
        });
      },
      <AbDashboardView />,
    );
    expect((await screen.findByRole("alert")).textContent).toContain("Only appropriate body officers");
  });
});

const journey: EctJourney = {
  today: "2026-11-27",
  ectId: "ect-zoe",
  ectName: "Zoe Quinn",
  schoolName: "Hillside",
  fte: 0.6,
  inductionStartDate: "2026-09-01",
  expectedEndDate: "2030-02-28",
  totalTerms: 7,
  termsServed: 0.5,
  stage: "ECT1",
  absenceExtensionDays: 0,
  terms: [
    { number: 1, start: "2026-09-01", end: "2027-03-01", fteTerms: 1, extension: false, schoolTerms: ["Autumn 2026", "Spring 2027"] },
    { number: 7, start: "2029-09-01", end: "2030-02-28", fteTerms: 1, extension: true, schoolTerms: ["Autumn 2029", "Spring 2030"] },
  ],
  extensions: [{ source: "ab_decision", terms: 1, reason: "More time on behaviour", decidedOn: "2026-11-01" }],
  reviewPoints: [
    {
      kind: "progress_review",
      label: "Progress review 1 (Spring 2027)",
      dueDate: "2027-03-01",
      date: "2026-11-20",
      status: "recorded",
      onTrack: false,
      ratings: [{ standard: "7", title: "7. Manage behaviour effectively", ratingId: "cause_for_concern", rating: "Cause for concern" }],
    },
  ],
  plans: [
    {
      id: "p1",
      templateId: "level_2",
      level: 2,
      status: "active",
      start: "2026-11-02",
      end: "2026-11-27",
      open: true,
      upcoming: false,
      plannedEnd: "2026-12-14",
    },
  ],
};

describe("the induction journey's text alternative", () => {
  it("lists the pro-rata terms, the extension, each review's ratings and the plans with their levels", async () => {
    const services = renderWith(async () => journey, <EctJourneySection ectId="ect-zoe" />);
    await screen.findByRole("heading", { level: 2, name: "Induction journey" });
    expect(services.api.get).toHaveBeenCalledWith("/api/ects/ect-zoe/journey");
    expect(screen.getByText("0.5 of 7 FTE terms served (0.6 FTE), in year 1; expected to end 28 Feb 2030; 1 support plan.")).toBeTruthy();
    await screen.findByTestId("journey-svg");
    await userEvent.click(screen.getByRole("button", { name: "Show as a table: induction journey" }));
    expect(within(screen.getByTestId("journey-terms")).getByText("Induction terms (7 FTE terms at 0.6 FTE)")).toBeTruthy();
    expect(rows("journey-terms").slice(1)).toEqual([
      "Term 11 Sept 20261 Mar 2027Autumn 2026, Spring 20271",
      "Term 7 (extension)1 Sept 202928 Feb 2030Autumn 2029, Spring 20301",
    ]);
    expect(rows("journey-reviews")[1]).toContain("recorded: not on track");
    expect(within(screen.getByTestId("journey-reviews")).getByText("Cause for concern")).toBeTruthy();
    expect(rows("journey-plans")[1]).toBe("Level 2 – Support plan 12 Nov 2026today (planned to end 14 Dec 2026)Open");
    expect(screen.getByTestId("journey-extensions").textContent).toBe("Extension of 1 term (ab decision, decided 1 Nov 2026): More time on behaviour");
  });

  it("stays out of the way for someone who may not read the records", async () => {
    renderWith(
      async () => {
        throw new ApiError(403, { title: "Not allowed", detail: "You can only see…" });
      },
      <EctJourneySection ectId="ect-zoe" />,
    );
    expect(await screen.findByText("The induction journey is shown to those who keep this ECT's induction records.")).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
  });
});

describe("whose figures", () => {
  it("shows the next person signed in their own figures, never the last person's from the cache", async () => {
    // The tab's own client: cached reads are fresh for a while, so only the key tells people apart.
    const client = createQueryClient();
    renderWith(async () => dashboard, <AbDashboardView />, officer, client);
    expect(await screen.findByText(/5 ECTs in 2 schools/)).toBeTruthy();
    cleanup();
    const lead: AppServices["me"] = { person: { id: "p-lead", displayName: "Lee Brown", roles: ["induction_lead"] }, roleLabels: [], mode: "local" };
    const school = { ...dashboard, scope: "school" as const, ects: 4, levelsBySchool: dashboard.levelsBySchool.slice(1) };
    renderWith(async () => school, <AbDashboardView />, lead, client);
    expect(await screen.findByText(/Your school's ECTs: 4 ECTs in 1 school/)).toBeTruthy();
    expect(screen.queryByText(/5 ECTs in 2 schools/)).toBeNull();
  });
});
