// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, teamsLightTheme } from "@fluentui/react-components";
import { QueryClientProvider } from "@tanstack/react-query";
import EctRecordsView from "../views/EctRecordsView";
import { AppContext, type AppServices } from "../AppContext";
import { ApiError, type Api } from "../lib/api";
import { createQueryClient } from "../lib/queryClient";
import { DomainError } from "@shared/errors";
import type { Person } from "@shared/model/people";
import type { InductionRecord } from "@shared/model/inductionRecords";
import { recordProgressReview } from "@shared/usecases/recordProgressReview";
import { signRecord } from "@shared/usecases/signRecord";
import { returnRecord } from "@shared/usecases/returnRecord";
import { reviseRecord } from "@shared/usecases/reviseRecord";
import { chainViewsFor } from "@shared/usecases/recordChainView";
import { reviewedStandards } from "@shared/ratings";
import { recordWorld } from "../../../shared/test-support/recordWorld";

// The tab's clock on the fake server's day: the review form dates a new review today (lib/clock.ts).
vi.mock("../lib/clock", () => ({ now: () => new Date("2026-12-01T10:00:00.000Z") }));

afterEach(cleanup);
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

const { tutor, head, amy, officer, ect, ectCtx } = recordWorld("Olu Officer");
const review = (target: string, ratingId = "secure") => ({
  date: "2026-11-27",
  onTrack: true,
  evidenceSummary: "",
  ratings: Object.fromEntries(reviewedStandards.map((c) => [c, { ratingId, statement: ratingId === "cause_for_concern" ? "Pace" : "" }])),
  targets: [{ text: target, standards: [] }],
});

/**
 * An in-memory server that decides with the domain's own use cases (shared/src/usecases), so
 * the tab is tested against the real rules: who may sign, return and revise, and what a chain shows.
 */
function fakeServer(records: InductionRecord[] = []) {
  let seq = 0;
  let actor: Person = tutor;
  const ctx = () => ({ actor, now: new Date("2026-12-01T10:00:00.000Z"), newId: () => `id-${++seq}` });
  const answer = <T,>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof DomainError) {
        const status = { validation: 422, forbidden: 403, not_found: 404, conflict: 409, invalid_state: 409, bad_request: 400 }[e.kind];
        throw new ApiError(status, { title: "Refused", detail: e.message, violations: e.violations });
      }
      throw e;
    }
  };
  const get = vi.fn(async (path: string): Promise<unknown> => {
    if (path === "/api/ects/ect-amy/records") {
      const chains = chainViewsFor(actor, ect, records);
      return { records: chains.map((c) => c.current), events: [], chains: structuredClone(chains) };
    }
    if (path === "/api/ects/ect-amy/concerns") return { concerns: [] };
    if (path === "/api/ects/ect-amy") return { name: "Amy Clarke", schoolName: "Riverside", ect: { inductionStartDate: "2026-09-01", fte: 1 }, plans: [] };
    if (path === "/api/reference") return { templates: [], ladder: [], standards: [], standardsLicence: "" };
    throw new Error(`unexpected GET ${path}`);
  });
  const send = vi.fn(async (method: string, path: string, body: never): Promise<unknown> => {
    const [, recordId, what] = /^\/api\/ects\/ect-amy\/records\/([^/]+)\/(signatures|returns|revisions)$/.exec(path) ?? [];
    const write = answer(() => {
      if (path === "/api/ects/ect-amy/progress-reviews") return recordProgressReview(ctx(), ectCtx, body);
      if (what === "signatures") return signRecord(ctx(), ectCtx, records, recordId!, body);
      if (what === "returns") return returnRecord(ctx(), ectCtx, records, recordId!, body);
      if (what === "revisions") return reviseRecord(ctx(), ectCtx, records, recordId!, body);
      throw new Error(`unexpected ${method} ${path}`);
    });
    records.push(...write.records);
    return { ...write, chain: chainViewsFor(actor, ect, records)[0] };
  });
  return { get, send, records, as: (p: Person) => (actor = p) };
}

