/**
 * Changes that can be replayed (issue 14). SharePoint has no transactions, and Graph loses
 * replies, throttles inside a $batch and resets connections; so every change the app commits is
 * written as a journal entry FIRST (the Changes list, keyed by the change's id), then its items,
 * each of them idempotent by that id:
 *
 * - the plan save carries the change id (`changeIds`, newest first) and If-Match: it is the
 *   change's commit point. A plan that already carries the id has it, whatever came after;
 * - created plans, messages (by dedupe key) and check-ins are keyed: a second write of the same
 *   key is the same item, not an error; audit entries by id, sealed onto their chain's head as
 *   stored when they are written (a position taken meanwhile answers 409: seal again).
 *
 * The happy path is ONE serial $batch (journal, plan, rows, audit), and the journal entry is
 * closed later in a batch shared with other closes. After any ambiguous outcome (a lost reply
 * re-sent by the RetryHandler, a reset, a 5xx, a 409 or 412) the change is reconciled: the
 * entry and the items are read back (one $batch) and what is missing is written. Not applied
 * and cannot be (the plan moved on): refused, nothing written, the entry marked refused. Still
 * failing past the retries: the caller is told "delayed, it will complete" and this instance
 * keeps rolling it forward; if it dies, any instance takes the entry over once its lease ends
 * (sweep, run at start-up and every 30 s).
 */
import { randomUUID } from "node:crypto";
import { auditChainId, conflict, notFound, type AuditEntry, type ChainHead } from "@ectsp/shared";
import { StaleVersionError } from "../store.js";
import { dedupeKeyOf } from "../../scheduler/outboxPolicy.js";
import { GraphThrottledError, batch, batchLimit, isThrottled, type BatchRequest, type BatchResponse } from "./graph.js";
import { eq, num, type Fields, type Item, type SiteLists } from "./lists.js";
import { ChangeRequests } from "./changeRequests.js";
import { bodyColumns } from "./listSchema.js";
import {
  ChangeDelayedError,
  ChangeUnconfirmedError,
  JournalledChange,
  anyApplied,
  carries,
  changeLeaseMs,
  entryToWrite,
  failureOf,
  isTransient,
  is2xx,
  maxBackgroundDelayMs,
  minBackgroundDelayMs,
  retryAfterOf,
  rowInPlace,
  roundsInRequest,
  sleep,
  type ChangeFormat,
  type JournalKnown,
  type JournalOptions,
  type Observed,
} from "./journalledChange.js";

/**
 * A closed entry keeps who, when and how it ended, not the change: the plan content it carried
 * lives on in the plan and its trail, and is not kept twice.
 */
const clearedBody = Object.fromEntries(bodyColumns("changes").map((c) => [c, null]));

export { ChangeDelayedError, ChangeUnconfirmedError, changeLeaseMs, nothingWritten, type ChangeFormat, type JournalledChange } from "./journalledChange.js";

export class ChangeJournal {
  /** Changes this instance is rolling forward in the background, by id. */
  private readonly background = new Map<string, Promise<void>>();
  /** Journal entries done, waiting to be closed together. */
  private readonly toClose: Item[] = [];
  private closeTimer?: NodeJS.Timeout;
  private sweepTimer?: NodeJS.Timeout;
  private stopped = false;

  private readonly requests: ChangeRequests;
  private readonly log: JournalOptions["logger"];

  constructor(
    private readonly lists: SiteLists,
    private readonly format: ChangeFormat,
    private readonly options: JournalOptions,
  ) {
    this.requests = new ChangeRequests(lists, format, options.instanceId);
    this.log = options.logger;
  }

  /** A change ready to journal: its id, and message ids of its own (a replay writes the same ones). */
  prepare(change: Omit<JournalledChange, "changeId" | "createdAt" | "rows"> & { rows?: JournalledChange["rows"] }): JournalledChange {
    return JournalledChange.parse({ ...change, changeId: randomUUID(), createdAt: this.lists.clock.now().toISOString() });
  }

