/**
 * Plan and check-in reads made together, fetched together: `getPlan` and `listCheckIns` by plan
 * called in the same tick (a caseload asks for each ECT's current plan and its open check-ins
 * at once) become filters over up to 15 ids each, sent in the same $batch as the tick's other
 * reads. 300 plans then cost 20 sub-requests rather than 300. A plan read alone in its tick goes
 * to the plan port's own `getPlan` (which also fetches the head of the plan's audit chain, for a
 * save that may follow). What each caller gets is what the one-at-a-time read would return.
 */
import { CheckIn, Plan } from "@ectsp/shared";
import { anyOf, cmp, eq, idsPerFilter, type Item, type SiteLists } from "./lists.js";
import type { PlanCache } from "./plans.js";

interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

type CheckInStatus = CheckIn["status"];

export class PlanReads {
  private readonly plans = new Map<string, Waiter<Plan | undefined>[]>();
  /** By status asked for ("" for any), then plan id. */
  private readonly checkIns = new Map<CheckInStatus | "", Map<string, Waiter<CheckIn[]>[]>>();
  private scheduled = false;

  constructor(
    private readonly lists: SiteLists,
    private readonly cache: PlanCache,
    /** One plan read on its own (SharePointPlans.getPlan). */
    private readonly readOne: (id: string) => Promise<Plan | undefined>,
  ) {}

  getPlan(id: string): Promise<Plan | undefined> {
    return new Promise((resolve, reject) => {
      this.plans.set(id, [...(this.plans.get(id) ?? []), { resolve, reject }]);
      this.schedule();
    });
  }

  /** One plan's check-ins (all, or those with `status`), oldest due first. */
  checkInsOf(planId: string, status?: CheckInStatus): Promise<CheckIn[]> {
    return new Promise((resolve, reject) => {
      const byPlan = this.checkIns.get(status ?? "") ?? new Map<string, Waiter<CheckIn[]>[]>();
      this.checkIns.set(status ?? "", byPlan);
      byPlan.set(planId, [...(byPlan.get(planId) ?? []), { resolve, reject }]);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Runs as the tick's reads are batched, so these queries go out with them.
    this.lists.beforeNextFlush(() => this.flush(), true);
  }

  private flush(): void {
    this.scheduled = false;
    const plans = new Map(this.plans);
    this.plans.clear();
    if (plans.size === 1) {
      const [[id, waiters]] = [...plans] as [[string, Waiter<Plan | undefined>[]]];
      plans.clear();
      // Called while the batch is being assembled, so its reads still go out with the tick's others.
      for (const w of waiters) this.readOne(id).then(w.resolve, w.reject);
    }
    const checkIns = new Map(this.checkIns);
    this.checkIns.clear();
    this.fetch("plans", "planId", plans, undefined, (items) => {
      const found = new Map<string, Item>();
      for (const item of items) {
        this.cache.rememberPlan(item);
        const id = String(item.fields.planId);
        this.lists.itemIds.set(`plans:${id.toLowerCase()}`, item.itemId);
        found.set(id.toLowerCase(), item);
      }
      return (key) => {
        const item = found.get(key.toLowerCase());
        return item ? Plan.parse(this.lists.bodyOf("plans", item.fields)) : undefined;
      };
    });
    for (const [status, byPlan] of checkIns) {
      this.fetch("checkIns", "planId", byPlan, status === "" ? undefined : eq("checkInStatus", status), (items) => {
        const found = new Map<string, Item[]>();
        for (const item of items) {
          this.lists.itemIds.set(`checkIns:${String(item.fields.checkInId).toLowerCase()}`, item.itemId);
          const key = String(item.fields.planId).toLowerCase();
          found.set(key, [...(found.get(key) ?? []), item]);
        }
        return (key) =>
          (found.get(key.toLowerCase()) ?? [])
            .map((i) => CheckIn.parse(this.lists.bodyOf("checkIns", i.fields)))
            .sort((a, b) => cmp(a.dueOn, b.dueOn) || a.week - b.week || cmp(a.id, b.id));
      });
    }
  }

  /**
   * Issues the queries for `waiting` (keys: the ids asked for) now, 15 ids a filter, and answers
   * each waiter with what `answer` makes of the items found (SharePoint compares text
   * case-insensitively, so the answers match ids that way too).
   */
  private fetch<T>(
    list: "plans" | "checkIns",
    column: string,
    waiting: Map<string, Waiter<T>[]>,
    also: string | undefined,
    answer: (items: Item[]) => (key: string) => T,
  ): void {
    if (waiting.size === 0) return;
    const ids = [...waiting.keys()];
    const groups: string[] = [];
    for (let i = 0; i < ids.length; i += idsPerFilter) {
      const slice = ids.slice(i, i + idsPerFilter);
      groups.push(slice.length === 1 ? eq(column, slice[0]!) : anyOf(column, slice));
    }
    // lists.query issues its first read synchronously: every group joins the batch being made.
    const pages = groups.map((g) => this.lists.query(list, also ? `${g} and ${also}` : g));
    Promise.all(pages).then(
      (all) => {
        const of = answer(all.flat());
        for (const [key, waiters] of waiting) {
          for (const w of waiters) {
            try {
              w.resolve(of(key));
            } catch (e) {
              w.reject(e);
            }
          }
        }
      },
      (e: unknown) => {
        for (const waiters of waiting.values()) for (const w of waiters) w.reject(e);
      },
    );
  }
}
