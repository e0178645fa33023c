/**
 * What is signed stays signed (issue 12 §1, §2, §6), through the API on a real SQLite file: the
 * running record never touches signatures; changing an agreed plan's agreement is an amendment
 * the plan runs beside, adopted when the same signers have signed it or withdrawn; a review
 * judges every target.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { editorContent, type Plan } from "@ectsp/shared";
import { movableClock, testInstant } from "../../test-support/movableClock.js";
import { planRecord, readJson, startTestServer, testTarget, type Json, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";

let server: RunningServer;
let tutor: Awaited<ReturnType<RunningServer["as"]>>;
let erin: Awaited<ReturnType<RunningServer["as"]>>;
let planId: string;
const clock = movableClock(testInstant);
beforeAll(async () => {
  server = await startTestServer({ clock });
  tutor = await server.as(demoIds.tutorA);
  erin = await server.as("person-ect-erin");
});
afterAll(async () => {
  await server?.stop();
});

const post = (body?: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers,
  ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
});
const stored = async () => (await server.store.getPlan(planId))!;
/** Saves the editor's whole view (the amendment's proposal in place) with `change` applied. */
const save = async (as: typeof tutor, change: (content: Plan) => void) => {
  const plan = await stored();
  const content = structuredClone({ ...plan, ...editorContent(plan) });
  change(content);
  return readJson(await as(`/api/plans/${planId}`, { method: "PUT", headers: { "if-match": `"v${plan.version}"` }, body: JSON.stringify({ content }) }));
};
const sign = async (as: typeof tutor, revision: number) => readJson(await as(`/api/plans/${planId}/signatures`, post({ revision })));
// The objective's wording: a Level 2 form prints it (it has no column for a target's success criteria).
const agreedText = "Act decisively when behaviour slips";
const amendedText = "Act decisively when behaviour slips, using the school's agreed script";

