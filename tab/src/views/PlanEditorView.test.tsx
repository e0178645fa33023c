// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, teamsLightTheme } from "@fluentui/react-components";
import { QueryClientProvider } from "@tanstack/react-query";
import type { Plan } from "@shared/model/plan";
import { AppContext, type AppServices } from "../AppContext";
import { ApiError, type Api } from "../lib/api";
import { createQueryClient } from "../lib/queryClient";
import type { PlanView } from "../lib/types";
import { draftKey } from "../editor/model";
import { EscalateDialog } from "../editor/EscalateDialog";
import { MemoryStorage, planView, renderEditor, target, weeks } from "./planFixtures";

afterEach(cleanup);

describe("plan editor", () => {
  it("shows a rule the moment it is broken: a fourth target on an ITT plan", async () => {
    const view = planView("itt_early_support", { targets: [target("a", "One"), target("b", "Two"), target("c", "Three")] });
    renderEditor({ get: vi.fn().mockResolvedValue(view) as Api["get"] });
    const add = await screen.findByRole("button", { name: "Add target or objective" });
    expect(screen.queryByText(/allows at most 3 targets/)).toBeNull();
    await userEvent.click(add);
    expect(screen.getAllByText(/The ITT early support plan allows at most 3 targets; this one has 4\. Remove 1 target\./).length).toBeGreaterThan(0);
    // Off, yet focusable (Tab and "Skip to Save" reach it and read why it is off).
    expect(screen.getByRole("button", { name: "Fix the errors to save" }).getAttribute("aria-disabled")).toBe("true");
    // Removing it clears the message again, before any save.
    await userEvent.click(screen.getByRole("button", { name: "Remove target or objective 4" }));
    expect(screen.queryByText(/allows at most 3 targets/)).toBeNull();
  });

  it("on a conflict keeps my text, shows what they changed and saves my text on top of theirs", async () => {
    const mine = planView("level_2");
    const theirs = planView("level_2", { version: 4, weeks: weeks().map((w) => (w.week === 2 ? { ...w, action: "Their week 2 plan" } : w)) });
    const saved = planView("level_2", { version: 5 });
    const send = vi
      .fn()
      .mockRejectedValueOnce(
        new ApiError(409, {
          title: "Someone else changed this first",
          current: theirs,
          changedSinceYourVersion: [{ path: "weeks.1.action", label: "Week 2 action and by whom" }],
        }),
      )
      .mockResolvedValueOnce(saved);
    renderEditor({ get: vi.fn().mockResolvedValue(mine) as Api["get"], send: send as Api["send"] });
    const week1 = await screen.findByLabelText("Week 1: Action to be taken");
    await userEvent.type(week1, "My careful week 1 plan");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    const conflict = await screen.findByTestId("conflict");
    expect(within(conflict).getByTestId("changed-by-them").textContent).toContain("Week 2");
    expect(screen.getByLabelText<HTMLTextAreaElement>("Week 1: Action to be taken").value).toBe("My careful week 1 plan");
    expect(screen.getByLabelText<HTMLTextAreaElement>("Week 2: Action to be taken").value).toBe("Their week 2 plan");

    await userEvent.click(within(conflict).getByRole("button", { name: "Save the merged version" }));
    await waitFor(() => expect(send).toHaveBeenCalledTimes(2));
    const [, , body, headers] = send.mock.calls[1] as [string, string, { content: Plan }, Record<string, string>];
    expect(headers["if-match"]).toBe('"v4"');
    expect(body.content.weeks[0]?.action).toBe("My careful week 1 plan");
    expect(body.content.weeks[1]?.action).toBe("Their week 2 plan");
  });

  it("lets me choose per field when we both changed the same text", async () => {
    const mine = planView("level_2");
    const theirs = planView("level_2", { version: 4, weeks: weeks().map((w) => (w.week === 1 ? { ...w, action: "Their week 1" } : w)) });
    const send = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(409, { current: theirs }))
      .mockResolvedValueOnce(planView("level_2", { version: 5 }));
    renderEditor({ get: vi.fn().mockResolvedValue(mine) as Api["get"], send: send as Api["send"] });
    await userEvent.type(await screen.findByLabelText("Week 1: Action to be taken"), "Mine");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    const conflict = await screen.findByTestId("conflict");
    await userEvent.click(within(conflict).getByRole("radio", { name: /^Use theirs: Their week 1/ }));
    await userEvent.click(within(conflict).getByRole("button", { name: "Save the merged version" }));
    await waitFor(() => expect(send).toHaveBeenCalledTimes(2));
    expect((send.mock.calls[1]?.[2] as { content: Plan }).content.weeks[0]?.action).toBe("Their week 1");
  });

  it("keeps unsaved changes across a reload, and re-applies them if the plan moved on meanwhile", async () => {
    const storage = new MemoryStorage();
    const first = renderEditor({ get: vi.fn().mockResolvedValue(planView("level_2")) as Api["get"] }, storage);
    await userEvent.type(await screen.findByLabelText("Week 1: Action to be taken"), "Not saved yet");
    expect(storage.getItem(draftKey("plan-1", 3))).toContain("Not saved yet");
    first.unmount();

    // Same version: restored as typed.
    const again = renderEditor({ get: vi.fn().mockResolvedValue(planView("level_2")) as Api["get"] }, storage);
    expect((await screen.findByLabelText<HTMLTextAreaElement>("Week 1: Action to be taken")).value).toBe("Not saved yet");
    expect(screen.getByTestId("draft-restored")).toBeTruthy();
    again.unmount();

    // Someone saved version 4 meanwhile: my draft goes on top of it, theirs is kept.
    const newer = planView("level_2", { version: 4, weeks: weeks().map((w) => (w.week === 3 ? { ...w, evaluation: "Good progress" } : w)) });
    renderEditor({ get: vi.fn().mockResolvedValue(newer) as Api["get"] }, storage);
    expect((await screen.findByLabelText<HTMLTextAreaElement>("Week 1: Action to be taken")).value).toBe("Not saved yet");
    expect(screen.getByLabelText<HTMLTextAreaElement>("Week 3: Evaluation of progress").value).toBe("Good progress");
  });

  it("the ECT can write only her weekly comments", async () => {
    renderEditor({ get: vi.fn().mockResolvedValue(planView("level_2", {}, "ect_comments")) as Api["get"] });
    await screen.findByLabelText("Week 1: ECT's comment on progress");
    expect(screen.queryByLabelText("Week 1: Action to be taken")).toBeNull();
    expect(screen.queryByRole("textbox", { name: "Objective" })).toBeNull();
    expect(screen.queryByRole("button", { name: /Add objective/ })).toBeNull();
    expect(screen.getByText("Act decisively")).toBeTruthy();
  });
});

