/**
 * Issue 16, item 9: the daily retention job. Once a day (claimed through the store, so one
 * instance does it) it lists, school by school, the ECTs whose whole induction record has passed
 * its retention date and tells the school's induction lead. It deletes nothing: only the lead's
 * confirmation does (bot/src/app/retention.ts).
 */
import { digestOf, schoolDate, type NewOutboxMessage } from "@ectsp/shared";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { Store } from "../store/store.js";
import { retentionDue } from "../app/retentionDue.js";

export interface RetentionJobOptions {
  store: Store;
  clock: Clock;
  instanceId: string;
  logger: Logger;
  /** A day's run is claimed for this long; a crashed run is taken over after it (default 1 hour). */
  leaseMs?: number;
}

export interface RetentionJobStats {
  ran: boolean;
  schools: number;
  ectsDue: number;
  messages: number;
}

export class RetentionJob {
  constructor(private readonly o: RetentionJobOptions) {}

  async tick(): Promise<RetentionJobStats> {
    const { store, clock, instanceId, logger } = this.o;
    const now = clock.now();
    const today = schoolDate(now);
    const stats: RetentionJobStats = { ran: false, schools: 0, ectsDue: 0, messages: 0 };
    if (!(await store.claimJob(`retention:${today}`, instanceId, now, this.o.leaseMs ?? 60 * 60_000))) return stats;
    stats.ran = true;
    const messages: NewOutboxMessage[] = [];
    for (const school of await store.listSchools()) {
      const due = await retentionDue(store, school.id, today);
      if (due.length === 0) continue;
      stats.schools++;
      stats.ectsDue += due.length;
      const leads = (await store.listPeople({ schoolId: school.id })).filter(
        (p) => p.roles.includes("induction_lead") && p.schoolId === school.id && !p.leftOn,
      );
      // One message per lead per list: the same list on later days asks nothing more; a changed one (more due) asks again.
      const list = digestOf(due.map((d) => d.version)).slice(0, 16);
      for (const lead of leads) {
        messages.push({
          kind: "retention_due",
          recipientId: lead.id,
          dedupeKey: `retention:${school.id}:${lead.id}:${list}`,
          data: { schoolId: school.id, count: due.length },
        });
      }
    }
    if (messages.length) await store.enqueue(messages, now);
    stats.messages = messages.length;
    logger.info("retention job ran", { today, schools: stats.schools, ectsDue: stats.ectsDue, messages: stats.messages });
    return stats;
  }
}
