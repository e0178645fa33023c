// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, teamsLightTheme } from "@fluentui/react-components";
import type { TeamsHost } from "../lib/teamsHost";
import ConfigPage from "./ConfigPage";

/** A fake teams-js `pages.config`: records validity, the save handler and the stored config. */
const teams = vi.hoisted(() => ({
  validity: [] as boolean[],
  /** When set, registering the save handler throws this (teams-js does outside a settings frame). */
  refuse: undefined as string | undefined,
  onSave: undefined as undefined | ((e: { notifySuccess(): void; notifyFailure(reason?: string): void; result: object }) => void),
  setConfig: vi.fn(async (_c: object) => undefined),
}));

vi.mock("@microsoft/teams-js", () => ({
  pages: {
    config: {
      registerOnSaveHandler: (h: typeof teams.onSave) => {
        if (teams.refuse) throw new Error(teams.refuse);
        teams.onSave = h;
      },
      setValidityState: (v: boolean) => teams.validity.push(v),
      setConfig: teams.setConfig,
    },
  },
}));

afterEach(cleanup);
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;
beforeEach(() => {
  teams.validity = [];
  teams.onSave = undefined;
  teams.refuse = undefined;
  teams.setConfig.mockReset();
  teams.setConfig.mockResolvedValue(undefined);
});

const host: TeamsHost = { theme: "light", onThemeChange: () => undefined };
const renderPage = (h: TeamsHost | undefined) =>
  render(
    <FluentProvider theme={teamsLightTheme}>
      <ConfigPage host={h} origin="https://tab.example.org" />
    </FluentProvider>,
  );

const saveEvent = () => ({ notifySuccess: vi.fn(), notifyFailure: vi.fn(), result: {} });

describe("the channel tab's configuration page", () => {
  it("is valid at once and saves the caseload as the tab's content", async () => {
    renderPage(host);
    expect(screen.getByRole("heading", { name: "Add ECT support plans to this channel" })).toBeTruthy();
    expect(teams.validity.at(-1)).toBe(true);
    expect(teams.onSave).toBeDefined();

    const event = saveEvent();
    teams.onSave?.(event);
    await waitFor(() => expect(event.notifySuccess).toHaveBeenCalled());
    expect(teams.setConfig).toHaveBeenCalledWith({
      entityId: "caseload",
      contentUrl: "https://tab.example.org/?host=teams",
      websiteUrl: "https://tab.example.org/",
      suggestedDisplayName: "ECT support plans",
    });
  });

  it("uses the name typed, and blocks Save while the name is empty", async () => {
    renderPage(host);
    const name = screen.getByRole("textbox", { name: /Tab name/ });
    await userEvent.clear(name);
    expect(teams.validity.at(-1)).toBe(false);
    expect(screen.getByText("Give the tab a name (at most 100 characters).")).toBeTruthy();
    await userEvent.type(name, "Induction team");
    expect(teams.validity.at(-1)).toBe(true);

    const event = saveEvent();
    teams.onSave?.(event);
    await waitFor(() => expect(event.notifySuccess).toHaveBeenCalled());
    expect(teams.setConfig).toHaveBeenCalledWith(expect.objectContaining({ suggestedDisplayName: "Induction team" }));
  });

  it("tells Teams and the user when saving fails", async () => {
    teams.setConfig.mockRejectedValue(new Error("network down"));
    renderPage(host);
    const event = saveEvent();
    teams.onSave?.(event);
    await waitFor(() => expect(event.notifyFailure).toHaveBeenCalledWith("network down"));
    expect((await screen.findByRole("alert")).textContent).toContain("Teams could not save the tab: network down");
  });

  it("says so when Teams refuses the settings page's save handler", async () => {
    teams.refuse = 'This call is only allowed in following contexts: ["settings"]. Current context: "content".';
    renderPage(host);
    expect((await screen.findByRole("alert")).textContent).toContain("Teams did not accept the settings page: This call is only allowed");
    expect(screen.queryByText("Select Save to add the tab.")).toBeNull();
  });

  it("outside Teams it explains itself and calls nothing", () => {
    renderPage(undefined);
    expect(screen.getByText(/used by Microsoft Teams when the app is added to a channel/)).toBeTruthy();
    expect(teams.onSave).toBeUndefined();
    expect(teams.validity).toEqual([]);
  });
});
