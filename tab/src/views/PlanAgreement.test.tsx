// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Plan, Signature } from "@shared/model/plan";
import { ApiError, type Api } from "../lib/api";
import type { PlanView } from "../lib/types";
import { planView, renderEditor, target } from "./planFixtures";

afterEach(cleanup);

const digestA = "ab".repeat(32);
const digestB = "cd".repeat(32);
const sig = (role: Signature["role"], personId: string, name: string, revision: number, method: Signature["method"] = "tab", digest = digestA): Signature => ({
  role,
  personId,
  name,
  signedAt: "2026-11-26T09:30:00Z",
  revision,
  method,
  digest,
});
const allow = (v: PlanView, more: Partial<PlanView["allowed"]>): PlanView => ({ ...v, allowed: { ...v.allowed, ...more } });
const signersOf = (v: Pick<PlanView, "plan">, names: Record<string, string>, signed: Signature[] = []): PlanView["signers"] =>
  v.plan.signers.map((s) => ({
    ...s,
    roleLabel: { induction_tutor: "Induction tutor", ect: "ECT", head: "Headteacher/Principal" }[s.role as string] ?? s.role,
    ...(s.personId ? { name: names[s.personId] } : {}),
    ...(signed.find((x) => x.role === s.role) ? { signature: signed.find((x) => x.role === s.role) } : {}),
    alsoSignsAs: [],
  }));

/** Erin's Level 2 plan, signed by Sarah and Erin on revision 2 and running. */
function activePlan(patch: Partial<Plan> = {}, view: Partial<PlanView> = {}): PlanView {
  const signatures = [sig("induction_tutor", "p-tutor", "Sarah Thompson", 2), sig("ect", "p-erin", "Erin Walsh", 2, "card")];
  const v = planView(
    "level_2",
    {
      status: "active",
      signers: [
        { role: "induction_tutor", personId: "p-tutor" },
        { role: "ect", personId: "p-erin" },
      ],
      signatures,
      targets: [target("t1", "Act decisively"), target("t2", "Use lesson time", ["4a"])],
      ...patch,
    },
    "all",
    { stage: "Active", validSignatures: signatures, agreedDigest: digestA, ...view },
  );
  return allow(
    { ...v, signers: view.signers ?? signersOf(v, { "p-tutor": "Sarah Thompson", "p-erin": "Erin Walsh" }, patch.amendment ? [] : signatures) },
    {
      review: true,
      request_signatures: true,
    },
  );
}

const getReturning = (views: Record<string, PlanView>) =>
  vi.fn((path: string) => Promise.resolve(views[path.split("/").at(-1) ?? ""])) as unknown as Api["get"];

