import {
  addDays,
  daysBetween,
  missingSigners,
  openPlanStatuses,
  schoolDate,
  schoolInstant,
  signatureProgress,
  versionToSign,
  weekEvaluatorId,
  type CheckIn,
  type NewOutboxMessage,
  type Plan,
  type PlanStatus,
  openReviewPoints,
  recordedPoints,
  termsOf,
} from "@ectsp/shared";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { Store } from "../store/store.js";

/** "2026-W48": the ISO week of a calendar date (London's, see tick), used in dedupe keys for weekly messages. */
export function isoWeek(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const day = (d.getUTCDay() + 6) % 7; // Monday = 0
  d.setUTCDate(d.getUTCDate() - day + 3); // Thursday of this week decides the year
  const firstThursday = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round(((d.getTime() - firstThursday.getTime()) / 86_400_000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/** Which week of the plan `today` falls in (1-based), or undefined outside its weekly rows. */
export function planWeek(plan: Pick<Plan, "startDate" | "weeks">, today: string): number | undefined {
  if (!plan.startDate || plan.startDate > today) return undefined;
  const week = Math.floor(daysBetween(plan.startDate, today) / 7) + 1;
  return plan.weeks.some((w) => w.week === week) ? week : undefined;
}

export const checkInId = (planId: string, week: number) => `ci-${planId}-w${week}`;

/** Not agreed yet: being written, or sent for signature. Such a plan is not reviewed. */
const notAgreedYet = (status: PlanStatus) => status === "draft" || status === "awaiting_signatures";

/** Days after a request (or the last reminder) before signers who have not signed are reminded again. */
const signReminderDays = 7;

/**
 * The signers a plan still waits for, when a reminder is due: the version being signed was asked
 * for (the plan, or its amendment) and the request (or the lead's last reminder) is a week old
 * or more. `period` counts whole weeks since then: one reminder per week, whatever day it runs.
 */
function signersToRemind(plan: Plan, today: string) {
  const request = plan.signatureRequest;
  if (!request || request.revision !== versionToSign(plan) || !signatureProgress(plan)) return undefined;
  const lastAsked = schoolDate(new Date([request.requestedAt, ...request.remindedAt].sort().at(-1)!));
  const weeks = Math.floor(daysBetween(lastAsked, today) / signReminderDays);
  if (weeks < 1) return undefined;
  const signers = missingSigners(plan).filter((s): s is typeof s & { personId: string } => !!s.personId);
  return { signers, period: `${lastAsked}+${weeks}w` };
}

export interface SchedulerOptions {
  store: Store;
  clock: Clock;
  instanceId: string;
  logger: Logger;
  /** A run is claimed for this long; after it, the next tick may run the (idempotent) schedule again. */
  leaseMs?: number;
  /** Days after a check-in opens before an unanswered one gets a reminder. */
  reminderAfterDays?: number;
}

export interface ScheduleStats {
  ran: boolean;
  plans: number;
  checkInsOpened: number;
  messages: number;
}

/**
 * The weekly rhythm: opens each active plan's check-in for the current week and prompts the
 * ECT, prompts whoever leads the level (mentor at Level 1, tutor at 2–5) to evaluate, reminds about unanswered check-ins, reviews due
 * (7 days, 1 day, on the day, overdue) and unsigned plans, sends the AB its weekly update at
 * Levels 4–5 and each tutor a weekly digest. Everything it writes carries a dedupe key, so a
 * rerun — after a crash, a restart, or on another instance — sends nothing twice; a run is
 * claimed with `claimJob` so only one instance does the work at a time.
 */
export class WeeklyScheduler {
  private readonly leaseMs: number;
  private readonly reminderAfterDays: number;

  constructor(private readonly o: SchedulerOptions) {
    this.leaseMs = o.leaseMs ?? 60 * 60_000;
    this.reminderAfterDays = o.reminderAfterDays ?? 3;
  }

  async tick(): Promise<ScheduleStats> {
    const now = this.o.clock.now();
    // The school's day, not UTC's: the day's run (and its week) starts at midnight in London.
    const today = schoolDate(now);
    const stats: ScheduleStats = { ran: false, plans: 0, checkInsOpened: 0, messages: 0 };
    if (!(await this.o.store.claimJob(`bot-schedule:${today}`, this.o.instanceId, now, this.leaseMs))) return stats;
    stats.ran = true;
    await this.run(today, now, stats);
    this.o.logger.info("schedule ran", { today, plans: stats.plans, checkInsOpened: stats.checkInsOpened, messages: stats.messages });
    return stats;
  }

  /** One pass over every running plan (exposed for tests that simulate a crash mid-way). */
  async run(today: string, now: Date, stats: ScheduleStats, onPlan?: (index: number) => void): Promise<void> {
    const { store } = this.o;
    const week = isoWeek(today);
    const summaries = await store.listPlanSummaries({ status: openPlanStatuses });
    const digest = new Map<string, number>();
    let index = 0;
    for (const summary of summaries) {
      onPlan?.(index++);
      const plan = await store.getPlan(summary.id);
      if (!plan) continue;
      const ect = await store.getEct(plan.ectId);
      // An ended induction record (completed, left, moved) asks nobody for anything more here.
      if (!ect || ect.endedOn) continue;
      stats.plans++;
      const lead = plan.level === 1 ? (ect.mentorId ?? ect.inductionTutorId) : (ect.inductionTutorId ?? ect.mentorId);
      const base = { planId: plan.id, ectId: plan.ectId };
      const checkIns: CheckIn[] = [];
      const messages: NewOutboxMessage[] = [];

      const w = plan.status === "active" ? planWeek(plan, today) : undefined;
      if (w !== undefined && plan.startDate) {
        const id = checkInId(plan.id, w);
        const opensOn = addDays(plan.startDate, 7 * (w - 1));
        const dueOn = addDays(plan.startDate, 7 * w - 1);
        checkIns.push({ id, planId: plan.id, ectId: plan.ectId, week: w, dueOn, status: "open" });
        messages.push({ ...base, kind: "checkin_prompt", recipientId: ect.personId, dedupeKey: `checkin:${plan.id}:w${w}`, data: { week: w, checkInId: id } });
        // Last week's evaluation: the ECT's answer prompts it at once (recordCheckIn, same key);
        // if they never answered, the week's end does. Either way, once.
        // Only whoever leads the level is asked (Level 1 the mentor, 2–5 the induction tutor), not both.
        const evaluator = weekEvaluatorId(ect, plan.level);
        if (w > 1 && evaluator) {
          messages.push({
            ...base,
            kind: "evaluation_prompt",
            recipientId: evaluator,
            dedupeKey: `evaluate:${plan.id}:w${w - 1}:${evaluator}`,
            data: { week: w - 1 },
          });
        }
        if (daysBetween(opensOn, today) >= this.reminderAfterDays) {
          const existing = await store.getCheckIn(id);
          if (existing?.status === "open") {
            messages.push({
              ...base,
              kind: "checkin_reminder",
              recipientId: ect.personId,
              dedupeKey: `checkin-reminder:${id}`,
              data: { week: w, checkInId: id },
            });
          }
        }
        if (plan.level === 4 || plan.level === 5) {
          const officers = (await store.listPeople({ abId: plan.abId })).filter((p) => p.roles.includes("ab_officer"));
          for (const officer of officers) {
            messages.push({
              ...base,
              kind: "ab_weekly_update",
              recipientId: officer.id,
              dedupeKey: `ab-update:${plan.id}:w${w}:${officer.id}`,
              data: { week: w },
              notBefore: schoolInstant(addDays(dueOn, -1), "08:00"),
            });
          }
        }
      }

      // Reviews: 7 days before, 1 day before, on the day, then weekly while overdue. Catch-up
      // after downtime is automatic: a missed mark is sent at the next run, once.
      if (plan.reviewDate && lead && !plan.review?.recordedAt && !notAgreedYet(plan.status)) {
        const daysLeft = daysBetween(today, plan.reviewDate);
        const mark = daysLeft < 0 ? `overdue:${week}` : daysLeft === 0 ? "d0" : daysLeft === 1 ? "d1" : daysLeft <= 7 ? "d7" : undefined;
        if (mark)
          messages.push({ ...base, kind: "review_due", recipientId: lead, dedupeKey: `review:${plan.id}:${plan.reviewDate}:${mark}`, data: { daysLeft } });
      }

      // Plans (or amendments) sent for signature: each signer who has not signed is reminded
      // weekly once the request is a week old (never muted); the tutor's digest lists the plan.
      const due = signersToRemind(plan, today);
      if (due?.signers.length) {
        const revision = versionToSign(plan);
        for (const signer of due.signers) {
          messages.push({
            ...base,
            kind: "sign_request",
            recipientId: signer.personId,
            dedupeKey: `sign-reminder:${plan.id}:r${revision}:${signer.role}:${due.period}`,
            data: { role: signer.role, revision, reminder: true, amendment: !!plan.amendment },
          });
        }
        if (ect.inductionTutorId) digest.set(ect.inductionTutorId, (digest.get(ect.inductionTutorId) ?? 0) + 1);
      }
      if (w !== undefined && w > 1 && ect.inductionTutorId) {
        const overdue = (await store.listCheckIns({ planId: plan.id, status: "open" })).some((c) => c.dueOn < today);
        if (overdue) digest.set(ect.inductionTutorId, (digest.get(ect.inductionTutorId) ?? 0) + 1);
      }

      if (checkIns.length || messages.length) {
        stats.checkInsOpened += (await store.openCheckIns(checkIns, messages, now)).length;
        stats.messages += messages.length;
      }
    }
    // Issue 7: statutory progress reviews and formal assessments from each ECT's induction timeline.
    // An overdue one is reminded once; after that it stands in the tutor's weekly digest until recorded.
    const statutory = await this.statutoryReminders(today, now);
    stats.messages += statutory.sent;
    for (const tutorId of statutory.overdueTutors) digest.set(tutorId, (digest.get(tutorId) ?? 0) + 1);
    // The tutor's weekly digest, when there is something in it.
    const digests: NewOutboxMessage[] = [...digest.keys()].map((tutorId) => ({
      kind: "tutor_digest",
      recipientId: tutorId,
      dedupeKey: `digest:${tutorId}:${week}`,
      data: { weekOf: today },
    }));
    if (digests.length) {
      await store.enqueue(digests, now);
      stats.messages += digests.length;
    }
  }

  /**
   * Issue 7: reminds each ECT's induction tutor about the next progress review or formal
   * assessment not yet recorded — 14 and 7 days before, on the day, and once when overdue; an
   * overdue one then stands in the tutor's weekly digest (the tutors returned) rather than
   * coming again as its own card every week (issue 15). Dedupe keys make reruns send nothing
   * twice. Induction continues at Level 6, so these do too.
   */
  private async statutoryReminders(today: string, now: Date): Promise<{ sent: number; overdueTutors: Set<string> }> {
    const { store } = this.o;
    const overdueTutors = new Set<string>();
    const ects = (await store.listEcts()).filter((e) => e.inductionTutorId && !e.endedOn);
    if (ects.length === 0) return { sent: 0, overdueTutors };
    const [records, schools] = await Promise.all([store.listRecords({ ectIds: ects.map((e) => e.id) }), store.listSchools()]);
    const schoolTerms = new Map(schools.map((s) => [s.id, termsOf(s)]));
    const byEct = new Map<string, typeof records>();
    for (const r of records) byEct.set(r.ectId, [...(byEct.get(r.ectId) ?? []), r]);
    const messages: NewOutboxMessage[] = [];
    for (const ect of ects) {
      // Older misses than a term (~120 days) are the AB's monitoring, not a weekly nag.
      const open = openReviewPoints(ect, recordedPoints(byEct.get(ect.id) ?? []), schoolTerms.get(ect.schoolId)).filter(
        (e) => daysBetween(today, e.date) >= -120,
      );
      // The earliest open event: an overdue one first, else the next coming.
      const event = open[0];
      if (!event) continue;
      const daysLeft = daysBetween(today, event.date);
      if (daysLeft < 0) overdueTutors.add(ect.inductionTutorId!);
      const mark = daysLeft < 0 ? "overdue" : daysLeft === 0 ? "d0" : daysLeft <= 7 ? "d7" : daysLeft <= 14 ? "d14" : undefined;
      if (!mark) continue;
      messages.push({
        kind: "statutory_review_due",
        recipientId: ect.inductionTutorId!,
        ectId: ect.id,
        dedupeKey: `statutory:${ect.id}:${event.kind}:${event.date}:${mark}`,
        data: { label: event.label, date: event.date, daysLeft, eventKind: event.kind },
      });
    }
    if (messages.length) await store.enqueue(messages, now);
    return { sent: messages.length, overdueTutors };
  }
}
