/**
 * Issue 15: every link on every card is a Teams deep link into the personal tab once the app has a
 * Teams app id (single sign-on works only inside Teams), and the tab's own URL without one. And
 * every date on every card reads the same.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  abUpdateCard,
  alertCard,
  checkInCard,
  errorCard,
  evaluationCard,
  formatDate,
  formatDueDate,
  noticeCard,
  planLink,
  planTabEntityId,
  recordedCard,
  recordsLink,
  reviewDueCard,
  signOffCard,
  statutoryReviewDueCard,
  tabLink,
  tutorDigestCard,
  welcomeCard,
  type AdaptiveCard,
  type PlanBrief,
  type PlanLinks,
} from "./index.js";
import { retentionDueCard } from "./retentionCard.js";
import { cardProblems } from "../../test-support/validateCard.js";
import { linksOf, teamsDeepLink, testTeamsAppId } from "../../test-support/cardLinks.js";

const planId = "3f1c2a9b-77e4-4d0a-9b1e-0c1d2e3f4a5b";
const ectId = "ect-amy";
const local: PlanLinks = { publicUrl: "https://app.example/" };
const inTeams: PlanLinks = { publicUrl: "https://app.example", teamsAppId: testTeamsAppId };

/** Every card that links somewhere, built with these links; `to` is what each link must open. */
function everyLinkedCard(links: PlanLinks): { name: string; card: AdaptiveCard; to: "plan" | "records" | "retention" | "home" }[] {
  const plan: PlanBrief = {
    planId,
    title: "Level 4 – Cause for concern",
    ectName: "Amy Clarke",
    level: 4,
    levelName: "Cause for concern",
    status: "active",
    stage: "Active",
    startDate: "2026-11-02",
    endDate: "2026-12-14",
    reviewDate: "2026-12-14",
    weeksTotal: 6,
    url: planLink(links, planId),
  };
  const line = { ectName: "Amy Clarke", detail: "week 3", url: planLink(links, planId) };
  const signer = { role: "ect", roleLabel: "ECT", personId: "p-amy", name: "Amy Clarke" };
  const row = { week: 3, action: "Plan the starter", successCriteria: "Routines in place" };
  return [
    { name: "check-in", to: "plan", card: checkInCard({ plan, checkInId: "ci-1", ...row, dueOn: "2026-11-22", byWhom: "Mentor", targets: ["Routines"] }) },
    {
      name: "check-in (recorded)",
      to: "plan",
      card: checkInCard({
        plan,
        checkInId: "ci-1",
        ...row,
        dueOn: "2026-11-22",
        byWhom: "",
        targets: [],
        answered: { comment: "Better", at: "2026-11-20T10:00:00Z" },
      }),
    },
    { name: "evaluation", to: "plan", card: evaluationCard({ plan, ...row, ectComment: "", evaluation: "", viewerUserIds: [] }) },
    { name: "evaluation (recorded)", to: "plan", card: evaluationCard({ plan, ...row, ectComment: "", evaluation: "Good", viewerUserIds: [] }) },
    {
      name: "sign-off",
      to: "plan",
      card: signOffCard({
        plan,
        revision: 2,
        signers: [signer],
        viewerId: "p-amy",
        request: { signBy: "2026-11-14" },
        targets: [{ text: "Routines", standards: ["7a"] }],
      }),
    },
    {
      name: "escalation alert",
      to: "plan",
      card: alertCard({ kind: "escalation_alert", plan, fromLevel: 3, reasons: [], decided: { byName: "Sarah Thompson", at: "2026-12-10T10:00:00Z" } }),
    },
    { name: "insufficient-progress alert", to: "plan", card: alertCard({ kind: "insufficient_progress_alert", plan, reasons: ["Routines (not met)"] }) },
    { name: "AB weekly update", to: "plan", card: abUpdateCard({ plan, week: 3, action: "", evaluation: "", ectCommented: false, checkInStatus: "open" }) },
    { name: "review due", to: "plan", card: reviewDueCard({ plan, daysLeft: -2 }) },
    { name: "tutor digest", to: "plan", card: tutorDigestCard({ weekOf: "2026-11-23", missingCheckIns: [line], unsignedPlans: [line] }) },
    {
      name: "tutor digest (overdue reviews)",
      to: "records",
      card: tutorDigestCard({ weekOf: "2026-11-23", missingCheckIns: [], unsignedPlans: [], overdueReviews: [{ ...line, url: recordsLink(links, ectId) }] }),
    },
    { name: "plan agreed", to: "plan", card: noticeCard({ plan, kind: "plan_agreed" }) },
    { name: "plan shared", to: "plan", card: noticeCard({ plan, kind: "plan_shared" }) },
    { name: "comment", to: "plan", card: noticeCard({ plan, kind: "comment_added", comment: { authorName: "Amy", text: "Hi" } }) },
    { name: "recorded", to: "plan", card: recordedCard({ title: "Added", url: planLink(links, planId) }) },
    { name: "error", to: "plan", card: errorCard({ message: "No", url: planLink(links, planId) }) },
    { name: "welcome", to: "home", card: welcomeCard({ tabUrl: tabLink(links), isEct: true }) },
    {
      name: "statutory review due",
      to: "records",
      card: statutoryReviewDueCard({ ectName: "Amy Clarke", label: "Progress review 1", date: "2026-12-01", daysLeft: -7, url: recordsLink(links, ectId) }),
    },
    {
      name: "retention due",
      to: "retention",
      card: retentionDueCard({ due: [{ ectName: "Amy Clarke", retainUntil: "2026-11-30" }], url: tabLink(links, { view: "retention" }) }),
    },
  ];
}

