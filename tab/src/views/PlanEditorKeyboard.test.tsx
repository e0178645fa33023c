// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, teamsLightTheme } from "@fluentui/react-components";
import { QueryClientProvider } from "@tanstack/react-query";
import type { Plan } from "@shared/model/plan";
import { AppContext, type AppServices } from "../AppContext";
import type { Api } from "../lib/api";
import { createQueryClient } from "../lib/queryClient";
import { MemoryStorage, planView, tutor } from "./planFixtures";
import PlanEditorView from "./PlanEditorView";

afterEach(cleanup);

/** The editor as the app renders it: Fluent, the app's services, the query cache (evidence reads through it). */
function renderEditor(api: Partial<Api>) {
  const services: AppServices = { api: api as Api, me: tutor, theme: "light", inTeams: false, notify: vi.fn() };
  render(
    <FluentProvider theme={teamsLightTheme}>
      <QueryClientProvider client={createQueryClient()}>
        <AppContext.Provider value={services}>
          <PlanEditorView planId="plan-1" storage={new MemoryStorage()} />
        </AppContext.Provider>
      </QueryClientProvider>
    </FluentProvider>,
  );
  return { services };
}

/** Presses Ctrl+S (or Cmd+S) where focus is; returns whether the browser's own action was prevented. */
const pressSave = (target: Element, mod: "ctrlKey" | "metaKey" = "ctrlKey") => !fireEvent.keyDown(target, { key: "s", code: "KeyS", [mod]: true });

describe("plan editor keyboard", () => {
  it("Ctrl+S in a field saves, as clicking Save does, and the browser's save dialog never opens", async () => {
    const saved = planView("level_2", { version: 5 });
    const send = vi.fn().mockResolvedValue(saved);
    const { services } = renderEditor({ get: vi.fn().mockResolvedValue(planView("level_2")) as Api["get"], send: send as Api["send"] });
    const week1 = await screen.findByLabelText("Week 1: Action to be taken");
    await userEvent.type(week1, "Observe the KS2 lead");

    expect(pressSave(week1)).toBe(true);
    await waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    const [method, , body] = send.mock.calls[0] as [string, string, { content: Plan }];
    expect(method).toBe("PUT");
    expect(body.content.weeks[0]?.action).toBe("Observe the KS2 lead");
    await waitFor(() => expect(screen.getByTestId("save-state").textContent).toBe("All changes saved"));
    expect(services.notify).toHaveBeenCalledWith("Saved");
  });

  it("Cmd+S from outside any field saves too", async () => {
    const send = vi.fn().mockResolvedValue(planView("level_2", { version: 5 }));
    renderEditor({ get: vi.fn().mockResolvedValue(planView("level_2")) as Api["get"], send: send as Api["send"] });
    await userEvent.type(await screen.findByLabelText("Week 1: Action to be taken"), "Observe");
    expect(pressSave(document.body, "metaKey")).toBe(true);
    await waitFor(() => expect(send).toHaveBeenCalledTimes(1));
  });

  it("with nothing to save, Ctrl+S sends nothing and says so", async () => {
    const send = vi.fn();
    const { services } = renderEditor({ get: vi.fn().mockResolvedValue(planView("level_2")) as Api["get"], send: send as Api["send"] });
    const heading = await screen.findByRole("heading", { level: 1 });
    expect(pressSave(heading)).toBe(true);
    expect(services.notify).toHaveBeenCalledWith("No changes to save", "info");
    expect(send).not.toHaveBeenCalled();
  });

  it("Skip to Save follows the heading and puts the keyboard on Save", async () => {
    renderEditor({ get: vi.fn().mockResolvedValue(planView("level_2")) as Api["get"] });
    const heading = await screen.findByRole("heading", { level: 1 });
    const skip = screen.getByRole("link", { name: /Skip to Save/ });
    // Next in the reading (and Tab) order after the heading; Chromium counts the Tab presses (tests/e2e/keyboard.test.ts).
    expect(heading.nextElementSibling).toBe(skip);
    await userEvent.click(skip);
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Save" }));
  });
});
