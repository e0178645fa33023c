// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen, within } from "@testing-library/react";
import { FluentProvider, teamsLightTheme } from "@fluentui/react-components";
import { QueryClientProvider } from "@tanstack/react-query";
import type { Ect } from "@shared/model/people";
import { hrAlongsideInduction } from "@shared/hrAlongsideInduction";
import type { Api } from "../lib/api";
import { AppContext } from "../AppContext";
import { createQueryClient } from "../lib/queryClient";
import { formatDate } from "../lib/format";
import { planView, renderEditor, services } from "../views/planFixtures";
import { HrAlongsideInduction } from "./HrAlongsideInduction";

afterEach(cleanup);

const ect: Ect = {
  id: "ect-1",
  personId: "p",
  schoolId: "s",
  abId: "ab",
  inductionStartDate: "2026-09-01",
  fte: 1,
  absences: [],
  extensions: [],
  track: "ect",
};
// The server's answer, from the shared function itself: in the autumn of year 2, probation over.
const table = hrAlongsideInduction(ect, 2, "2027-10-01");

function renderTable(get: Api["get"]) {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <FluentProvider theme={teamsLightTheme}>
        <AppContext.Provider value={services({ get })}>
          <HrAlongsideInduction ectId="ect-1" />
        </AppContext.Provider>
      </FluentProvider>
    </QueryClientProvider>,
  );
}

describe("HR alongside induction in the tab", () => {
  it("is an accessible table: a caption, column and row headers, and the current term named in words", async () => {
    const get = vi.fn().mockResolvedValue(table);
    renderTable(get as Api["get"]);
    const grid = await screen.findByRole("table", { name: /Which HR policy applies in each term of induction \(this school's probation: 2 terms\)/ });
    expect(get).toHaveBeenCalledWith("/api/ects/ect-1/hr-alongside-induction");
    const cols = within(grid).getAllByRole("columnheader");
    expect(cols).toHaveLength(7);
    expect(cols[3]?.textContent).toBe(`This termTerm 4 of inductionAutumn 2027${formatDate("2027-09-01")} – ${formatDate("2027-12-31")}`);
    expect(cols[6]?.textContent).toBe(`After inductionAutumn 2028from ${formatDate("2028-09-01")}`);
    // Only the current column says "This term", and it is marked for assistive technology too.
    expect(cols.filter((c) => c.textContent?.startsWith("This term")).map((c) => c.getAttribute("aria-current"))).toEqual(["true"]);
    expect(cols.filter((c) => c.textContent?.startsWith("This term"))[0]?.textContent).toContain("Term 4 of induction");
    expect(
      within(grid)
        .getAllByRole("rowheader")
        .map((r) => r.textContent),
    ).toEqual(["Statutory ECT induction", "Probation Policy *", "Disciplinary incl. conduct", "Appraisal", "Capability"]);
    const disciplinary = within(grid).getByRole("row", { name: /Disciplinary incl\. conduct/ });
    expect(
      within(disciplinary)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["Covered in probation policy", "Covered in probation policy", "YES", "YES", "YES", "YES", "YES"]);
    expect(screen.getByTestId("hr-this-term").textContent).toMatch(/^This term the disciplinary and capability policies apply/);
    expect(screen.getByText(/^All organistations have their own policies/)).toBeTruthy();
    expect(screen.getByText(/PLEASE NOTE: The length and conditions of the probationary period/)).toBeTruthy();
  });

  it("is shown in the Level 6 hand-over, beside the capability record", async () => {
    const view = planView("level_6", { capability: { hrContact: "", notes: "" } });
    const get = vi.fn((path: string) => Promise.resolve(path.endsWith("/hr-alongside-induction") ? table : view));
    renderEditor({ get: get as unknown as Api["get"] });
    const section = await screen.findByRole("region", { name: "School capability procedures" });
    const hr = await within(section).findByTestId("hr-alongside-induction");
    expect(within(hr).getByRole("heading", { level: 3, name: "HR v ECT Induction" })).toBeTruthy();
    expect(get).toHaveBeenCalledWith("/api/ects/ect-1/hr-alongside-induction");
    expect(within(hr).getByTestId("hr-this-term").textContent).toContain("induction continues in parallel");
  });
});
