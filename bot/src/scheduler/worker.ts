import type { Logger } from "../logger.js";
import type { OutboxDispatcher } from "./dispatcher.js";
import type { WeeklyScheduler } from "./weeklyScheduler.js";

export interface WorkerOptions {
  dispatcher: OutboxDispatcher;
  scheduler: WeeklyScheduler;
  /** Issue 16, item 9: the daily retention job (retentionJob.ts), run beside the schedule; it claims its own day. */
  retention?: { tick(): Promise<{ messages: number }> };
  logger: Logger;
  /** How often to run the schedule (it claims its own job, so extra runs are cheap no-ops). */
  scheduleEveryMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The background work started by main.ts: the schedule every few minutes, and the outbox
 * dispatcher's own loop (which polls, heartbeats and paces itself). Stoppable within 10 s.
 */
export class BotWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly o: WorkerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.o.dispatcher.start();
    this.loop = this.run();
  }

  /**
   * Stops the schedule (a run in progress finishes its current plan's writes; the job's lease
   * lets another instance redo the rest) and drains the dispatcher: unsent claims go back to the
   * store at once (see OutboxDispatcher.stop).
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    // A schedule run in progress is not waited for past the dispatcher's drain: its writes are
    // idempotent (check-ins by id, messages by dedupe key), so the next run redoes what it left.
    const sleep = this.o.sleep ?? realSleep;
    await Promise.all([this.o.dispatcher.stop(), Promise.race([this.loop, sleep(this.o.dispatcher.policy.stopGraceMs)])]);
  }

  private async run(): Promise<void> {
    const scheduleEvery = this.o.scheduleEveryMs ?? 5 * 60_000;
    const sleep = this.o.sleep ?? realSleep;
    while (this.running) {
      try {
        const stats = await this.o.scheduler.tick();
        // Its own failure is its own: the schedule's messages still go out.
        const retention = this.o.retention
          ? await this.o.retention.tick().catch((error: unknown) => {
              this.o.logger.error("retention job failed", { error: error instanceof Error ? error.name : "unknown" });
              return { messages: 0 };
            })
          : { messages: 0 };
        // New messages: send them now rather than at the dispatcher's next poll.
        if (stats.messages > 0 || retention.messages > 0) this.o.dispatcher.wake();
      } catch (error) {
        this.o.logger.error("bot worker tick failed", { error: error instanceof Error ? error.name : "unknown" });
      }
      if (!this.running) break;
      await Promise.race([sleep(scheduleEvery), new Promise<void>((resolve) => (this.wake = resolve))]);
    }
  }
}
