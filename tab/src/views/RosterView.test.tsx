// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, teamsLightTheme } from "@fluentui/react-components";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import RosterView from "./RosterView";
import { AppContext, type AppServices } from "../AppContext";
import { ApiError } from "../lib/api";
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
  version: 1,
  signedIn: false,
  entraLinked: false,
});
const roster: RosterData = {
  scope: "school",
  editable: true,
  schools: [{ id: "s", name: "Riverside", abId: "ab", alertWebhookAbIds: [] }],
  appropriateBodies: [{ id: "ab", name: "Essex Hub", webhookConfigured: false }],
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
      version: 3,
    },
  ],
};

/** The view with its own query cache, as the app mounts it; `get` answers the roster, `send` the writes. */
function renderRoster(data: RosterData, send = vi.fn().mockResolvedValue({})) {
  const get = vi.fn().mockResolvedValue(data);
  const notify = vi.fn();
  const services: AppServices = {
    api: { get, send, raw: vi.fn() },
    me: { person: { id: "p-lead", displayName: "Imran Malik", roles: ["induction_lead"] }, roleLabels: ["Induction lead"], mode: "local" },
    theme: "light",
    inTeams: false,
    notify,
  };
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } })}>
      <FluentProvider theme={teamsLightTheme}>
        <AppContext.Provider value={services}>
          <RosterView />
        </AppContext.Provider>
      </FluentProvider>
    </QueryClientProvider>,
  );
  return { get, send, notify };
}

describe("the roster's ITT provider signers", () => {
  it("labels the ITT provider staff role and names a trainee's signers only from people holding it", async () => {
    const { send } = renderRoster(roster);
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
        { "if-match": '"v3"' },
      ),
    );
  });
});

