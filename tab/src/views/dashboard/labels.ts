import { ladderLevel } from "@shared/ladder";
import type { LevelKey } from "@shared/model/abDashboard";
import type { PlanOutcome } from "@shared/model/plan";

/**
 * Words and colours the dashboard's charts and tables share, so a bar and its table row always
 * say the same thing. The order of levels is the ladder's; "No open plan" last.
 */
export const levelKeys: readonly LevelKey[] = ["1", "2", "3", "4", "5", "6", "none"];

/** "Level 2 – Support plan 1", or "No open plan". */
export function levelName(key: LevelKey | number): string {
  if (key === "none") return "No open plan";
  const level = Number(key);
  return `Level ${level} – ${ladderLevel(level).name}`;
}

export const outcomeKeys: readonly PlanOutcome[] = ["on_track", "continued", "escalated"];

/** How a plan ended, in the words the issue and the review form use. */
export const outcomeWords: Record<PlanOutcome, string> = { on_track: "Back on track", continued: "Continued", escalated: "Escalated" };

/** "1 day", "12 days"; halves from a median of two ECTs kept. */
export const days = (n: number) => `${n} ${n === 1 ? "day" : "days"}`;
