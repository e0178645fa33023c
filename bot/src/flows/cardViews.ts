import {
  agreementDigest,
  combine,
  isEct2NearEnd,
  ladderLevel,
  missingSigners,
  openPlanStatuses,
  planStage,
  signaturesOn,
  signerLabels,
  validSignatures,
  versionToSign,
  type OutboxMessage,
  type Person,
  type Plan,
  termsOf,
} from "@ectsp/shared";
import type { Store } from "../store/store.js";
import type { PlanService } from "../app/planService.js";
import { isAgreed, outcomeReasonLabel } from "../export/layouts/agreement.js";
import { overdueStatutoryReviews } from "./statutoryReviews.js";
import { retentionDue } from "../app/retentionDue.js";
import { retentionDueCard } from "../cards/retentionCard.js";
import { recordNoticeFor } from "./recordNotice.js";
import {
  abUpdateCard,
  alertCard,
  checkInCard,
  evaluationCard,
  formatDueDate,
  noticeCard,
  planBrief,
  planLink,
  recordsLink,
  reviewDueCard,
  signOffCard,
  statutoryReviewDueCard,
  tabLink,
  tutorDigestCard,
  type AdaptiveCard,
  type CardRef,
  type DigestLine,
  type PlanBrief,
  type PlanLinks,
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
    /** Where card links point (planLink): Teams deep links once TEAMS_APP_ID is set. */
    private readonly links: PlanLinks,
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

  private async brief(plan: Plan, dates?: Pick<Plan, "startDate" | "endDate" | "reviewDate" | "weeks">): Promise<PlanBrief> {
    const ect = await this.store.getEct(plan.ectId);
    const person = ect ? await this.store.getPerson(ect.personId) : undefined;
    return planBrief(plan, person?.displayName ?? "The ECT", this.links, dates);
  }

  /**
   * The sign-off card for this viewer, always about the version being signed now (the
   * amendment's while there is one). `stale`: the viewer pressed Sign on an older card, so the
   * card says the plan changed and offers Sign on the current version if they still need to.
   */
  async signOff(
    plan: Plan,
    viewerId: string | undefined,
    options: { voided?: boolean; withdrawn?: boolean; reminder?: boolean; stale?: boolean } = {},
  ): Promise<AdaptiveCard> {
    const revision = versionToSign(plan);
    const onVersion = signaturesOn(plan, revision);
    const people = await this.names([...plan.signers.map((s) => s.personId), plan.amendment?.proposedBy]);
    const ids = await this.userIds(plan.signers.map((s) => s.personId));
    const signers: SignerLine[] = plan.signers.map((s) => {
      const sig = onVersion.find((v) => v.role === s.role);
      return {
        role: s.role,
        roleLabel: signerLabels[s.role],
        ...(s.personId ? { personId: s.personId } : {}),
        name: sig?.name ?? (s.personId ? (people.get(s.personId)?.displayName ?? "Unknown") : "Not assigned"),
        ...(s.personId && ids.get(s.personId) ? { userId: ids.get(s.personId)! } : {}),
        ...(sig ? { signedAt: sig.signedAt } : {}),
      };
    });
    // What is being approved: the amendment's proposal (with the plan's record), or the plan itself.
    const { amendment } = plan;
    const proposed = amendment ? combine(amendment.content, plan) : plan;
    const request = plan.signatureRequest?.revision === revision ? { signBy: plan.signatureRequest.signBy } : undefined;
    const agreed = !amendment && isAgreed(plan);
    const digest = agreed ? agreementDigest(plan, plan) : undefined;
    const sealed = validSignatures(plan).filter((s) => s.digest);
    return signOffCard({
      plan: await this.brief(plan, proposed),
      revision,
      signers,
      ...(viewerId ? { viewerId } : {}),
      ...(request ? { request } : {}),
      targets: proposed.targets.map((t) => ({ text: t.text, standards: t.standards })),
      ...(amendment
        ? {
            amendment: {
              baseRevision: amendment.baseRevision,
              changes: amendment.changes.map((c) => c.label),
              proposedByName: amendment.proposedByName || people.get(amendment.proposedBy)?.displayName || "Someone",
              proposedAt: amendment.proposedAt,
            },
          }
        : {}),
      ...(digest ? { seal: { revision: plan.revision, digest, matches: sealed.every((s) => s.digest === digest) } } : {}),
      ...(options.stale ? { stale: true } : {}),
      ...(options.voided ? { voided: true } : {}),
      ...(options.withdrawn ? { withdrawn: true } : {}),
      ...(options.reminder ? { reminder: true } : {}),
    });
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

  /**
   * An escalation or insufficient-progress alert. An escalation_alert is about the successor
   * (the plan now running) and the reason is on the plan it replaced; an
   * insufficient_progress_alert is about the closed plan itself, and links to its successor.
   */
  async alert(plan: Plan, kind: "escalation_alert" | "insufficient_progress_alert", today: string): Promise<AdaptiveCard> {
    const closedHere = plan.status === "closed" && !!plan.successorId && (kind === "insufficient_progress_alert" || !plan.predecessorId);
    const current = closedHere ? ((await this.store.getPlan(plan.successorId!)) ?? plan) : plan;
    const previous = closedHere ? plan : current.predecessorId ? await this.store.getPlan(current.predecessorId) : undefined;
    const reviewed = previous ?? plan;
    const reasons: string[] = [];
    for (const o of reviewed.review?.targetOutcomes ?? []) {
      if (o.outcome === "met") continue;
      const target = reviewed.targets.find((t) => t.id === o.targetId);
      const label = target ? `${target.standards.length ? `${target.standards.join(", ")}: ` : ""}${target.text}` : "A target";
      reasons.push(`${label} (${o.outcome === "not_met" ? "not met" : "partially met"})`);
    }
    if (reviewed.review?.evaluation) reasons.push(reviewed.review.evaluation);
    const reason = previous?.outcomeReason ? { label: outcomeReasonLabel(previous.outcome), text: previous.outcomeReason } : undefined;
    const ect = await this.store.getEct(current.ectId);
    const decided = await this.decided(previous ?? reviewed);
    return alertCard({
      kind,
      plan: await this.brief(current),
      ...(reviewed !== current && reviewed.level ? { fromLevel: reviewed.level } : {}),
      ...(reason ? { reason } : {}),
      reasons,
      ...(current.level ? { abInvolvement: ladderLevel(current.level).abInvolvement } : {}),
      ...(ect ? { isEct2: isEct2NearEnd(ect, today, 3, termsOf(await this.store.getSchool(ect.schoolId))) } : {}),
      ...(decided ? { decided } : {}),
      ...(reviewed !== current && reviewed.review?.date ? { previousReview: reviewed.review.date } : {}),
    });
  }

  /**
   * Who closed the plan into its successor (escalated or continued it) and when, from the audit
   * trail the use case wrote; else who recorded its review. A name and a date, nothing more.
   */
  private async decided(plan: Plan): Promise<{ byName: string; at: string } | undefined> {
    const closing = (await this.store.listAudit({ planId: plan.id })).filter((a) => a.action === "escalatePlan" || a.action === "continuePlan").at(-1);
    if (closing) return { byName: closing.actorName, at: closing.at };
    const { review } = plan;
    if (!review?.recordedBy || !review.recordedAt) return undefined;
    const person = await this.store.getPerson(review.recordedBy);
    return { byName: person?.displayName ?? "Someone", at: review.recordedAt };
  }

  async abUpdate(plan: Plan, week: number, recipientId?: string): Promise<AdaptiveCard> {
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
      ...(recipientId ? { recipientId } : {}),
    });
  }

  async tutorDigest(tutorId: string, weekOf: string): Promise<AdaptiveCard> {
    const ects = await this.store.listEcts({ inductionTutorId: tutorId });
    const people = await this.names(ects.map((e) => e.personId));
    const nameOf = (ectId: string) => people.get(ects.find((e) => e.id === ectId)?.personId ?? "")?.displayName ?? "An ECT";
    const summaries = await this.store.listPlanSummaries({ ectIds: ects.map((e) => e.id), status: openPlanStatuses });
    const missingCheckIns: DigestLine[] = [];
    const unsignedPlans: DigestLine[] = [];
    for (const s of summaries) {
      const open = (await this.store.listCheckIns({ planId: s.id, status: "open" })).filter((c) => c.dueOn < weekOf);
      for (const c of open)
        missingCheckIns.push({ ectName: nameOf(s.ectId), detail: `week ${c.week} (due ${formatDueDate(c.dueOn)})`, url: planLink(this.links, s.id) });
      // Plans waiting for signatures, on the plan or on an amendment: "Awaiting signatures (1 of 3)".
      if (s.awaitingSignatures || s.status === "awaiting_signatures") {
        const plan = await this.store.getPlan(s.id);
        const missing = plan ? missingSigners(plan) : [];
        if (plan && missing.length > 0) {
          unsignedPlans.push({
            ectName: nameOf(s.ectId),
            detail: `${planStage(plan)}: waiting for ${missing.map((m) => signerLabels[m.role]).join(", ")}`,
            url: planLink(this.links, s.id),
          });
        }
      }
    }
    const overdueReviews: DigestLine[] = (await overdueStatutoryReviews(this.store, ects, weekOf)).map((r) => ({
      ectName: nameOf(r.ectId),
      detail: `${r.label}, due ${formatDueDate(r.date)}`,
      url: recordsLink(this.links, r.ectId),
    }));
    return tutorDigestCard({ weekOf, missingCheckIns, unsignedPlans, overdueReviews, recipientId: tutorId });
  }

  /** The card an outbox message sends; undefined when there is nothing to send any more. */
  async forOutbox(m: OutboxMessage, today: string): Promise<AdaptiveCard | undefined> {
    if (m.kind === "tutor_digest") return this.tutorDigest(m.recipientId, str(m.data.weekOf) ?? today);
    if (m.kind === "retention_due") {
      // Issue 16, item 9: what is due as of sending (the list may have changed since the job ran); nothing due, nothing sent.
      const schoolId = str(m.data.schoolId);
      const due = schoolId ? await retentionDue(this.store, schoolId, today) : [];
      if (due.length === 0) return undefined;
      const url = tabLink(this.links, { view: "retention" });
      return retentionDueCard({ due, url });
    }
    if (m.kind === "statutory_review_due") {
      const ect = m.ectId ? await this.store.getEct(m.ectId) : undefined;
      const person = ect ? await this.store.getPerson(ect.personId) : undefined;
      if (!ect) return undefined;
      return statutoryReviewDueCard({
        ectName: person?.displayName ?? "An ECT",
        label: str(m.data.label) ?? "Progress review",
        date: str(m.data.date) ?? today,
        daysLeft: num(m.data.daysLeft),
        url: recordsLink(this.links, ect.id),
        recipientId: m.recipientId,
      });
    }
    if (m.kind === "record_signed" || m.kind === "record_returned") return recordNoticeFor(this.store, this.links, m);
    if (!m.planId) return undefined;
    const plan = await this.store.getPlan(m.planId);
    if (!plan) return undefined;
    switch (m.kind) {
      case "sign_request":
        // Asked for a version that has since changed: that card has nothing to sign any more
        // (a new request, or the voided notice, tells the signer what happened).
        if (typeof m.data.revision === "number" && m.data.revision !== versionToSign(plan)) return undefined;
        return this.signOff(plan, m.recipientId, { reminder: m.data.reminder === true });
      case "signatures_voided": {
        // An amendment withdrawn (by the lead, or by editing the agreement back as signed): the plan runs as signed.
        const withdrawn =
          m.data.withdrawn === true || (!plan.amendment && (plan.status === "agreed" || plan.status === "active" || plan.status === "in_review"));
        return this.signOff(plan, m.recipientId, withdrawn ? { withdrawn: true } : { voided: true });
      }
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
        return this.abUpdate(plan, num(m.data.week, 1), m.recipientId);
      case "review_due":
        return plan.status === "closed" || plan.review?.recordedAt
          ? undefined
          : reviewDueCard({ plan: await this.brief(plan), daysLeft: num(m.data.daysLeft), recipientId: m.recipientId });
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
        // A card showing an older version than the one being signed now says so.
        return this.signOff(plan, viewer.id, ref.revision !== versionToSign(plan) ? { stale: true } : {});
      case "checkIn":
        return this.checkIn(plan, ref.checkInId, ref.week);
      case "evaluation":
        return this.evaluation(plan, ref.week);
      case "alert":
        return this.alert(plan, ref.kind, today);
      case "abUpdate":
        return this.abUpdate(plan, ref.week, viewer.id);
      case "notice":
        return noticeCard({ plan: await this.brief(plan), kind: "plan_shared" });
    }
  }
}