  /**
   * Writes the change: the happy path in one serial $batch, else reconciled until applied (returns),
   * refused with nothing written (StaleVersionError, conflict, ChangeUnconfirmedError with
   * `unchanged`), or delayed (ChangeDelayedError: it will complete).
   */
  async commit(
    change: JournalledChange,
    existingCheckIns: (Item | undefined)[],
    heads: Map<string, ChainHead>,
    existingRows: (Item | undefined)[] = change.rows.map(() => undefined),
  ): Promise<void> {
    const known = change.save ? this.format.knownPlan(change.save.plan.id) : undefined;
    let journal: JournalKnown = "absent";
    if (!change.save || known) {
      const audit = this.requests.auditPosts(change, change.audit, heads);
      const requests = [
        this.requests.journalPost(change),
        ...(change.save && known ? [this.requests.savePatch(change, known)] : []),
        ...this.requests.rowWrites(change, {
          created: change.creates.map(() => undefined),
          outboxPresent: change.outbox.map(() => false),
          checkIns: existingCheckIns,
          rows: existingRows,
        }),
        ...audit.requests,
      ];
      let throttled: BatchResponse | undefined;
      try {
        const answers = await this.requests.sendSerial(requests);
        // A 409 on the entry: the RetryHandler re-sent a batch whose first answer was lost; the read-back decides.
        journal = is2xx(answers[0]) ? "written" : answers[0]?.status === 409 ? "unknown" : "absent";
        if (answers.length === requests.length && answers.every(is2xx)) {
          this.learn(requests, answers, audit.sealed);
          this.closeLater({ itemId: String((answers[0]!.body as { id: string }).id), etag: "", fields: {} });
          return;
        }
        throttled = answers.find((a) => isThrottled(a.status));
      } catch (e) {
        if (!isTransient(e)) throw e;
        // A 429 is a refusal before anything ran; anything else (a reset, a 5xx) may have come after the writes.
        journal = e instanceof GraphThrottledError && e.status === 429 ? "absent" : "unknown";
      }
      this.format.forgetHeads([...new Set(change.audit.map(auditChainId))]);
      // A write still throttled after `batch` re-sent it: no point writing again now; read back and answer.
      if (throttled && journal === "written") return this.answerAfterBudget(change, journal, failureOf(throttled));
    }
    await this.reconcile(change, journal);
  }

  /**
   * Rolls the change forward while the caller waits. Rounds go on while answers are ambiguous
   * (a reset, a lost reply, a position taken); throttling past the retries ends them at once.
   * Then: the commit point not applied, and the entry marked refused → refused, nothing written;
   * otherwise this instance carries on in the background and the caller hears "delayed, it will
   * complete" (or, when not even the entry is known to exist, "not confirmed").
   */
  private async reconcile(change: JournalledChange, journal: JournalKnown): Promise<void> {
    let lastError: unknown;
    for (let round = 1; round <= roundsInRequest; round++) {
      try {
        const outcome = await this.rollForward(change);
        if (outcome === "done") return;
        if (outcome === "absent") {
          // Nothing of it exists (every write depends on the entry): write the entry again, then the rest.
          journal = "absent";
          const answers = await this.requests.sendSerial([this.requests.journalPost(change)]);
          if (is2xx(answers[0])) journal = "written";
          else if (answers[0]?.status === 409) journal = "unknown";
          else throw failureOf(answers[0]);
        } else {
          journal = "written";
        }
        continue; // "again", or the entry just written: the next round reads back and goes on
      } catch (e) {
        if (!isTransient(e)) throw e;
        lastError = e;
        if (e instanceof GraphThrottledError) break;
      }
      await sleep(this.waitMs(lastError, round));
    }
    return this.answerAfterBudget(change, journal, lastError);
  }

