import { statutoryReviewDueCard } from "../cards/statutoryReviewCard.js";
import { ladderLevel, signerLabels, validSignatures, missingSigners, isEct2NearEnd, type OutboxMessage, type Person, type Plan } from "@ectsp/shared";
import type { Store } from "../store/store.js";
import type { PlanService } from "../app/planService.js";
import {
  abUpdateCard,
  alertCard,
  checkInCard,
  evaluationCard,
  noticeCard,
  planBrief,
  planUrl,
  reviewDueCard,
  signOffCard,
  tutorDigestCard,
  type AdaptiveCard,
  type CardRef,
  type DigestLine,
  type PlanBrief,
  type SignerLine,
} from "../cards/index.js";

const num = (v: unknown, fallback = 0) => (typeof v === "number" && Number.isFinite(v) ? v : fallback);
const str = (v: unknown) => (typeof v === "string" ? v : undefined);

/**
 * Builds the card for an outbox message (for its recipient) or for a card reference (for
 * whoever is looking). Speaks the domain only; the platform layer sends what it returns.
 */
export class CardViews {
  constructor(
    private readonly store: Store,
    private readonly service: PlanService,
    private readonly publicUrl: string,
  ) {}

  private async names(ids: (string | undefined)[]): Promise<Map<string, Person>> {
    const unique = [...new Set(ids.filter((id): id is string => !!id))];
    const people = await Promise.all(unique.map((id) => this.store.getPerson(id)));
    return new Map(people.filter((p): p is Person => !!p).map((p) => [p.id, p]));
  }

  /** Channel user ids (for refresh.userIds) of the people the bot has a conversation with. */
  private async userIds(personIds: (string | undefined)[]): Promise<Map<string, string>> {
    const unique = [...new Set(personIds.filter((id): id is string => !!id))];
    const refs = await Promise.all(unique.map(async (id) => [id, (await this.store.getConversationRef(id))?.channelUserId] as const));
    return new Map(refs.filter((r): r is readonly [string, string] => !!r[1]));
  }

  private async brief(plan: Plan): Promise<PlanBrief> {
    const ect = await this.store.getEct(plan.ectId);
    const person = ect ? await this.store.getPerson(ect.personId) : undefined;
    return planBrief(plan, person?.displayName ?? "The ECT", this.publicUrl);
  }

  async signOff(plan: Plan, viewerId: string | undefined, options: { voided?: boolean; reminder?: boolean } = {}): Promise<AdaptiveCard> {
    const valid = validSignatures(plan);
    const people = await this.names(plan.signers.map((s) => s.personId));
    const ids = await this.userIds(plan.signers.map((s) => s.personId));
    const signers: SignerLine[] = plan.signers.map((s) => {
      const sig = valid.find((v) => v.role === s.role);
      return {
        role: s.role,
        roleLabel: signerLabels[s.role],
        ...(s.personId ? { personId: s.personId } : {}),
        name: sig?.name ?? (s.personId ? (people.get(s.personId)?.displayName ?? "Unknown") : "Not assigned"),
        ...(s.personId && ids.get(s.personId) ? { userId: ids.get(s.personId)! } : {}),
        ...(sig ? { signedAt: sig.signedAt } : {}),
      };
    });
    return signOffCard({ plan: await this.brief(plan), revision: plan.revision, signers, ...(viewerId ? { viewerId } : {}), ...options });
  }

  async checkIn(plan: Plan, checkInId: string, week: number, reminder = false): Promise<AdaptiveCard> {
    const checkIn = await this.store.getCheckIn(checkInId);
    const row = plan.weeks.find((w) => w.week === week);
    const ect = await this.store.getEct(plan.ectId);
    const ids = await this.userIds([ect?.personId]);
    const answered =
      checkIn?.status === "answered"
        ? { comment: checkIn.comment ?? row?.ectComment ?? "", at: checkIn.answeredAt ?? "" }
        : !checkIn && row?.ectComment
          ? { comment: row.ectComment, at: row.ectCommentAt ?? "" }
          : undefined;
    const ectUserId = ect ? ids.get(ect.personId) : undefined;
    return checkInCard({
      plan: await this.brief(plan),
      checkInId,
      week,
      dueOn: checkIn?.dueOn ?? "",
      action: row?.action ?? "",
      byWhom: row?.byWhom ?? "",
      successCriteria: row?.successCriteria ?? "",
      targets: plan.targets.map((t) => (t.standards.length ? `${t.text} (${t.standards.join(", ")})` : t.text)).filter(Boolean),
      ...(answered ? { answered } : {}),
      ...(ectUserId ? { ectUserId } : {}),
      reminder,
    });
  }

