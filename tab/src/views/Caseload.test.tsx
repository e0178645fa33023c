// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, teamsLightTheme } from "@fluentui/react-components";
import { QueryClientProvider } from "@tanstack/react-query";
import { Caseload } from "./Caseload";
import AbReviewsView from "./AbReviewsView";
import { reasonsInWords } from "./caseloadReasons";
import { AppContext, type AppServices } from "../AppContext";
import type { Api } from "../lib/api";
import { createQueryClient } from "../lib/queryClient";
import type { CaseloadRow, Role } from "../lib/types";

/** The tab's clock says Friday 27 November 2026. */
vi.mock("../lib/clock", () => ({ now: () => new Date("2026-11-27T10:00:00.000Z") }));

afterEach(cleanup);
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

type Plan = NonNullable<CaseloadRow["plan"]>;
const riverside = { schoolId: "s-river", schoolName: "Riverside Primary Academy" };
const northgate = { schoolId: "s-north", schoolName: "Northgate High School" };
const row = (ectId: string, ectName: string, school: typeof riverside, plan?: Partial<Plan>, attention: CaseloadRow["attention"] = []): CaseloadRow => ({
  ectId,
  ectName,
  ...school,
  abId: "ab",
  track: "ect",
  year: "ECT1",
  planCount: plan ? 1 : 0,
  attention,
  ...(plan ? { plan: { id: `plan-${ectId}`, templateId: "level_2", level: 2, status: "active", awaitingSignatures: 0, overdueCheckIns: 0, ...plan } } : {}),
});

// Shuffled: the tab orders them as the server does (compareCaseloadRows): Level 4 by name, Level 2 with the overdue review first, Level 1, no plan.
const rows: CaseloadRow[] = [
  row("ect-aaron", "Aaron Ahmed", northgate),
  row("ect-ben", "Ben Okafor", riverside, { templateId: "level_4", level: 4 }),
  row("ect-george", "George Lam", northgate, { templateId: "at_risk_action", level: 4, status: "awaiting_signatures" }, [
    { kind: "awaiting_signature", role: "head", amendment: false, since: "2026-11-26" },
  ]),
  row("ect-erin", "Erin Walsh", riverside, { nextReviewDate: "2026-11-23" }, [{ kind: "review_due", on: "2026-11-23", overdue: true }]),
  row("ect-amy", "Amy Clarke", riverside, {}, [{ kind: "check_in_unanswered", since: "2026-11-23", count: 1 }]),
  row("ect-chloe", "Chloe Evans", riverside, { templateId: "level_1", level: 1, status: "draft" }, [{ kind: "not_sent_for_signature", amendment: false }]),
  row("ect-farah", "Farah Ahmed", northgate),
];

function show(view: React.ReactNode, roles: Role[], get: (path: string) => unknown) {
  const services: AppServices = {
    api: { get: vi.fn((path: string) => Promise.resolve(get(path))), send: vi.fn() } as unknown as Api,
    me: { person: { id: "p", displayName: "Priya Shah", roles }, roleLabels: [], mode: "local" },
    theme: "light",
    inTeams: false,
    notify: vi.fn(),
  };
  render(
    <QueryClientProvider client={createQueryClient()}>
      <FluentProvider theme={teamsLightTheme}>
        <AppContext.Provider value={services}>{view}</AppContext.Provider>
      </FluentProvider>
    </QueryClientProvider>,
  );
}

const names = () =>
  within(screen.getByTestId("caseload-table"))
    .getAllByRole("rowheader")
    .map((h) => h.querySelector("a, span")?.textContent);

describe("why a caseload row needs attention, in words", () => {
  it("says each reason with the tab's dates, and the signers awaited in one line", () => {
    expect(
      reasonsInWords(
        [
          { kind: "check_in_unanswered", since: "2026-11-23", count: 1 },
          { kind: "review_due", on: "2026-12-04", overdue: false },
          { kind: "awaiting_signature", role: "ect", amendment: false },
          { kind: "awaiting_signature", role: "head", amendment: false },
        ],
        "2026-11-27",
      ),
    ).toEqual(["Check-in unanswered since 23 Nov 2026", "Review due 4 Dec 2026", "Awaiting the ECT's and the head's signatures"]);
    expect(
      reasonsInWords(
        [
          { kind: "check_in_unanswered", since: "2026-11-16", count: 2 },
          { kind: "review_due", on: "2026-11-20", overdue: true },
          { kind: "awaiting_signature", role: "head", amendment: true },
        ],
        "2026-11-27",
      ),
    ).toEqual(["2 check-ins unanswered since 16 Nov 2026", "Review overdue since 20 Nov 2026", "Amendment awaiting the head's signature"]);
    expect(reasonsInWords([{ kind: "review_due", on: "2026-11-27", overdue: false }], "2026-11-27")).toEqual(["Review due today"]);
    expect(reasonsInWords([{ kind: "not_sent_for_signature", amendment: false }], "2026-11-27")).toEqual(["Draft not yet sent for signature"]);
  });
});

