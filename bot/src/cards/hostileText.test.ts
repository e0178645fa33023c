import { describe, expect, it } from "vitest";
import {
  abUpdateCard,
  alertCard,
  cardBytes,
  checkInCard,
  errorCard,
  evaluationCard,
  maxCardBytes,
  noticeCard,
  plainText,
  recordedCard,
  reviewDueCard,
  signOffCard,
  tutorDigestCard,
  welcomeCard,
  type AdaptiveCard,
  type PlanBrief,
} from "./index.js";
import { statutoryReviewDueCard } from "./statutoryReviewCard.js";
import { recordNoticeCard } from "./recordNoticeCard.js";
import { cardProblems } from "../../test-support/validateCard.js";

/** Text a user might type (or put in their display name) to make a card say something else. */
const hostile = [
  "[click](https://evil.example) **now** <b>x</b> _a_ https://evil.example ~~del~~ `code` \\ back | pipe ![img](https://evil.example/i.png)",
  "- list",
  "1. one",
  "* star",
  "+ plus",
  "# head",
  "> quote",
  "2) two",
  "===",
].join("\n");
const veryLong = (hostile + "\n").repeat(60).trim();

/** Markdown-rendered strings on a card: TextBlock text and FactSet titles/values. TextRuns render no Markdown. */
function rendered(card: unknown): { markdown: string[]; runs: string[] } {
  const markdown: string[] = [];
  const runs: string[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== "object") return;
    const o = x as Record<string, unknown>;
    if (o.type === "TextBlock" && typeof o.text === "string") markdown.push(o.text);
    if (o.type === "TextRun" && typeof o.text === "string") runs.push(o.text);
    if (o.type === "FactSet" && Array.isArray(o.facts)) for (const f of o.facts as { title: string; value: string }[]) markdown.push(f.title, f.value);
    Object.values(o).forEach(walk);
  };
  walk(card);
  return { markdown, runs };
}

const unescape = (s: string) => s.replace(/\\(.)/gs, "$1");