  async evaluation(plan: Plan, week: number): Promise<AdaptiveCard> {
    const row = plan.weeks.find((w) => w.week === week);
    const ect = await this.store.getEct(plan.ectId);
    const ids = await this.userIds([ect?.mentorId, ect?.inductionTutorId]);
    return evaluationCard({
      plan: await this.brief(plan),
      week,
      action: row?.action ?? "",
      successCriteria: row?.successCriteria ?? "",
      ectComment: row?.ectComment ?? "",
      evaluation: row?.evaluation ?? "",
      viewerUserIds: [...ids.values()],
    });
  }

  async alert(plan: Plan, kind: "escalation_alert" | "insufficient_progress_alert", today: string): Promise<AdaptiveCard> {
    // The alert is about the plan now running; the reasons come from the plan it replaced.
    const successorId = plan.successorId;
    const current = successorId ? ((await this.store.getPlan(successorId)) ?? plan) : plan;
    const previous = current.predecessorId ? await this.store.getPlan(current.predecessorId) : undefined;
    const reviewed = previous ?? plan;
    const reasons: string[] = [];
    for (const o of reviewed.review?.targetOutcomes ?? []) {
      if (o.outcome === "met") continue;
      const target = reviewed.targets.find((t) => t.id === o.targetId);
      const label = target ? `${target.standards.length ? `${target.standards.join(", ")}: ` : ""}${target.text}` : "A target";
      reasons.push(`${label} (${o.outcome === "not_met" ? "not met" : "partially met"})`);
    }
    if (reviewed.review?.evaluation) reasons.push(reviewed.review.evaluation);
    const ect = await this.store.getEct(current.ectId);
    return alertCard({
      kind,
      plan: await this.brief(current),
      ...(reviewed !== current && reviewed.level ? { fromLevel: reviewed.level } : {}),
      reasons,
      ...(current.level ? { abInvolvement: ladderLevel(current.level).abInvolvement } : {}),
      ...(ect ? { isEct2: isEct2NearEnd(ect, today, 3) } : {}),
    });
  }

  async abUpdate(plan: Plan, week: number): Promise<AdaptiveCard> {
    const row = plan.weeks.find((w) => w.week === week);
    const checkIns = await this.store.listCheckIns({ planId: plan.id });
    const ci = checkIns.find((c) => c.week === week);
    return abUpdateCard({
      plan: await this.brief(plan),
      week,
      action: row?.action ?? "",
      evaluation: row?.evaluation ?? "",
      ectCommented: !!row?.ectComment,
      checkInStatus: ci ? ci.status : "none",
      signaturesComplete: missingSigners(plan).length === 0,
    });
  }

  async tutorDigest(tutorId: string, weekOf: string): Promise<AdaptiveCard> {
    const ects = await this.store.listEcts({ inductionTutorId: tutorId });
    const people = await this.names(ects.map((e) => e.personId));
    const nameOf = (ectId: string) => people.get(ects.find((e) => e.id === ectId)?.personId ?? "")?.displayName ?? "An ECT";
    const summaries = await this.store.listPlanSummaries({ ectIds: ects.map((e) => e.id), status: ["draft", "agreed", "active", "in_review"] });
    const missingCheckIns: DigestLine[] = [];
    const unsignedPlans: DigestLine[] = [];
    for (const s of summaries) {
      const open = (await this.store.listCheckIns({ planId: s.id, status: "open" })).filter((c) => c.dueOn < weekOf);
      for (const c of open) missingCheckIns.push({ ectName: nameOf(s.ectId), detail: `week ${c.week} (due ${c.dueOn})`, url: planUrl(this.publicUrl, s.id) });
      if (s.status === "draft") {
        const plan = await this.store.getPlan(s.id);
        const missing = plan ? missingSigners(plan) : [];
        if (plan && missing.length < plan.signers.length && missing.length > 0) {
          unsignedPlans.push({
            ectName: nameOf(s.ectId),
            detail: `waiting for ${missing.map((m) => signerLabels[m.role]).join(", ")}`,
            url: planUrl(this.publicUrl, s.id),
          });
        }
      }
    }
    return tutorDigestCard({ weekOf, missingCheckIns, unsignedPlans });
  }