function show(server: ReturnType<typeof fakeServer>, who: Person) {
  server.as(who);
  const services: AppServices = {
    api: { get: server.get, send: server.send } as unknown as Api,
    me: { person: who, roleLabels: [], mode: "local" },
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

/** A review recorded by the tutor, signed by the three signers. */
function signedReview(server: ReturnType<typeof fakeServer>) {
  server.as(tutor);
  const made = recordProgressReview({ actor: tutor, now: new Date("2026-12-01T10:00:00Z"), newId: () => "r1" }, ectCtx, review("Improve pacing"));
  server.records.push(...made.records);
  let n = 0;
  for (const who of [amy, tutor, head])
    server.records.push(...signRecord({ actor: who, now: new Date("2026-12-01T11:00:00Z"), newId: () => `a${++n}` }, ectCtx, server.records, "r1", {}).records);
}

describe("sign-off, the AB's return and the revision in the records tab", () => {
  it("the ECT signs with comments: the list then shows who signed and who still must", async () => {
    const server = fakeServer();
    server.records.push(
      ...recordProgressReview({ actor: tutor, now: new Date("2026-12-01T10:00:00Z"), newId: () => "r1" }, ectCtx, review("Improve pacing")).records,
    );
    show(server, amy);
    const signOff = await screen.findByTestId("sign-off");
    expect(signOff.textContent).toContain("Awaiting signatures (0 of 3)");
    expect(within(signOff).queryByRole("button", { name: "Return to school" })).toBeNull();
    const user = userEvent.setup();
    await user.type(within(signOff).getByLabelText(/Your comments before you sign/), "I agree with the pacing target");
    await user.click(within(signOff).getByRole("button", { name: "Sign as the ECT" }));
    expect(server.send).toHaveBeenCalledWith("POST", "/api/ects/ect-amy/records/r1/signatures", { comments: "I agree with the pacing target" }, undefined);
    await waitFor(() => expect(screen.getByTestId("sign-off").textContent).toContain("Awaiting signatures (1 of 3)"));
    const signatures = within(screen.getByTestId("sign-off")).getByRole("list", { name: "Signatures" });
    expect(signatures.textContent).toContain("The ECT: signed by Amy Clarke");
    expect(signatures.textContent).toContain("“I agree with the pacing target”");
    expect(signatures.textContent).toContain("Headteacher: not signed yet");
    expect(within(screen.getByTestId("sign-off")).queryByRole("button", { name: /^Sign as/ })).toBeNull();
  });

  it("an AB officer returns it with reasons and comments; comments are required", async () => {
    const server = fakeServer();
    signedReview(server);
    show(server, officer);
    const signOff = await screen.findByTestId("sign-off");
    expect(signOff.textContent).toContain("Signed by all");
    expect(within(signOff).queryByRole("button", { name: /^Sign as/ })).toBeNull();
    const user = userEvent.setup();
    await user.click(within(signOff).getByRole("button", { name: "Return to school" }));
    // Fluent's dialog marks the page behind it aria-hidden; jsdom cannot tell what is on top.
    const H = { hidden: true } as const;
    const dialog = await screen.findByRole("dialog", H, { timeout: 5000 });
    expect(dialog.textContent).toContain("Return the progress review to the school");
    await user.click(within(dialog).getByRole("checkbox", { name: "Targets are not specific", ...H }));
    await user.click(within(dialog).getByRole("button", { name: "Return to school", ...H }));
    expect(within(dialog).getByText("Say what the school should change.")).toBeTruthy();
    expect(server.send).not.toHaveBeenCalled();
    await user.type(within(dialog).getByLabelText(/Comments for the school/), "Make the pacing target measurable");
    await user.click(within(dialog).getByRole("button", { name: "Return to school", ...H }));
    expect(server.send).toHaveBeenCalledWith(
      "POST",
      "/api/ects/ect-amy/records/r1/returns",
      { reasons: ["targets_not_specific"], comments: "Make the pacing target measurable" },
      undefined,
    );
    await waitFor(() => expect(screen.getByTestId("sign-off").textContent).toContain("Returned by the appropriate body"));
    expect(screen.getByTestId("sign-off").textContent).toContain("Make the pacing target measurable");
    expect(within(screen.getByTestId("sign-off")).queryByRole("button", { name: "Return to school" })).toBeNull();
  });

  it("the tutor sees why it came back, revises it on the form filled in, and the history keeps revision 1", async () => {
    const server = fakeServer();
    signedReview(server);
    server.records.push(
      ...returnRecord({ actor: officer, now: new Date("2026-12-01T12:00:00Z"), newId: () => "x" }, ectCtx, server.records, "r1", {
        reasons: ["no_reference_to_standards"],
        comments: "Refer to the Standards in each target",
      }).records,
    );
    show(server, tutor);
    const signOff = await screen.findByTestId("sign-off");
    expect(signOff.textContent).toContain("Returned by Olu Officer");
    expect(within(signOff).getByRole("list", { name: "Reasons" }).textContent).toContain("No reference to the Teachers' Standards");
    expect(within(signOff).queryByRole("button", { name: /^Sign as/ })).toBeNull();
    const user = userEvent.setup();
    await user.click(within(signOff).getByRole("button", { name: "Revise" }));
    const form = within(screen.getByTestId("revise-form")).getByRole("form", { name: "Record a progress review" });
    const target = within(form).getByLabelText<HTMLTextAreaElement>(/^Target 1/);
    expect(target.value).toBe("Improve pacing");
    await user.clear(target);
    await user.type(target, "Improve pacing (Standard 4a): three-part lessons by February");
    await user.click(within(form).getByRole("button", { name: "Save the revision" }));
    expect(server.send).toHaveBeenCalledWith(
      "POST",
      "/api/ects/ect-amy/records/r1/revisions",
      expect.objectContaining({ date: "2026-11-27", onTrack: true }),
      undefined,
    );
    await waitFor(() => expect(screen.getByTestId("sign-off").textContent).toContain("Awaiting signatures (0 of 3)"));
    expect(screen.getByTestId("sign-off").textContent).toContain("revision 2");
    expect(screen.getByTestId("record").textContent).toContain("three-part lessons by February");
    const history = screen.getByTestId("record-history");
    expect(history.textContent).toContain("1 earlier revision");
    expect(history.textContent).toContain("Signed by Amy Clarke (the ECT), Sarah Thompson (induction tutor), Helen Carter (headteacher)");
    expect(history.textContent).toContain("Returned by Olu Officer");
    expect(history.textContent).toContain("Refer to the Standards in each target");
    expect(history.textContent).toContain("Improve pacing");
  });

  it("a review saved on track with a 'Cause for concern' shows the warning that came back with it", async () => {
    const server = fakeServer();
    show(server, tutor);
    await screen.findByRole("heading", { name: "Amy Clarke · induction records" });
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Progress review" }));
    const form = screen.getByRole("form", { name: "Record a progress review" });
    const selects = within(form).getAllByLabelText(/^Rating for /);
    for (const select of selects) await user.selectOptions(select, "secure");
    await user.selectOptions(selects[3]!, "cause_for_concern");
    await user.type(within(form).getByLabelText(/^Statement of the areas of concern/), "Pace drops after the starter");
    await user.type(within(form).getByLabelText(/^Target 1/), "Keep the pace up");
    await user.click(within(form).getByRole("radio", { name: "Yes, on track" }));
    await user.click(within(form).getByRole("button", { name: "Record progress review" }));
    const warning = await screen.findByTestId("saved-warnings");
    expect(warning.textContent).toContain("Saved, with a warning");
    expect(warning.textContent).toContain('is rated "Cause for concern". Check the judgement.');
    expect(server.records).toHaveLength(1);
  });
});