describe("keeping the roster in the tab (issue 15)", () => {
  const withRuby: RosterData = {
    ...roster,
    people: [...roster.people, person("p-ruby", "Ruby Osei", ["ect"]), person("p-mentor", "Laura Bennett", ["mentor"])],
  };

  it("adds a person as a new record (If-None-Match), checked with the shared schema first, and reads the roster again", async () => {
    const { get, send } = renderRoster(roster);
    await userEvent.click(await screen.findByRole("button", { name: "Add a person" }));
    const dialog = await screen.findByRole("dialog", H, { timeout: 5000 });
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Name", ...H }), "Sam Patel");
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Work email", ...H }), "not an email");
    await userEvent.click(within(dialog).getByRole("button", { name: "Save", ...H }));
    // Refused before it is sent: a bad address and no role.
    expect(await within(dialog).findByText("Enter a work email address")).toBeTruthy();
    expect(within(dialog).getByText("Choose at least one role.")).toBeTruthy();
    expect(send).not.toHaveBeenCalled();

    await userEvent.clear(within(dialog).getByRole("textbox", { name: "Work email", ...H }));
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Work email", ...H }), "sam@school.example");
    await userEvent.click(within(dialog).getByRole("checkbox", { name: "Mentor", ...H }));
    await userEvent.click(within(dialog).getByRole("button", { name: "Save", ...H }));
    await waitFor(() =>
      expect(send).toHaveBeenCalledWith(
        "PUT",
        expect.stringMatching(/^\/api\/roster\/people\/person-[0-9a-f-]+$/),
        { displayName: "Sam Patel", email: "sam@school.example", roles: ["mentor"] },
        { "if-none-match": "*" },
      ),
    );
    await waitFor(() => expect(get).toHaveBeenCalledTimes(2));
  });

  it("adds an ECT with start date, FTE, track, mentor, tutor and appropriate body", async () => {
    const { send } = renderRoster(withRuby);
    await userEvent.click(await screen.findByRole("button", { name: "Add an ECT" }));
    const dialog = await screen.findByRole("dialog", H, { timeout: 5000 });
    const ectSelect = within(dialog).getByRole<HTMLSelectElement>("combobox", { name: "ECT", ...H });
    // Only people with the ECT role and no record yet.
    expect([...ectSelect.options].map((o) => o.textContent)).toEqual(["Choose…", "Ruby Osei"]);
    await userEvent.selectOptions(ectSelect, "p-ruby");
    const start = within(dialog).getByLabelText(/Induction start date/);
    await userEvent.type(start, "2026-09-01");
    const fte = within(dialog).getByRole("spinbutton", { name: /FTE/, ...H });
    await userEvent.clear(fte);
    await userEvent.type(fte, "0.8");
    await userEvent.selectOptions(within(dialog).getByRole("combobox", { name: "Mentor", ...H }), "p-mentor");
    await userEvent.selectOptions(within(dialog).getByRole("combobox", { name: "Induction tutor", ...H }), "p-tutor");
    expect(within(dialog).getByRole<HTMLSelectElement>("combobox", { name: "Appropriate body", ...H }).value).toBe("ab");
    await userEvent.click(within(dialog).getByRole("button", { name: "Save", ...H }));
    await waitFor(() =>
      expect(send).toHaveBeenCalledWith(
        "PUT",
        expect.stringMatching(/^\/api\/roster\/ects\/ect-/),
        { personId: "p-ruby", mentorId: "p-mentor", inductionTutorId: "p-tutor", abId: "ab", inductionStartDate: "2026-09-01", fte: 0.8, track: "ect" },
        { "if-none-match": "*" },
      ),
    );
  });

  it("says in words who changed the record first, and keeps what was typed", async () => {
    const words = "Helen Carter changed this record while you were editing; reload to see their change.";
    const send = vi.fn().mockRejectedValue(new ApiError(409, { status: 409, title: "Someone else changed this first", detail: words, currentVersion: 2 }));
    renderRoster(roster, send);
    await userEvent.click(await screen.findByRole("button", { name: "Edit Sarah Thompson" }));
    const dialog = await screen.findByRole("dialog", H, { timeout: 5000 });
    const name = within(dialog).getByRole<HTMLInputElement>("textbox", { name: "Name", ...H });
    await userEvent.clear(name);
    await userEvent.type(name, "Sarah Thompson-Reid");
    await userEvent.click(within(dialog).getByRole("button", { name: "Save", ...H }));
    expect((await within(dialog).findByRole("alert", H)).textContent).toContain(words);
    expect(send).toHaveBeenCalledWith("PUT", "/api/roster/people/p-tutor", expect.objectContaining({ displayName: "Sarah Thompson-Reid" }), {
      "if-match": '"v1"',
    });
    expect(name.value).toBe("Sarah Thompson-Reid");
    expect(within(dialog).getByRole("button", { name: "Reload their change", ...H })).toBeTruthy();
  });

  it("shows 'Signed in' as the server recorded it, and ends an ECT's record against its version", async () => {
    const signedIn: RosterData = {
      ...roster,
      people: roster.people.map((p) =>
        p.id === "p-tutor" ? { ...p, signedIn: true, entraLinked: true, firstSignedInAt: "2026-11-03T09:00:00Z", lastSignedInAt: "2026-11-27T08:30:00Z" } : p,
      ),
    };
    const { send } = renderRoster(signedIn);
    const people = await screen.findByTestId("roster-people");
    expect(within(people).getByText("Yes: first 3 Nov 2026, last 27 Nov 2026")).toBeTruthy();
    expect(within(people).getAllByText("Not yet")).toHaveLength(3);

    await userEvent.click(screen.getByRole("button", { name: "End Tina Trainee's record" }));
    const dialog = await screen.findByRole("dialog", H, { timeout: 5000 });
    await userEvent.click(within(dialog).getByRole("radio", { name: "Moved to another school", ...H }));
    await userEvent.click(within(dialog).getByRole("button", { name: "End record", ...H }));
    await waitFor(() =>
      expect(send).toHaveBeenCalledWith("PUT", "/api/roster/ects/ect-tina/ending", expect.objectContaining({ reason: "moved_school" }), { "if-match": '"v3"' }),
    );
  });
});