  /** The card an outbox message sends; undefined when there is nothing to send any more. */
  async forOutbox(m: OutboxMessage, today: string): Promise<AdaptiveCard | undefined> {
    if (m.kind === "tutor_digest") return this.tutorDigest(m.recipientId, str(m.data.weekOf) ?? today);
    if (m.kind === "statutory_review_due") {
      const ect = m.ectId ? await this.store.getEct(m.ectId) : undefined;
      const person = ect ? await this.store.getPerson(ect.personId) : undefined;
      return statutoryReviewDueCard({
        ectName: person?.displayName ?? "An ECT",
        label: str(m.data.label) ?? "Progress review",
        date: str(m.data.date) ?? today,
        daysLeft: num(m.data.daysLeft),
      });
    }
    if (!m.planId) return undefined;
    const plan = await this.store.getPlan(m.planId);
    if (!plan) return undefined;
    switch (m.kind) {
      case "sign_request":
        return this.signOff(plan, m.recipientId, { reminder: m.data.reminder === true });
      case "signatures_voided":
        return this.signOff(plan, m.recipientId, { voided: true });
      case "checkin_prompt":
      case "checkin_reminder": {
        const checkInId = str(m.data.checkInId);
        if (!checkInId || plan.status === "closed") return undefined;
        const checkIn = await this.store.getCheckIn(checkInId);
        if (m.kind === "checkin_reminder" && checkIn?.status === "answered") return undefined;
        return this.checkIn(plan, checkInId, num(m.data.week, checkIn?.week ?? 1), m.kind === "checkin_reminder");
      }
      case "evaluation_prompt":
        return plan.status === "closed" ? undefined : this.evaluation(plan, num(m.data.week, 1));
      case "escalation_alert":
      case "insufficient_progress_alert":
        return this.alert(plan, m.kind, today);
      case "ab_weekly_update":
        return this.abUpdate(plan, num(m.data.week, 1));
      case "review_due":
        return plan.status === "closed" || plan.review?.recordedAt
          ? undefined
          : reviewDueCard({ plan: await this.brief(plan), daysLeft: num(m.data.daysLeft) });
      case "plan_agreed":
      case "plan_shared":
        return noticeCard({ plan: await this.brief(plan), kind: m.kind, closedOnTrack: plan.outcome === "on_track" });
      case "comment_added": {
        const comment = plan.comments.find((c) => c.id === m.data.commentId);
        if (!comment) return undefined;
        return noticeCard({
          plan: await this.brief(plan),
          kind: "comment_added",
          comment: { authorName: comment.authorName, text: comment.text, ...(comment.week ? { week: comment.week } : {}) },
        });
      }
      default:
        return undefined;
    }
  }

  /** The card a refresh (or an action) shows this viewer; the viewer must be allowed to read the plan. */
  async forRef(ref: CardRef, viewer: Person, today: string): Promise<AdaptiveCard> {
    const { plan } = await this.service.planFor(viewer, ref.planId);
    switch (ref.card) {
      case "signOff":
        return this.signOff(plan, viewer.id);
      case "checkIn":
        return this.checkIn(plan, ref.checkInId, ref.week);
      case "evaluation":
        return this.evaluation(plan, ref.week);
      case "alert":
        return this.alert(plan, ref.kind, today);
      case "abUpdate":
        return this.abUpdate(plan, ref.week);
      case "notice":
        return noticeCard({ plan: await this.brief(plan), kind: "plan_shared" });
    }
  }
}
