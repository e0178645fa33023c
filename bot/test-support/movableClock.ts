import type { Clock } from "@ectsp/bot/clock.js";

/** A clock a test sets and moves. Nothing in a test reads the machine's date. */
export interface MovableClock extends Clock {
  set(at: string | Date): void;
  advance(ms: number): void;
}

export function movableClock(start: string | Date): MovableClock {
  let t = new Date(start).getTime();
  if (Number.isNaN(t)) throw new Error(`not a date: ${String(start)}`);
  return {
    now: () => new Date(t),
    set: (at) => {
      t = new Date(at).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** The fixed instant unit tests run at unless they say otherwise (a school day in term). */
export const testInstant = "2026-11-27T10:00:00.000Z";
