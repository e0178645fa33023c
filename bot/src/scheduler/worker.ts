import type { Logger } from "../logger.js";
import type { OutboxDispatcher } from "./dispatcher.js";
import type { WeeklyScheduler } from "./weeklyScheduler.js";

export interface WorkerOptions {
  dispatcher: OutboxDispatcher;
  scheduler: WeeklyScheduler;
  logger: Logger;
  /** How often to look for due messages when the outbox is idle. */
  pollMs?: number;
  /** How often to run the schedule (it claims its own job, so extra runs are cheap no-ops). */
  scheduleEveryMs?: number;
}

/** The background loop started by main.ts: schedule, then drain the outbox; stoppable. */
export class BotWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private lastSchedule = -Infinity;

  constructor(private readonly o: WorkerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the batch in hand; claims not finished lapse and another instance takes them. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const pollMs = this.o.pollMs ?? 2_000;
    const scheduleEvery = this.o.scheduleEveryMs ?? 5 * 60_000;
    while (this.running) {
      try {
        if (performance.now() - this.lastSchedule >= scheduleEvery) {
          this.lastSchedule = performance.now();
          await this.o.scheduler.tick();
        }
        let claimed = 0;
        do {
          claimed = (await this.o.dispatcher.tick()).claimed;
        } while (claimed > 0 && this.running);
      } catch (error) {
        this.o.logger.error("bot worker tick failed", { error: error instanceof Error ? error.name : "unknown" });
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pollMs);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }
}
