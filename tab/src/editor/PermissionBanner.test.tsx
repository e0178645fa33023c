// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, teamsLightTheme } from "@fluentui/react-components";
import { QueryClientProvider } from "@tanstack/react-query";
import { AppContext } from "../AppContext";
import type { Api } from "../lib/api";
import { createQueryClient } from "../lib/queryClient";
import type { PlanView } from "../lib/types";
import { planView, renderEditor, services, weeks } from "../views/planFixtures";
import { PermissionBanner } from "./PermissionBanner";

afterEach(cleanup);

const mentorSummary =
  "You can change the weekly actions, resources and success criteria, and evaluate each week. The objectives and dates are written by the induction tutor (Sarah Thompson).";

function renderBanner(view: PlanView) {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <FluentProvider theme={teamsLightTheme}>
        <AppContext.Provider value={services({})}>
          <PermissionBanner view={view} />
        </AppContext.Provider>
      </FluentProvider>
    </QueryClientProvider>,
  );
}

describe("the banner over a plan", () => {
  it("tells the mentor at Level 2 what they may change and whose the targets are", () => {
    renderBanner(planView("level_2", {}, "weekly_plan", { access: { scope: "weekly_plan", summary: mentorSummary, askRole: "induction_tutor" } }));
    const banner = screen.getByTestId("permission-banner");
    expect(within(banner).getByText("You write the weeks with the induction tutor")).toBeTruthy();
    expect(within(banner).getByText(mentorSummary)).toBeTruthy();
    expect(within(banner).queryByRole("switch")).toBeNull();
  });

  it("tells a reader they can read only, and whom to ask", () => {
    const summary = "You can read this plan but not change it. To change something, ask the induction tutor (Sarah Thompson).";
    renderBanner(planView("level_2", {}, "none", { access: { scope: "none", summary, askRole: "induction_tutor" } }));
    expect(screen.getByText("Read only")).toBeTruthy();
    expect(screen.getByText(summary)).toBeTruthy();
  });

  it("offers the tutor of a Level 4 plan to share it with the mentor, sends the change with the version read and shows it shared", async () => {
    const ect = { id: "ect-1", name: "Erin Walsh", schoolName: "Riverside", mentorName: "Tom Reid", track: "ect" } as const;
    const view = planView("level_4", {}, "all", {
      ect,
      access: { scope: "all", summary: "You lead this plan: you can change all of it.", mentorSharing: { shared: false, mayChange: true } },
    });
    const shared = planView("level_4", { sharedWithMentor: true, version: 4 }, "all", {
      ect,
      access: { scope: "all", summary: "You lead this plan: you can change all of it.", mentorSharing: { shared: true, mayChange: true } },
    });
    const send = vi.fn().mockResolvedValue(shared);
    const { services: app } = renderEditor({ get: vi.fn().mockResolvedValue(view) as Api["get"], send: send as Api["send"] });
    const toggle = await screen.findByRole("switch", { name: "Let the mentor, Tom Reid change the weekly actions, resources and success criteria" });
    expect((toggle as HTMLInputElement).checked).toBe(false);
    expect(screen.getByText("Not shared: the mentor writes each week's evaluation only.")).toBeTruthy();
    await userEvent.click(toggle);
    expect(send).toHaveBeenCalledWith("PUT", "/api/plans/plan-1/mentor-access", { shared: true }, { "if-match": '"v3"' });
    // The answer is the plan as the editor now shows it.
    expect(await screen.findByText("Shared: the mentor writes the weeks with you; the targets and dates stay yours.")).toBeTruthy();
    expect(screen.getByText(/Version 4/)).toBeTruthy();
    expect(app.notify).toHaveBeenCalledWith("Shared with the mentor, Tom Reid");
  });

  it("does not offer sharing to anyone who may not change it", () => {
    renderBanner(
      planView("level_4", {}, "week_evaluations", {
        ect: { id: "ect-1", name: "Erin Walsh", schoolName: "Riverside", mentorName: "Tom Reid", track: "ect" },
        access: { scope: "week_evaluations", summary: "You can write each week's evaluation of progress.", mentorSharing: { shared: false, mayChange: false } },
      }),
    );
    expect(screen.queryByRole("switch")).toBeNull();
  });
});

describe("the plan editor for the mentor at Level 2", () => {
  it("shows the banner first, keeps the targets read-only and lets the mentor write week 1", async () => {
    const view = planView("level_2", { weeks: weeks() }, "weekly_plan", { access: { scope: "weekly_plan", summary: mentorSummary } });
    renderEditor({ get: vi.fn().mockResolvedValue(view) as Api["get"] });
    expect(await screen.findByText(mentorSummary)).toBeTruthy();
    // At the top: before the plan's sections.
    const banner = screen.getByTestId("permission-banner");
    expect(banner.compareDocumentPosition(screen.getByRole("heading", { name: "The plan" })) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const week1 = await screen.findByLabelText<HTMLTextAreaElement>("Week 1: Action to be taken");
    await userEvent.type(week1, "Co-plan starters");
    expect(week1.value).toContain("Co-plan starters");
    expect(screen.getByLabelText("Week 1: Success criteria").tagName).toBe("TEXTAREA");
    expect(screen.getByLabelText("Week 1: Resources required (incl. PD time / support)").tagName).toBe("TEXTAREA");
    // Targets: read, not written.
    expect(screen.queryByRole("button", { name: /Add target/ })).toBeNull();
    expect(screen.queryByLabelText("Objective")).toBeNull();
    expect(screen.getByText("Act decisively")).toBeTruthy();
    // The ECT's comment is the ECT's.
    expect(screen.queryByLabelText("Week 1: ECT's comment on progress")).toBeNull();
  });

  it("shows the ECT's comment inside its week, with who wrote it and when", async () => {
    const commented = weeks().map((w) => (w.week === 2 ? { ...w, ectComment: "Transitions are quicker", ectCommentAt: "2026-11-27T10:00:00Z" } : w));
    const view = planView("level_2", { weeks: commented }, "weekly_plan", { access: { scope: "weekly_plan", summary: mentorSummary } });
    renderEditor({ get: vi.fn().mockResolvedValue(view) as Api["get"] });
    const week2 = await screen.findByRole("region", { name: "Week 2" });
    expect(within(week2).getByText("Transitions are quicker")).toBeTruthy();
    expect(within(week2).getByText(/Written by Erin Walsh, 27 November 2026 at 10:00/)).toBeTruthy();
    expect(within(screen.getByRole("region", { name: "Week 1" })).queryByText("Transitions are quicker")).toBeNull();
  });
});
