/**
 * The SharePoint adapter of the Store: every record a list item on one site, via Microsoft
 * Graph with an app-only credential (Sites.Selected). The lists are defined in listSchema.ts and
 * created by `npm run provision:sharepoint`.
 *
 * Round trips:
 * - Reads issued together (in the same tick, e.g. Promise.all) go out as ONE JSON $batch of up
 *   to 20 requests; a read on its own is a plain GET. Opening a plan is one GET.
 * - A commit that saves one plan is ONE $batch: the plan PATCH with If-Match first, then the
 *   audit entries, messages and check-ins, each `dependsOn` the plan write, so a stale plan (412)
 *   writes nothing else (424s). The item id and ETag come from a cache filled by reads; on a
 *   miss the plan is looked up first.
 * - Changes with several plans write the plans as a serial chain, then the rest; if any part
 *   fails, the parts already written are undone (plans patched back, new items removed) and the
 *   error says whether the store was left unchanged.
 * - Audit entries are sealed onto their chain's head (read with the change's other reads, in the
 *   same $batch) and written last, as a serial chain of requests. A position another instance
 *   took meanwhile answers 409 on the unique chainPosition column: the head is read again and
 *   only the audit entries still to write are sealed and written again (auditChain.ts).
 *
 * Throttling (429/503/504 with Retry-After) is retried by the Graph client's RetryHandler, and
 * inside a $batch per sub-request by graph.ts `batch` with the same budget; what outlasts it
 * surfaces as SharePointThrottledError (a change: whether it was left unchanged) or
 * GraphThrottledError (anything else), both carrying the wait. Uniqueness (plan ids,
 * message dedupe keys, Entra object ids, job names) is enforced by unique columns: a duplicate
 * create answers 409.
 */
import type { Clock } from "../../clock.js";
import { randomUUID } from "node:crypto";
import type { Client } from "@microsoft/microsoft-graph-client";
import {
  AppropriateBody,
  AuditEntry,
  DirectoryAuditEntry,
  CheckIn,
  DomainError,
  Ect,
  OutboxKind,
  OutboxMessage,
  Person,
  Plan,
  PlanSummary,
  School,
  auditChainId,
  conflict,
  notFound,
  sealAuditBatch,
  signatureProgress,
  type ChainHead,
  type NewOutboxMessage,
} from "@ectsp/shared";
import { storeBusyMark, type StoreBusy } from "../busy.js";
import { StaleVersionError, type ClaimOptions, ConversationRef, type EctFilter, type PlanChange, type PlanFilter, SentCard, type Store } from "../store.js";
import {
  GraphRequestError,
  GraphThrottledError,
  batch,
  batchLimit,
  createGraphClient,
  failure,
  odata,
  ok,
  relativeToVersion,
  send,
  type BatchRequest,
  type BatchResponse,
  type GraphConnectionOptions,
  type RawResponse,
  type SharePointSettings,
} from "./graph.js";
import { bodyChunkChars, bodyColumns, listKeys, listSchema, listTitle, type ListKey } from "./listSchema.js";
import { auditColumns, chainColumns, chainStateOf, conflictKind, type ChainState } from "./auditChain.js";
import { byChain, inChainOrder } from "../auditOrder.js";
import { claimOrder, claimStamp, dedupeMessages, holdsClaim, isClaimable, isLive, newOutboxMessage, type ClaimState } from "../../scheduler/outboxPolicy.js";
// Issue 7 (records): evidence files in the site's document library, records in lists.
import { EvidenceRecord, InductionRecord, type InductionRecordKind } from "@ectsp/shared";
import { deleteFile, downloadFile, siteDriveId, uploadFile } from "./driveFiles.js";

export interface SharePointStoreOptions extends GraphConnectionOptions {
  /** The server's one clock: every time the store sets itself (outbox createdAt / notBefore, write order) comes from it. */
  clock: Clock;
}

/** A write that failed after the Graph client's retries. `unchanged` says whether the store was left as it was. */
export class SharePointWriteError extends Error {
  constructor(
    message: string,
    readonly unchanged: boolean,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = "SharePointWriteError";
  }
}

/** A change refused or cut short because Graph kept throttling past the retries; `retryAfterSeconds`: the longest wait asked for. */
export class SharePointThrottledError extends SharePointWriteError implements StoreBusy {
  readonly [storeBusyMark] = true;
  constructor(
    message: string,
    unchanged: boolean,
    readonly retryAfterSeconds: number,
    cause?: unknown,
  ) {
    super(message, unchanged, cause);
    this.name = "SharePointThrottledError";
  }
}

/** A throttled read before a change wrote anything: the change is refused with nothing written. */
const refusedUnwritten =
  (operation: string) =>
  (e: unknown): never => {
    if (e instanceof GraphThrottledError) {
      const why = `${operation} failed after the Graph client's retries (${e.message}); nothing was written.`;
      throw new SharePointThrottledError(why, true, e.retryAfterSeconds, e);
    }
    throw e;
  };

type Fields = Record<string, unknown>;

interface Item {
  itemId: string;
  etag: string;
  fields: Fields;
}

interface PlanEntry extends Item {
  version: number;
}

/** Opens the store: resolves the configured lists on the site (one request). */
export async function openSharePointStore(settings: SharePointSettings, options: SharePointStoreOptions): Promise<SharePointStore> {
  const client = createGraphClient(settings, options);
  const res = ok(await send(client, "GET", `/sites/${settings.siteId}/lists?$select=id,displayName&$top=5000`), "Reading the site's lists");
  const found = new Map(((res.body as { value?: { id: string; displayName: string }[] }).value ?? []).map((l) => [l.displayName, l.id]));
  const ids = {} as Record<ListKey, string>;
  const missing: string[] = [];
  for (const key of listKeys) {
    const id = found.get(listTitle(settings.listPrefix, key));
    if (id) ids[key] = id;
    else missing.push(listTitle(settings.listPrefix, key));
  }
  if (missing.length > 0) {
    throw new Error(
      `SharePoint site ${settings.siteId} lacks the lists ${missing.map((m) => `"${m}"`).join(", ")}. Run \`npm run provision:sharepoint\` first.`,
    );
  }
  return new SharePointStore(client, settings, ids, options.clock);
}

const maxErrorLength = 500;
const pageSize = 5000;
/** ECT ids per filter: keeps URLs short; the requests go out together in one $batch. */
const idsPerFilter = 15;

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

/** Rounds of re-sealing after other instances took audit positions, before giving up. */
const maxAuditRounds = 8;

/** Audit entries a write appends, with their chains' heads as read before the write. */
interface AuditAppend {
  entries: AuditEntry[];
  heads: Map<string, ChainHead>;
}

const eq = (column: string, value: string | number | boolean) => `fields/${column} eq ${typeof value === "string" ? odata(value) : String(value)}`;
const anyOf = (column: string, values: readonly string[]) => `(${values.map((v) => eq(column, v)).join(" or ")})`;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const num = (v: unknown): number => (typeof v === "number" ? v : Number(v));
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

export class SharePointStore implements Store {
  readonly kind = "sharepoint" as const;
  /** Plans this instance has read or written: item id, ETag, version and fields (for undo). */
  private readonly plans = new Map<string, PlanEntry>();
  /** Item ids by list and key, filled by reads. */
  private readonly itemIds = new Map<string, string>();
  private readonly pending: { path: string; headers: Record<string, string>; resolve: (r: RawResponse) => void; reject: (e: unknown) => void }[] = [];
  private flushScheduled = false;
  private lastSeq = 0;

  constructor(
    private readonly client: Client,
    readonly settings: SharePointSettings,
    private readonly listIds: Record<ListKey, string>,
    private readonly clock: Clock,
  ) {}

  // ================================================================ plumbing

  private itemsPath(key: ListKey): string {
    return `/sites/${this.settings.siteId}/lists/${this.listIds[key]}/items`;
  }

