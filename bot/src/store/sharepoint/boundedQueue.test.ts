/** The pool the Graph connection bounds its requests with: never more than its size at once, first come first served, a place given back on failure. */
import { describe, expect, it } from "vitest";
import { BoundedQueue } from "./boundedQueue.js";

/** A task the test finishes by hand. */
const gate = () => {
  let open!: () => void;
  let fail!: (e: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { done, open, fail };
};
const tick = () => new Promise((r) => setImmediate(r));

describe("BoundedQueue", () => {
  it("runs at most `size` tasks at once, the rest in the order they came, and frees a place when a task fails", async () => {
    const queue = new BoundedQueue(2);
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const results = gates.map((g, i) =>
      queue
        .run(async () => {
          started.push(i);
          most = Math.max(most, ++running);
          try {
            await g.done;
          } finally {
            running--;
          }
          return i;
        })
        .catch((e: Error) => e.message),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1]!.fail(new Error("boom"));
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    expect(await Promise.all(results)).toEqual([0, "boom", 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);

    // Every place was given back exactly once: a second round is bounded the same way.
    const again = Array.from({ length: 3 }, gate);
    let now = 0;
    const second = again.map((g) => queue.run(async () => (now++, await g.done)));
    await tick();
    expect(now).toBe(2);
    for (const g of again) g.open();
    await Promise.all(second);
  });

  it("refuses a size that is not a whole number of at least 1", () => {
    expect(() => new BoundedQueue(0)).toThrow(/at least 1/);
    expect(() => new BoundedQueue(1.5)).toThrow(/at least 1/);
  });
});
