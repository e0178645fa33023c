/**
 * The directory as this instance last saw it: appropriate bodies, schools, people and ECTs held
 * in memory, so resolving the caller and loading an ECT's context (school, staff, AB officers)
 * costs no Graph request. Filled by a full read of each list's delta query on first use, then
 * kept fresh by calling each list's deltaLink (only what changed since comes back).
 *
 * Freshness policy (also in infra/sharepoint/README.md):
 * - reads answer from the cache;
 * - once the cache is older than `refreshMs` (default 15 s), a read still answers from it and
 *   a refresh (the four delta calls) rides along with the next $batch of reads anyone makes —
 *   usually the same request's plan read — so it costs no round trip of its own;
 * - once it is older than `maxStaleMs` (default 60 s), or was never filled, a read waits for
 *   the refresh: what a request sees is never older than that;
 * - nothing runs on a timer: an idle instance makes no Graph requests for the directory;
 * - this instance's own directory writes update the cache at once; another instance's writes
 *   show after its next refresh (`refreshNow`, or both windows 0: every read refreshes first);
 * - a delta token Graph no longer serves (410 Gone, resyncRequired) starts that list over with
 *   a full read.
 * Times are the server's clock; a clock that went backwards counts as stale.
 */
import { AppropriateBody, Ect, Person, School } from "@ectsp/shared";
import { z } from "zod";
import type { Clock } from "../../clock.js";
import { GraphRequestError, failure, relativeToVersion, type RawResponse } from "./graph.js";
import { bodyColumns, listSchema, listTitle } from "./listSchema.js";
import type { SiteLists } from "./lists.js";

export interface DirectoryFreshness {
  /** Age after which a read starts a refresh alongside (default 15 s). */
  refreshMs?: number;
  /** Age after which a read waits for the refresh (default 60 s). 0 and 0: every read refreshes first. */
  maxStaleMs?: number;
}

export const defaultDirectoryFreshness = { refreshMs: 15_000, maxStaleMs: 60_000 };

const rosterKeys = ["appropriateBodies", "schools", "people", "ects"] as const;
export type RosterKey = (typeof rosterKeys)[number];

interface Records {
  appropriateBodies: AppropriateBody;
  schools: School;
  people: Person;
  ects: Ect;
}

const schemas: { [K in RosterKey]: { parse(x: unknown): Records[K] } } = { appropriateBodies: AppropriateBody, schools: School, people: Person, ects: Ect };

/** One page of a list item delta query, as Graph answers it. */
const DeltaPage = z.object({
  value: z
    .array(
      z.object({
        id: z.coerce.string(),
        fields: z.record(z.string(), z.unknown()).optional(),
        // Graph marks a deleted list item with the `deleted` facet; some delta feeds use `@removed`.
        deleted: z.unknown().optional(),
        "@removed": z.unknown().optional(),
      }),
    )
    .default([]),
  "@odata.nextLink": z.string().optional(),
  "@odata.deltaLink": z.string().optional(),
});

/** What one list's delta pages said: the latest state of items changed, and items deleted. */
interface Changes {
  full: boolean;
  changed: Map<string, Record<string, unknown>>;
  deleted: Set<string>;
  deltaLink: string;
}

class Roster<T extends { id: string }> {
  readonly byId = new Map<string, T>();
  /** Item id → record id, for deletions (a deleted item comes back as its item id only). */
  readonly idOfItem = new Map<string, string>();
  deltaLink?: string;
}

export class DirectoryCache {
  private readonly rosters: { [K in RosterKey]: Roster<Records[K]> } = {
    appropriateBodies: new Roster(),
    schools: new Roster(),
    people: new Roster(),
    ects: new Roster(),
  };
  private readonly refreshMs: number;
  private readonly maxStaleMs: number;
  private filled = false;
  /** The clock when the last complete refresh began: the cache holds at least what was there then. */
  private refreshedAt = 0;
  private inFlight?: Promise<void>;
  /** The refresh in flight has not been sent yet: a read may still rely on it to see writes made before it. */
  private joinable = false;
  private riding = false;
  /** Refreshes begun, and which one was the latest when each record was last written here. */
  private generation = 0;
  private readonly writtenAt = new Map<string, number>();

  constructor(
    private readonly lists: SiteLists,
    private readonly clock: Clock,
    freshness: DirectoryFreshness = {},
  ) {
    this.refreshMs = freshness.refreshMs ?? defaultDirectoryFreshness.refreshMs;
    this.maxStaleMs = freshness.maxStaleMs ?? defaultDirectoryFreshness.maxStaleMs;
  }

  /** The records of one list, fresh as the policy above says. Callers must not change them. */
  async records<K extends RosterKey>(key: K): Promise<ReadonlyMap<string, Records[K]>> {
    const age = this.clock.now().getTime() - this.refreshedAt;
    if (!this.filled || age < 0 || age >= this.maxStaleMs) await this.refreshNow();
    else if (age >= this.refreshMs) this.refreshAlongside();
    return this.rosters[key].byId;
  }

  /** Refreshes now and waits: sees every directory write that had finished anywhere before the call. */
  async refreshNow(): Promise<void> {
    const sent = this.inFlight;
    if (sent && (this.joinable || this.maxStaleMs > 0)) return sent;
    // A refresh already sent may predate a write the caller relies on: wait it out, then ask again
    // (joining one begun meanwhile, which is after the call).
    if (sent) await sent.catch(() => undefined);
    if (this.inFlight && this.inFlight !== sent) return this.inFlight;
    return this.start();
  }