  /** The caller's wait is over: refused if nothing of it was applied and the entry could be marked so; else delayed. */
  private async answerAfterBudget(change: JournalledChange, journal: JournalKnown, lastError: unknown): Promise<never> {
    const wait = retryAfterOf(lastError);
    if (journal === "absent") throw new ChangeUnconfirmedError(change.changeId, wait, true, lastError);
    if (await this.refuseUnapplied(change)) throw new ChangeUnconfirmedError(change.changeId, wait, true, lastError);
    // Written, or not known: this instance keeps at it (if the entry was never written, nothing happens).
    this.log?.warn("change delayed: rolling it forward in the background", { changeId: change.changeId, error: errorName(lastError) });
    this.inBackground(change);
    if (journal === "unknown") throw new ChangeUnconfirmedError(change.changeId, wait, false, lastError);
    throw new ChangeDelayedError(change.changeId, wait, lastError);
  }

  /**
   * After the caller's budget: when the commit point is known NOT applied, marks the entry refused
   * (If-Match, so an instance that took it over meanwhile wins) and returns true: nothing of the
   * change was written, and nothing will be. False when applied, not known, or the mark failed.
   */
  private async refuseUnapplied(change: JournalledChange): Promise<boolean> {
    try {
      const seen = await this.observe(change);
      if (!seen.journal) return true;
      if (anyApplied(change, seen) || seen.state !== "open") return seen.state === "refused";
      const ok = await this.requests.patchJournal(
        seen.journal,
        { changeState: "refused", outcome: "not written before the caller's wait ended", closedAt: this.now(), ...clearedBody },
        true,
      );
      if (ok && change.save) this.format.forgetPlan(change.save.plan.id);
      return ok;
    } catch {
      return false;
    }
  }

  /**
   * One round: read the change back and write what is missing. "done": every item is in place
   * (or written now); "absent": no journal entry, so nothing of the change exists; "again": some
   * writes did not land and the next round will see. Throws what the caller must hear: refused
   * (stale / conflict / not found; the entry is marked refused), or a transient error.
   */
  private async rollForward(change: JournalledChange): Promise<"done" | "absent" | "again"> {
    const seen = await this.observe(change);
    if (!seen.journal) return "absent";
    if (seen.state === "done") return "done";
    if (seen.state === "refused") throw this.refusal(change, seen);

    const requests: BatchRequest[] = [];
    if (change.save && !carries(seen.saved, change.changeId)) {
      if (!seen.saved) throw await this.refuse(change, seen.journal, notFound(`Plan ${change.save.plan.id}`), "the plan is not there");
      const version = num(seen.saved.fields.planVersion);
      if (version !== change.save.expectedVersion) {
        throw await this.refuse(change, seen.journal, new StaleVersionError(change.save.plan.id, change.save.expectedVersion, version), "the plan moved on");
      }
      requests.push(this.requests.savePatch(change, seen.saved));
    }
    if (!change.save) {
      // A change that only creates: its first create is the commit point.
      const [first] = change.creates;
      const item = seen.created[0];
      if (first && item && !carries(item, change.changeId)) {
        throw await this.refuse(change, seen.journal, conflict(`Plan ${first.id} already exists`, { planId: first.id }), "a plan with this id exists");
      }
    }
    // A new record whose id another writer took first (two officers returning one revision at
    // once): theirs stays, this change is refused. Never written over.
    const takenRow = change.rows.find((r, i) => r.appendOnly && seen.rows[i] !== undefined && !rowInPlace(r, seen.rows[i]));
    if (takenRow) throw await this.refuse(change, seen.journal, conflict(`Record ${takenRow.key} already exists`), "a record with this id exists");
    requests.push(...this.requests.rowWrites(change, seen));
    const missing = change.audit.map((a) => entryToWrite(change, a, seen.chains)).filter((a): a is AuditEntry => a !== undefined);
    const heads = new Map<string, ChainHead>();
    for (const [id, s] of seen.chains) if (s.head) heads.set(id, s.head);
    const audit = this.requests.auditPosts(change, missing, heads);
    requests.push(...audit.requests);
    if (requests.length > 0) {
      const answers = await this.requests.sendSerial(requests);
      if (answers.length < requests.length || !answers.every(is2xx)) {
        const hard = answers.find((a) => !is2xx(a) && a.status !== 409 && a.status !== 412 && a.status !== 424);
        if (hard) throw failureOf(hard);
        return "again";
      }
      this.learn(requests, answers, audit.sealed);
    } else if (change.save && seen.saved) {
      this.format.rememberPlan(seen.saved);
    }
    this.closeLater(seen.journal);
    return "done";
  }

