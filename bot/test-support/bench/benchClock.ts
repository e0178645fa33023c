import type { Clock } from "@ectsp/bot/clock.js";

/**
 * The bench's server clock, the same in every process of a run: `baseMs` at the wall instant
 * `wallStartMs`, moving with the machine's high-resolution time (performance.timeOrigin + now is
 * comparable across processes to within a millisecond or so).
 */
export interface BenchTime {
  baseMs: number;
  wallStartMs: number;
}

export const wallNow = (): number => performance.timeOrigin + performance.now();

export function benchClock(t: BenchTime): Clock & { ms: () => number } {
  const ms = () => t.baseMs + (wallNow() - t.wallStartMs);
  return { now: () => new Date(ms()), ms };
}

/** The clock instant (epoch ms) of a `performance.now()` reading in this process (the connector's `at`). */
export function clockMsOfPerf(t: BenchTime, perfMs: number): number {
  return t.baseMs + (performance.timeOrigin + perfMs - t.wallStartMs);
}
