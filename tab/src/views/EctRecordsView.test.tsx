// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, teamsLightTheme } from "@fluentui/react-components";
import { QueryClientProvider } from "@tanstack/react-query";
import EctRecordsView from "./EctRecordsView";
import { AppContext, type AppServices } from "../AppContext";
import type { Api } from "../lib/api";
import { createQueryClient } from "../lib/queryClient";
import type { InductionRecord } from "../records/types";

afterEach(cleanup);
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

/** A first record as its chain: nobody has signed it yet (RecordSignOff.test.tsx covers the sign-off). */
const chainOf = (current: InductionRecord) => ({
  current,
  earlier: [],
  signatures: [],
  earlierSignatures: [],
  returns: [],
  status: "awaiting_signatures",
  missingSigners: ["ect", "induction_tutor", "head"],
  may: { signAs: ["induction_tutor"], return: false, revise: false },
});

/** A server holding Amy's records in memory: a review posted is in the next list it sends. */
function fakeServer() {
  const records: InductionRecord[] = [];
  const get = vi.fn(async (path: string): Promise<unknown> => {
    if (path === "/api/ects/ect-amy/records") return { records: structuredClone(records), events: [], chains: records.map(chainOf) };
    if (path === "/api/ects/ect-amy/concerns") return { concerns: [] };
    if (path === "/api/ects/ect-amy")
      return { name: "Amy Clarke", schoolName: "Riverside Primary Academy", ect: { inductionStartDate: "2026-09-01", fte: 1 }, plans: [] };
    if (path === "/api/reference") return { templates: [], ladder: [], standards: [], standardsLicence: "" };
    throw new Error(`unexpected GET ${path}`);
  });
  const send = vi.fn(async (method: string, path: string, body: { date: string; onTrack: boolean; targets: { text: string }[] }) => {
    expect([method, path]).toEqual(["POST", "/api/ects/ect-amy/progress-reviews"]);
    const record = {
      id: `rec-${records.length + 1}`,
      kind: "progress_review",
      ectId: "ect-amy",
      schoolId: "s",
      abId: "ab",
      scaleId: "default",
      recordedAt: "2026-11-27T10:00:00.000Z",
      recordedBy: "p-tutor",
      recordedByName: "Sarah Thompson",
      revision: 1,
      review: { ...body, ectId: "ect-amy", evidenceSummary: "", ratings: {}, targets: body.targets.map((t) => ({ ...t, standards: [] })) },
    } as InductionRecord;
    records.push(record);
    return { record, warnings: [] };
  });
  return { get, send };
}

function show(server: ReturnType<typeof fakeServer>) {
  const services: AppServices = {
    api: { get: server.get, send: server.send } as unknown as Api,
    me: { person: { id: "p-tutor", displayName: "Sarah Thompson", roles: ["induction_tutor"] }, roleLabels: [], mode: "local" },
    theme: "light",
    inTeams: false,
    notify: vi.fn(),
  };
  render(
    <QueryClientProvider client={createQueryClient()}>
      <FluentProvider theme={teamsLightTheme}>
        <AppContext.Provider value={services}>
          <EctRecordsView ectId="ect-amy" />
        </AppContext.Provider>
      </FluentProvider>
    </QueryClientProvider>,
  );
}

describe("an ECT's records", () => {
  it("shows a progress review in the list as soon as it is recorded, without reloading the page", async () => {
    const server = fakeServer();
    show(server);
    await screen.findByRole("heading", { name: "Amy Clarke · induction records" });
    expect(screen.getByText("Nothing recorded yet.")).toBeTruthy();

    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Progress review" }));
    const form = screen.getByRole("form", { name: "Record a progress review" });
    for (const select of within(form).getAllByLabelText(/^Rating for /)) await user.selectOptions(select, "secure");
    await user.type(within(form).getByLabelText(/^Target 1/), "Use the countdown routine");
    await user.click(within(form).getByRole("radio", { name: "Yes, on track" }));
    await user.click(within(form).getByRole("button", { name: "Record progress review" }));

    const record = await screen.findByTestId("record");
    expect(record.textContent).toContain("On track");
    expect(record.textContent).toContain("Recorded by Sarah Thompson");
    expect(screen.queryByText("Nothing recorded yet.")).toBeNull();
    expect(screen.queryByRole("form", { name: "Record a progress review" })).toBeNull();
    // The list was read again after the save (the records query was invalidated), not patched by hand.
    expect(server.get.mock.calls.filter(([p]) => p === "/api/ects/ect-amy/records")).toHaveLength(2);
  });
});
