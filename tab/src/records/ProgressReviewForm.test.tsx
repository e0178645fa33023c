// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, teamsLightTheme } from "@fluentui/react-components";
import { defaultRatingScale } from "@shared/ratings";
import { ProgressReviewForm } from "./ProgressReviewForm";
import { ratingLevels } from "./scale";

afterEach(cleanup);
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

const headings = [{ code: "7", title: "Manage behaviour effectively to ensure a good and safe learning environment" }];

describe("ProgressReviewForm", () => {
  it("uses the shared rating scale", () => {
    expect(ratingLevels).toEqual(defaultRatingScale.levels.map(({ id, label, statementRequired }) => ({ id, label, statementRequired })));
  });

  it("asks for a statement as soon as a standard is rated Cause for concern, before any submit", async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    render(
      <FluentProvider theme={teamsLightTheme}>
        <ProgressReviewForm headings={headings} plans={[]} onSubmit={onSubmit} />
      </FluentProvider>,
    );
    const user = userEvent.setup();
    const rating = screen.getByLabelText(/^Rating for 7\. Manage behaviour/);
    expect(screen.queryByLabelText(/Statement of the areas of concern for standard 7/)).toBeNull();
    await user.selectOptions(rating, "cause_for_concern");
    const statement = screen.getByLabelText(/Statement of the areas of concern for standard 7/);
    expect(statement.getAttribute("aria-required") === "true" || (statement as HTMLTextAreaElement).required).toBe(true);
    expect(statement.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText('Rated "Cause for concern": write a statement outlining the areas of concern.')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();

    await user.type(statement, "Routines are not yet consistent");
    expect(screen.queryByText('Rated "Cause for concern": write a statement outlining the areas of concern.')).toBeNull();

    // A rating that needs no statement hides the field again.
    await user.selectOptions(rating, "secure");
    expect(screen.queryByLabelText(/Statement of the areas of concern for standard 7/)).toBeNull();
  });

  it("does not send an incomplete review and says what is missing; shows the server's violations inline", async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    const { rerender } = render(
      <FluentProvider theme={teamsLightTheme}>
        <ProgressReviewForm headings={headings} plans={[]} onSubmit={onSubmit} />
      </FluentProvider>,
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Record progress review" }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText(/Rate every standard \(9 not rated yet\)/)).toBeTruthy();
    expect(screen.getByText("Add at least one target.")).toBeTruthy();

    rerender(
      <FluentProvider theme={teamsLightTheme}>
        <ProgressReviewForm
          headings={headings}
          plans={[]}
          onSubmit={onSubmit}
          serverError="The progress review has problems to fix"
          serverViolations={[{ path: "targets.0.text", code: "target-needs-text", message: "Target 1: write the target.", severity: "incomplete" }]}
        />
      </FluentProvider>,
    );
    expect(screen.getByText("Target 1: write the target.")).toBeTruthy();
    expect(screen.getByText("The progress review has problems to fix")).toBeTruthy();
  });

  it("links the ECT's open plan to a review that is not on track, unless another plan is chosen", async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    const plans = [
      { id: "plan-old", templateId: "level_2" as const, level: 2, status: "closed" as const, startDate: "2026-09-07" },
      { id: "plan-open", templateId: "level_3" as const, level: 3, status: "active" as const, startDate: "2026-11-30" },
    ];
    render(
      <FluentProvider theme={teamsLightTheme}>
        <ProgressReviewForm headings={headings} plans={plans} onSubmit={onSubmit} />
      </FluentProvider>,
    );
    const user = userEvent.setup();
    for (const select of screen.getAllByLabelText(/^Rating for /)) await user.selectOptions(select, "secure");
    await user.type(screen.getByLabelText(/^Target 1/), "Use the countdown routine");
    await user.click(screen.getByRole("radio", { name: "No, not on track" }));
    await user.type(screen.getByLabelText(/^Evidence summary/), "Three observations");
    const plan = screen.getByLabelText<HTMLSelectElement>(/^Support plan that follows/);
    expect(plan.value).toBe("plan-open");

    await user.click(screen.getByRole("button", { name: "Record progress review" }));
    expect(onSubmit).toHaveBeenLastCalledWith(expect.objectContaining({ onTrack: false, supportPlanId: "plan-open" }));

    await user.selectOptions(plan, "plan-old");
    await user.click(screen.getByRole("button", { name: "Record progress review" }));
    expect(onSubmit).toHaveBeenLastCalledWith(expect.objectContaining({ supportPlanId: "plan-old" }));
  });

  it("refuses what the server's schema would refuse before sending, and says so at the target", async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    render(
      <FluentProvider theme={teamsLightTheme}>
        <ProgressReviewForm headings={headings} plans={[]} onSubmit={onSubmit} />
      </FluentProvider>,
    );
    const user = userEvent.setup();
    for (const select of screen.getAllByLabelText(/^Rating for /)) await user.selectOptions(select, "secure");
    await user.type(screen.getByLabelText(/^Target 1/), "Use the countdown routine");
    await user.click(screen.getByRole("button", { name: "Add a target" }));
    // Pasted from a PDF: a NUL no keyboard types, which SharePoint and the exports cannot hold.
    fireEvent.change(screen.getByLabelText(/^Target 2/), { target: { value: "Plan transitions\u0000" } });
    await user.click(screen.getByRole("radio", { name: "Yes, on track" }));
    await user.click(screen.getByRole("button", { name: "Record progress review" }));
    expect(await screen.findByText(/Remove the hidden control characters/)).toBeTruthy();
    expect(screen.getByLabelText(/^Target 2/).getAttribute("aria-invalid")).toBe("true");
    expect(onSubmit).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText(/^Target 2/), { target: { value: "Plan transitions" } });
    await user.click(screen.getByRole("button", { name: "Record progress review" }));
    await vi.waitFor(() =>
      expect(onSubmit).toHaveBeenCalledWith(
        expect.objectContaining({
          onTrack: true,
          targets: [
            { text: "Use the countdown routine", standards: [] },
            { text: "Plan transitions", standards: [] },
          ],
        }),
      ),
    );
  });
});
