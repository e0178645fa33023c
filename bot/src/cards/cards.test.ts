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
  recordNoticeCard,
  recordedCard,
  refreshFor,
  reviewDueCard,
  signOffCard,
  tutorDigestCard,
  welcomeCard,
  type AdaptiveCard,
  type PlanBrief,
} from "./index.js";
import { cardProblems } from "../../test-support/validateCard.js";
import { formatDateTime } from "../export/format.js";

const long = (n: number) => "Lorem ipsum dolor sit amet, é ü — “quotes” ".repeat(Math.ceil(n / 44)).slice(0, n);
const plan: PlanBrief = {
  planId: "3f1c-plan",
  title: "Level 5 – At risk of failing",
  ectName: "Amy Clarke",
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
const userIds = (n: number) => Array.from({ length: n }, (_, i) => `29:user-${i}`);

/** Every card the bot sends, in every state, with fields at their maximum lengths. */
const cards: [string, AdaptiveCard][] = [
  [
    "check-in (open, max content)",
    checkInCard({
      plan,
      checkInId: "ci-1",
      week: 3,
      dueOn: "2026-11-22",
      action: long(4000),
      byWhom: long(500),
      successCriteria: long(4000),
      targets: Array.from({ length: 20 }, () => long(2000)),
      ectUserId: "29:amy",
    }),
  ],
  [
    "check-in (reminder)",
    checkInCard({ plan, checkInId: "ci-1", week: 3, dueOn: "2026-11-22", action: "", byWhom: "", successCriteria: "", targets: [], reminder: true }),
  ],
  [
    "check-in (recorded)",
    checkInCard({
      plan,
      checkInId: "ci-1",
      week: 3,
      dueOn: "2026-11-22",
      action: long(4000),
      byWhom: "",
      successCriteria: long(4000),
      targets: [long(2000)],
      answered: { comment: long(2000), at: "2026-11-20T10:00:00Z" },
    }),
  ],
  [
    "evaluation prompt",
    evaluationCard({ plan, week: 2, action: long(4000), successCriteria: long(4000), ectComment: long(2000), evaluation: "", viewerUserIds: userIds(2) }),
  ],
  ["evaluation (recorded)", evaluationCard({ plan, week: 2, action: "", successCriteria: "", ectComment: "", evaluation: long(4000), viewerUserIds: [] })],
  ...(["a signer", "a bystander"] as const).map((who): [string, AdaptiveCard] => [
    `sign-off (seen by ${who})`,
    signOffCard({
      plan: { ...plan, status: "awaiting_signatures", stage: "Awaiting signatures (5 of 10)" },
      revision: 4,
      request: { signBy: "2026-11-27" },
      targets: Array.from({ length: 20 }, () => ({ text: long(2000), standards: ["1a", "2b", "7d"] })),
      amendment: { baseRevision: 3, changes: Array.from({ length: 500 }, () => long(300)), proposedByName: long(200), proposedAt: "2026-11-19T10:00:00Z" },
      viewerId: who === "a signer" ? "p-2" : "p-9",
      signers: Array.from({ length: 10 }, (_, i) => ({
        role: "ect",
        roleLabel: "Headteacher/Principal",
        personId: `p-${i}`,
        name: long(200),
        userId: `29:p-${i}`,
        ...(i % 2 ? { signedAt: "2026-11-20T10:00:00Z" } : {}),
      })),
    }),
  ]),
  [
    "sign-off (voided)",
    signOffCard({ plan, revision: 5, voided: true, targets: [], viewerId: "p-1", signers: [{ role: "ect", roleLabel: "ECT", personId: "p-1", name: "Amy" }] }),
  ],
  [
    "sign-off (amendment withdrawn)",
    signOffCard({
      plan,
      revision: 5,
      withdrawn: true,
      targets: [],
      viewerId: "p-1",
      signers: [{ role: "ect", roleLabel: "ECT", personId: "p-1", name: "Amy" }],
    }),
  ],
  [
    "sign-off (stale)",
    signOffCard({
      plan,
      revision: 6,
      stale: true,
      request: { signBy: "2026-11-27" },
      targets: [],
      viewerId: "p-1",
      signers: [{ role: "ect", roleLabel: "ECT", personId: "p-1", name: "Amy" }],
    }),
  ],
  [
    "sign-off (reminder)",
    signOffCard({
      plan,
      revision: 5,
      reminder: true,
      request: { signBy: "2026-11-27" },
      targets: [],
      viewerId: "p-1",
      signers: [{ role: "ect", roleLabel: "ECT", personId: "p-1", name: "Amy" }],
    }),
  ],
  [
    "sign-off (complete)",
    signOffCard({
      plan,
      revision: 5,
      targets: [{ text: "Behaviour", standards: ["7d"] }],
      seal: { revision: 5, digest: "a".repeat(64), matches: true },
      signers: [{ role: "ect", roleLabel: "ECT", personId: "p-1", name: "Amy", signedAt: "2026-11-20T10:00:00Z" }],
    }),
  ],
  [
    "escalation alert",
    alertCard({
      kind: "escalation_alert",
      plan,
      fromLevel: 4,
      reason: { label: "Reason for escalation", text: long(2000) },
      reasons: Array.from({ length: 30 }, () => long(2000)),
      abInvolvement: long(1000),
      isEct2: true,
    }),
  ],
  ["insufficient-progress alert", alertCard({ kind: "insufficient_progress_alert", plan: { ...plan, level: 2, levelName: "Support plan 1" }, reasons: [] })],
  ["AB weekly update", abUpdateCard({ plan, week: 4, action: long(4000), evaluation: long(4000), ectCommented: true, checkInStatus: "open" })],
  ...[7, 1, 0, -3].map((d): [string, AdaptiveCard] => [`review due (${d} days)`, reviewDueCard({ plan, daysLeft: d })]),
  [
    "tutor digest",
    tutorDigestCard({
      weekOf: "2026-11-30",
      missingCheckIns: Array.from({ length: 200 }, () => ({ ectName: long(200), detail: long(100), url: plan.url })),
      unsignedPlans: Array.from({ length: 200 }, () => ({ ectName: long(200), detail: long(300), url: plan.url })),
    }),
  ],
  ["plan agreed", noticeCard({ plan, kind: "plan_agreed" })],
  ["plan shared", noticeCard({ plan, kind: "plan_shared", closedOnTrack: true })],
  ["comment added", noticeCard({ plan, kind: "comment_added", comment: { authorName: long(200), text: long(2000), week: 2 } })],
  ["recorded", recordedCard({ title: "Added to your plan as a comment", lines: [long(3000)], url: plan.url })],
  ["error", errorCard({ message: long(3000), details: Array.from({ length: 50 }, () => long(1000)), url: plan.url })],
  ["welcome", welcomeCard({ name: "Amy", tabUrl: "https://app.example", isEct: true })],
  ["record signed by all", recordNoticeCard({ ectName: long(200), label: long(200), revision: 2, url: plan.url, event: "signed" })],
  [
    "record returned by the AB (max content)",
    recordNoticeCard({
      ectName: long(200),
      label: long(200),
      revision: 1,
      url: plan.url,
      event: "returned",
      returnedBy: long(200),
      returnedAt: "2026-12-01T10:00:00.000Z",
      reasons: ["targets_not_specific", "no_reference_to_standards", "statement_missing", "evidence_insufficient", "ratings_inconsistent", "other"],
      comments: long(4000),
    }),
  ],
];

describe("every card the bot sends", () => {
  it.each(cards)("%s: valid Adaptive Card 1.5 under 28 KB", (_name, card) => {
    expect(cardProblems(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThan(maxCardBytes);
  });

  it("a returned record's card says why and links to the records to revise it", () => {
    const c = recordNoticeCard({
      ectName: "Amy Clarke",
      label: "Progress review 1 (Autumn 2026)",
      revision: 1,
      url: "https://app.example/ects/ect-amy/records",
      event: "returned",
      returnedBy: "Olu Officer",
      reasons: ["targets_not_specific"],
      comments: "No reference to the Standards",
    });
    const text = JSON.stringify(c.body);
    expect(text).toContain("Targets are not specific");
    expect(text).toContain("No reference to the Standards");
    expect(c.actions).toEqual([{ type: "Action.OpenUrl", title: "Revise the record", url: "https://app.example/ects/ect-amy/records" }]);
  });

  it("the validator does catch broken cards", () => {
    const broken = { ...checkInCard({ plan, checkInId: "c", week: 1, dueOn: "2026-11-01", action: "", byWhom: "", successCriteria: "", targets: [] }) };
    broken.body = [...broken.body, { type: "Input.Text", id: "comment" }, { type: "Bogus.Element" }];
    const problems = cardProblems(broken);
    expect(problems.some((p) => p.includes("Duplicate Id"))).toBe(true);
    expect(problems.some((p) => p.includes("Unknown element type"))).toBe(true);
  });

  it("uses Universal Actions: Action.Execute with a refresh for the people listed (at most 60)", () => {
    const card = cards[0]![1];
    expect(card.refresh?.action).toMatchObject({ type: "Action.Execute", verb: "refresh" });
    expect(card.refresh?.userIds).toEqual(["29:amy"]);
    expect(refreshFor({ card: "notice", planId: "p" }, userIds(60))?.userIds).toHaveLength(60);
    // More than 60: Teams would refuse the list, so nobody is listed and viewers press refresh.
    expect(refreshFor({ card: "notice", planId: "p" }, userIds(61))).toMatchObject({ action: { type: "Action.Execute", verb: "refresh" } });
    expect(refreshFor({ card: "notice", planId: "p" }, userIds(61))?.userIds).toBeUndefined();
  });

  it("the sign-off card shows Sign only to a signer who has not signed", () => {
    const signers = [
      { role: "induction_tutor", roleLabel: "Induction tutor", personId: "tutor", name: "Sarah", userId: "29:t", signedAt: "2026-11-20T10:00:00Z" },
      { role: "ect", roleLabel: "ECT", personId: "ect", name: "Amy", userId: "29:e" },
    ];
    const verbs = (viewerId: string) =>
      JSON.stringify(signOffCard({ plan, revision: 2, signers, viewerId, request: { signBy: "2026-11-27" }, targets: [] })).includes('"verb":"sign"');
    expect(verbs("ect")).toBe(true);
    expect(verbs("tutor")).toBe(false);
    expect(verbs("someone-else")).toBe(false);
  });

  it("the sign-off card names the agreement's version and the form's word: objectives on a Level form, targets on the others", () => {
    const signers = [{ role: "ect", roleLabel: "ECT", personId: "ect", name: "Amy", userId: "29:e" }];
    const targets = [{ standards: ["7d"], text: "Routines for transitions" }];
    const text = (brief: PlanBrief) =>
      JSON.stringify(signOffCard({ plan: brief, revision: 3, signers, viewerId: "ect", request: { signBy: "2026-11-27" }, targets }));
    const level = text({ ...plan, targetWord: "objective" });
    expect(level).toContain('"text":"Objectives"');
    expect(level).toContain("Signing approves the agreement of agreed version 3: its objectives");
    expect(level).toContain("Your signature applies to agreed version 3 only.");
    // "revision" stays only in the Sign action's data, which no one reads.
    expect(level.replace(/"revision":\d+/g, "")).not.toMatch(/[Rr]evision/);
    expect(text({ ...plan, targetWord: "target" })).toContain('"text":"Targets"');
  });

  it("an instant just after midnight BST is the same day on a card as in the export", () => {
    const signedAt = "2027-07-19T23:30:00.000Z"; // 00:30 BST on 20 July
    const signers = [{ role: "ect", roleLabel: "ECT", personId: "ect", name: "Amy", userId: "29:e", signedAt }];
    const json = JSON.stringify(signOffCard({ plan, revision: 2, signers, viewerId: "ect", targets: [] }));
    expect(json).toContain("Amy: signed Tue 20 Jul 2027");
    expect(formatDateTime(signedAt)).toMatch(/^20 July 2027(,| at) 00:30 BST$/);
  });
});