describe("card links", () => {
  it("the tab cards link into is the manifest's personal tab", () => {
    const manifest = JSON.parse(readFileSync(new URL("../../../appPackage/manifest.json", import.meta.url), "utf8")) as {
      staticTabs: { entityId: string; scopes?: string[] }[];
    };
    expect(manifest.staticTabs[0]).toMatchObject({ entityId: planTabEntityId, scopes: ["personal"] });
  });

  it.each(everyLinkedCard(inTeams).map((c) => [c.name, c] as const))("with a Teams app id, %s: every link is a Teams deep link to the page", (_n, c) => {
    const links = linksOf(c.card);
    expect(links.length).toBeGreaterThan(0);
    for (const url of links) {
      const target = teamsDeepLink(url);
      expect(target, url).toBeDefined();
      expect(target).toMatchObject({ appId: testTeamsAppId, entityId: planTabEntityId });
      // The sub-page the tab opens (tab/src/lib/teamsHost.ts deepLinkPath).
      expect(target!.subEntityId).toBe(
        c.to === "plan" ? planId : c.to === "records" ? `ects/${ectId}/records` : c.to === "retention" ? "retention" : undefined,
      );
    }
    expect(cardProblems(c.card)).toEqual([]);
  });

  it.each(everyLinkedCard(local).map((c) => [c.name, c] as const))("without one (local mode), %s: every link is the tab's own URL", (_n, c) => {
    const links = linksOf(c.card);
    expect(links.length).toBeGreaterThan(0);
    const expected =
      c.to === "plan"
        ? `https://app.example/plans/${planId}`
        : c.to === "records"
          ? `https://app.example/ects/${ectId}/records`
          : c.to === "retention"
            ? "https://app.example/retention"
            : "https://app.example";
    for (const url of links) expect(url).toBe(expected);
    expect(cardProblems(c.card)).toEqual([]);
  });

  it("the sub-page survives Markdown: no bracket or parenthesis in a digest link", () => {
    const url = planLink(inTeams, "odd(id)");
    expect(url).not.toMatch(/[()[\]\s]/);
    expect(teamsDeepLink(url)?.subEntityId).toBe("odd(id)");
  });
});

describe("dates read the same on every card", () => {
  const texts = (card: AdaptiveCard): string[] => {
    const out: string[] = [];
    const walk = (x: unknown) => {
      if (Array.isArray(x)) return x.forEach(walk);
      if (!x || typeof x !== "object") return;
      const o = x as Record<string, unknown>;
      if ((o.type === "TextBlock" || o.type === "TextRun") && typeof o.text === "string") out.push(o.text);
      if (o.type === "FactSet") for (const f of o.facts as { value: string }[]) out.push(f.value);
      Object.values(o).forEach(walk);
    };
    walk(card.body);
    return out;
  };
  const month = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";

  it.each(everyLinkedCard(local).map((c) => [c.name, c.card] as const))("%s: every date is 'Mon 7 Dec 2026', never ISO or another style", (_n, card) => {
    for (const text of texts(card)) {
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      expect(text).not.toMatch(/\b\d{1,2} (January|February|March|April|June|July|August|September|October|November|December)\b/);
      for (const m of text.matchAll(new RegExp(`(\\S+,?) (\\d{1,2}) ${month} \\d{4}`, "g"))) expect(m[1]).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)$/);
    }
  });

  it("the one formatter: calendar dates and instants in London; due dates on a school day", () => {
    expect(formatDate("2026-12-07")).toBe("Mon 7 Dec 2026");
    expect(formatDate("2027-07-19T23:30:00Z")).toBe("Tue 20 Jul 2027");
    expect(formatDate(undefined)).toBe("");
    expect(formatDueDate("2026-11-22")).toBe("Fri 20 Nov 2026");
    expect(formatDueDate("2026-11-21")).toBe("Fri 20 Nov 2026");
    expect(formatDueDate("2026-11-23")).toBe("Mon 23 Nov 2026");
  });

  it("the same day reads the same on every card that shows it", () => {
    const shown = everyLinkedCard(local)
      .map((c) => texts(c.card).join("\n"))
      .filter((t) => t.includes("14 Dec 2026"));
    expect(shown.length).toBeGreaterThan(5);
    for (const t of shown) expect(t).toContain("Mon 14 Dec 2026");
  });

  it("a check-in due on a Sunday shows the Friday before", () => {
    const card = everyLinkedCard(local).find((c) => c.name === "check-in")!.card;
    expect(texts(card)).toContain("Fri 20 Nov 2026");
  });
});
