/**
 * The site's lists as every port of the SharePoint store reads and writes them: one Graph client,
 * one set of list ids, one clock and one item-id cache, shared so that reads from different
 * ports issued in the same tick still go out as one $batch.
 */
import type { Clock } from "../../clock.js";
import type { Client } from "@microsoft/microsoft-graph-client";
import { DomainError, conflict } from "@ectsp/shared";
import { batch, batchLimit, odata, ok, relativeToVersion, send, type RawResponse, type SharePointSettings } from "./graph.js";
import { bodyChunkChars, bodyColumns, listSchema, listTitle, type ListKey } from "./listSchema.js";

export type Fields = Record<string, unknown>;

export interface Item {
  itemId: string;
  etag: string;
  fields: Fields;
}

export const pageSize = 5000;
/** ECT ids per filter: keeps URLs short; the requests go out together in one $batch. */
export const idsPerFilter = 15;

export const eq = (column: string, value: string | number | boolean) => `fields/${column} eq ${typeof value === "string" ? odata(value) : String(value)}`;
export const anyOf = (column: string, values: readonly string[]) => `(${values.map((v) => eq(column, v)).join(" or ")})`;
export const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
export const num = (v: unknown): number => (typeof v === "number" ? v : Number(v));
export const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

export class SiteLists {
  /** Item ids by list and key, filled by reads. */
  readonly itemIds = new Map<string, string>();
  private readonly pending: { path: string; headers: Record<string, string>; resolve: (r: RawResponse) => void; reject: (e: unknown) => void }[] = [];
  private flushScheduled = false;
  /** Work to run as the next $batch of reads is assembled (see beforeNextFlush). */
  private readonly riders: (() => void)[] = [];
  private lastSeq = 0;

  constructor(
    readonly client: Client,
    readonly settings: SharePointSettings,
    private readonly listIds: Record<ListKey, string>,
    readonly clock: Clock,
  ) {}

  itemsPath(key: ListKey): string {
    return `/sites/${this.settings.siteId}/lists/${this.listIds[key]}/items`;
  }

  /**
   * A GET, coalesced with the other GETs issued in the same tick into one $batch. A sub-request
   * Graph throttled inside the batch is re-sent by `batch` after its Retry-After.
   */
  read(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      this.pending.push({ path, headers, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /**
   * Runs `fn` just before the next $batch of reads is assembled, so the reads it issues then go
   * out in that batch. With `wake` a batch is scheduled for this tick; without it `fn` waits for
   * the next read anyone makes (so riding along never costs a round trip of its own).
   */
  beforeNextFlush(fn: () => void, wake = false): void {
    this.riders.push(fn);
    if (wake && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => void this.flush());
    }
  }

  private async flush(): Promise<void> {
    // Riders first, while flushScheduled still holds: their reads join this batch, not a new one.
    for (const fn of this.riders.splice(0)) {
      try {
        fn();
      } catch {
        // A rider's failure is its own (it reports through its promises); the batch still goes.
      }
    }
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
  async query(key: ListKey, filter?: string, select?: readonly string[]): Promise<Item[]> {
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
  async findOne(key: ListKey, value: string): Promise<Item | undefined> {
    const [item] = await this.query(key, eq(listSchema[key].key, value));
    if (item) this.itemIds.set(`${key}:${value.toLowerCase()}`, item.itemId);
    return item;
  }

  fieldsFor(key: ListKey, keyValue: string, columns: Fields, body?: unknown): Fields {
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

  bodyOf(key: ListKey, fields: Fields): unknown {
    return JSON.parse(
      bodyColumns(key)
        .map((c) => (typeof fields[c] === "string" ? fields[c] : ""))
        .join(""),
    );
  }

  /** Creates or replaces the item keyed `keyValue` (last writer wins, as an upsert). 409 → `onConflict`. */
  async upsert(
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

  async getRecord<T>(key: ListKey, value: string, schema: { parse(x: unknown): T }): Promise<T | undefined> {
    const item = await this.findOne(key, value);
    return item ? schema.parse(this.bodyOf(key, item.fields)) : undefined;
  }

  /** Reserves `count` consecutive sequence numbers and returns the first. */
  nextSeq(count = 1): number {
    // The clock's microseconds, never at or below a value this instance handed out already:
    // orders writes within an instance (even while the clock stands still) and roughly across them.
    const first = Math.max(this.lastSeq + 1, this.clock.now().getTime() * 1000);
    this.lastSeq = first + Math.max(0, count - 1);
    return first;
  }
}