describe("an agreed plan runs on what was signed", () => {
  it("is agreed by both signers once sent for signature", async () => {
    const created = await readJson(
      await tutor(
        "/api/plans",
        post({
          ectId: "ect-erin",
          templateId: "level_2",
          content: {
            startDate: "2026-11-23",
            endDate: "2027-01-04",
            targets: [testTarget(["7d"], agreedText), testTarget(["4a"], "Use lesson time productively")],
          },
        }),
      ),
    );
    expect(created.status).toBe(201);
    planId = created.body.plan.id;
    expect((await readJson(await tutor(`/api/plans/${planId}/signature-requests`, post()))).status).toBe(202);
    expect((await sign(tutor, 1)).status).toBe(201);
    const agreed = await sign(erin, 1);
    expect(agreed.body.plan.status).toBe("active");
    expect(agreed.body.stage).toBe("Active");
  });

  it("a week's evaluation and the ECT's comment on progress leave every signature valid", async () => {
    const evaluated = await save(tutor, (c) => (c.weeks[0]!.evaluation = "Routines starting to embed"));
    expect(evaluated.status).toBe(200);
    const commented = await readJson(await erin(`/api/plans/${planId}/check-ins`, post({ week: 1, comment: "The countdown helped after lunch" })));
    expect(commented.status).toBe(201);
    const view = commented.body;
    expect(view.plan).toMatchObject({ status: "active", revision: 1 });
    expect(view.plan).not.toHaveProperty("amendment");
    expect(view.plan.weeks[0]).toMatchObject({ evaluation: "Routines starting to embed", ectComment: "The countdown helped after lunch" });
    expect(view.validSignatures.map((s: Json) => s.role).sort()).toEqual(["ect", "induction_tutor"]);
    expect(view.missingSigners).toEqual([]);
    for (const s of view.validSignatures) expect(s.digest).toBe(view.agreedDigest);
  });

  it("changing the agreement proposes an amendment: the plan shows the agreed text, the amendment the proposal and what changed", async () => {
    const proposed = await save(tutor, (c) => (c.targets[0]!.text = amendedText));
    expect(proposed.status).toBe(200);
    const { plan } = proposed.body;
    expect(plan.revision).toBe(1);
    expect(plan.targets[0].text).toBe(agreedText);
    expect(plan.amendment).toMatchObject({ revision: 2, baseRevision: 1, proposedBy: demoIds.tutorA, proposedByName: "Sarah Thompson" });
    expect(plan.amendment.content.targets[0].text).toBe(amendedText);
    expect(plan.amendment.changes.map((c: Json) => c.path)).toEqual(["targets.0.text"]);
    expect(proposed.body.validSignatures).toHaveLength(2);
    expect(proposed.body.amendmentDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(proposed.body.amendmentDigest).not.toBe(proposed.body.agreedDigest);

    // The record keeps being written meanwhile, onto the plan, and the proposal stays.
    const evaluated = await save(tutor, (c) => (c.weeks[1]!.evaluation = "Transitions under three minutes"));
    expect(evaluated.body.plan.weeks[1].evaluation).toBe("Transitions under three minutes");
    expect(evaluated.body.plan.amendment.revision).toBe(2);
    expect(evaluated.body.plan.targets[0].text).toBe(agreedText);
  });

  it("is sent to the same signers: awaiting signatures (0 of 2), and asking again only reminds", async () => {
    const asked = await readJson(await tutor(`/api/plans/${planId}/signature-requests`, post({ signBy: "2026-12-04" })));
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({
      reminder: false,
      stage: "Active · amendment awaiting signatures (0 of 2)",
      signatureProgress: { signed: 0, of: 2, amendment: true },
    });
    expect(asked.body.plan.signatureRequest).toMatchObject({ revision: 2, signBy: "2026-12-04" });
    const requests = (await server.store.listOutbox({ planId })).filter((m) => m.kind === "sign_request" && m.data.revision === 2);
    expect(requests.map((m) => m.recipientId).sort()).toEqual(["person-ect-erin", demoIds.tutorA].sort());
    expect(requests.every((m) => m.data.amendment === true)).toBe(true);

    // Pressed again at once (a double click): nothing more is sent, and the answer says so.
    const outboxBefore = (await server.store.listOutbox({ planId })).length;
    const doubleClick = await readJson(await tutor(`/api/plans/${planId}/signature-requests`, post()));
    expect(doubleClick.status).toBe(202);
    expect(doubleClick.body).toMatchObject({ reminder: true, alreadyAskedToday: true });
    expect(doubleClick.body.plan.version).toBe(asked.body.plan.version);
    expect((await server.store.listOutbox({ planId })).length).toBe(outboxBefore);

    // The next day it reminds.
    clock.advance(24 * 3_600_000);
    tutor = await server.as(demoIds.tutorA);
    erin = await server.as("person-ect-erin");
    const again = await readJson(await tutor(`/api/plans/${planId}/signature-requests`, post()));
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ reminder: true, alreadyAskedToday: false });
    expect(again.body.plan.signatureRequest.remindedAt).toHaveLength(1);
  });

  it("a signature on the agreed version is refused as out of date; nothing is written", async () => {
    const before = await planRecord(server.store, planId);
    const stale = await sign(erin, 1);
    expect(stale.status).toBe(409);
    expect(stale.body.currentRevision).toBe(2);
    expect(await planRecord(server.store, planId)).toEqual(before);
  });

  it("is adopted when every signer has signed it: the revision moves on and the running record is kept", async () => {
    const one = await sign(tutor, 2);
    expect(one.body.stage).toBe("Active · amendment awaiting signatures (1 of 2)");
    expect(one.body.plan.targets[0].text).toBe(agreedText);
    const adopted = await sign(erin, 2);
    expect(adopted.status).toBe(201);
    const { plan } = adopted.body;
    expect(plan).toMatchObject({ status: "active", revision: 2 });
    expect(plan).not.toHaveProperty("amendment");
    expect(plan).not.toHaveProperty("signatureRequest");
    expect(plan.targets[0].text).toBe(amendedText);
    expect(plan.weeks[0]).toMatchObject({ evaluation: "Routines starting to embed", ectComment: "The countdown helped after lunch" });
    expect(plan.weeks[1].evaluation).toBe("Transitions under three minutes");
    expect(adopted.body.validSignatures.map((s: Json) => [s.role, s.revision]).sort()).toEqual([
      ["ect", 2],
      ["induction_tutor", 2],
    ]);
    expect(adopted.body.stage).toBe("Active");
    // Both versions' signatures are kept: the record shows what was signed when.
    expect(plan.signatures).toHaveLength(4);
    const actions = (await server.store.listAudit({ planId })).map((e) => e.action);
    expect(actions).toContain("proposeAmendment");
    expect(actions.at(-1)).toBe("amendmentAgreed");
  });

  it("another proposal can be withdrawn: the plan is as signed", async () => {
    const signed = await stored();
    const proposed = await save(tutor, (c) => (c.targets[1]!.text = "Start every lesson within two minutes"));
    expect(proposed.body.plan.amendment.revision).toBe(3);

    // A plan with an amendment waiting is not reviewed until it is signed or withdrawn.
    const whileAmending = await planRecord(server.store, planId);
    const review = await readJson(
      await tutor(`/api/plans/${planId}/review`, {
        method: "PUT",
        headers: { "if-match": `"v${whileAmending.plan!.version}"` },
        body: JSON.stringify({ review: fullReview(signed) }),
      }),
    );
    expect(review.status).toBe(409);
    expect(review.body.detail).toMatch(/amendment/);
    expect(await planRecord(server.store, planId)).toEqual(whileAmending);

    const stale = await readJson(await tutor(`/api/plans/${planId}/amendment/withdrawal`, post(undefined, { "if-match": `"v${signed.version}"` })));
    expect(stale.status).toBe(409);
    expect(await planRecord(server.store, planId)).toEqual(whileAmending);

    const withdrawn = await readJson(
      await tutor(`/api/plans/${planId}/amendment/withdrawal`, post(undefined, { "if-match": `"v${whileAmending.plan!.version}"` })),
    );
    expect(withdrawn.status).toBe(200);
    const { plan } = withdrawn.body;
    expect(plan).not.toHaveProperty("amendment");
    expect(plan.revision).toBe(2);
    expect(plan.targets).toEqual(signed.targets);
    expect(withdrawn.body.validSignatures).toEqual(signed.signatures.filter((s) => s.revision === 2));
    expect(withdrawn.body.stage).toBe("Active");
    expect((await server.store.listAudit({ planId })).at(-1)).toMatchObject({ action: "withdrawAmendment" });
  });

  it("a review that leaves a target out, or without evidence, is refused and nothing is written", async () => {
    const plan = await stored();
    const before = await planRecord(server.store, planId);
    const missing = await readJson(
      await tutor(`/api/plans/${planId}/review`, {
        method: "PUT",
        headers: { "if-match": `"v${plan.version}"` },
        body: JSON.stringify({ review: { ...fullReview(plan), targetOutcomes: fullReview(plan).targetOutcomes.slice(0, 1) } }),
      }),
    );
    expect(missing.status).toBe(422);
    expect(missing.type).toContain("application/problem+json");
    expect(missing.body.violations).toMatchObject([{ code: "target-outcome-missing", message: "Say whether objective 2 was met, partially met or not met" }]);
    const noEvidence = fullReview(plan);
    noEvidence.targetOutcomes[0]!.evidence = " ";
    const unevidenced = await readJson(
      await tutor(`/api/plans/${planId}/review`, {
        method: "PUT",
        headers: { "if-match": `"v${plan.version}"` },
        body: JSON.stringify({ review: noEvidence }),
      }),
    );
    expect(unevidenced.status).toBe(422);
    expect(unevidenced.body.violations.map((v: Json) => v.code)).toContain("target-evidence-missing");
    expect(await planRecord(server.store, planId)).toEqual(before);
  });

  it("the amended plan is reviewed as agreed: every target judged with its evidence", async () => {
    const plan = await stored();
    const reviewed = await readJson(
      await tutor(`/api/plans/${planId}/review`, {
        method: "PUT",
        headers: { "if-match": `"v${plan.version}"` },
        body: JSON.stringify({ review: fullReview(plan) }),
      }),
    );
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.plan.status).toBe("in_review");
    expect(reviewed.body.plan.review.targetOutcomes.map((o: Json) => o.targetId)).toEqual(plan.targets.map((t) => t.id));
    expect(reviewed.body.plan.revision).toBe(2);
    expect(reviewed.body.validSignatures).toHaveLength(2);
  });
});

function fullReview(plan: Plan) {
  return {
    date: "2027-01-04",
    targetOutcomes: plan.targets.map((t, i) => ({ targetId: t.id, outcome: i === 0 ? "met" : "partially_met", evidence: `Seen in observations (${i + 1})` })),
    evaluation: "Behaviour secure; pace improving.",
    nextObjectives: "Pace",
    onTrack: false,
  };
}