  /** The entry and every item of the change, as stored now: one $batch of reads. */
  private async observe(change: JournalledChange): Promise<Observed> {
    const chains = [...new Set(change.audit.map(auditChainId))];
    const [journal, saved, created, outbox, checkIns, rows, states] = await Promise.all([
      this.lists.findOne("changes", change.changeId),
      change.save ? this.lists.findOne("plans", change.save.plan.id) : Promise.resolve(undefined),
      Promise.all(change.creates.map((p) => this.lists.findOne("plans", p.id))),
      Promise.all(change.outbox.map((m) => this.lists.query("outbox", eq("dedupeKey", dedupeKeyOf(m.dedupeKey)), ["messageId"]))),
      Promise.all(change.checkIns.map((c) => this.lists.findOne("checkIns", c.id))),
      Promise.all(change.rows.map((r) => this.lists.findOne(r.list, r.key))),
      this.format.chainStates(chains),
    ]);
    return {
      ...(journal ? { journal, state: String(journal.fields.changeState) } : {}),
      ...(saved ? { saved } : {}),
      created,
      outboxPresent: outbox.map((items) => items.length > 0),
      checkIns,
      rows,
      chains: states,
    };
  }

  /** Remembers the plans as written (item ids and ETags), so the next save needs no read. */
  private learn(requests: BatchRequest[], answers: BatchResponse[], sealed: AuditEntry[]): void {
    this.format.wroteAudit(sealed);
    requests.forEach((r, i) => {
      if (!r.url.startsWith(this.lists.itemsPath("plans"))) return;
      const a = answers[i]!;
      const body = a.body as { id?: string; "@odata.etag"?: string; fields?: Fields } & Fields;
      const fields = (r.method === "POST" ? (r.body as { fields: Fields }).fields : r.body) as Fields;
      const itemId = r.method === "POST" ? String(body.id) : r.url.split("/").at(-2)!;
      this.format.rememberPlan({ itemId, etag: String(body["@odata.etag"] ?? a.headers.etag), fields: { ...fields } });
      this.lists.itemIds.set(`plans:${String(fields.planId).toLowerCase()}`, itemId);
    });
  }

  // ------------------------------------------------------------ refusals

  /** Marks the entry refused (best effort: a sweep would reach the same verdict) and returns the error to throw. */
  private async refuse(change: JournalledChange, journal: Item, error: Error, why: string): Promise<Error> {
    if (change.save) this.format.forgetPlan(change.save.plan.id);
    try {
      await this.requests.patchJournal(journal, { changeState: "refused", outcome: why, closedAt: this.now(), ...clearedBody }, true);
    } catch {
      // Left open: whoever sweeps it reads the same lists and refuses it the same way.
    }
    return error;
  }

  /** A change found refused already (by an earlier round, or the instance that swept it): why, in the caller's terms. */
  private refusal(change: JournalledChange, seen: Observed): Error {
    const version = seen.saved ? num(seen.saved.fields.planVersion) : undefined;
    if (change.save && version !== undefined && version !== change.save.expectedVersion) {
      return new StaleVersionError(change.save.plan.id, change.save.expectedVersion, version);
    }
    const why = typeof seen.journal?.fields.outcome === "string" ? seen.journal.fields.outcome : "it was refused";
    return conflict(`This change was not saved (${why}); nothing was written. Try again.`);
  }

  private now(): string {
    return this.lists.clock.now().toISOString();
  }

  // ------------------------------------------------------------ closing, background, sweep

  /** Closes entries in batches of up to 20, a moment later, so the save itself costs one round trip. */
  private closeLater(journal: Item): void {
    this.toClose.push(journal);
    if (this.closeTimer || this.stopped) return;
    this.closeTimer = setTimeout(() => void this.flushCloses(), 250);
    this.closeTimer.unref();
  }