describe("the caseload", () => {
  it("as the AB: one list in the server's order, school as a column and a filter, never a grouping", async () => {
    show(<Caseload />, ["ab_officer"], () => ({ rows }));
    await screen.findByTestId("caseload-table");
    expect(screen.queryAllByRole("heading", { level: 2 })).toEqual([]);
    expect(names()).toEqual(["Ben Okafor", "George Lam", "Erin Walsh", "Amy Clarke", "Chloe Evans", "Aaron Ahmed", "Farah Ahmed"]);
    expect(screen.getByRole("columnheader", { name: "School" })).toBeTruthy();

    await userEvent.click(screen.getByRole("combobox", { name: "School" }));
    await userEvent.click(await screen.findByRole("option", { name: "Northgate High School" }));
    expect(names()).toEqual(["George Lam", "Aaron Ahmed", "Farah Ahmed"]);
    await userEvent.click(screen.getByRole("combobox", { name: "School" }));
    await userEvent.click(await screen.findByRole("option", { name: "All schools" }));
    expect(names()).toHaveLength(7);
  });

  it("says why each row needs attention, and reads the level once", async () => {
    show(<Caseload />, ["induction_tutor"], () => ({ rows }));
    await screen.findByTestId("caseload-table");
    const reasonsOf = (ectId: string) => document.querySelector(`[data-ect=${ectId}] [data-testid=caseload-reasons]`)?.textContent;
    expect(reasonsOf("ect-george")).toBe("Awaiting the head's signature");
    expect(reasonsOf("ect-amy")).toBe("Check-in unanswered since 23 Nov 2026");
    expect(reasonsOf("ect-erin")).toBe("Review overdue since 23 Nov 2026");
    expect(reasonsOf("ect-ben")).toBe("Nothing");
    const plan = document.querySelector("[data-ect=ect-erin] [data-testid=caseload-plan]")?.textContent;
    expect(plan).toBe("Level 2 Support plan 1");
    expect(document.querySelector("[data-ect=ect-george] [data-testid=caseload-plan]")?.textContent).toBe(
      "Level 4 Additional support action plan (at-risk ECT)",
    );
  });

  it("filters the list by a stat tile, pressed until cleared", async () => {
    show(<Caseload />, ["induction_tutor"], () => ({ rows }));
    await screen.findByTestId("caseload-table");
    const tile = screen.getByRole("button", { name: /need attention/ });
    expect(tile.textContent).toBe("4need attention");
    expect(tile.getAttribute("aria-pressed")).toBe("false");
    await userEvent.click(tile);
    expect(tile.getAttribute("aria-pressed")).toBe("true");
    expect(names()).toEqual(["George Lam", "Erin Walsh", "Amy Clarke", "Chloe Evans"]);

    await userEvent.click(screen.getByRole("button", { name: /at Level 4 or above/ }));
    expect(tile.getAttribute("aria-pressed")).toBe("false");
    expect(names()).toEqual(["Ben Okafor", "George Lam"]);

    await userEvent.click(screen.getByRole("button", { name: "Show all ECTs" }));
    expect(names()).toHaveLength(7);
    expect(screen.getByRole("button", { name: /ECTs$/ }).getAttribute("aria-pressed")).toBe("true");
    expect(screen.queryByRole("button", { name: "Show all ECTs" })).toBeNull();
  });
});

describe("the AB's progress reviews", () => {
  it("shows each ECT's level beside the review", async () => {
    const reviews = [
      { ectId: "ect-george", ectName: "George Lam", ...northgate, overdue: [] },
      { ectId: "ect-farah", ectName: "Farah Ahmed", ...northgate, overdue: [] },
    ];
    show(<AbReviewsView />, ["ab_officer"], (path) => (path === "/api/ab/reviews" ? { rows: reviews } : { rows }));
    const table = await screen.findByTestId("ab-reviews");
    expect(within(table).getByRole("columnheader", { name: "Level" })).toBeTruthy();
    await vi.waitFor(() =>
      expect([...table.querySelectorAll("[data-testid=ab-review-level]")].map((c) => c.textContent)).toEqual([
        "Level 4 – Additional support action plan (at-risk ECT)",
        "No open plan",
      ]),
    );
  });
});
