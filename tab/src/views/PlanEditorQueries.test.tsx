// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, teamsLightTheme } from "@fluentui/react-components";
import { QueryClientProvider } from "@tanstack/react-query";
import type { PlanContent } from "@shared/model/plan";
import { AppContext } from "../AppContext";
import { ApiError, type Api } from "../lib/api";
import { createQueryClient } from "../lib/queryClient";
import { matchRoute, navigate, usePath } from "../lib/router";
import type { CaseloadRow, PlanView } from "../lib/types";
import { Caseload } from "./Caseload";
import PlanEditorView from "./PlanEditorView";
import { MemoryStorage, planView, renderEditor, services } from "./planFixtures";

/** The editor's reads and writes through the one query cache: what a save changes shows elsewhere without a reload. */

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  history.replaceState(null, "", "/");
});
window.scrollTo = vi.fn(); // jsdom does not scroll (navigate scrolls to the top)

/** A server holding Erin's plan: a save changes it, and the caseload row is read from it. */
function fakeServer() {
  let view: PlanView = planView("level_2", { status: "active" });
  const row = (): CaseloadRow => ({
    ectId: "ect-1",
    ectName: "Erin Walsh",
    schoolId: "s",
    schoolName: "Riverside",
    abId: "ab",
    track: "ect",
    year: "ECT1",
    planCount: 1,
    attention: [],
    plan: {
      id: "plan-1",
      templateId: "level_2",
      level: 2,
      status: view.plan.status,
      awaitingSignatures: 0,
      overdueCheckIns: 0,
      ...(view.plan.reviewDate ? { nextReviewDate: view.plan.reviewDate } : {}),
    },
  });
  const get = vi.fn(async (path: string): Promise<unknown> => {
    if (path === "/api/caseload") return { rows: [row()] };
    if (path === "/api/plans/plan-1") return structuredClone(view);
    throw new Error(`unexpected GET ${path}`);
  });
  const send = vi.fn(async (method: string, path: string, body: { content: PlanContent }) => {
    expect([method, path]).toEqual(["PUT", "/api/plans/plan-1"]);
    view = planView("level_2", { status: "active", ...body.content, version: view.plan.version + 1 });
    return structuredClone(view);
  });
  return { get, send };
}

/** The tab's two screens over one cache, switched by the URL as App does. */
function Screens() {
  const route = matchRoute(usePath());
  return route.name === "plan" ? <PlanEditorView planId={route.planId} storage={new MemoryStorage()} /> : <Caseload />;
}

const reviewCell = () => within(screen.getByTestId("caseload-table")).getByRole("row", { name: /Erin Walsh/ }).textContent;

describe("the editor shares the tab's cache", () => {
  it("after a save, the caseload shows the change without a reload", async () => {
    const server = fakeServer();
    const client = createQueryClient();
    render(
      <QueryClientProvider client={client}>
        <FluentProvider theme={teamsLightTheme}>
          <AppContext.Provider value={services({ get: server.get as Api["get"], send: server.send as Api["send"] })}>
            <Screens />
          </AppContext.Provider>
        </FluentProvider>
      </QueryClientProvider>,
    );
    await screen.findByTestId("caseload-table");
    expect(reviewCell()).toContain("11 Dec 2026");

    await userEvent.click(screen.getByRole("link", { name: "Erin Walsh" }));
    const review = await screen.findByLabelText<HTMLInputElement>("Review date");
    await userEvent.clear(review);
    await userEvent.type(review, "2026-12-18");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("All changes saved")).toBeTruthy();

    // Back within the caseload's staleTime: only the save's invalidation makes it read again.
    act(() => navigate("/"));
    await screen.findByTestId("caseload-table");
    await vi.waitFor(() => expect(reviewCell()).toContain("18 Dec 2026"));
    expect(server.get.mock.calls.filter(([p]) => p === "/api/caseload")).toHaveLength(2);
  });

  it("keeps my unsaved edits when the plan is read again in the background", async () => {
    const server = fakeServer();
    const { client } = renderEditor({ get: server.get as Api["get"], send: server.send as Api["send"] });
    const week1 = await screen.findByLabelText<HTMLTextAreaElement>("Week 1: Action to be taken");
    await userEvent.type(week1, "Not saved yet");
    // Someone else comments meanwhile: the plan moves on to version 4, my text stays in the form.
    const theirs = planView("level_2", {
      status: "active",
      version: 4,
      comments: [{ id: "c1", authorId: "p-head", authorName: "Helen Ford", at: "2026-11-30T09:00:00Z", text: "Looks good" }],
    });
    server.get.mockImplementation(async () => structuredClone(theirs));
    await act(() => client.invalidateQueries());
    expect(await screen.findByText("Looks good")).toBeTruthy();
    expect(screen.getByText(/Version 4/)).toBeTruthy();
    expect(screen.getByLabelText<HTMLTextAreaElement>("Week 1: Action to be taken").value).toBe("Not saved yet");
    expect(screen.queryByTestId("conflict")).toBeNull();
  });

  it("when a background read brings their text where I typed, asks which to keep and saves against their version", async () => {
    const server = fakeServer();
    const { client } = renderEditor({ get: server.get as Api["get"], send: server.send as Api["send"] });
    await userEvent.type(await screen.findByLabelText("Week 1: Action to be taken"), "Mine");
    const theirs = planView("level_2", { status: "active", version: 4 });
    theirs.plan.weeks[0]!.action = "Theirs";
    server.get.mockImplementation(async () => structuredClone(theirs));
    await act(() => client.invalidateQueries());

    const conflict = await screen.findByTestId("conflict");
    expect(screen.getByLabelText<HTMLTextAreaElement>("Week 1: Action to be taken").value).toBe("Mine");
    await userEvent.click(within(conflict).getByRole("button", { name: "Save the merged version" }));
    expect(await screen.findByText("All changes saved")).toBeTruthy();
    const [, , body, headers] = server.send.mock.calls[0] as unknown as [string, string, { content: PlanContent }, Record<string, string>];
    expect(headers["if-match"]).toBe('"v4"');
    expect(body.content.weeks[0]?.action).toBe("Mine");
  });
});

describe("a busy server", () => {
  it("opens the plan once the Retry-After of a 503 has passed", async () => {
    vi.useFakeTimers();
    const view = planView("level_2");
    const get = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(503, { title: "Busy", status: 503, detail: "Try again shortly", retryAfterSeconds: 5 }, 5))
      .mockResolvedValue(view);
    renderEditor({ get: get as Api["get"] });
    const planReads = () => get.mock.calls.filter(([p]) => p === "/api/plans/plan-1").length;
    await act(() => vi.advanceTimersByTimeAsync(100));
    expect(screen.getByText("The server is busy: trying again in 5 seconds…")).toBeTruthy();
    expect(planReads()).toBe(1);

    await act(() => vi.advanceTimersByTimeAsync(4_800));
    expect(planReads()).toBe(1);
    await act(() => vi.advanceTimersByTimeAsync(200));
    expect(planReads()).toBe(2);
    await act(() => vi.advanceTimersByTimeAsync(100));
    expect(screen.getByRole("heading", { name: "Erin Walsh · Level 2 – Support plan 1" })).toBeTruthy();
  });
});
