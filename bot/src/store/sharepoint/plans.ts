/**
 * The plan port on SharePoint: plans and their summaries, weekly check-ins, and the plans this
 * instance has read or written (item id and ETag), which let a commit write without a lookup.
 * Commits themselves are planWrites.ts's.
 */
import { CheckIn, Plan, PlanSummary, notFound, signatureProgress, type NewOutboxMessage } from "@ectsp/shared";
import { StaleVersionError, type PlanChange, type PlanFilter, type PlanStore } from "../store.js";
import { ok, relativeToVersion } from "./graph.js";
import { anyOf, cmp, eq, idsPerFilter, num, pageSize, str, type Fields, type Item, type SiteLists } from "./lists.js";
import type { PlanWrites, Write } from "./planWrites.js";
import type { SharePointAudit } from "./audit.js";
import { dedupe, newOutbox, outboxFields } from "./reach.js";

export interface PlanEntry extends Item {
  version: number;
}

const planSummaryColumns = [
  "planId",
  "ectId",
  "schoolId",
  "abId",
  "templateId",
  "level",
  "planStatus",
  "outcome",
  "planVersion",
  "revision",
  "startDate",
  "endDate",
  "reviewDate",
  "updatedAt",
  "signaturesSigned",
  "signaturesOf",
  "awaitingAmendment",
];

/** Plans this instance has read or written: item id, ETag, version and fields (for undo). */
export class PlanCache {
  private readonly plans = new Map<string, PlanEntry>();

  constructor(private readonly lists: SiteLists) {}

  rememberPlan(item: Item): PlanEntry {
    const entry: PlanEntry = { ...item, version: num(item.fields.planVersion) };
    this.plans.set(String(item.fields.planId), entry);
    return entry;
  }

  /** The plan's item at `expectedVersion`, from the cache or a lookup; throws when stale or missing. */
  async planAt(planId: string, expectedVersion: number, fresh = false): Promise<PlanEntry> {
    const cached = fresh ? undefined : this.plans.get(planId);
    if (cached && cached.version === expectedVersion) return cached;
    if (cached && cached.version > expectedVersion) throw new StaleVersionError(planId, expectedVersion, cached.version);
    const item = await this.lists.findOne("plans", planId);
    if (!item) throw notFound(`Plan ${planId}`);
    const entry = this.rememberPlan(item);
    if (entry.version !== expectedVersion) throw new StaleVersionError(planId, expectedVersion, entry.version);
    return entry;
  }

  /** What this instance last read or wrote of the plan's item, if anything. */
  known(planId: string): PlanEntry | undefined {
    return this.plans.get(planId);
  }

  /** Drops a plan whose write was undone: its next write looks it up again. */
  forget(planId: string): void {
    this.plans.delete(planId);
  }

  clear(): void {
    this.plans.clear();
  }
}

export class SharePointPlans implements PlanStore {
  constructor(
    private readonly lists: SiteLists,
    private readonly plans: PlanCache,
    private readonly writes: PlanWrites,
    private readonly audit: SharePointAudit,
  ) {}

  async getPlan(id: string): Promise<Plan | undefined> {
    // The head of the plan's audit chain rides along in the same $batch the first time, so saving it needs no read.
    const [item] = await Promise.all([this.lists.findOne("plans", id), this.audit.knowsHead(id) ? undefined : this.audit.chainStates([id])]);
    if (!item) return undefined;
    this.plans.rememberPlan(item);
    return Plan.parse(this.lists.bodyOf("plans", item.fields));
  }

  /**
   * The plan as this instance last read or wrote it, when it holds `version` (or any, without
   * one): the change built on it is committed with If-Match, so a copy another instance has
   * overtaken is refused at commit (and forgotten), never saved over. Saves the read: a save
   * after an open is one round trip.
   */
  async getPlanToChange(id: string, version?: number): Promise<Plan | undefined> {
    const known = this.plans.known(id);
    if (known && (version === undefined || known.version === version)) {
      try {
        return Plan.parse(this.lists.bodyOf("plans", known.fields));
      } catch {
        // Not a whole plan in what is known (never expected): read it.
      }
    }
    return this.getPlan(id);
  }

  async listPlanSummaries(filter: PlanFilter): Promise<PlanSummary[]> {
    if (filter.ectIds?.length === 0 || filter.status?.length === 0) return [];
    const where: string[] = [];
    if (filter.schoolId !== undefined) where.push(eq("schoolId", filter.schoolId));
    if (filter.abId !== undefined) where.push(eq("abId", filter.abId));
    if (filter.status !== undefined) where.push(anyOf("planStatus", filter.status));
    const groups: (string | undefined)[] = [];
    if (filter.ectIds !== undefined) {
      const ids = [...new Set(filter.ectIds)];
      for (let i = 0; i < ids.length; i += idsPerFilter) groups.push(anyOf("ectId", ids.slice(i, i + idsPerFilter)));
    } else {
      groups.push(undefined);
    }
    const pages = await Promise.all(groups.map((g) => this.lists.query("plans", [...(g ? [g] : []), ...where].join(" and ") || undefined, planSummaryColumns)));
    return pages
      .flat()
      .map((i) => toSummary(i.fields))
      .sort((a, b) => cmp(b.updatedAt, a.updatedAt) || cmp(a.id, b.id));
  }

