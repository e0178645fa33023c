/** Issue 15: with a Teams app id, the card for every outbox kind links only into the app's personal tab. */
import { describe, expect, it } from "vitest";
import { escalatePlan, type NewOutboxMessage, type Plan } from "@ectsp/shared";
import { cardProblems } from "../../test-support/validateCard.js";
import { linksOf, teamsDeepLink, testTeamsAppId } from "../../test-support/cardLinks.js";
import { executeActions } from "../../test-support/botClient.js";
import { agreed, at, officer, outbox, roster, tutor, viewsOf, world } from "../../test-support/cardViewsWorld.js";

describe("with a Teams app id, every card the views build links into the personal tab", () => {
  it("each outbox kind's card: only Teams deep links, to the plan (or the ECT's records); the mutes are the recipient's", async () => {
    world.links = { publicUrl: "https://app.example", teamsAppId: testTeamsAppId };
    try {
      const plan = agreed("level_4");
      const { review: _review, ...unreviewed } = plan;
      const running: Plan = { ...unreviewed, status: "active" };
      const escalated = escalatePlan(at(tutor, "2026-12-10T10:00:00.000Z"), roster, running, { version: running.version, reason: "No progress" });
      // The running plan for its own cards; the escalation's (which closes it) on its own.
      const views = viewsOf(running);
      const afterEscalation = viewsOf(escalated.plan, escalated.successor);
      const base = { recipientId: tutor.id, planId: running.id, ectId: roster.ect.id, dedupeKey: "k" };
      const messages: NewOutboxMessage[] = [
        { ...base, kind: "sign_request", data: {} },
        { ...base, kind: "checkin_prompt", data: { checkInId: "ci-1", week: 1 } },
        { ...base, kind: "evaluation_prompt", data: { week: 1 } },
        { ...base, kind: "review_due", data: { daysLeft: 1 } },
        { ...base, kind: "ab_weekly_update", recipientId: officer.id, data: { week: 1 } },
        { ...base, kind: "plan_shared", data: {} },
        { ...base, kind: "escalation_alert", planId: escalated.successor.id, data: {} },
        { ...base, kind: "statutory_review_due", data: { label: "Progress review 1", date: "2026-12-01", daysLeft: -3 } },
        { ...base, kind: "tutor_digest", data: { weekOf: "2026-09-07" } },
      ];
      const records = `ects/${roster.ect.id}/records`;
      const seen = [];
      for (const m of messages) {
        const card = (await (m.kind === "escalation_alert" ? afterEscalation : views).forOutbox(outbox(m), "2026-12-10"))!;
        const targets = linksOf(card).map((url) => {
          const t = teamsDeepLink(url);
          return t?.appId === testTeamsAppId && t.entityId === "caseload" ? t.subEntityId : `not a Teams deep link: ${url}`;
        });
        const mute = executeActions(card).find((a) => a.verb === "mute")?.data;
        seen.push({ kind: m.kind, problems: cardProblems(card), targets: [...new Set(targets)], mute });
      }
      const muteFor = (kind: string, personId: string) => ({ kind, personId });
      expect(seen).toEqual([
        { kind: "sign_request", problems: [], targets: [running.id], mute: undefined },
        { kind: "checkin_prompt", problems: [], targets: [running.id], mute: undefined },
        { kind: "evaluation_prompt", problems: [], targets: [running.id], mute: undefined },
        { kind: "review_due", problems: [], targets: [running.id], mute: muteFor("review_due", tutor.id) },
        { kind: "ab_weekly_update", problems: [], targets: [running.id], mute: muteFor("ab_weekly_update", officer.id) },
        { kind: "plan_shared", problems: [], targets: [running.id], mute: undefined },
        { kind: "escalation_alert", problems: [], targets: [escalated.successor.id], mute: undefined },
        { kind: "statutory_review_due", problems: [], targets: [records], mute: muteFor("statutory_review_due", tutor.id) },
        // Nothing waiting in the induction's first week: a digest without links, with its mute.
        { kind: "tutor_digest", problems: [], targets: [], mute: muteFor("tutor_digest", tutor.id) },
      ]);
    } finally {
      world.links = { publicUrl: "https://app.example" };
    }
  });
});