  /** Closes the entries waiting (a failure leaves them open: the sweep finds them done and closes them). */
  async flushCloses(): Promise<void> {
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
    while (this.toClose.length > 0) {
      const chunk = this.toClose.splice(0, batchLimit);
      const closedAt = this.lists.clock.now().toISOString();
      try {
        await batch(
          this.lists.client,
          chunk.map((j, n) => ({
            id: String(n + 1),
            method: "PATCH" as const,
            url: `${this.lists.itemsPath("changes")}/${j.itemId}/fields`,
            body: { changeState: "done", closedAt, ...clearedBody },
          })),
          "Closing changes",
        );
      } catch {
        // Left open; harmless (see above).
      }
    }
  }

  /** Keeps rolling a change forward until it is done or refused (or the store closes). */
  private inBackground(change: JournalledChange): void {
    if (this.background.has(change.changeId) || this.stopped) return;
    const run = (async () => {
      for (let attempt = 1; !this.stopped; attempt++) {
        let error: unknown;
        try {
          const outcome = await this.rollForward(change);
          if (outcome === "done" || outcome === "absent") {
            this.log?.info(outcome === "done" ? "delayed change completed" : "delayed change was never recorded", { changeId: change.changeId, attempt });
            return;
          }
        } catch (e) {
          if (!isTransient(e)) {
            this.log?.warn("delayed change refused", { changeId: change.changeId, error: errorName(e) });
            return; // refused: the entry says so
          }
          error = e;
        }
        const backOff = this.options.retryDelayMs * 2 ** Math.min(attempt, 8);
        await sleep(Math.min(maxBackgroundDelayMs, Math.max(this.waitMs(error, attempt), backOff, minBackgroundDelayMs)));
      }
    })().finally(() => this.background.delete(change.changeId));
    this.background.set(change.changeId, run);
  }

  /**
   * Rolls forward the changes left open by an instance that is gone (its lease ended): taken
   * over with If-Match on the entry, so two sweepers never both hold one. Returns how many.
   */
  async sweep(): Promise<number> {
    const open = await this.lists.query("changes", eq("changeState", "open"));
    const now = this.lists.clock.now().getTime();
    let n = 0;
    for (const item of open) {
      const id = String(item.fields.changeId);
      if (this.background.has(id) || num(item.fields.leaseUntilMs) > now) continue;
      const change = JournalledChange.safeParse(this.lists.bodyOf("changes", item.fields));
      if (!change.success) continue;
      const took = await batch(
        this.lists.client,
        [
          {
            id: "1",
            method: "PATCH",
            url: `${this.lists.itemsPath("changes")}/${item.itemId}/fields`,
            body: { holder: this.options.instanceId, leaseUntilMs: now + changeLeaseMs },
            headers: { "if-match": item.etag },
          },
        ],
        "Taking over a change",
      );
      if (!is2xx(took.get("1"))) continue;
      n++;
      this.log?.warn("took over an unfinished change", {
        changeId: change.data.changeId,
        from: typeof item.fields.holder === "string" ? item.fields.holder : "",
      });
      try {
        if ((await this.rollForward(change.data)) !== "done") this.inBackground(change.data);
      } catch (e) {
        if (isTransient(e)) this.inBackground(change.data);
      }
    }
    return n;
  }

  /** Sweeps now and then every `sweepMs`. */
  startSweeping(): void {
    if (this.options.sweepMs <= 0 || this.sweepTimer) return;
    this.sweepTimer = setInterval(() => void this.sweep().catch(() => undefined), this.options.sweepMs);
    this.sweepTimer.unref();
  }

  /** Waits for the background work of this instance (tests; a graceful stop). */
  async settle(): Promise<void> {
    await Promise.all([...this.background.values()]);
    await this.flushCloses();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.flushCloses();
  }

  private waitMs(error: unknown, round: number): number {
    const hinted = error instanceof GraphThrottledError ? error.retryAfterSeconds * 1000 : undefined;
    return hinted ?? this.options.retryDelayMs * round;
  }
}

/** What a log line may say of an error: its name, never its message (which can quote a request). */
const errorName = (e: unknown): string => (e instanceof Error ? e.name : typeof e);