describe("escalate now", () => {
  window.scrollTo = vi.fn(); // jsdom does not scroll
  // In jsdom, Fluent's focus manager (tabster) sometimes leaves the open dialog marked aria-hidden;
  // the dialog's accessibility is checked with axe in real Chromium (tests/e2e), so look past it here.
  const H = { hidden: true } as const;
  // The dialog on its own (the editor's "Escalate now" button opening it is covered in Chromium, tests/e2e).
  const renderDialog = (view: PlanView, send: ReturnType<typeof vi.fn>) => {
    const services: AppServices = {
      api: { send } as unknown as Api,
      me: { person: { id: "p-tutor", displayName: "Sarah Thompson", roles: ["induction_tutor"] }, roleLabels: ["Induction tutor"], mode: "local" },
      theme: "light",
      inTeams: false,
      notify: vi.fn(),
    };
    render(
      <QueryClientProvider client={createQueryClient()}>
        <FluentProvider theme={teamsLightTheme}>
          <AppContext.Provider value={services}>
            <EscalateDialog view={view} onClose={vi.fn()} />
          </AppContext.Provider>
        </FluentProvider>
      </QueryClientProvider>,
    );
    return { services };
  };
  const escalatable = (patch: Partial<Plan> = {}) => {
    const view = planView("level_2", { status: "active", ...patch });
    return { ...view, allowed: { ...view.allowed, escalate: true } };
  };

  it("asks for a level and a reason, posts the escalation with the plan version, then opens the successor", async () => {
    history.replaceState(null, "", "/plans/plan-1");
    const send = vi.fn().mockResolvedValue({ closed: {}, successorId: "plan-2" });
    const { services } = renderDialog(escalatable(), send);

    const dialog = await screen.findByRole("dialog", { name: "Escalate Erin Walsh's plan now", ...H }, { timeout: 5000 });
    // The ladder's next level is chosen; only levels above this plan's are offered.
    expect((await within(dialog).findByRole<HTMLInputElement>("radio", { name: /^Level 3 – Support plan 2/, ...H }, { timeout: 5000 })).checked).toBe(true);
    expect(within(dialog).queryByRole("radio", { name: /^Level 2 /, ...H })).toBeNull();
    const go = within(dialog).getByRole("button", { name: "Escalate to Level 3", ...H });
    expect(go).toHaveProperty("disabled", true); // a reason is required

    await userEvent.click(within(dialog).getByRole("radio", { name: /^Level 4 /, ...H }));
    await userEvent.type(within(dialog).getByRole("textbox", { name: /Reason for escalating/, ...H }), "Safeguarding concern in lessons");
    await userEvent.click(within(dialog).getByRole("button", { name: "Escalate to Level 4", ...H }));

    await waitFor(() =>
      expect(send).toHaveBeenCalledWith(
        "POST",
        "/api/plans/plan-1/escalation",
        { version: 3, toLevel: 4, reason: "Safeguarding concern in lessons" },
        undefined,
      ),
    );
    await waitFor(() => expect(location.pathname).toBe("/plans/plan-2"));
    expect(services.notify).toHaveBeenCalledWith(expect.stringContaining("Level 4"));
  });

  it("shows the server's refusal in the dialog and keeps it open", async () => {
    const send = vi.fn().mockRejectedValue(new ApiError(422, { title: "Not allowed", detail: "Escalation moves up the ladder: choose a level above 2." }));
    renderDialog(escalatable(), send);
    const dialog = await screen.findByRole("dialog", H, { timeout: 5000 });
    await userEvent.type(within(dialog).getByRole("textbox", { name: /Reason for escalating/, ...H }), "No progress");
    await userEvent.click(within(dialog).getByRole("button", { name: "Escalate to Level 3", ...H }));
    expect((await within(dialog).findByRole("alert", H)).textContent).toContain("Escalation moves up the ladder");
  });

  it("requires a reason, and shows the server's rule when it refuses one", async () => {
    const send = vi.fn().mockRejectedValue(
      new ApiError(422, {
        title: "The plan has problems to fix",
        detail: "The plan has problems to fix",
        violations: [{ path: "reason", code: "too_small", message: "Say why the plan is being escalated", severity: "error" }],
      }),
    );
    renderDialog(escalatable(), send);
    const dialog = await screen.findByRole("dialog", H, { timeout: 5000 });
    const go = within(dialog).getByRole("button", { name: "Escalate to Level 3", ...H });
    await userEvent.type(within(dialog).getByRole("textbox", { name: /Reason for escalating/, ...H }), "   ");
    expect(go).toHaveProperty("disabled", true);
    await userEvent.type(within(dialog).getByRole("textbox", { name: /Reason for escalating/, ...H }), "x");
    await userEvent.click(go);
    expect((await within(dialog).findByRole("alert", H)).textContent).toBe("The plan has problems to fix: Say why the plan is being escalated");
  });

  it("is offered when the plan view allows it and the plan is open", async () => {
    renderEditor({ get: vi.fn().mockResolvedValue(escalatable()) as Api["get"] });
    expect(await screen.findByRole("button", { name: "Escalate now" })).toBeTruthy();
    cleanup();
    renderEditor({ get: vi.fn().mockResolvedValue(planView("level_2", { status: "active" })) as Api["get"] });
    await screen.findByLabelText("Week 1: Action to be taken");
    expect(screen.queryByRole("button", { name: "Escalate now" })).toBeNull();
    cleanup();
    renderEditor({ get: vi.fn().mockResolvedValue(escalatable({ status: "closed" })) as Api["get"] });
    await screen.findByRole("heading", { name: /Erin Walsh/ });
    expect(screen.queryByRole("button", { name: "Escalate now" })).toBeNull();
    cleanup();
    // A plan never agreed is changed, not escalated.
    for (const status of ["draft", "awaiting_signatures"] as const) {
      renderEditor({ get: vi.fn().mockResolvedValue(escalatable({ status })) as Api["get"] });
      await screen.findByRole("heading", { name: /Erin Walsh/ });
      expect(screen.queryByRole("button", { name: "Escalate now" })).toBeNull();
      cleanup();
    }
  });
});