  async countPlans(): Promise<number> {
    let path: string | undefined = `${this.lists.itemsPath("plans")}?$select=id&$top=${pageSize}`;
    let n = 0;
    while (path) {
      const body = ok(await this.lists.read(path), "Counting plans").body as { value?: unknown[]; "@odata.nextLink"?: string };
      n += body.value?.length ?? 0;
      path = body["@odata.nextLink"] ? relativeToVersion(body["@odata.nextLink"]) : undefined;
    }
    return n;
  }

  async commit(change: PlanChange): Promise<Plan[]> {
    return this.writes.commit(change);
  }

  // ================================================================ check-ins

  async getCheckIn(id: string): Promise<CheckIn | undefined> {
    return this.lists.getRecord("checkIns", id, CheckIn);
  }

  async listCheckIns(filter: { planId?: string; ectId?: string; status?: CheckIn["status"] }): Promise<CheckIn[]> {
    const where: string[] = [];
    if (filter.planId !== undefined) where.push(eq("planId", filter.planId));
    if (filter.ectId !== undefined) where.push(eq("ectId", filter.ectId));
    if (filter.status !== undefined) where.push(eq("checkInStatus", filter.status));
    const items = await this.lists.query("checkIns", where.join(" and ") || undefined);
    for (const i of items) this.lists.itemIds.set(`checkIns:${String(i.fields.checkInId).toLowerCase()}`, i.itemId);
    return items.map((i) => CheckIn.parse(this.lists.bodyOf("checkIns", i.fields))).sort((a, b) => cmp(a.dueOn, b.dueOn) || a.week - b.week || cmp(a.id, b.id));
  }

  async openCheckIns(checkIns: CheckIn[], messages: NewOutboxMessage[], now: Date): Promise<string[]> {
    const rows = checkIns.map((c) => CheckIn.parse(c));
    const outbox = dedupe(messages.map((m) => newOutbox(m, now)));
    const seq = this.lists.nextSeq(outbox.length);
    const opens = rows.map((c): Write => ({
      kind: "open",
      request: { id: "", method: "POST", url: this.lists.itemsPath("checkIns"), body: { fields: checkInFields(this.lists, c) } },
      list: "checkIns",
    }));
    const results = await this.writes.runWrites(
      [],
      [
        ...opens,
        ...outbox.map((m, i): Write => ({
          kind: "enqueue",
          request: { id: "", method: "POST", url: this.lists.itemsPath("outbox"), body: { fields: outboxFields(this.lists, m, seq + i) } },
          list: "outbox",
        })),
      ],
      "Opening check-ins",
    );
    // 201: created now; 409: it existed (perhaps answered) and is left exactly as it is.
    return rows.filter((_, i) => results.get(opens[i]!)!.status === 201).map((c) => c.id);
  }
}

export function planFields(lists: SiteLists, plan: Plan): Fields {
  return lists.fieldsFor(
    "plans",
    plan.id,
    {
      ectId: plan.ectId,
      schoolId: plan.schoolId,
      abId: plan.abId,
      planStatus: plan.status,
      level: plan.level,
      templateId: plan.templateId,
      outcome: plan.outcome,
      planVersion: plan.version,
      revision: plan.revision,
      startDate: plan.startDate,
      endDate: plan.endDate,
      reviewDate: plan.reviewDate,
      updatedAt: plan.updatedAt,
      ...awaitingColumns(plan),
    },
    plan,
  );
}

export function checkInFields(lists: SiteLists, c: CheckIn): Fields {
  return lists.fieldsFor("checkIns", c.id, { planId: c.planId, ectId: c.ectId, checkInStatus: c.status, week: c.week, dueOn: c.dueOn }, c);
}

/** "Awaiting signatures (n of m)", computed when the plan is written; empty columns when nothing is awaited. */
function awaitingColumns(plan: Plan): Fields {
  const progress = signatureProgress(plan);
  return { signaturesSigned: progress?.signed, signaturesOf: progress?.of, awaitingAmendment: progress?.amendment };
}

function toSummary(f: Fields): PlanSummary {
  return PlanSummary.parse({
    id: f.planId,
    ectId: f.ectId,
    schoolId: f.schoolId,
    abId: f.abId,
    templateId: f.templateId,
    ...(typeof f.level === "number" ? { level: f.level } : {}),
    status: f.planStatus,
    ...(str(f.outcome) ? { outcome: f.outcome } : {}),
    version: num(f.planVersion),
    revision: num(f.revision),
    ...(str(f.startDate) ? { startDate: f.startDate } : {}),
    ...(str(f.endDate) ? { endDate: f.endDate } : {}),
    ...(str(f.reviewDate) ? { reviewDate: f.reviewDate } : {}),
    updatedAt: f.updatedAt,
    ...(typeof f.signaturesOf === "number"
      ? { awaitingSignatures: { signed: num(f.signaturesSigned), of: f.signaturesOf, amendment: f.awaitingAmendment === true } }
      : {}),
  });
}