  /** A write this instance made: seen by its own reads at once. */
  put<K extends RosterKey>(key: K, record: Records[K]): void {
    const roster = this.rosters[key];
    roster.byId.set(record.id, record);
    const itemId = this.lists.itemIds.get(`${key}:${record.id.toLowerCase()}`);
    if (itemId) roster.idOfItem.set(itemId, record.id);
    this.writtenAt.set(`${key}:${record.id}`, this.generation);
  }

  /** Forgets everything (the store is closing); the next read fills the cache again. */
  clear(): void {
    for (const key of rosterKeys) {
      const r = this.rosters[key];
      r.byId.clear();
      r.idOfItem.clear();
      delete r.deltaLink;
    }
    this.filled = false;
    this.writtenAt.clear();
  }

  /** Sends the refresh with the next batch of reads anyone makes, unless one is on its way. */
  private refreshAlongside(): void {
    if (this.inFlight || this.riding) return;
    this.riding = true;
    this.lists.beforeNextFlush(() => {
      this.riding = false;
      // In the background: a failure leaves the cache as it was, and a later read tries again.
      if (!this.inFlight) this.start().catch(() => undefined);
    });
  }

  /** Starts a refresh of every directory list; their first requests are issued now, in this tick. */
  private start(): Promise<void> {
    const generation = ++this.generation;
    const startedAt = this.clock.now().getTime();
    const pulls = rosterKeys.map((key) => this.pull(key));
    this.joinable = true;
    setImmediate(() => (this.joinable = false));
    const done = Promise.all(pulls).then((all) => {
      rosterKeys.forEach((key, i) => this.apply(key, all[i]!, generation));
      this.filled = true;
      this.refreshedAt = startedAt;
    });
    const settled = done.finally(() => {
      if (this.inFlight === settled) this.inFlight = undefined;
    });
    this.inFlight = settled;
    return settled;
  }

  /** One list's changes since its deltaLink (everything, the first time or after a 410). */
  private pull(key: RosterKey): Promise<Changes> {
    const roster = this.rosters[key];
    const select = [listSchema[key].key, ...bodyColumns(key)].join(",");
    const fromScratch = `${this.lists.itemsPath(key)}/delta?$expand=fields($select=${select})&$top=5000`;
    const operation = `Reading ${listTitle(this.lists.settings.listPrefix, key)}`;
    const follow = async (first: Promise<RawResponse>, full: boolean): Promise<Changes> => {
      const changes: Changes = { full, changed: new Map(), deleted: new Set(), deltaLink: "" };
      let res = await first;
      for (;;) {
        if (res.status === 410) {
          // The token is no longer served: start this list over.
          if (full) throw failure(res, operation);
          return follow(this.lists.read(fromScratch), true);
        }
        if (res.status < 200 || res.status >= 300) throw failure(res, operation);
        const page = DeltaPage.parse(res.body);
        for (const v of page.value) {
          if (v.deleted !== undefined || v["@removed"] !== undefined) {
            changes.changed.delete(v.id);
            changes.deleted.add(v.id);
          } else {
            changes.deleted.delete(v.id);
            changes.changed.set(v.id, v.fields ?? {});
          }
        }
        if (page["@odata.deltaLink"]) return { ...changes, deltaLink: relativeToVersion(page["@odata.deltaLink"]) };
        if (!page["@odata.nextLink"]) throw new GraphRequestError(200, "noDeltaLink", "the delta query ended without a deltaLink", operation);
        res = await this.lists.read(relativeToVersion(page["@odata.nextLink"]));
      }
    };
    return roster.deltaLink ? follow(this.lists.read(roster.deltaLink), false) : follow(this.lists.read(fromScratch), true);
  }

  private apply<K extends RosterKey>(key: K, changes: Changes, generation: number): void {
    const roster = this.rosters[key];
    // A record written here after this refresh began is newer than what the refresh read.
    const writtenSince = (id: string) => (this.writtenAt.get(`${key}:${id}`) ?? -1) >= generation;
    const parsed = new Map<string, Records[K]>();
    for (const [itemId, fields] of changes.changed) parsed.set(itemId, schemas[key].parse(this.lists.bodyOf(key, fields)));
    if (changes.full) {
      // Everything the list holds: what is not in it any more was deleted.
      for (const [itemId, id] of roster.idOfItem) {
        if (!changes.changed.has(itemId) && !writtenSince(id)) {
          roster.byId.delete(id);
          roster.idOfItem.delete(itemId);
        }
      }
    }
    for (const itemId of changes.deleted) {
      const id = roster.idOfItem.get(itemId);
      roster.idOfItem.delete(itemId);
      if (id !== undefined && !writtenSince(id)) roster.byId.delete(id);
    }
    for (const [itemId, record] of parsed) {
      roster.idOfItem.set(itemId, record.id);
      // The item ids also spare an upsert its lookup.
      this.lists.itemIds.set(`${key}:${record.id.toLowerCase()}`, itemId);
      if (!writtenSince(record.id)) roster.byId.set(record.id, record);
    }
    roster.deltaLink = changes.deltaLink;
  }
}
