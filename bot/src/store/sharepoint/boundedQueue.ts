/**
 * At most `size` tasks at a time; the rest wait in order (first in, first out).
 *
 * Written here rather than taken from p-limit: p-limit is in node_modules only as a dependency
 * of a dev tool (eslint), not a dependency of the server, and the deployed build installs
 * production dependencies only. This is the dozen lines the Graph connection needs.
 */
export class BoundedQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`A bounded queue needs a whole size of at least 1, not ${size}`);
  }

  /** Runs `task` when a place is free; the place is given back however the task ends. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await task();
    } finally {
      // Hand the place straight to the next waiter (running stays the same), or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