describe("the review is a judgement", () => {
  it("starts with no outcome chosen, says per target what is missing and sends nothing until each has outcome and evidence", async () => {
    const send = vi.fn().mockResolvedValue(activePlan({ status: "in_review" }));
    renderEditor({ get: vi.fn().mockResolvedValue(activePlan()) as Api["get"], send: send as Api["send"] });
    const review = (await screen.findByRole("heading", { name: "Review" })).closest("section") as HTMLElement;
    expect(
      within(review)
        .getAllByRole<HTMLInputElement>("radio")
        .filter((r) => r.checked),
    ).toHaveLength(0);

    await userEvent.click(within(review).getByRole("button", { name: "Record the review" }));
    const missing = within(review).getByTestId("review-incomplete");
    expect(missing.textContent).toContain("Objective 1: choose met, partially met or not met and give the evidence for the outcome.");
    expect(missing.textContent).toContain("Objective 2: choose met, partially met or not met and give the evidence for the outcome.");
    expect(send).not.toHaveBeenCalled();

    const t1 = within(review).getByTestId("review-target-1");
    await userEvent.click(within(t1).getByRole("radio", { name: "Met" }));
    await userEvent.type(within(t1).getByRole("textbox", { name: /Evidence for objective 1/ }), "Seen in three lessons");
    const t2 = within(review).getByTestId("review-target-2");
    await userEvent.click(within(t2).getByRole("radio", { name: "Not met" }));
    await userEvent.click(within(review).getByRole("button", { name: "Record the review" }));
    expect(missing.textContent).toBe("The review is not recorded yetObjective 2: give the evidence for the outcome.");
    expect(send).not.toHaveBeenCalled();

    await userEvent.type(within(t2).getByRole("textbox", { name: /Evidence for objective 2/ }), "Starters overrun");
    await userEvent.click(within(review).getByRole("button", { name: "Record the review" }));
    await waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    const [method, path, body, headers] = send.mock.calls[0] as [string, string, { review: Plan["review"] }, Record<string, string>];
    expect([method, path, headers["if-match"]]).toEqual(["PUT", "/api/plans/plan-1/review", '"v3"']);
    expect(body.review?.targetOutcomes).toEqual([
      { targetId: "t1", outcome: "met", evidence: "Seen in three lessons" },
      { targetId: "t2", outcome: "not_met", evidence: "Starters overrun" },
    ]);
  });

  it("shows the server's refusals next to the objectives they point at (by path, not by wording)", async () => {
    const send = vi.fn().mockRejectedValue(
      new ApiError(422, {
        title: "The plan has problems to fix",
        detail: "The plan has problems to fix",
        violations: [
          {
            path: "targets.1",
            code: "target-outcome-missing",
            message: "Say whether objective 2 was met, partially met or not met",
            severity: "error",
          },
          {
            path: "review.targetOutcomes.0.evidence",
            code: "target-evidence-missing",
            message: "Give the evidence for objective 1's outcome",
            severity: "error",
          },
        ],
      }),
    );
    renderEditor({ get: vi.fn().mockResolvedValue(activePlan()) as Api["get"], send: send as Api["send"] });
    const review = (await screen.findByRole("heading", { name: "Review" })).closest("section") as HTMLElement;
    for (const n of [1, 2]) {
      const t = within(review).getByTestId(`review-target-${n}`);
      await userEvent.click(within(t).getByRole("radio", { name: "Partially met" }));
      await userEvent.type(within(t).getByRole("textbox", { name: new RegExp(`Evidence for objective ${n}`) }), "Some");
    }
    await userEvent.click(within(review).getByRole("button", { name: "Record the review" }));
    expect((await within(within(review).getByTestId("review-target-2")).findByRole("alert")).textContent).toBe(
      "Say whether objective 2 was met, partially met or not met",
    );
    expect(within(within(review).getByTestId("review-target-1")).getByRole("alert").textContent).toBe("Give the evidence for objective 1's outcome");
  });

  it("speaks the form's word: objectives on a Level form, targets on the ECT additional support plan", async () => {
    renderEditor({ get: vi.fn().mockResolvedValue(activePlan()) as Api["get"] });
    let review = (await screen.findByRole("heading", { name: "Review" })).closest("section") as HTMLElement;
    expect(within(review).getByTestId("review-target-1").textContent).toMatch(/^Objective 1: Act decisively/);
    expect(within(review).getByRole("textbox", { name: /Evidence for objective 1/ })).toBeTruthy();
    cleanup();

    const level2 = activePlan();
    const additional = allow(planView("ect_additional_support", { ...level2.plan, templateId: "ect_additional_support" }, "all", { stage: "Active" }), {
      review: true,
    });
    renderEditor({ get: vi.fn().mockResolvedValue(additional) as Api["get"] });
    review = (await screen.findByRole("heading", { name: "Review" })).closest("section") as HTMLElement;
    expect(within(review).getByTestId("review-target-1").textContent).toMatch(/^Target 1: Act decisively/);
    expect(within(review).getByRole("textbox", { name: /Evidence for target 1/ })).toBeTruthy();
    await userEvent.click(within(review).getByRole("button", { name: "Record the review" }));
    expect(within(review).getByTestId("review-incomplete").textContent).toContain("Target 2: choose met, partially met or not met");
  });

  it("is not offered on a plan never agreed, nor while an amendment waits", async () => {
    renderEditor({ get: vi.fn().mockResolvedValue(allow(planView("level_2"), { review: true, escalate: true })) as Api["get"] });
    await screen.findByLabelText("Week 1: Action to be taken");
    expect(screen.queryByRole("heading", { name: "Review" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Escalate now" })).toBeNull();
    cleanup();
    renderEditor({ get: vi.fn().mockResolvedValue(amendedPlan()) as Api["get"] });
    const review = (await screen.findByRole("heading", { name: "Review" })).closest("section") as HTMLElement;
    expect(review.textContent).toContain("An amendment to this plan is waiting: have it signed or withdraw it");
    expect(within(review).queryByRole("button", { name: "Record the review" })).toBeNull();
  });
});

const proposedText = "Act decisively and log each incident";
/** Erin's running plan with an amendment to target 1's wording, sent for signature. */
function amendedPlan(view: Partial<PlanView> = {}): PlanView {
  const agreed = activePlan();
  const content = { ...agreed.plan, revision: 3, targets: agreed.plan.targets.map((t, i) => (i === 0 ? { ...t, text: proposedText } : t)) };
  return activePlan(
    {
      amendment: {
        revision: 3,
        baseRevision: 2,
        content,
        changes: [{ path: "targets.0.text", label: "Objective 1 wording" }],
        proposedBy: "p-tutor",
        proposedByName: "Sarah Thompson",
        proposedAt: "2026-11-27T10:00:00Z",
      },
      signatureRequest: { revision: 3, requestedAt: "2026-11-27T11:00:00Z", requestedBy: "p-tutor", signBy: "2026-12-04", remindedAt: [] },
    },
    {
      stage: "Active · amendment awaiting signatures (0 of 2)",
      signatureProgress: { signed: 0, of: 2, amendment: true },
      amendmentDigest: digestB,
      missingSigners: agreed.plan.signers,
      ...view,
    },
  );
}

describe("an amendment beside the agreed plan", () => {
  it("shows who proposed it, its progress, and each change with the agreed and the proposed text", async () => {
    renderEditor({ get: vi.fn().mockResolvedValue(amendedPlan()) as Api["get"] });
    const panel = await screen.findByTestId("amendment");
    expect(within(panel).getByTestId("amendment-banner").textContent).toContain(
      "Amendment proposed by Sarah Thompson on 27 Nov 2026: awaiting signatures (0 of 2)",
    );
    expect(
      within(panel)
        .getAllByRole("columnheader")
        .map((h) => h.textContent),
    ).toEqual(["Change", "Agreed", "Proposed"]);
    const row = within(panel).getByRole("row", { name: /Objective 1 wording/ });
    expect(
      within(row)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["Act decisively", proposedText]);
    expect(screen.getByTestId("plan-stage").textContent).toBe("Active · amendment awaiting signatures (0 of 2)");
    // The editor starts from the proposal, with the agreed text labelled under the field.
    const t1 = screen.getByTestId("target-1");
    expect(within(t1).getByRole<HTMLTextAreaElement>("textbox", { name: "Objective" }).value).toBe(proposedText);
    expect(within(t1).getByText("Agreed:").parentElement?.textContent).toBe("Agreed: Act decisively");
    expect(within(panel).getByRole("button", { name: "Send a reminder" })).toBeTruthy();
  });

  it("before it is sent, says it is only proposed and offers to ask for signatures on it", async () => {
    const proposed = amendedPlan({ stage: "Active · amendment proposed, not yet sent for signature" });
    const { signatureRequest: _asked, ...plan } = proposed.plan;
    const { signatureProgress: _progress, ...view } = proposed;
    const send = vi.fn().mockResolvedValue(proposed);
    renderEditor({ get: vi.fn().mockResolvedValue({ ...view, plan }) as Api["get"], send: send as Api["send"] });
    const panel = await screen.findByTestId("amendment");
    expect(within(panel).getByTestId("amendment-banner").textContent).toContain(
      "Amendment proposed by Sarah Thompson on 27 Nov 2026: not yet sent for signature",
    );
    await userEvent.click(within(panel).getByRole("button", { name: "Ask for signatures on the amendment" }));
    await waitFor(() => expect(send).toHaveBeenCalledWith("POST", "/api/plans/plan-1/signature-requests", {}, undefined));
    await waitFor(() => expect(within(screen.getByTestId("amendment")).getByTestId("amendment-banner").textContent).toContain("awaiting signatures (0 of 2)"));
  });

  it("saves the editor's whole content, the proposal included, when the running record is written", async () => {
    const send = vi.fn().mockResolvedValue(amendedPlan());
    renderEditor({ get: vi.fn().mockResolvedValue(amendedPlan()) as Api["get"], send: send as Api["send"] });
    await userEvent.type(await screen.findByLabelText("Week 1: Evaluation of progress"), "Good week");
    expect(screen.getByTestId("save-effect").textContent).toBe("Running record only: saved onto the plan, no new signatures needed.");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    const body = send.mock.calls[0]?.[2] as { content: Plan };
    expect(body.content.targets[0]?.text).toBe(proposedText);
    expect(body.content.weeks[0]?.evaluation).toBe("Good week");
  });

  it("says a change to the agreement proposes an amendment before it is saved", async () => {
    renderEditor({ get: vi.fn().mockResolvedValue(activePlan()) as Api["get"] });
    const objective = within(await screen.findByTestId("target-1")).getByRole("textbox", { name: "Objective" });
    await userEvent.type(objective, " now");
    expect(screen.getByTestId("save-effect").textContent).toContain("saving proposes an amendment for the same signers");
    expect(within(screen.getByTestId("target-1")).getByText("Agreed:").parentElement?.textContent).toBe("Agreed: Act decisively");
  });

  it("says that bringing the proposal back to the signed text withdraws it", async () => {
    renderEditor({ get: vi.fn().mockResolvedValue(amendedPlan()) as Api["get"] });
    const objective = within(await screen.findByTestId("target-1")).getByRole("textbox", { name: "Objective" });
    await userEvent.clear(objective);
    await userEvent.type(objective, "Act decisively");
    expect(screen.getByTestId("save-effect").textContent).toBe("This brings the agreement back to what was signed: saving withdraws the amendment.");
    expect(within(screen.getByTestId("target-1")).queryByText("Agreed:")).toBeNull();
  });

  it("withdraws with the plan's version, after a confirmation", async () => {
    const send = vi.fn().mockResolvedValue(activePlan());
    renderEditor({ get: vi.fn().mockResolvedValue(amendedPlan()) as Api["get"], send: send as Api["send"] });
    await userEvent.click(await screen.findByRole("button", { name: "Withdraw amendment" }));
    expect(send).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole("button", { name: "Yes, withdraw it" }));
    await waitFor(() => expect(send).toHaveBeenCalledWith("POST", "/api/plans/plan-1/amendment/withdrawal", { version: 3 }, { "if-match": '"v3"' }));
    await waitFor(() => expect(screen.queryByTestId("amendment")).toBeNull());
    expect(within(screen.getByTestId("target-1")).getByRole<HTMLTextAreaElement>("textbox", { name: "Objective" }).value).toBe("Act decisively");
  });
});

describe("signatures", () => {
  const atRisk = (patch: Partial<Plan>, view: Partial<PlanView> = {}) => {
    const v = planView("at_risk_action", {
      endDate: "2026-12-28",
      signers: [
        { role: "ect", personId: "p-erin" },
        { role: "induction_tutor", personId: "p-tutor" },
        { role: "head", personId: "p-head" },
      ],
      ...patch,
    });
    const names = { "p-erin": "Erin Walsh", "p-tutor": "Sarah Thompson", "p-head": "Helen Carter" };
    return allow({ ...v, signers: signersOf(v, names, v.plan.signatures), missingSigners: v.plan.signers, ...view }, { request_signatures: true, sign: true });
  };

  it("the lead names a signer only from the people the roster gives that role", async () => {
    const view = atRisk(
      { signers: [{ role: "ect", personId: "p-erin" }, { role: "induction_tutor", personId: "p-tutor" }, { role: "head" }] },
      {
        signerChoices: [
          {
            role: "head",
            people: [
              { id: "p-head", name: "Helen Carter" },
              { id: "p-head-2", name: "Grace Obi" },
            ],
          },
        ],
      },
    );
    const send = vi.fn().mockResolvedValue(view);
    renderEditor({ get: vi.fn().mockResolvedValue(view) as Api["get"], send: send as Api["send"] });
    const choose = await screen.findByRole<HTMLSelectElement>("combobox", { name: "Who signs as Headteacher/Principal" });
    expect([...choose.options].map((o) => o.textContent)).toEqual(["No one assigned — choose…", "Helen Carter", "Grace Obi"]);
    expect(screen.queryByRole("combobox", { name: "Who signs as Induction tutor" })).toBeNull();
    expect(screen.getByRole("button", { name: "Request signatures" })).toHaveProperty("disabled", true);
    expect(screen.getByText(/Choose who signs as Headteacher\/Principal before asking/)).toBeTruthy();
    await userEvent.selectOptions(choose, "p-head");
    await waitFor(() => expect(send).toHaveBeenCalledWith("PUT", "/api/plans/plan-1/signers/head", { personId: "p-head" }, { "if-match": '"v3"' }));
  });

  it("asks with an optional sign-by date; once asked it only reminds, and says when it was asked", async () => {
    const asked = atRisk(
      {
        status: "awaiting_signatures",
        signatureRequest: { revision: 2, requestedAt: "2026-11-27T10:00:00Z", requestedBy: "p-tutor", signBy: "2026-12-04", remindedAt: [] },
      },
      { stage: "Awaiting signatures (0 of 3)", signatureProgress: { signed: 0, of: 3, amendment: false } },
    );
    const send = vi.fn().mockResolvedValue(asked);
    renderEditor({ get: vi.fn().mockResolvedValue(atRisk({})) as Api["get"], send: send as Api["send"] });
    const signBy = await screen.findByLabelText(/Sign by \(optional\)/);
    await userEvent.type(signBy, "2026-12-04");
    await userEvent.click(screen.getByRole("button", { name: "Request signatures" }));
    await waitFor(() => expect(send).toHaveBeenCalledWith("POST", "/api/plans/plan-1/signature-requests", { signBy: "2026-12-04" }, undefined));
    expect((await screen.findByTestId("signatures-stage")).textContent).toBe("Awaiting signatures (0 of 3)");
    await waitFor(() => expect(screen.getByTestId("asked").textContent).toMatch(/^Asked for signatures 27 November 2026.*; sign by 4 Dec 2026\.$/));
    expect(screen.queryByRole("button", { name: "Request signatures" })).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "Send a reminder" }));
    await waitFor(() => expect(send).toHaveBeenLastCalledWith("POST", "/api/plans/plan-1/signature-requests", {}, undefined));
  });

  it("each signature shows role, name, time, how, version and its seal; one person signing two roles says so", async () => {
    const tutorSig = sig("induction_tutor", "p-tutor", "Sarah Thompson", 2, "card");
    const view = atRisk(
      {
        status: "awaiting_signatures",
        signers: [
          { role: "ect", personId: "p-erin" },
          { role: "induction_tutor", personId: "p-tutor" },
          { role: "head", personId: "p-tutor" },
        ],
        signatures: [tutorSig],
        signatureRequest: { revision: 2, requestedAt: "2026-11-27T10:00:00Z", requestedBy: "p-tutor", signBy: "2026-12-04", remindedAt: [] },
      },
      { stage: "Awaiting signatures (1 of 3)" },
    );
    view.signers = view.signers.map((s) =>
      s.role === "induction_tutor"
        ? { ...s, alsoSignsAs: ["head"] }
        : s.role === "head"
          ? { ...s, alsoSignsAs: ["induction_tutor"], name: "Sarah Thompson" }
          : s,
    );
    view.missingSigners = view.plan.signers.filter((s) => s.role !== "induction_tutor");
    const send = vi.fn().mockResolvedValue(view);
    renderEditor({ get: vi.fn().mockResolvedValue(view) as Api["get"], send: send as Api["send"] });
    const line = (await screen.findByTestId("signers")).querySelector("[data-role=induction_tutor]") as HTMLElement;
    expect(line.textContent).toContain("Induction tutor");
    expect(line.textContent).toContain("Sarah Thompson");
    expect(line.textContent).toContain("Also signs as Headteacher/Principal");
    expect(line.textContent).toMatch(/Signed 26 November 2026(,| at) 09:30 GMT · from a Teams card · agreed version 2/);
    expect(within(line).getByText("abababab…abab")).toBeTruthy();
    expect(within(line).getByLabelText(/SHA-256 seal of Induction tutor's signature/).textContent).toBe(digestA);
    expect(within(line).getByRole("button", { name: "Copy the full seal of Induction tutor's signature" })).toBeTruthy();
    expect(screen.getByTestId("signatures-stage").textContent).toBe("Awaiting signatures (1 of 3)");

    await userEvent.click(screen.getByRole("button", { name: "Sign as Headteacher/Principal" }));
    await waitFor(() => expect(send).toHaveBeenCalledWith("POST", "/api/plans/plan-1/signatures", { revision: 2 }, undefined));
  });

  it("once everyone has signed: no request, and the seal of the agreed version", async () => {
    renderEditor({ get: vi.fn().mockResolvedValue(allow(activePlan({}, { missingSigners: [] }), { sign: true })) as Api["get"] });
    const seal = await screen.findByTestId("agreed-seal");
    expect(seal.textContent).toContain("Seal of agreed version 2");
    expect(seal.querySelector("[data-digest]")?.getAttribute("data-digest")).toBe(digestA);
    expect(screen.queryByRole("button", { name: /Request signatures|Send a reminder/ })).toBeNull();
    expect(screen.queryByRole("button", { name: /^Sign as/ })).toBeNull();
  });
});

describe("how a plan ended and where it came from", () => {
  it("a closed plan says it was escalated, to which level and why", async () => {
    const closed = activePlan({ status: "closed", outcome: "escalated", outcomeReason: "No progress on pace", successorId: "plan-2" });
    const next = planView("level_3", { id: "plan-2" });
    renderEditor({ get: getReturning({ "plan-1": closed, "plan-2": next }) });
    await waitFor(() => expect(screen.getByTestId("plan-outcome").textContent).toContain("Escalated to Level 3 because: No progress on pace"));
    expect(screen.queryByRole("heading", { name: "Review" })).toBeNull();
  });

  it("a successor says which plan it follows and why that one ended", async () => {
    const view = planView("level_3", {}, "all", {
      predecessor: { id: "plan-0", templateId: "level_2", level: 2, outcome: "escalated", outcomeReason: "Not enough progress on pace" },
    });
    renderEditor({ get: vi.fn().mockResolvedValue(view) as Api["get"] });
    expect((await screen.findByTestId("plan-origin")).textContent).toContain("Escalated from the Level 2 plan because: Not enough progress on pace");
  });
});
