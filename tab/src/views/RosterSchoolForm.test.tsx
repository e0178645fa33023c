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

const roster = (school: Partial<RosterData["schools"][number]> = {}): RosterData => ({
  scope: "school",
  editable: true,
  schools: [{ id: "s", name: "Riverside", abId: "ab", alertWebhookAbIds: [], version: 4, ...school }],
  appropriateBodies: [{ id: "ab", name: "Essex Hub", webhookConfigured: false }],
  alertRoutes: [],
  people: [],
  ects: [],
});

function renderRoster(get: ReturnType<typeof vi.fn>, send: ReturnType<typeof vi.fn>) {
  const services: AppServices = {
    api: { get, send, raw: vi.fn() } as unknown as AppServices["api"],
    me: { person: { id: "p-lead", displayName: "Imran Malik", roles: ["induction_lead"] }, roleLabels: ["Induction lead"], mode: "local" },
    theme: "light",
    inTeams: false,
    notify: vi.fn(),
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
  return services;
}

const fields = async () => {
  const form = await screen.findByTestId("school-settings");
  return {
    form,
    provider: within(form).getByRole<HTMLInputElement>("textbox", { name: /ITT provider name/ }),
    terms: within(form).getByRole<HTMLInputElement>("spinbutton", { name: /Probation length \(terms\)/ }),
  };
};

describe("the school's settings in the roster", () => {
  it("shows the settings, checks them with the shared schema before sending, and saves against the version read", async () => {
    const send = vi.fn().mockResolvedValue({ schoolId: "s", version: 5, settings: { ittProviderName: "MID-ESSEX ITT", probationTerms: 3 } });
    const get = vi.fn().mockResolvedValue(roster());
    renderRoster(get, send);
    const { form, provider, terms } = await fields();
    expect(screen.getByRole("heading", { name: "School settings" })).toBeTruthy();
    // A school without a probation length shows seed 003's two terms.
    expect(terms.value).toBe("2");
    expect(provider.value).toBe("");

    await userEvent.clear(terms);
    await userEvent.type(terms, "7");
    await userEvent.click(within(form).getByRole("button", { name: "Save settings" }));
    expect(await within(form).findByText("Give the number of terms, 0 to 6")).toBeTruthy();
    expect(send).not.toHaveBeenCalled();

    await userEvent.clear(terms);
    await userEvent.type(terms, "3");
    await userEvent.type(provider, "MID-ESSEX ITT");
    await userEvent.click(within(form).getByRole("button", { name: "Save settings" }));
    await waitFor(() =>
      expect(send).toHaveBeenCalledWith(
        "PUT",
        "/api/roster/school",
        { ittProviderName: "MID-ESSEX ITT", probationTerms: 3, termDates: [] },
        { "if-match": '"v4"' },
      ),
    );
  });

  it("edits the school's term start dates: a start outside its term's window is refused by the shared schema before sending", async () => {
    const send = vi.fn().mockResolvedValue({
      schoolId: "s",
      version: 5,
      settings: { probationTerms: 2, termDates: [{ season: "Autumn", year: 2026, start: "2026-09-03" }] },
    });
    const get = vi.fn().mockResolvedValue(roster({ termDates: [{ season: "Autumn", year: 2026, start: "2026-09-03" }] }));
    renderRoster(get, send);
    const { form } = await fields();
    const terms = within(form).getByTestId("term-dates");
    // The stored term is shown; the next row added is the term after it.
    expect(within(terms).getByRole<HTMLInputElement>("spinbutton", { name: "Year" }).value).toBe("2026");
    await userEvent.click(within(terms).getByRole("button", { name: "Add a term" }));
    const second = within(terms).getByRole("group", { name: "Term 2" });
    expect(within(second).getByRole<HTMLSelectElement>("combobox", { name: "Term" }).value).toBe("Spring");
    expect(within(second).getByRole<HTMLInputElement>("spinbutton", { name: "Year" }).value).toBe("2027");
    const start = within(second).getByLabelText<HTMLInputElement>("First day");
    await userEvent.type(start, "2026-12-20");
    await userEvent.click(within(form).getByRole("button", { name: "Save settings" }));
    expect(await within(form).findByText("Spring 2027 cannot start on 2026-12-20: give a date from 2027-01-01 to 2027-02-01")).toBeTruthy();
    expect(send).not.toHaveBeenCalled();

    await userEvent.clear(start);
    await userEvent.type(start, "2027-01-06");
    await userEvent.click(within(form).getByRole("button", { name: "Save settings" }));
    await waitFor(() =>
      expect(send).toHaveBeenCalledWith(
        "PUT",
        "/api/roster/school",
        {
          ittProviderName: "",
          probationTerms: 2,
          termDates: [
            { season: "Autumn", year: 2026, start: "2026-09-03" },
            { season: "Spring", year: 2027, start: "2027-01-06" },
          ],
        },
        { "if-match": '"v4"' },
      ),
    );
  });

  it("when someone else saved first, says who, keeps what was typed, and loads their change only when asked", async () => {
    const send = vi.fn().mockRejectedValue(
      new ApiError(409, {
        title: "Someone else changed this first",
        detail: "Helen Carter changed the school's settings while you were editing; reload to see their change.",
        currentVersion: 5,
        changedBy: "Helen Carter",
      }),
    );
    const get = vi
      .fn()
      .mockResolvedValueOnce(roster())
      .mockResolvedValue(roster({ version: 5, probationTerms: 1, ittProviderName: "North ITT" }));
    renderRoster(get, send);
    const { form, provider, terms } = await fields();
    await userEvent.type(provider, "MID-ESSEX ITT");
    await userEvent.clear(terms);
    await userEvent.type(terms, "3");
    await userEvent.click(within(form).getByRole("button", { name: "Save settings" }));

    const alert = await within(form).findByRole("alert");
    expect(alert.textContent).toContain("Helen Carter changed the school's settings while you were editing");
    expect(alert.textContent).toContain("What you typed is still here; nothing of it was saved.");
    expect(provider.value).toBe("MID-ESSEX ITT");
    expect(terms.value).toBe("3");

    await userEvent.click(within(alert).getByRole("button", { name: "Reload their change" }));
    await waitFor(async () => expect((await fields()).terms.value).toBe("1"));
    expect((await fields()).provider.value).toBe("North ITT");
  });
});
