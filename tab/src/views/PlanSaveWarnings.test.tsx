// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ApiError, type Api } from "../lib/api";
import { planView, renderEditor, target } from "./planFixtures";

vi.mock("../lib/clock", () => ({ now: () => new Date("2026-11-27T10:00:00.000Z") }));

afterEach(cleanup);

const advice =
  "4-week plans are advised for the Additional support action plan (at-risk ECT); this one runs 6 weeks. Review it 4 weeks after the start (2026-12-28) unless there is a reason to run longer or shorter.";

describe("what a save answers, shown in the editor", () => {
  it("keeps the rules' warning beside the saved plan: a six-week at-risk plan saves, with seed 001's advice shown", async () => {
    // Six weeks: 30 November 2026 to 11 January 2027.
    const loaded = planView("at_risk_action", { startDate: "2026-11-30", endDate: "2027-01-11", reviewDate: "2027-01-11", statementOfConcern: "" });
    const warning = { path: "reviewDate", code: "plan-length", message: advice, severity: "warning" as const };
    const saved = planView("at_risk_action", { ...loaded.plan, version: 4, targets: [target("t1", "Act decisively, every lesson")] }, "all", {
      violations: [warning],
    });
    const send = vi.fn().mockResolvedValue(saved);
    renderEditor({ get: vi.fn().mockResolvedValue(loaded) as Api["get"], send: send as Api["send"] });

    const text = await screen.findByLabelText("Agreed target/actions to be taken");
    await userEvent.clear(text);
    await userEvent.type(text, "Act decisively, every lesson");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(send).toHaveBeenCalledTimes(1));

    // Saved (a warning never blocks), and the advice is in the plan's checks, under "Advice".
    const checks = await screen.findByTestId("rules-summary");
    expect(within(checks).getByText("Advice")).toBeTruthy();
    expect(within(checks).getByText(advice)).toBeTruthy();
    expect(within(checks).queryByText("Fix before saving")).toBeNull();
  });

  it("says which field the form has no place for when the server refuses text it would not print", async () => {
    const loaded = planView("level_2", { statementOfConcern: "" });
    const message = "The Level 2 – Support plan 1 form has no place for success criteria on objective 1: it would not be shown or printed. Leave it empty.";
    const send = vi.fn().mockRejectedValue(
      new ApiError(400, {
        title: "The request is not valid",
        detail: "The Level 2 – Support plan 1 form has no place for targets.0.successCriteria. Nothing was saved.",
        violations: [{ path: "targets.0.successCriteria", code: "not-on-form", message, severity: "error" }],
      }),
    );
    renderEditor({ get: vi.fn().mockResolvedValue(loaded) as Api["get"], send: send as Api["send"] });
    await userEvent.type(await screen.findByLabelText("Week 1: Action to be taken"), "Observe the KS2 lead");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    expect((await screen.findAllByText(new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))).length).toBeGreaterThan(0);
    // What was typed stays in the form.
    expect(screen.getByLabelText<HTMLTextAreaElement>("Week 1: Action to be taken").value).toBe("Observe the KS2 lead");
  });
});
