import { describe, expect, it } from "vitest";
import { addDays, agreementDigest, concludeReview, editPlan, escalatePlan, recordReview, requestSignatures, type Plan } from "@ectsp/shared";
import { formatDate, type AdaptiveCard } from "../cards/index.js";
import { cardProblems } from "../../test-support/validateCard.js";
import { agreed, at, draftOf, ect, head, mentor, outbox, roster, sent, sign, textOf, tutor, viewsOf, world } from "../../test-support/cardViewsWorld.js";

const signButtons = (card: AdaptiveCard) => (card.actions ?? []).filter((a) => a.verb === "sign") as { data: { ref: { revision: number } } }[];

describe("the sign-off card", () => {
  it("the head's card shows what is being approved, the sign-by date and 'Awaiting signatures (1 of 3)', with Sign for the version sent", async () => {
    const plan = sign(sent(draftOf("at_risk_action")), ect);
    expect(plan.status).toBe("awaiting_signatures");
    const card = await viewsOf(plan).signOff(plan, head.id);
    expect(cardProblems(card)).toEqual([]);
    const text = textOf(card);
    for (const wanted of [
      "ECT: Zoë O’Neill",
      "Form: Additional support action plan (at-risk ECT)",
      `Starts: ${formatDate(plan.startDate)}`,
      `Ends: ${formatDate(plan.endDate)}`,
      "Sign by: Fri 13 Nov 2026",
      "Status: Awaiting signatures (1 of 3)",
      "Signatures (1 of 3)",
      "ECT: Zoë O’Neill: signed",
      "Headteacher/Principal: Helen Carter: not yet signed",
    ])
      expect(text).toContain(wanted);
    // The targets in short: the first few, clipped, each with its Teachers' Standards codes.
    expect(text).toContain("• 7d: Target 1: act decisively");
    expect(text).toContain("• 4a, 4b: Target 2:");
    expect(text).toContain("• P2a-iii: Target 3:");
    expect(signButtons(card).map((b) => b.data.ref.revision)).toEqual([plan.revision]);
    // The ECT, who has signed, and someone not signing, see no Sign.
    expect(signButtons(await viewsOf(plan).signOff(plan, ect.id))).toEqual([]);
    expect(signButtons(await viewsOf(plan).signOff(plan, mentor.id))).toEqual([]);
  });

  it("no Sign before the plan is sent for signature", async () => {
    const draft = draftOf("at_risk_action");
    const signers = sent(draft).signers; // the roster's signers, without asking anyone
    const card = await viewsOf(draft).signOff({ ...draft, signers }, head.id);
    expect(cardProblems(card)).toEqual([]);
    expect(signButtons(card)).toEqual([]);
    expect(textOf(card)).toContain("This version has not been sent for signature yet");
    expect(textOf(card)).not.toContain("Sign by");
    // Once it is sent, the same viewer gets Sign.
    expect(signButtons(await viewsOf(sent(draft)).signOff(sent(draft), head.id))).toHaveLength(1);
  });

  it("an amendment's card says it amends the agreed version, lists what changes and who proposed it; Sign binds the amendment", async () => {
    const plan = agreed("at_risk_action");
    const content = {
      ...plan,
      targets: plan.targets.map((t, i) => (i === 0 ? { ...t, supportedBy: "Head of year, fortnightly" } : t)),
      endDate: addDays(plan.endDate!, -2),
    };
    const proposed = editPlan(at(tutor, "2026-11-20T10:00:00.000Z"), roster, plan, { version: plan.version, content }).plan;
    const amendment = proposed.amendment!;
    expect(amendment.changes.length).toBeGreaterThanOrEqual(2);

    // Proposed but not yet asked for: shown, nothing to sign.
    const before = await viewsOf(proposed).signOff(proposed, head.id);
    expect(signButtons(before)).toEqual([]);

    const waiting = requestSignatures(at(tutor, "2026-11-20T11:00:00.000Z"), roster, proposed, { signBy: "2026-11-27" }).plan;
    const card = await viewsOf(waiting).signOff(waiting, head.id);
    expect(cardProblems(card)).toEqual([]);
    const text = textOf(card);
    expect(text).toContain("Amendment to the agreed plan");
    expect(text).toContain(`This is an amendment to agreed version ${plan.revision}, which the plan runs on`);
    expect(text).toContain(`Version: Agreed version ${amendment.revision} once signed, amending agreed version ${plan.revision}`);
    for (const change of amendment.changes) expect(text).toContain(`• ${change.label}`);
    expect(text).toContain("Proposed by Sarah Thompson on Fri 20 Nov 2026");
    expect(text).toContain("Sign by: Fri 27 Nov 2026");
    expect(text).toMatch(/Status: (Agreed|Active) · amendment awaiting signatures \(0 of 3\)/);
    // What is being approved: the proposed dates.
    expect(text).toContain(`Ends: ${formatDate(content.endDate)}`);
    expect(signButtons(card).map((b) => b.data.ref.revision)).toEqual([amendment.revision]);
  });

  it("a stale card: the banner, and Sign bound to the current version for a signer who still has to sign", async () => {
    const plan = agreed("at_risk_action");
    const content = { ...plan, targets: plan.targets.map((t, i) => (i === 1 ? { ...t, timeScale: "Two weeks" } : t)) };
    const proposed = editPlan(at(tutor, "2026-11-20T10:00:00.000Z"), roster, plan, { version: plan.version, content }).plan;
    const waiting = requestSignatures(at(tutor, "2026-11-20T11:00:00.000Z"), roster, proposed).plan;
    const current = waiting.amendment!.revision;
    expect(current).toBeGreaterThan(plan.revision);
    const views = viewsOf(waiting);

    // What the server gives back when Sign was pressed on the old card.
    const card = await views.signOff(waiting, head.id, { stale: true });
    expect(cardProblems(card)).toEqual([]);
    expect(textOf(card)).toContain(
      `This plan changed after this card was sent. This is the current version (agreed version ${current} once signed): read it, then sign if you agree.`,
    );
    expect(signButtons(card).map((b) => b.data.ref.revision)).toEqual([current]);

    // A refresh of the old card (its ref names the old revision) says the same.
    const refreshed = await views.forRef({ card: "signOff", planId: waiting.id, revision: plan.revision }, head, "2026-11-21");
    expect(textOf(refreshed)).toContain("This plan changed after this card was sent");
    expect(signButtons(refreshed).map((b) => b.data.ref.revision)).toEqual([current]);

    // Someone who has signed the current version: the banner, no Sign, still the way to the plan.
    const signedNow = sign(waiting, ect, "2026-11-21T10:00:00.000Z");
    const theirs = await viewsOf(signedNow).signOff(signedNow, ect.id, { stale: true });
    expect(textOf(theirs)).toContain("This plan changed after this card was sent");
    expect(signButtons(theirs)).toEqual([]);
    expect((theirs.actions ?? []).map((a) => a.title)).toContain("Read the plan");
    // The current card is not stale.
    const fresh = await views.forRef({ card: "signOff", planId: waiting.id, revision: current }, head, "2026-11-21");
    expect(textOf(fresh)).not.toContain("This plan changed");
  });

  it("once agreed, the card says so with the seal: the version and the agreement's digest, shortened", async () => {
    const plan = agreed("at_risk_action");
    const digest = agreementDigest(plan, plan);
    const card = await viewsOf(plan).signOff(plan, head.id);
    const text = textOf(card);
    expect(text).toContain("Plan signed by everyone");
    expect(text).toContain(`Seal: Agreed version ${plan.revision} · SHA-256 ${digest.slice(0, 8)}…${digest.slice(-8)}`);
    expect(text).not.toContain(digest);
    expect(signButtons(card)).toEqual([]);
    // Text changed behind the seal's back: the card says so.
    const tampered = { ...plan, targets: plan.targets.map((t, i) => (i === 0 ? { ...t, text: "Rewritten" } : t)) };
    expect(textOf(await viewsOf(tampered).signOff(tampered, head.id))).toContain("The agreed text no longer matches what was signed");
  });

  it("reminders, voided and withdrawn notices say what happened", async () => {
    const plan = sent(draftOf("at_risk_action"));
    const reminder = await viewsOf(plan).forOutbox(
      outbox({ kind: "sign_request", recipientId: head.id, planId: plan.id, dedupeKey: "k", data: { role: "head", revision: plan.revision, reminder: true } }),
      "2026-11-10",
    );
    expect(textOf(reminder!)).toContain("Reminder: this plan is waiting for your signature, by Fri 13 Nov 2026");
    // A request for a version that has since changed sends nothing.
    expect(
      await viewsOf(plan).forOutbox(
        outbox({ kind: "sign_request", recipientId: head.id, planId: plan.id, dedupeKey: "k", data: { role: "head", revision: plan.revision - 1 } }),
        "2026-11-10",
      ),
    ).toBeUndefined();

    const running = agreed("at_risk_action");
    const withdrawn = await viewsOf(running).forOutbox(
      outbox({
        kind: "signatures_voided",
        recipientId: head.id,
        planId: running.id,
        dedupeKey: "k",
        data: { role: "head", revision: running.revision, withdrawn: true },
      }),
      "2026-11-25",
    );
    expect(textOf(withdrawn!)).toContain("The amendment you were asked to sign was withdrawn. The plan runs on as everyone signed it.");
    expect(signButtons(withdrawn!)).toEqual([]);

    const redrafted = { ...plan, status: "draft" as const, revision: plan.revision + 1 };
    delete (redrafted as Partial<Plan>).signatureRequest;
    const voided = await viewsOf(redrafted).forOutbox(
      outbox({ kind: "signatures_voided", recipientId: head.id, planId: plan.id, dedupeKey: "k", data: { role: "head", revision: plan.revision } }),
      "2026-11-10",
    );
    expect(textOf(voided!)).toContain("The plan changed after you were asked to sign");
    expect(signButtons(voided!)).toEqual([]);
  });
});