/** The digest's own list items (a link to the plan, or "…and N more") removed, leaving what users wrote. */
const ourListItems = (text: string) => text.replace(/^- (?:\[[^\n]*\]\(https:\/\/app\.example\/plans\/[^\n]*|…and \d+ more)$/gm, "");

/** Markup a hostile string could produce if it reached Markdown unescaped (our own links go to the app's plan pages). */
function markupProblems(text: string): string[] {
  const problems: string[] = [];
  if (/(?<!\\)\]\((?!https:\/\/app\.example\/plans\/)/.test(text)) problems.push("link");
  if (text.includes("**")) problems.push("bold **");
  if (text.includes("_a_")) problems.push("italic _");
  if (text.includes("~~")) problems.push("strikethrough");
  if (text.includes("<b>")) problems.push("html");
  if (/(?<!\\)`/.test(text)) problems.push("code");
  if (/^[ \t]*(?:[-*+#>]|\d+[.)]|===)/m.test(ourListItems(text))) problems.push("line-leading marker");
  return problems;
}

function hostilePlan(name: string): PlanBrief {
  return {
    planId: "3f1c-plan",
    title: "Level 5 – At risk of failing",
    ectName: name,
    level: 5,
    levelName: "At risk of failing",
    status: "active",
    stage: "Active",
    startDate: "2026-11-02",
    endDate: "2026-12-14",
    reviewDate: "2026-12-14",
    weeksTotal: 6,
    url: "https://app.example/plans/3f1c-plan",
  };
}

/** Every card type, with `t` in every field a user writes (comments, evaluations, targets, reasons, names). */
function everyCard(t: string): [string, AdaptiveCard][] {
  const plan = hostilePlan(t);
  const signers = (signed: boolean) =>
    Array.from({ length: 10 }, (_, i) => ({
      role: "ect",
      roleLabel: "Headteacher/Principal",
      personId: `p-${i}`,
      name: t,
      userId: `29:p-${i}`,
      ...(signed || i % 2 ? { signedAt: "2026-11-20T10:00:00Z" } : {}),
    }));
  const many = (n: number) => Array.from({ length: n }, () => t);
  const base = { plan, checkInId: "ci-1", week: 3, dueOn: "2026-11-22", action: t, byWhom: t, successCriteria: t, targets: many(8) };
  return [
    ["check-in (open)", checkInCard({ ...base, ectUserId: "29:amy" })],
    ["check-in (reminder)", checkInCard({ ...base, reminder: true })],
    ["check-in (recorded)", checkInCard({ ...base, answered: { comment: t, at: "2026-11-20T10:00:00Z" } })],
    ["evaluation prompt", evaluationCard({ plan, week: 2, action: t, successCriteria: t, ectComment: t, evaluation: "", viewerUserIds: [] })],
    ["evaluation (recorded)", evaluationCard({ plan, week: 2, action: t, successCriteria: t, ectComment: t, evaluation: t, viewerUserIds: [] })],
    [
      "sign-off (signer)",
      signOffCard({
        plan,
        revision: 4,
        viewerId: "p-2",
        signers: signers(false),
        request: { signBy: "2026-11-27" },
        targets: many(6).map((text) => ({ text, standards: ["7d"] })),
      }),
    ],
    [
      "sign-off (amendment, stale)",
      signOffCard({
        plan,
        revision: 4,
        viewerId: "p-2",
        stale: true,
        signers: signers(false),
        request: { signBy: "2026-11-27" },
        targets: many(2).map((text) => ({ text, standards: [] })),
        amendment: { baseRevision: 3, changes: many(3), proposedByName: t, proposedAt: "2026-11-20T10:00:00Z" },
      }),
    ],
    [
      "sign-off (complete)",
      signOffCard({ plan, revision: 4, viewerId: "p-2", signers: signers(true), targets: [], seal: { revision: 4, digest: "b".repeat(64), matches: true } }),
    ],
    [
      "escalation alert",
      alertCard({
        kind: "escalation_alert",
        plan,
        fromLevel: 4,
        reason: { label: "Reason for escalation", text: t },
        reasons: many(10),
        abInvolvement: "The AB is told.",
        isEct2: true,
      }),
    ],
    [
      "escalation alert (only the reason)",
      alertCard({ kind: "escalation_alert", plan: { ...plan, ectName: "Amy" }, reason: { label: "Reason for escalation", text: t }, reasons: [] }),
    ],
    ["insufficient-progress alert", alertCard({ kind: "insufficient_progress_alert", plan, reasons: many(3) })],
    ["AB weekly update", abUpdateCard({ plan, week: 4, action: t, evaluation: t, ectCommented: true, checkInStatus: "answered" })],
    ["review due", reviewDueCard({ plan, daysLeft: -3 })],
    [
      "tutor digest",
      tutorDigestCard({
        weekOf: "2026-11-30",
        missingCheckIns: Array.from({ length: 30 }, () => ({ ectName: t, detail: "week 3 (due 2026-11-20)", url: plan.url })),
        unsignedPlans: Array.from({ length: 30 }, () => ({ ectName: t, detail: "waiting for ECT", url: plan.url })),
      }),
    ],
    ["plan agreed", noticeCard({ plan, kind: "plan_agreed" })],
    ["plan shared", noticeCard({ plan, kind: "plan_shared" })],
    ["comment added", noticeCard({ plan, kind: "comment_added", comment: { authorName: t, text: t, week: 2 } })],
    ["recorded", recordedCard({ title: "Added to your plan as a comment", lines: [t], url: plan.url })],
    ["error", errorCard({ message: t, details: many(5), url: plan.url })],
    ["welcome", welcomeCard({ name: t, tabUrl: "https://app.example", isEct: true })],
    ["statutory review due", statutoryReviewDueCard({ ectName: t, label: "Progress review 1", date: "2026-12-01", daysLeft: 3, url: plan.url })],
    ["record signed", recordNoticeCard({ ectName: t, label: "Progress review 1", revision: 1, url: plan.url, event: "signed" })],
    [
      "record returned",
      recordNoticeCard({
        ectName: "Amy",
        label: "Progress review 1",
        revision: 2,
        url: plan.url,
        event: "returned",
        returnedBy: t,
        reasons: ["other"],
        comments: t,
      }),
    ],
  ];
}

describe("user-written text on cards is shown, never rendered as Markdown", () => {
  it.each(everyCard(hostile))("%s: no markup from user text, the exact text still shown", (_name, card) => {
    const { markdown, runs } = rendered(card);
    for (const text of markdown) expect({ text, problems: markupProblems(text) }).toEqual({ text, problems: [] });
    // Every card shows the hostile text somewhere, verbatim in a TextRun or as Markdown that renders to it.
    // (Names inside the digest's list items are put on one line.)
    const oneLine = (s: string) => s.replace(/\s+/g, " ");
    const shown = [...runs, ...markdown.map(unescape)].map(oneLine);
    expect(shown.some((s) => s.includes(oneLine(hostile)))).toBe(true);
    expect(cardProblems(card)).toEqual([]);
  });

  it.each(everyCard(veryLong))("%s: very long hostile text stays valid, escaped and under 28 KB", (_name, card) => {
    for (const text of rendered(card).markdown) expect(markupProblems(text)).toEqual([]);
    expect(cardProblems(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThan(maxCardBytes);
  });

  it("plainText escapes Markdown and round-trips to the text typed", () => {
    expect(plainText("[click](https://evil.example) **now**")).toBe("\\[click\\]\\(https://evil.example\\) \\*\\*now\\*\\*");
    expect(plainText("- list\n1. one\n  + two\n# h")).toBe("\\- list\n1\\. one\n  \\+ two\n\\# h");
    expect(plainText("Smith-Jones, 2nd year. Great!")).toBe("Smith-Jones, 2nd year. Great!");
    expect(plainText("a\\*b")).toBe("a\\\\\\*b");
    for (const s of [hostile, "Amy O'Brien", "x_y", "<b>x</b>", "1) a"]) expect(unescape(plainText(s))).toBe(s);
    expect(markupProblems(plainText(hostile))).toEqual([]);
  });
});
