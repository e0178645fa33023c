// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, teamsLightTheme } from "@fluentui/react-components";
import RosterView from "./RosterView";
import { AppContext, type AppServices } from "../AppContext";
import type { Api } from "../lib/api";
import type { RosterData } from "../records/types";

afterEach(cleanup);
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;
window.scrollTo = vi.fn();
// In jsdom, Fluent's focus manager can leave the open dialog aria-hidden (see PlanEditorView.test.tsx).
const H = { hidden: true } as const;

const person = (id: string, displayName: string, roles: RosterData["people"][number]["roles"]) => ({
  id,
  displayName,
  email: `${id}@school.example`,
  roles,
  schoolId: "s",
  signedIn: true,
});
const roster: RosterData = {
  scope: "school",
  editable: true,
  schools: [{ id: "s", name: "Riverside", abId: "ab", alertWebhookAbIds: [] }],
  appropriateBodies: [],
  alertRoutes: [],
  people: [
    person("p-tina", "Tina Trainee", ["ect"]),
    person("p-tutor", "Sarah Thompson", ["induction_tutor"]),
    person("p-ct", "Omar Course", ["itt_staff"]),
    person("p-dir", "Dee Director", ["itt_staff"]),
  ],
  ects: [
    {
      id: "ect-tina",
      personId: "p-tina",
      schoolId: "s",
      abId: "ab",
      inductionTutorId: "p-tutor",
      inductionStartDate: "2026-09-01",
      fte: 1,
      absences: [],
      extensions: [],
      track: "itt",
      ittSigners: { course_tutor: "p-ct" },
    },
  ],
};

describe("the roster's ITT provider signers", () => {
  it("labels the ITT provider staff role and names a trainee's signers only from people holding it", async () => {
    const send = vi.fn().mockResolvedValue({});
    const services: AppServices = {
      api: { get: vi.fn().mockResolvedValue(roster), send } as unknown as Api,
      me: { person: { id: "p-lead", displayName: "Imran Malik", roles: ["induction_lead"] }, roleLabels: ["Induction lead"], mode: "local" },
      theme: "light",
      inTeams: false,
      notify: vi.fn(),
    };
    render(
      <FluentProvider theme={teamsLightTheme}>
        <AppContext.Provider value={services}>
          <RosterView />
        </AppContext.Provider>
      </FluentProvider>,
    );
    const people = await screen.findByTestId("roster-people");
    expect(within(people).getAllByText("ITT provider staff")).toHaveLength(2);
    expect(within(screen.getByTestId("roster-ects")).getByText("Course tutor: Omar Course")).toBeTruthy();

    await userEvent.click(screen.getByRole("button", { name: "Edit induction details for Tina Trainee" }));
    const dialog = await screen.findByRole("dialog", H, { timeout: 5000 });
    const director = within(dialog).getByRole<HTMLSelectElement>("combobox", { name: "Director", ...H });
    expect([...director.options].map((o) => o.textContent)).toEqual(["No one named", "Omar Course", "Dee Director"]);
    expect(within(dialog).getByRole<HTMLSelectElement>("combobox", { name: "Course tutor", ...H }).value).toBe("p-ct");
    await userEvent.selectOptions(director, "p-dir");
    await userEvent.click(within(dialog).getByRole("button", { name: "Save", ...H }));
    await waitFor(() =>
      expect(send).toHaveBeenCalledWith(
        "PUT",
        "/api/roster/ects/ect-tina",
        expect.objectContaining({ ittSigners: { course_tutor: "p-ct", director: "p-dir" } }),
      ),
    );
  });
});