  /**
   * A GET, coalesced with the other GETs issued in the same tick into one $batch. A sub-request
   * Graph throttled inside the batch is re-sent by `batch` after its Retry-After.
   */
  private read(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      this.pending.push({ path, headers, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const all = this.pending.splice(0);
    for (let i = 0; i < all.length; i += batchLimit) {
      const group = all.slice(i, i + batchLimit);
      if (group.length === 1) {
        const [one] = group;
        send(this.client, "GET", one!.path, undefined, one!.headers).then(one!.resolve, one!.reject);
        continue;
      }
      batch(
        this.client,
        group.map((g, n) => ({ id: String(n + 1), method: "GET" as const, url: g.path, ...(Object.keys(g.headers).length ? { headers: g.headers } : {}) })),
        "Reading SharePoint lists",
      ).then(
        (responses) => {
          group.forEach((g, n) => {
            const r = responses.get(String(n + 1))!;
            g.resolve({ status: r.status, headers: r.headers, body: r.body });
          });
        },
        (e: unknown) => group.forEach((g) => g.reject(e)),
      );
    }
  }

  /** Every item matching `filter` (indexed columns only), page by page. */
  private async query(key: ListKey, filter?: string, select?: readonly string[]): Promise<Item[]> {
    const params = [
      `$expand=fields${select ? `($select=${select.join(",")})` : ""}`,
      ...(filter ? [`$filter=${encodeURIComponent(filter)}`] : []),
      `$top=${pageSize}`,
    ];
    let path: string | undefined = `${this.itemsPath(key)}?${params.join("&")}`;
    const out: Item[] = [];
    while (path) {
      const res = ok(await this.read(path), `Reading ${listTitle(this.settings.listPrefix, key)}`);
      const body = res.body as { value?: { id: string; "@odata.etag": string; fields: Fields }[]; "@odata.nextLink"?: string };
      for (const v of body.value ?? []) out.push({ itemId: String(v.id), etag: v["@odata.etag"], fields: v.fields ?? {} });
      path = body["@odata.nextLink"] ? relativeToVersion(body["@odata.nextLink"]) : undefined;
    }
    return out;
  }

  /** The item whose key column is `value`, if any. */
  private async findOne(key: ListKey, value: string): Promise<Item | undefined> {
    const [item] = await this.query(key, eq(listSchema[key].key, value));
    if (item) this.itemIds.set(`${key}:${value.toLowerCase()}`, item.itemId);
    return item;
  }

  private fieldsFor(key: ListKey, keyValue: string, columns: Fields, body?: unknown): Fields {
    const fields: Fields = { Title: keyValue.slice(0, 255), [listSchema[key].key]: keyValue };
    for (const [k, v] of Object.entries(columns)) fields[k] = v === undefined ? null : v;
    if (body !== undefined) {
      const json = JSON.stringify(body);
      const cols = bodyColumns(key);
      if (json.length > cols.length * bodyChunkChars) {
        throw new DomainError(
          "validation",
          `This record is too large to keep in SharePoint (${json.length} characters; at most ${cols.length * bodyChunkChars}).`,
          [],
          { key: keyValue },
        );
      }
      cols.forEach((c, i) => {
        const chunk = json.slice(i * bodyChunkChars, (i + 1) * bodyChunkChars);
        fields[c] = chunk === "" ? null : chunk;
      });
    }
    return fields;
  }

  private bodyOf(key: ListKey, fields: Fields): unknown {
    return JSON.parse(
      bodyColumns(key)
        .map((c) => (typeof fields[c] === "string" ? fields[c] : ""))
        .join(""),
    );
  }

  /** Creates or replaces the item keyed `keyValue` (last writer wins, as an upsert). 409 → `onConflict`. */
  private async upsert(
    key: ListKey,
    keyValue: string,
    fields: Fields,
    onConflict: () => Error = () => conflict(`Duplicate value in ${listSchema[key].title}`),
  ): Promise<void> {
    const cacheKey = `${key}:${keyValue.toLowerCase()}`;
    const patch = async (itemId: string): Promise<boolean> => {
      const res = await send(this.client, "PATCH", `${this.itemsPath(key)}/${itemId}/fields`, fields);
      if (res.status === 404) {
        this.itemIds.delete(cacheKey);
        return false;
      }
      if (res.status === 409) throw onConflict();
      ok(res, `Saving to ${listTitle(this.settings.listPrefix, key)}`);
      return true;
    };
    const cached = this.itemIds.get(cacheKey);
    if (cached && (await patch(cached))) return;
    const existing = await this.findOne(key, keyValue);
    if (existing) {
      if (await patch(existing.itemId)) return;
    }
    const res = await send(this.client, "POST", this.itemsPath(key), { fields });
    if (res.status === 409) {
      // Someone created it meanwhile, or another unique column clashes.
      const now = await this.findOne(key, keyValue);
      if (now && (await patch(now.itemId))) return;
      throw onConflict();
    }
    ok(res, `Saving to ${listTitle(this.settings.listPrefix, key)}`);
    this.itemIds.set(cacheKey, String((res.body as { id: string }).id));
  }

  private async getRecord<T>(key: ListKey, value: string, schema: { parse(x: unknown): T }): Promise<T | undefined> {
    const item = await this.findOne(key, value);
    return item ? schema.parse(this.bodyOf(key, item.fields)) : undefined;
  }

  /** Reserves `count` consecutive sequence numbers and returns the first. */
  private nextSeq(count = 1): number {
    // The clock's microseconds, never at or below a value this instance handed out already:
    // orders writes within an instance (even while the clock stands still) and roughly across them.
    const first = Math.max(this.lastSeq + 1, this.clock.now().getTime() * 1000);
    this.lastSeq = first + Math.max(0, count - 1);
    return first;
  }

  // ================================================================ directory

  async upsertAppropriateBody(ab: AppropriateBody): Promise<void> {
    const v = AppropriateBody.parse(ab);
    await this.upsert("appropriateBodies", v.id, this.fieldsFor("appropriateBodies", v.id, { name: v.name.slice(0, 255) }, v));
  }

  async getAppropriateBody(id: string): Promise<AppropriateBody | undefined> {
    return this.getRecord("appropriateBodies", id, AppropriateBody);
  }

  async upsertSchool(school: School): Promise<void> {
    const v = School.parse(school);
    await this.upsert("schools", v.id, this.fieldsFor("schools", v.id, { name: v.name.slice(0, 255), abId: v.abId }, v));
  }

  async getSchool(id: string): Promise<School | undefined> {
    return this.getRecord("schools", id, School);
  }

  async listSchools(): Promise<School[]> {
    const items = await this.query("schools");
    return items.map((i) => School.parse(this.bodyOf("schools", i.fields))).sort((a, b) => cmp(a.name, b.name) || cmp(a.id, b.id));
  }

  async upsertPerson(person: Person): Promise<void> {
    const v = Person.parse(person);
    const fields = this.fieldsFor(
      "people",
      v.id,
      { displayName: v.displayName.slice(0, 255), aadObjectId: v.aadObjectId ?? `none:${v.id}`, schoolId: v.schoolId, abId: v.abId },
      v,
    );
    await this.upsert("people", v.id, fields, () => conflict("Another person already has this Entra object id", { personId: v.id }));
  }

  async getPerson(id: string): Promise<Person | undefined> {
    return this.getRecord("people", id, Person);
  }

  async getPersonByAadObjectId(aadObjectId: string): Promise<Person | undefined> {
    if (aadObjectId.startsWith("none:")) return undefined;
    const [item] = await this.query("people", eq("aadObjectId", aadObjectId));
    return item ? Person.parse(this.bodyOf("people", item.fields)) : undefined;
  }

  async listPeople(filter: { schoolId?: string; abId?: string } = {}): Promise<Person[]> {
    const where: string[] = [];
    if (filter.schoolId !== undefined) where.push(eq("schoolId", filter.schoolId));
    if (filter.abId !== undefined) where.push(eq("abId", filter.abId));
    const items = await this.query("people", where.join(" and ") || undefined);
    return items.map((i) => Person.parse(this.bodyOf("people", i.fields))).sort((a, b) => cmp(a.displayName, b.displayName) || cmp(a.id, b.id));
  }

  async upsertEct(ect: Ect): Promise<void> {
    const v = Ect.parse(ect);
    await this.upsert(
      "ects",
      v.id,
      this.fieldsFor("ects", v.id, { personId: v.personId, schoolId: v.schoolId, abId: v.abId, mentorId: v.mentorId, inductionTutorId: v.inductionTutorId }, v),
    );
  }

  async getEct(id: string): Promise<Ect | undefined> {
    return this.getRecord("ects", id, Ect);
  }

  async listEcts(filter: EctFilter = {}): Promise<Ect[]> {
    const where: string[] = [];
    for (const k of ["schoolId", "abId", "mentorId", "inductionTutorId", "personId"] as const) {
      const v = filter[k];
      if (v !== undefined) where.push(eq(k, v));
    }
    const items = await this.query("ects", where.join(" and ") || undefined);
    return items.map((i) => Ect.parse(this.bodyOf("ects", i.fields))).sort((a, b) => cmp(a.id, b.id));
  }

  // ================================================================ plans

  private rememberPlan(item: Item): PlanEntry {
    const entry: PlanEntry = { ...item, version: num(item.fields.planVersion) };
    this.plans.set(String(item.fields.planId), entry);
    return entry;
  }

  async getPlan(id: string): Promise<Plan | undefined> {
    const item = await this.findOne("plans", id);
    if (!item) return undefined;
    this.rememberPlan(item);
    return Plan.parse(this.bodyOf("plans", item.fields));
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
    const pages = await Promise.all(groups.map((g) => this.query("plans", [...(g ? [g] : []), ...where].join(" and ") || undefined, planSummaryColumns)));
    return pages
      .flat()
      .map((i) => toSummary(i.fields))
      .sort((a, b) => cmp(b.updatedAt, a.updatedAt) || cmp(a.id, b.id));
  }

  async countPlans(): Promise<number> {
    let path: string | undefined = `${this.itemsPath("plans")}?$select=id&$top=${pageSize}`;
    let n = 0;
    while (path) {
      const body = ok(await this.read(path), "Counting plans").body as { value?: unknown[]; "@odata.nextLink"?: string };
      n += body.value?.length ?? 0;
      path = body["@odata.nextLink"] ? relativeToVersion(body["@odata.nextLink"]) : undefined;
    }
    return n;
  }

  private planFields(plan: Plan): Fields {
    return this.fieldsFor(
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

  /** The plan's item at `expectedVersion`, from the cache or a lookup; throws when stale or missing. */
  private async planAt(planId: string, expectedVersion: number, fresh = false): Promise<PlanEntry> {
    const cached = fresh ? undefined : this.plans.get(planId);
    if (cached && cached.version === expectedVersion) return cached;
    if (cached && cached.version > expectedVersion) throw new StaleVersionError(planId, expectedVersion, cached.version);
    const item = await this.findOne("plans", planId);
    if (!item) throw notFound(`Plan ${planId}`);
    const entry = this.rememberPlan(item);
    if (entry.version !== expectedVersion) throw new StaleVersionError(planId, expectedVersion, entry.version);
    return entry;
  }

  async commit(change: PlanChange): Promise<Plan[]> {
    // Validate everything first; a bad record fails the whole change before any request.
    const creates = (change.create ?? []).map((p) => {
      const plan = Plan.parse(p);
      if (plan.version !== 1) {
        throw new DomainError("invalid_state", `A new plan starts at version 1, not ${plan.version}`, [], { planId: plan.id });
      }
      return plan;
    });
    const saves = (change.save ?? []).map(({ plan, expectedVersion }) => ({ expectedVersion, plan: Plan.parse({ ...plan, version: expectedVersion + 1 }) }));
    const audit = change.audit.map((a) => AuditEntry.parse(a));
    const checkIns = (change.checkIns ?? []).map((c) => CheckIn.parse(c));
    const outbox = dedupe((change.outbox ?? []).map((m) => newOutbox(m, this.clock.now())));

    for (let attempt = 1; ; attempt++) {
      try {
        return await this.commitOnce(creates, saves, audit, checkIns, outbox, attempt > 1);
      } catch (e) {
        // A 412 although the version matched: the item changed without a new version (an undo); once more with a fresh ETag.
        if (e instanceof EtagMovedError && attempt < 2) continue;
        if (e instanceof EtagMovedError) throw new StaleVersionError(e.planId, e.version, e.version);
        throw e;
      }
    }
  }

  private async commitOnce(
    creates: Plan[],
    saves: { plan: Plan; expectedVersion: number }[],
    audit: AuditEntry[],
    checkIns: CheckIn[],
    outbox: OutboxMessage[],
    fresh: boolean,
  ): Promise<Plan[]> {
    // Item ids and ETags: from the cache, else looked up together with the audit chains' heads (one $batch).
    const [targets, existingCheckIns, heads] = await Promise.all([
      Promise.all(saves.map((s) => this.planAt(s.plan.id, s.expectedVersion, fresh))),
      Promise.all(checkIns.map((c) => this.findOne("checkIns", c.id))),
      this.chainHeads(audit),
    ]).catch(refusedUnwritten("Saving the change"));

    const planWrites: Write[] = [
      ...saves.map((s, i): Write => ({
        kind: "savePlan",
        planId: s.plan.id,
        expectedVersion: s.expectedVersion,
        request: {
          id: "",
          method: "PATCH",
          url: `${this.itemsPath("plans")}/${targets[i]!.itemId}/fields`,
          body: this.planFields(s.plan),
          headers: { "if-match": targets[i]!.etag },
        },
        undo: { itemId: targets[i]!.itemId, fields: restoreFields("plans", targets[i]!.fields, this.planFields(s.plan)), list: "plans" },
        list: "plans",
      })),
      ...creates.map((p): Write => ({
        kind: "createPlan",
        planId: p.id,
        request: { id: "", method: "POST", url: this.itemsPath("plans"), body: { fields: this.planFields(p) } },
        list: "plans",
      })),
    ];
    const seqBase = this.nextSeq(outbox.length);
    const rest: Write[] = [
      ...outbox.map((m, i): Write => ({
        kind: "enqueue",
        request: { id: "", method: "POST", url: this.itemsPath("outbox"), body: { fields: this.outboxFields(m, seqBase + i) } },
        list: "outbox",
      })),
      ...checkIns.map((c, i): Write => {
        const existing = existingCheckIns[i];
        const fields = this.checkInFields(c);
        return existing
          ? {
              kind: "append",
              request: { id: "", method: "PATCH", url: `${this.itemsPath("checkIns")}/${existing.itemId}/fields`, body: fields },
              undo: { itemId: existing.itemId, fields: restoreFields("checkIns", existing.fields, fields), list: "checkIns" },
              list: "checkIns",
            }
          : { kind: "append", request: { id: "", method: "POST", url: this.itemsPath("checkIns"), body: { fields } }, list: "checkIns" };
      }),
    ];

    const results = await this.runWrites(planWrites, rest, "Saving the change", { entries: audit, heads });
    // Success: remember the plans as written.
    const stored: Plan[] = [];
    for (const [i, w] of planWrites.entries()) {
      const r = results.get(w)!;
      const body = r.body as { id?: string; "@odata.etag"?: string; fields?: Fields } & Fields;
      const itemId = w.kind === "createPlan" ? String(body.id) : w.undo!.itemId;
      const etag = String(body["@odata.etag"] ?? r.headers.etag);
      const fields = w.kind === "createPlan" ? (body.fields as Fields) : (w.request.body as Fields);
      this.rememberPlan({ itemId, etag, fields: { ...fields } });
      this.itemIds.set(`plans:${w.planId!.toLowerCase()}`, itemId);
      stored.push(i < saves.length ? saves[i]!.plan : creates[i - saves.length]!);
    }
    // The same order as the embedded store: creates, then saves.
    return [...stored.slice(saves.length), ...stored.slice(0, saves.length)];
  }

  /**
   * Runs plan writes, then the rest, then the audit entries (sealed here onto `audit.heads`).
   * One plan write (or none) and at most 20 requests: one $batch. Without audit entries the rest
   * `dependsOn` the plan write; with them the batch is a serial chain (Graph allows a batch to be
   * serial or parallel, not both), so the entries that land are always a prefix of each chain's.
   * More than that: the plan writes as a serial chain, the rest in parallel batches, the audit
   * entries in serial batches. Writes skipped only because an earlier one in the chain answered
   * a harmless 409 (a message sent already), or whose audit position another instance took, are
   * written again (the latter sealed again on the new head); any other failure undoes what was
   * written and throws.
   */
  private async runWrites(planWrites: Write[], rest: Write[], operation: string, audit?: AuditAppend): Promise<Map<Write, BatchResponse>> {
    const results = new Map<Write, BatchResponse>();
    /** Audit writes a 409 showed were in place already (an earlier attempt's): done, and never undone. */
    const replayed = new Set<Write>();
    const heads = new Map(audit?.heads ?? []);
    let queue = { plans: planWrites, rest, audit: audit?.entries ?? [] };
    for (let round = 1; ; round++) {
      const auditWrites = this.auditWrites(sealAuditBatch(queue.audit, heads));
      const phases = writePhases(queue.plans, queue.rest, auditWrites);
      let failure: PhaseFailed | undefined;
      try {
        await this.runPhases(phases, results, operation);
        return results;
      } catch (e) {
        if (!(e instanceof PhaseFailed)) throw e;
        failure = e;
      }
      const next = failure.cause === undefined ? await this.afterFailure(failure, results, auditWrites, heads, replayed) : undefined;
      if (!next || round >= maxAuditRounds) {
        const undone = await this.undo(
          [...results.entries()].filter(([w, r]) => !replayed.has(w) && succeeded(w, r) && r.status < 300 && !(w.kind === "enqueue" && r.status === 409)),
        );
        if (next) {
          const partial = undone ? "nothing from this change was kept" : "SOME OF THIS CHANGE MAY HAVE BEEN WRITTEN (undo failed); check the lists";
          throw new SharePointWriteError(`${operation} failed: other instances kept appending to the same audit trail; ${partial}.`, undone);
        }
        throw await this.explain(failure, results, undone, operation);
      }
      queue = { plans: [], ...next };
    }
  }

  /** Sends the phases in order; stops at the first with a write that failed (PhaseFailed, with what did not run). */
  private async runPhases(phases: Phase[], results: Map<Write, BatchResponse>, operation: string): Promise<void> {
    for (const [n, phase] of phases.entries()) {
      const requests: BatchRequest[] = phase.writes.map((w, i) => ({
        ...w.request,
        id: String(i + 1),
        ...(phase.mode === "serial" && i > 0 ? { dependsOn: [String(i)] } : phase.mode === "after" && i > 0 ? { dependsOn: ["1"] } : {}),
      }));
      let responses: Map<string, BatchResponse>;
      try {
        responses = await batch(this.client, requests, operation);
      } catch (e) {
        throw new PhaseFailed(e);
      }
      phase.writes.forEach((w, i) => results.set(w, responses.get(String(i + 1))!));
      const failed = phase.writes.filter((w) => !succeeded(w, results.get(w)!));
      if (failed.length > 0) throw new PhaseFailed(undefined, failed, [...failed, ...phases.slice(n + 1).flatMap((p) => p.writes)]);
    }
  }

  /**
   * After a phase failed: what to write again, or undefined when the change cannot go on. It can
   * when every failure is a 424 (an earlier write's harmless 409 stopped the serial chain) or an
   * audit write's 409 that is not a duplicate id. Those chains' heads are read again (one $batch).
   */
  private async afterFailure(
    failure: PhaseFailed,
    results: Map<Write, BatchResponse>,
    auditWrites: Write[],
    heads: Map<string, ChainHead>,
    replayed: Set<Write>,
  ): Promise<{ rest: Write[]; audit: AuditEntry[] } | undefined> {
    const status = (w: Write) => results.get(w)?.status;
    const landed = (w: Write) => replayed.has(w) || (results.has(w) && succeeded(w, results.get(w)!));
    const real = failure.failed.filter((w) => status(w) !== 424);
    if (real.some((w) => !(w.kind === "audit" && status(w) === 409))) return undefined;
    const { unfinished } = failure;
    if (unfinished.some((w) => w.kind === "savePlan" || w.kind === "createPlan")) return undefined;

    if (real.length > 0) {
      const chains = [...new Set(real.map((w) => auditChainId(w.entry!)))];
      const [states, taken] = await Promise.all([this.chainStates(chains), Promise.all(real.map((w) => this.findOne("audit", w.entry!.id)))]);
      for (const [i, w] of real.entries()) {
        const kind = conflictKind(w.entry!, states.get(auditChainId(w.entry!)), !!taken[i]);
        if (kind === "duplicate") return undefined;
        if (kind === "replayed") {
          replayed.add(w);
          results.set(w, { id: "", status: 200, headers: {}, body: undefined });
        }
      }
      // What this writer has in place moves its heads on; the chains read now show everyone's.
      advanceHeads(heads, auditWrites, landed);
      for (const [chainId, state] of states) {
        if (state.head) heads.set(chainId, state.head);
        else heads.delete(chainId);
      }
    } else {
      advanceHeads(heads, auditWrites, landed);
    }
    const again = unfinished.filter((w) => !replayed.has(w));
    return { rest: again.filter((w) => w.kind !== "audit"), audit: again.filter((w) => w.kind === "audit").map((w) => w.entry!) };
  }

  /** Reverses the writes that succeeded in a failed change. Returns whether all were reversed. */
  private async undo(done: [Write, BatchResponse][]): Promise<boolean> {
    if (done.length === 0) return true;
    const requests: BatchRequest[] = [];
    for (const [w, r] of done) {
      const etag = (r.body as { "@odata.etag"?: string } | undefined)?.["@odata.etag"] ?? r.headers.etag;
      const headers = etag ? { "if-match": etag } : undefined;
      if (w.undo) {
        requests.push({
          id: "",
          method: "PATCH",
          url: `${this.itemsPath(w.undo.list)}/${w.undo.itemId}/fields`,
          body: w.undo.fields,
          ...(headers ? { headers } : {}),
        });
      } else {
        const itemId = String((r.body as { id?: string }).id);
        requests.push({ id: "", method: "DELETE", url: `${this.itemsPath(w.list)}/${itemId}`, ...(headers ? { headers } : {}) });
      }
      if (w.planId) this.plans.delete(w.planId);
    }
    try {
      let all = true;
      for (let i = 0; i < requests.length; i += batchLimit) {
        const chunk = requests.slice(i, i + batchLimit).map((r, n) => ({ ...r, id: String(n + 1) }));
        const res = await batch(this.client, chunk, "Undoing a failed change");
        for (const r of res.values()) if (r.status >= 300) all = false;
      }
      return all;
    } catch {
      return false;
    }
  }

  private async explain(e: PhaseFailed, results: Map<Write, BatchResponse>, undone: boolean, operation: string): Promise<Error> {
    const partial = undone ? "nothing from this change was kept" : "SOME OF THIS CHANGE MAY HAVE BEEN WRITTEN (undo failed); check the lists";
    if (e.cause) {
      const why = e.cause instanceof GraphRequestError ? e.cause.message : e.cause instanceof Error ? e.cause.message : "unknown cause";
      if (e.cause instanceof GraphThrottledError) {
        const text = `${operation} failed after the Graph client's retries (${why}); ${partial}.`;
        return new SharePointThrottledError(text, undone, e.cause.retryAfterSeconds, e.cause);
      }
      return new SharePointWriteError(`${operation} failed after the Graph client's retries (${why}); ${partial}.`, undone, e.cause);
    }
    // The first real failure (424s only follow it).
    const first = e.failed.find((w) => results.get(w)!.status !== 424) ?? e.failed[0]!;
    const r = results.get(first)!;
    if (undone && first.kind === "savePlan" && r.status === 412) {
      const item = await this.findOne("plans", first.planId!);
      if (!item) return notFound(`Plan ${first.planId}`);
      const current = this.rememberPlan(item).version;
      if (current === first.expectedVersion) return new EtagMovedError(first.planId!, current);
      return new StaleVersionError(first.planId!, first.expectedVersion!, current);
    }
    if (undone && first.kind === "createPlan" && r.status === 409) return conflict(`Plan ${first.planId} already exists`, { planId: first.planId });
    if (undone && r.status === 409) return conflict(`${operation}: a record with the same id exists already; ${partial}.`);
    const cause = failure(r, operation);
    if (cause instanceof GraphThrottledError) {
      // Throttled past the retries inside the batch (batch re-sent it); what did land was undone above.
      const text = `${operation} failed after the Graph client's retries (${cause.message}); ${partial}.`;
      return new SharePointThrottledError(text, undone, cause.retryAfterSeconds, cause);
    }
    return new SharePointWriteError(`${operation} failed: ${failure(r, operation).message}; ${partial}.`, undone, failure(r, operation));
  }

  // ================================================================ audit

  async listAudit(filter: { planId?: string; ectId?: string }): Promise<AuditEntry[]> {
    const where: string[] = [];
    if (filter.planId !== undefined) where.push(eq("planId", filter.planId));
    if (filter.ectId !== undefined) where.push(eq("ectId", filter.ectId));
    const items = await this.query("audit", where.join(" and ") || undefined);
    return inChainOrder(items.map((i) => AuditEntry.parse(this.bodyOf("audit", i.fields))));
  }

  async readAuditTrail(): Promise<AuditEntry[]> {
    // The whole list, page by page (@odata.nextLink): no filter, so no list view threshold applies.
    const items = await this.query("audit");
    return byChain(items.map((i) => AuditEntry.parse(this.bodyOf("audit", i.fields)))).flat();
  }

  /** The chains as stored now: heads and positions (small columns only), read together. */
  private async chainStates(chainIds: Iterable<string>): Promise<Map<string, ChainState>> {
    const ids = [...new Set(chainIds)];
    const pages = await Promise.all(ids.map((id) => this.query("audit", eq("chainId", id), chainColumns)));
    return new Map(ids.map((id, i) => [id, chainStateOf(pages[i]!)]));
  }

  /** The heads of the chains these entries go on (none for a new chain). Issued with a write's other reads, they share its $batch. */
  private async chainHeads(entries: readonly AuditEntry[]): Promise<Map<string, ChainHead>> {
    if (entries.length === 0) return new Map();
    const states = await this.chainStates(entries.map(auditChainId));
    return new Map([...states].flatMap(([id, s]) => (s.head ? [[id, s.head] as const] : [])));
  }

  // ================================================================ check-ins

  private checkInFields(c: CheckIn): Fields {
    return this.fieldsFor("checkIns", c.id, { planId: c.planId, ectId: c.ectId, checkInStatus: c.status, week: c.week, dueOn: c.dueOn }, c);
  }

  async getCheckIn(id: string): Promise<CheckIn | undefined> {
    return this.getRecord("checkIns", id, CheckIn);
  }

  async listCheckIns(filter: { planId?: string; ectId?: string; status?: CheckIn["status"] }): Promise<CheckIn[]> {
    const where: string[] = [];
    if (filter.planId !== undefined) where.push(eq("planId", filter.planId));
    if (filter.ectId !== undefined) where.push(eq("ectId", filter.ectId));
    if (filter.status !== undefined) where.push(eq("checkInStatus", filter.status));
    const items = await this.query("checkIns", where.join(" and ") || undefined);
    for (const i of items) this.itemIds.set(`checkIns:${String(i.fields.checkInId).toLowerCase()}`, i.itemId);
    return items.map((i) => CheckIn.parse(this.bodyOf("checkIns", i.fields))).sort((a, b) => cmp(a.dueOn, b.dueOn) || a.week - b.week || cmp(a.id, b.id));
  }

  // ================================================================ outbox

  private outboxFields(m: OutboxMessage, seq: number): Fields {
    return this.fieldsFor(
      "outbox",
      m.id,
      {
        dedupeKey: m.dedupeKey,
        kind: m.kind,
        recipientId: m.recipientId,
        planId: m.planId,
        ectId: m.ectId,
        outboxStatus: m.status,
        notBefore: m.notBefore,
        notBeforeMs: Date.parse(m.notBefore),
        createdAt: m.createdAt,
        seq,
        attempts: m.attempts,
      },
      { data: m.data },
    );
  }

  private toOutbox(fields: Fields): OutboxMessage {
    const body = this.bodyOf("outbox", fields) as { data?: unknown };
    const until = fields.claimedUntilMs;
    return OutboxMessage.parse({
      id: fields.messageId,
      kind: fields.kind,
      recipientId: fields.recipientId,
      ...(str(fields.planId) ? { planId: fields.planId } : {}),
      ...(str(fields.ectId) ? { ectId: fields.ectId } : {}),
      dedupeKey: fields.dedupeKey,
      data: body.data ?? {},
      createdAt: fields.createdAt,
      notBefore: fields.notBefore,
      status: fields.outboxStatus,
      attempts: num(fields.attempts ?? 0),
      ...(str(fields.claimedBy) ? { claimedBy: fields.claimedBy } : {}),
      ...(typeof until === "number" ? { claimedUntil: new Date(until).toISOString() } : {}),
      ...(str(fields.sentAt) ? { sentAt: fields.sentAt } : {}),
      ...(str(fields.lastError) ? { lastError: fields.lastError } : {}),
    });
  }

  async enqueue(messages: NewOutboxMessage[], now: Date): Promise<void> {
    const rows = dedupe(messages.map((m) => newOutbox(m, now)));
    const seq = this.nextSeq(rows.length);
    await this.runWrites(
      [],
      rows.map((m, i): Write => ({
        kind: "enqueue",
        request: { id: "", method: "POST", url: this.itemsPath("outbox"), body: { fields: this.outboxFields(m, seq + i) } },
        list: "outbox",
      })),
      "Enqueueing messages",
    );
  }

  async claimDue(options: ClaimOptions): Promise<OutboxMessage[]> {
    const { instanceId, now, leaseMs, limit } = options;
    if (limit <= 0) return [];
    const nowMs = now.getTime();
    // One page, not the whole backlog: claims are small (outboxPolicy), and the page leaves room
    // for messages other instances hold. Which of them are due, and in what order, is the policy's.
    const top = Math.min(pageSize, limit * 4 + 100);
    const filter = encodeURIComponent(`${eq("outboxStatus", "pending")} and fields/notBeforeMs le ${nowMs}`);
    const page = ok(await this.read(`${this.itemsPath("outbox")}?$expand=fields&$filter=${filter}&$top=${top}`), "Reading the outbox");
    const due = ((page.body as { value?: { id: string; "@odata.etag": string; fields: Fields }[] }).value ?? [])
      .map((v): Item => ({ itemId: String(v.id), etag: v["@odata.etag"], fields: v.fields ?? {} }))
      .filter((i) => isClaimable(claimStateOf(i.fields), nowMs))
      .sort((a, b) => claimOrder(claimKeyOf(a.fields), claimKeyOf(b.fields)) || num(a.itemId) - num(b.itemId));
    const claimed: OutboxMessage[] = [];
    let next = 0;
    // Each claim is a PATCH with If-Match: a 412 means another instance got there first.
    while (claimed.length < limit && next < due.length) {
      const wave = due.slice(next, next + Math.min(batchLimit, limit - claimed.length));
      next += wave.length;
      const responses = await batch(
        this.client,
        wave.map((i, n) => ({
          id: String(n + 1),
          method: "PATCH" as const,
          url: `${this.itemsPath("outbox")}/${i.itemId}/fields`,
          body: claimStamp(num(i.fields.attempts ?? 0), instanceId, nowMs, leaseMs),
          headers: { "if-match": i.etag },
        })),
        "Claiming messages",
      );
      wave.forEach((i, n) => {
        const r = responses.get(String(n + 1))!;
        if (r.status === 200) claimed.push(this.toOutbox({ ...i.fields, ...(r.body as Fields) }));
        else if (r.status !== 412) throw failure(r, "Claiming a message");
      });
    }
    return claimed;
  }

  /** Applies `change` to a message when `allowed` holds for its current state (compare-and-set on the ETag). */
  private async updateMessage(id: string, allowed: (f: Fields) => boolean, change: Fields): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const item = await this.findOne("outbox", id);
      if (!item || !allowed(item.fields)) return;
      const res = await send(this.client, "PATCH", `${this.itemsPath("outbox")}/${item.itemId}/fields`, change, { "if-match": item.etag });
      if (res.status === 412) continue; // changed under us: look again
      ok(res, "Updating a message");
      return;
    }
    throw new SharePointWriteError(`Message ${id} kept changing; not updated.`, true);
  }

  async markSent(id: string, instanceId: string, now: Date): Promise<void> {
    await this.updateMessage(id, (f) => holdsClaim(claimHolderOf(f), instanceId), { outboxStatus: "sent", sentAt: now.toISOString() });
  }

  async markFailed(id: string, instanceId: string, error: string, now: Date, retryAt?: Date): Promise<void> {
    const lastError = error.slice(0, maxErrorLength);
    const holds = (f: Fields) => holdsClaim(claimHolderOf(f), instanceId);
    if (retryAt) {
      await this.updateMessage(id, holds, {
        outboxStatus: "pending",
        notBefore: retryAt.toISOString(),
        notBeforeMs: retryAt.getTime(),
        claimedBy: null,
        claimedUntilMs: null,
        lastError,
      });
    } else {
      await this.updateMessage(id, holds, { outboxStatus: "failed", lastError });
    }
    void now;
  }

  async listOutbox(filter: { status?: OutboxMessage["status"]; recipientId?: string; planId?: string }): Promise<OutboxMessage[]> {
    const where: string[] = [];
    if (filter.status !== undefined) where.push(eq("outboxStatus", filter.status));
    if (filter.recipientId !== undefined) where.push(eq("recipientId", filter.recipientId));
    if (filter.planId !== undefined) where.push(eq("planId", filter.planId));
    const items = await this.query("outbox", where.join(" and ") || undefined);
    return items.sort((a, b) => num(a.fields.seq) - num(b.fields.seq) || num(a.itemId) - num(b.itemId)).map((i) => this.toOutbox(i.fields));
  }

  async releaseClaims(instanceId: string, ids?: string[]): Promise<number> {
    if (ids && ids.length === 0) return 0;
    // The messages named are read together (one $batch); without names, what is pending.
    const items = ids
      ? (await Promise.all(ids.map((id) => this.findOne("outbox", id)))).filter((i): i is Item => i !== undefined)
      : await this.query("outbox", eq("outboxStatus", "pending"));
    const held = items.filter((i) => holdsClaim(claimHolderOf(i.fields), instanceId));
    const release: Fields = { claimedBy: null, claimedUntilMs: null };
    let released = 0;
    for (let n = 0; n < held.length; n += batchLimit) {
      const wave = held.slice(n, n + batchLimit);
      const responses = await batch(
        this.client,
        wave.map((i, k) => ({
          id: String(k + 1),
          method: "PATCH" as const,
          url: `${this.itemsPath("outbox")}/${i.itemId}/fields`,
          body: release,
          headers: { "if-match": i.etag },
        })),
        "Handing back messages",
      );
      for (const [k, i] of wave.entries()) {
        const r = responses.get(String(k + 1))!;
        if (r.status === 200) released++;
        else if (r.status === 412) {
          // Changed since read (sent meanwhile?): hand it back only if still ours.
          await this.updateMessage(String(i.fields.messageId), (f) => holdsClaim(claimHolderOf(f), instanceId), release);
        } else throw failure(r, "Handing back a message");
      }
    }
    return released;
  }

  async wakeRecipient(recipientId: string, now: Date): Promise<number> {
    const nowMs = now.getTime();
    const items = await this.query("outbox", [eq("recipientId", recipientId), eq("outboxStatus", "pending")].join(" and "));
    const waiting = items.filter(
      // Not due yet, so claimable once brought forward: unless a live claim holds it.
      (i) => num(i.fields.notBeforeMs) > nowMs && isClaimable({ ...claimStateOf(i.fields), notBeforeMs: nowMs }, nowMs),
    );
    const due: Fields = { notBefore: now.toISOString(), notBeforeMs: nowMs };
    let woken = 0;
    for (const i of waiting) {
      // If-Match: a message claimed or sent meanwhile is left as it is.
      const res = await send(this.client, "PATCH", `${this.itemsPath("outbox")}/${i.itemId}/fields`, due, { "if-match": i.etag });
      if (res.status === 412) continue;
      ok(res, "Bringing a message forward");
      woken++;
    }
    return woken;
  }

  // ================================================================ instances

  async heartbeatInstance(instanceId: string, now: Date, liveUntil: Date): Promise<number> {
    const nowMs = now.getTime();
    // The renewal and the count go out together; the count is of the others, plus this one.
    const [, others] = await Promise.all([
      this.upsert("instances", instanceId, this.fieldsFor("instances", instanceId, { liveUntilMs: liveUntil.getTime(), heartbeatAt: now.toISOString() })),
      this.query("instances", `fields/liveUntilMs gt ${nowMs}`, ["instanceId", "liveUntilMs"]),
    ]);
    const self = instanceId.toLowerCase();
    const live = others.filter((i) => String(i.fields.instanceId).toLowerCase() !== self && isLive({ liveUntilMs: num(i.fields.liveUntilMs) }, nowMs)).length;
    return live + (isLive({ liveUntilMs: liveUntil.getTime() }, nowMs) ? 1 : 0);
  }

  async retireInstance(instanceId: string, now: Date): Promise<void> {
    await this.upsert("instances", instanceId, this.fieldsFor("instances", instanceId, { liveUntilMs: now.getTime(), heartbeatAt: now.toISOString() }));
  }

  // ================================================================ jobs

  async claimJob(name: string, instanceId: string, now: Date, leaseMs: number): Promise<boolean> {
    const nowMs = now.getTime();
    const claim = { claimedBy: instanceId, claimedAtMs: nowMs, claimedUntilMs: nowMs + leaseMs };
    const item = await this.findOne("jobs", name);
    if (!item) {
      const res = await send(this.client, "POST", this.itemsPath("jobs"), { fields: { Title: name.slice(0, 255), jobName: name, ...claim } });
      if (res.status !== 409) {
        ok(res, "Claiming a job");
        return true;
      }
      // Another instance created it a moment ago: its claim stands unless already expired.
      const now2 = await this.findOne("jobs", name);
      if (!now2) return false;
      return this.takeOver(now2, nowMs, claim);
    }
    return this.takeOver(item, nowMs, claim);
  }

  private async takeOver(item: Item, nowMs: number, claim: Fields): Promise<boolean> {
    if (num(item.fields.claimedUntilMs) >= nowMs) return false;
    const res = await send(this.client, "PATCH", `${this.itemsPath("jobs")}/${item.itemId}/fields`, claim, { "if-match": item.etag });
    if (res.status === 412) return false; // someone else took it over first
    ok(res, "Claiming a job");
    return true;
  }

  // ================================================================ the bot's reach

  async saveConversationRef(personId: string, ref: ConversationRef): Promise<void> {
    const v = ConversationRef.parse(ref);
    const key = `person:${personId}`;
    await this.upsert("conversationRefs", key, this.fieldsFor("conversationRefs", key, { conversationId: v.conversationId.slice(0, 255) }, v));
  }

  async getConversationRef(personId: string): Promise<ConversationRef | undefined> {
    return this.getRecord("conversationRefs", `person:${personId}`, ConversationRef);
  }

  async saveChannelRef(abId: string, ref: ConversationRef): Promise<void> {
    const v = ConversationRef.parse(ref);
    const key = `ab:${abId}`;
    await this.upsert("conversationRefs", key, this.fieldsFor("conversationRefs", key, { conversationId: v.conversationId.slice(0, 255) }, v));
  }

  async getChannelRef(abId: string): Promise<ConversationRef | undefined> {
    return this.getRecord("conversationRefs", `ab:${abId}`, ConversationRef);
  }

  async setReminderMute(personId: string, kind: OutboxKind, muted: boolean, now: Date): Promise<void> {
    const k = OutboxKind.parse(kind);
    const key = `${personId}|${k}`;
    await this.upsert("reminderMutes", key, this.fieldsFor("reminderMutes", key, { personId, kind: k, muted, changedAt: now.toISOString() }));
  }

  async listReminderMutes(personId: string): Promise<OutboxKind[]> {
    const items = await this.query("reminderMutes", eq("personId", personId));
    return items
      .filter((i) => i.fields.muted === true)
      .map((i) => OutboxKind.parse(i.fields.kind))
      .sort(cmp);
  }

  async openCheckIns(checkIns: CheckIn[], messages: NewOutboxMessage[], now: Date): Promise<string[]> {
    const rows = checkIns.map((c) => CheckIn.parse(c));
    const outbox = dedupe(messages.map((m) => newOutbox(m, now)));
    const seq = this.nextSeq(outbox.length);
    const opens = rows.map((c): Write => ({
      kind: "open",
      request: { id: "", method: "POST", url: this.itemsPath("checkIns"), body: { fields: this.checkInFields(c) } },
      list: "checkIns",
    }));
    const results = await this.runWrites(
      [],
      [
        ...opens,
        ...outbox.map((m, i): Write => ({
          kind: "enqueue",
          request: { id: "", method: "POST", url: this.itemsPath("outbox"), body: { fields: this.outboxFields(m, seq + i) } },
          list: "outbox",
        })),
      ],
      "Opening check-ins",
    );
    // 201: created now; 409: it existed (perhaps answered) and is left exactly as it is.
    return rows.filter((_, i) => results.get(opens[i]!)!.status === 201).map((c) => c.id);
  }

  async recordSentCard(card: SentCard): Promise<void> {
    const v = SentCard.parse(card);
    await this.upsert("sentCards", v.outboxId, this.fieldsFor("sentCards", v.outboxId, { planId: v.planId, kind: v.kind, recipientId: v.recipientId }, v));
  }

  async listSentCards(filter: { planId: string; kinds?: OutboxKind[] }): Promise<SentCard[]> {
    if (filter.kinds && filter.kinds.length === 0) return [];
    const items = await this.query("sentCards", eq("planId", filter.planId));
    const kinds = filter.kinds ? new Set<string>(filter.kinds) : undefined;
    return items
      .filter((i) => !kinds || kinds.has(String(i.fields.kind)))
      .sort((a, b) => num(a.itemId) - num(b.itemId))
      .map((i) => SentCard.parse(this.bodyOf("sentCards", i.fields)));
  }

  // ================================================================ roster (issue 6): directory audit

  async appendDirectoryAudit(entries: DirectoryAuditEntry[]): Promise<void> {
    for (const raw of entries) {
      const e = DirectoryAuditEntry.parse(raw);
      const fields = this.fieldsFor("directoryAudit", e.id, { atMs: Date.parse(e.at), seq: this.nextSeq(), schoolId: e.schoolId, abId: e.abId }, e);
      const res = await send(this.client, "POST", this.itemsPath("directoryAudit"), { fields });
      if (res.status === 409) continue; // appended already: append-only, so the first one stands
      ok(res, `Saving to ${listTitle(this.settings.listPrefix, "directoryAudit")}`);
    }
  }

  async listDirectoryAudit(filter: { schoolId?: string; abId?: string }): Promise<DirectoryAuditEntry[]> {
    const where: string[] = [];
    if (filter.schoolId !== undefined) where.push(eq("schoolId", filter.schoolId));
    if (filter.abId !== undefined) where.push(eq("abId", filter.abId));
    const items = await this.query("directoryAudit", where.join(" and ") || undefined);
    return items
      .sort((a, b) => num(a.fields.atMs) - num(b.fields.atMs) || num(a.fields.seq) - num(b.fields.seq) || num(a.itemId) - num(b.itemId))
      .map((i) => DirectoryAuditEntry.parse(this.bodyOf("directoryAudit", i.fields)));
  }

  // ================================================================ records (issue 7)

  private evidenceDrive?: Promise<string>;

  /** The site's default document library, looked up once. */
  private drive(): Promise<string> {
    this.evidenceDrive ??= siteDriveId(this.client, this.settings.siteId).catch((e: unknown) => {
      this.evidenceDrive = undefined;
      throw e;
    });
    return this.evidenceDrive;
  }

  /** Evidence files live in one folder per list prefix, named by the evidence id (the record holds the display name). */
  private evidenceFilePath(id: string): string {
    const folder = `${this.settings.listPrefix}Evidence`.replace(/[^A-Za-z0-9 _-]+/g, "_").trim();
    return `${folder}/${id.replace(/[^A-Za-z0-9_-]+/g, "_")}`;
  }

  /** POSTs of sealed audit entries. */
  private auditWrites(sealed: AuditEntry[]): Write[] {
    const seqBase = this.nextSeq(sealed.length);
    return sealed.map((a, i): Write => ({
      kind: "audit",
      entry: a,
      request: { id: "", method: "POST", url: this.itemsPath("audit"), body: { fields: this.fieldsFor("audit", a.id, auditColumns(a, seqBase + i), a) } },
      list: "audit",
    }));
  }

  private evidenceFields(rec: EvidenceRecord, driveItemId: string): Fields {
    return this.fieldsFor(
      "evidence",
      rec.id,
      { ectId: rec.ectId, planId: rec.planId, targetId: rec.targetId, driveItemId, deleted: !!rec.deletedAt, atMs: Date.parse(rec.uploadedAt) },
      rec,
    );
  }

  async addEvidence(record: EvidenceRecord, content: Uint8Array, audit: AuditEntry[]): Promise<void> {
    const rec = EvidenceRecord.parse(record);
    const entries = audit.map((a) => AuditEntry.parse(a));
    if (content.length !== rec.size) throw new DomainError("validation", `The file is ${content.length} bytes, not the ${rec.size} its record says.`);
    const [existing, heads] = await Promise.all([this.findOne("evidence", rec.id), this.chainHeads(entries)]);
    if (existing) throw conflict(`Evidence ${rec.id} already exists`);
    const driveId = await this.drive();
    // The file first, then its record and audit entries in one $batch; if those fail (and are
    // undone), the file is removed too, so nothing is left behind.
    const itemId = await uploadFile(this.client, driveId, this.evidenceFilePath(rec.id), content);
    try {
      await this.runWrites(
        [],
        [
          {
            kind: "append",
            request: { id: "", method: "POST", url: this.itemsPath("evidence"), body: { fields: this.evidenceFields(rec, itemId) } },
            list: "evidence",
          },
        ],
        "Saving evidence",
        { entries, heads },
      );
    } catch (e) {
      await deleteFile(this.client, driveId, itemId).catch(() => undefined);
      throw e;
    }
  }

  async getEvidence(id: string): Promise<EvidenceRecord | undefined> {
    return this.getRecord("evidence", id, EvidenceRecord);
  }

  async listEvidence(filter: { planId?: string; targetId?: string; ectId?: string; includeDeleted?: boolean }): Promise<EvidenceRecord[]> {
    const where: string[] = [];
    if (filter.planId !== undefined) where.push(eq("planId", filter.planId));
    if (filter.ectId !== undefined) where.push(eq("ectId", filter.ectId));
    const items = await this.query("evidence", where.join(" and ") || undefined);
    return items
      .filter((i) => (filter.targetId === undefined || i.fields.targetId === filter.targetId) && (filter.includeDeleted || i.fields.deleted !== true))
      .sort((a, b) => num(a.fields.atMs) - num(b.fields.atMs) || cmp(String(a.fields.evidenceId), String(b.fields.evidenceId)))
      .map((i) => EvidenceRecord.parse(this.bodyOf("evidence", i.fields)));
  }

  async readEvidenceContent(id: string): Promise<Uint8Array | undefined> {
    const item = await this.findOne("evidence", id);
    const driveItemId = item ? str(item.fields.driveItemId) : undefined;
    if (!driveItemId) return undefined;
    return downloadFile(this.client, await this.drive(), driveItemId);
  }

  async markEvidenceDeleted(record: EvidenceRecord, audit: AuditEntry[]): Promise<void> {
    const rec = EvidenceRecord.parse(record);
    if (!rec.deletedAt) throw new DomainError("invalid_state", "Mark the record deleted (deletedAt) to hide it.");
    const entries = audit.map((a) => AuditEntry.parse(a));
    const [item, heads] = await Promise.all([this.findOne("evidence", rec.id), this.chainHeads(entries)]);
    if (!item || item.fields.deleted === true) throw notFound(`Evidence ${rec.id}`);
    const fields = this.evidenceFields(rec, typeof item.fields.driveItemId === "string" ? item.fields.driveItemId : "");
    await this.runWrites(
      [],
      [
        {
          kind: "append",
          request: { id: "", method: "PATCH", url: `${this.itemsPath("evidence")}/${item.itemId}/fields`, body: fields, headers: { "if-match": item.etag } },
          undo: { itemId: item.itemId, fields: restoreFields("evidence", item.fields, fields), list: "evidence" },
          list: "evidence",
        },
      ],
      "Removing evidence",
      { entries, heads },
    );
  }

  async addRecords(records: InductionRecord[], audit: AuditEntry[], outbox: NewOutboxMessage[] = []): Promise<void> {
    const rows = records.map((r) => InductionRecord.parse(r));
    const entries = audit.map((a) => AuditEntry.parse(a));
    const messages = dedupe(outbox.map((m) => newOutbox(m, this.clock.now())));
    const seq = this.nextSeq(messages.length);
    const heads = await this.chainHeads(entries);
    await this.runWrites(
      [],
      [
        ...rows.map((r): Write => ({
          kind: "append",
          request: {
            id: "",
            method: "POST",
            url: this.itemsPath("inductionRecords"),
            body: { fields: this.fieldsFor("inductionRecords", r.id, { recordKind: r.kind, ectId: r.ectId, abId: r.abId, atMs: Date.parse(r.recordedAt) }, r) },
          },
          list: "inductionRecords",
        })),
        ...messages.map((m, i): Write => ({
          kind: "enqueue",
          request: { id: "", method: "POST", url: this.itemsPath("outbox"), body: { fields: this.outboxFields(m, seq + i) } },
          list: "outbox",
        })),
      ],
      "Saving induction records",
      { entries, heads },
    );
  }

  async getInductionRecord(id: string): Promise<InductionRecord | undefined> {
    return this.getRecord("inductionRecords", id, InductionRecord);
  }

  async listRecords(filter: { ectIds?: string[]; kind?: InductionRecordKind }): Promise<InductionRecord[]> {
    if (filter.ectIds?.length === 0) return [];
    const kind = filter.kind !== undefined ? [eq("recordKind", filter.kind)] : [];
    const groups: (string | undefined)[] = [];
    if (filter.ectIds !== undefined) {
      const ids = [...new Set(filter.ectIds)];
      for (let i = 0; i < ids.length; i += idsPerFilter) groups.push(anyOf("ectId", ids.slice(i, i + idsPerFilter)));
    } else groups.push(undefined);
    const pages = await Promise.all(groups.map((g) => this.query("inductionRecords", [...(g ? [g] : []), ...kind].join(" and ") || undefined)));
    return pages
      .flat()
      .sort((a, b) => num(a.fields.atMs) - num(b.fields.atMs) || num(a.itemId) - num(b.itemId))
      .map((i) => InductionRecord.parse(this.bodyOf("inductionRecords", i.fields)));
  }

  // ================================================================ end of records (issue 7)

  async close(): Promise<void> {
    this.plans.clear();
    this.itemIds.clear();
  }
}

// ---------------------------------------------------------------- writes

interface Write {
  kind: "savePlan" | "createPlan" | "append" | "audit" | "enqueue" | "open";
  request: BatchRequest;
  /** For an audit write: the sealed entry it appends. */
  entry?: AuditEntry;
  list: ListKey;
  planId?: string;
  expectedVersion?: number;
  /** For a PATCH: the item and the fields that restore it. Creates are undone by removing the new item. */
  undo?: { itemId: string; fields: Fields; list: ListKey };
}

/** 2xx; for messages a 409 (the dedupe key exists) and for opening check-ins a 409 (it exists) also count as done. */
const succeeded = (w: Write, r: BatchResponse): boolean =>
  (r.status >= 200 && r.status < 300) || (r.status === 409 && (w.kind === "enqueue" || w.kind === "open"));

class PhaseFailed extends Error {
  constructor(
    override readonly cause: unknown,
    readonly failed: Write[] = [],
    /** The failed writes and those of the phases that did not run. */
    readonly unfinished: Write[] = [],
  ) {
    super("phase failed");
  }
}

/** One $batch of writes: a serial chain, all after the first ("after"), or independent. */
interface Phase {
  writes: Write[];
  mode: "serial" | "after" | "parallel";
}

/** How runWrites sends plan writes, the rest and the audit writes (see there). */
function writePhases(plans: Write[], rest: Write[], audit: Write[]): Phase[] {
  if (plans.length <= 1 && plans.length + rest.length + audit.length <= batchLimit) {
    if (audit.length > 0) return [{ writes: [...plans, ...rest, ...audit], mode: "serial" }];
    return [{ writes: [...plans, ...rest], mode: plans.length === 1 ? "after" : "parallel" }];
  }
  const chunks = (ws: Write[], mode: Phase["mode"]): Phase[] =>
    Array.from({ length: Math.ceil(ws.length / batchLimit) }, (_, i) => ({ writes: ws.slice(i * batchLimit, (i + 1) * batchLimit), mode }));
  return [...chunks(plans, "serial"), ...chunks(rest, "parallel"), ...chunks(audit, "serial")];
}

/** Moves each chain's head past the audit writes that landed (they land as a prefix of each chain). */
function advanceHeads(heads: Map<string, ChainHead>, writes: Write[], landed: (w: Write) => boolean): void {
  for (const w of writes) {
    if (!landed(w)) continue;
    const chainId = auditChainId(w.entry!);
    const seq = w.entry!.seq!;
    if ((heads.get(chainId)?.seq ?? 0) < seq) heads.set(chainId, { seq, hash: w.entry!.hash! });
  }
}

/** "Awaiting signatures (n of m)", computed when the plan is written; empty columns when nothing is awaited. */
function awaitingColumns(plan: Plan): Fields {
  const progress = signatureProgress(plan);
  return { signaturesSigned: progress?.signed, signaturesOf: progress?.of, awaitingAmendment: progress?.amendment };
}

/** A 412 on a plan whose version matched: its ETag moved without a version change. */
class EtagMovedError extends Error {
  constructor(
    readonly planId: string,
    readonly version: number,
  ) {
    super(`Plan ${planId} changed under its version ${version}`);
  }
}

/** The fields that put an item back as it was: its old values, and null for anything the write added. */
function restoreFields(key: ListKey, old: Fields, written: Fields): Fields {
  const out: Fields = {};
  for (const k of Object.keys(written)) out[k] = k in old ? old[k] : null;
  for (const c of bodyColumns(key)) out[c] = c in old ? old[c] : null;
  return out;
}

// The outbox's rules are outboxPolicy's; these only map list columns to what it reads.
const newOutbox = (m: NewOutboxMessage, now: Date): OutboxMessage => newOutboxMessage(m, now, randomUUID());
const dedupe = (ms: OutboxMessage[]): OutboxMessage[] => dedupeMessages(ms);
const claimStateOf = (f: Fields): ClaimState => ({
  status: f.outboxStatus as OutboxMessage["status"],
  notBeforeMs: num(f.notBeforeMs),
  claimedUntilMs: typeof f.claimedUntilMs === "number" ? f.claimedUntilMs : null,
});
const claimKeyOf = (f: Fields) => ({ notBeforeMs: num(f.notBeforeMs), seq: num(f.seq) });
const claimHolderOf = (f: Fields) => ({ status: String(f.outboxStatus), claimedBy: str(f.claimedBy) });

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
