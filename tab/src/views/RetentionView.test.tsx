// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, teamsLightTheme } from "@fluentui/react-components";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import RetentionView from "./RetentionView";
import { AppContext, type AppServices } from "../AppContext";
import { ApiError } from "../lib/api";
import { matchRoute } from "../lib/router";

afterEach(cleanup);
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;
window.scrollTo = vi.fn();
// In jsdom, Fluent's focus manager can leave the open dialog aria-hidden (see PlanEditorView.test.tsx).
const H = { hidden: true } as const;

const erin = {
  ectId: "ect-erin",
  ectName: "Erin Walsh",
  retainUntil: "2028-08-31",
  counts: { plans: 2, checkIns: 6, records: 3, evidenceFiles: 1 },
  version: "v-erin",
};
const sam = {
  ectId: "ect-sam",
  ectName: "Sam Young",
  retainUntil: "2028-07-01",
  counts: { plans: 0, checkIns: 0, records: 1, evidenceFiles: 0 },
  version: "v-sam",
};

function renderView(get: ReturnType<typeof vi.fn>, send: ReturnType<typeof vi.fn> = vi.fn()) {
  const services: AppServices = {
    api: { get: get as AppServices["api"]["get"], send: send as AppServices["api"]["send"], raw: vi.fn() },
    me: { person: { id: "p-lead", displayName: "Lee Lead", roles: ["induction_lead"] }, roleLabels: ["Induction lead"], mode: "local" },
    theme: "light",
    inTeams: false,
    notify: vi.fn(),
  };
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } })}>
      <FluentProvider theme={teamsLightTheme}>
        <AppContext.Provider value={services}>
          <RetentionView />
        </AppContext.Provider>
      </FluentProvider>
    </QueryClientProvider>,
  );
  return { get, send };
}

describe("RetentionView", () => {
  it("is the /retention route", () => {
    expect(matchRoute("/retention")).toEqual({ name: "retention" });
  });

  it("lists what is due with its date; the dialog says exactly what goes; after it, what the server deleted", async () => {
    const get = vi
      .fn()
      .mockResolvedValueOnce({ today: "2028-09-01", due: [erin, sam] })
      .mockResolvedValue({ today: "2028-09-01", due: [] });
    const send = vi.fn().mockResolvedValue({
      deleted: [
        { ectId: "ect-erin", counts: erin.counts, tombstoneId: "t1", confirmedAt: "2028-09-01T09:00:00.000Z" },
        { ectId: "ect-sam", counts: sam.counts, tombstoneId: "t2", confirmedAt: "2028-09-01T09:00:00.000Z" },
      ],
    });
    renderView(get, send);
    const table = await screen.findByTestId("retention-due");
    expect(within(table).getByText("Erin Walsh")).toBeTruthy();
    expect(within(table).getByText("31 Aug 2028")).toBeTruthy();
    expect(within(table).getByText("2 plans, 6 check-ins, 3 induction records, 1 evidence file")).toBeTruthy();
    expect(send).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole("button", { name: "Delete these records…" }));
    const list = await screen.findByTestId("retention-confirm-list");
    expect(list.textContent).toContain("Erin Walsh (kept until 31 Aug 2028): 2 plans, 6 check-ins, 3 induction records, 1 evidence file");
    expect(list.textContent).toContain("Sam Young (kept until 1 Jul 2028): 0 plans, 0 check-ins, 1 induction record, 0 evidence files");
    expect(screen.getByText(/In all: 2 plans, 6 check-ins, 4 induction records, 1 evidence file/)).toBeTruthy();
    expect(send).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole("button", { name: "Delete 2 ECTs' records", ...H }));
    await waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    const [method, path, body] = send.mock.calls[0]!;
    expect([method, path]).toEqual(["POST", "/api/retention/deletions"]);
    expect(body.ects).toEqual([
      { ectId: "ect-erin", version: "v-erin" },
      { ectId: "ect-sam", version: "v-sam" },
    ]);
    const status = await screen.findByRole("status");
    expect(status.textContent).toContain(
      "Deleted: Erin Walsh (2 plans, 6 check-ins, 3 induction records, 1 evidence file); Sam Young (0 plans, 0 check-ins, 1 induction record, 0 evidence files)",
    );
    expect(await screen.findByTestId("retention-empty")).toBeTruthy();
  });

  it("a reply that did not come back: the retry sends the same confirmation id, and only then says deleted", async () => {
    const get = vi.fn().mockResolvedValue({ today: "2028-09-01", due: [erin] });
    const send = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(503, { title: "Deletion not finished", detail: "The rest could not be finished now. Confirm again to finish." }, 5))
      .mockResolvedValueOnce({ deleted: [{ ectId: "ect-erin", counts: erin.counts, tombstoneId: "t1", confirmedAt: "2028-09-01T09:00:00.000Z" }] });
    renderView(get, send);
    await userEvent.click(await screen.findByRole("button", { name: "Delete these records…" }));
    await userEvent.click(await screen.findByRole("button", { name: "Delete 1 ECT's records", ...H }));
    expect((await screen.findByRole("alert", H)).textContent).toContain("Confirm again to finish");
    expect(screen.queryByRole("status")).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "Try again to finish", ...H }));
    await screen.findByRole("status");
    expect(send.mock.calls[1]![2].confirmationId).toBe(send.mock.calls[0]![2].confirmationId);
  });

  it("a list that changed: says so, offers no delete for the old list, and shows the new one", async () => {
    const get = vi
      .fn()
      .mockResolvedValueOnce({ today: "2028-09-01", due: [erin] })
      .mockResolvedValue({ today: "2028-09-01", due: [sam] });
    const send = vi
      .fn()
      .mockRejectedValue(
        new ApiError(409, { title: "Changed", detail: "What is due has changed since the list was shown. Nothing was deleted: reload the list." }),
      );
    renderView(get, send);
    await userEvent.click(await screen.findByRole("button", { name: "Delete these records…" }));
    await userEvent.click(await screen.findByRole("button", { name: "Delete 1 ECT's records", ...H }));
    expect((await screen.findByRole("alert", H)).textContent).toContain("Nothing was deleted");
    expect(screen.queryByRole("button", { name: /^Delete 1/, ...H })).toBeNull();
    await waitFor(() => expect(within(screen.getByTestId("retention-due")).getByText("Sam Young")).toBeTruthy());
  });

  it("anyone else is refused by the server, and the page says so", async () => {
    renderView(
      vi
        .fn()
        .mockRejectedValue(new ApiError(403, { title: "Not allowed", detail: "Only the school's induction lead sees and confirms what is due for deletion." })),
    );
    expect((await screen.findByTestId("refusal")).textContent).toContain("Only the school's induction lead");
  });
});