describe("alert cards carry the reason", () => {
  const hostile = "[click](https://evil.example) **now** <b>x</b>\n- list\n# head";

  it("an escalation alert (about the new plan) carries the reason written on the plan it replaced, as plain text", async () => {
    const plan = agreed("level_2");
    const result = escalatePlan(at(tutor, "2026-12-10T10:00:00.000Z"), roster, plan, { version: plan.version, reason: hostile });
    world.audit = result.audit ?? [];
    const alert = result.outbox!.find((m) => m.kind === "escalation_alert")!;
    // The shared notice names the successor: the card loads the closed plan for the reason.
    expect(alert.planId).toBe(result.successor.id);
    const card = await viewsOf(result.plan, result.successor).forOutbox(outbox(alert), "2026-12-10");
    expect(cardProblems(card!)).toEqual([]);
    const text = textOf(card!);
    expect(text).toContain("Escalated to Level 3");
    expect(text).toContain("Reason for escalation");
    // Verbatim, in a TextRun (which renders no Markdown), never inside a Markdown TextBlock.
    const runs = JSON.stringify(card).includes(JSON.stringify(hostile));
    expect(runs).toBe(true);
    const blocks: string[] = [];
    const walk = (x: unknown) => {
      if (Array.isArray(x)) return x.forEach(walk);
      if (!x || typeof x !== "object") return;
      const o = x as Record<string, unknown>;
      if (o.type === "TextBlock") blocks.push(String(o.text));
      Object.values(o).forEach(walk);
    };
    walk(card!.body);
    expect(blocks.some((b) => b.includes("](https://evil") || b.includes("**now**"))).toBe(false);
    expect(text).toContain("Status: Draft");
    // Who escalated and when (from the audit trail), and the new plan's review date (or that it is not set yet).
    expect(text).toContain("Escalated by: Sarah Thompson");
    expect(text).toContain("Escalated on: Thu 10 Dec 2026");
    expect(text).toContain(`Review: ${formatDate(result.successor.reviewDate) || "Not set yet"}`);
  });

  it("an insufficient-progress alert (about the closed plan) carries the reason for continuing and links to the new plan", async () => {
    const plan = agreed("level_2");
    const review = {
      date: "2026-12-07",
      notes: "",
      targetOutcomes: plan.targets.map((t) => ({ targetId: t.id, outcome: "partially_met" as const, evidence: "Seen twice in six" })),
      evaluation: "Some progress on routines",
      nextObjectives: "Routines after lunch",
      onTrack: false,
      finalOutcome: "",
    };
    const reviewed = recordReview(at(tutor, "2026-12-07T15:00:00.000Z"), roster, plan, { version: plan.version, review }).plan;
    const reason = "Routines are improving but not yet secure after lunch";
    const result = concludeReview(at(tutor, "2026-12-07T16:00:00.000Z"), roster, reviewed, { version: reviewed.version, decision: "continue", reason });
    world.audit = result.audit ?? [];
    const alert = result.outbox!.find((m) => m.kind === "insufficient_progress_alert")!;
    expect(alert.planId).toBe(reviewed.id);
    const card = await viewsOf(result.plan, result.successor!).forOutbox(outbox(alert), "2026-12-07");
    expect(cardProblems(card!)).toEqual([]);
    const text = textOf(card!);
    expect(text).toContain("Review: insufficient progress");
    expect(text).toContain(`Reason for continuing\n${reason}`);
    expect(text).toContain("(partially met)");
    expect(text).toContain("Reviewed by: Sarah Thompson");
    expect(text).toContain("Reviewed on: Mon 7 Dec 2026");
    expect(text).toContain("Previous review: Mon 7 Dec 2026");
    expect(JSON.stringify(card)).toContain(`/plans/${result.successor!.id}`);
  });
});
