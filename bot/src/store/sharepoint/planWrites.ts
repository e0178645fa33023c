/**
 * The commit path of the SharePoint store: a change's writes as $batch phases (plans with
 * If-Match first, then the rest, then the sealed audit entries), re-sealing when another
 * instance took an audit position, and undoing what landed when a change cannot finish. Every
 * port that writes a unit (plans, records, messages, check-ins) goes through `runWrites`.
 */
import { AuditEntry, CheckIn, DomainError, Plan, auditChainId, conflict, notFound, sealAuditBatch, type ChainHead, type OutboxMessage } from "@ectsp/shared";
import { StaleVersionError, type PlanChange } from "../store.js";
import { GraphRequestError, GraphThrottledError, batch, batchLimit, failure, type BatchRequest, type BatchResponse } from "./graph.js";
import { bodyColumns, type ListKey } from "./listSchema.js";
import { auditColumns, conflictKind } from "./auditChain.js";
import type { SharePointAudit } from "./audit.js";
import type { Fields, Item, SiteLists } from "./lists.js";
import type { PlanCache } from "./plans.js";
import { dedupe, newOutbox } from "./reach.js";
import { SharePointThrottledError, SharePointWriteError } from "./writeErrors.js";
import type { ChangeJournal } from "./changeJournal.js";

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

/** Rounds of re-sealing after other instances took audit positions, before giving up. */
const maxAuditRounds = 8;

/** Audit entries a write appends, with their chains' heads as read before the write. */
interface AuditAppend {
  entries: AuditEntry[];
  heads: Map<string, ChainHead>;
}

export class PlanWrites {
  constructor(
    private readonly lists: SiteLists,
    private readonly plans: PlanCache,
    private readonly audit: SharePointAudit,
    private readonly journal: ChangeJournal,
  ) {}

  /**
   * A use case's change, through the change journal (changeJournal.ts): validated, the plan's
   * item and ETag and the chains' heads known (from the cache, else read together in one $batch),
   * then journalled and written, reconciled after any ambiguous answer.
   */
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
    // One save is the change's commit point; every use case saves at most one plan.
    if (saves.length > 1) throw new DomainError("invalid_state", "A change saves at most one plan");
    const audit = change.audit.map((a) => AuditEntry.parse(a));
    const checkIns = (change.checkIns ?? []).map((c) => CheckIn.parse(c));
    const outbox = dedupe((change.outbox ?? []).map((m) => newOutbox(m, this.lists.clock.now())));
    const save = saves[0];
    const journalled = this.journal.prepare({ ...(save ? { save } : {}), creates, audit, outbox, checkIns });

    const [, existingCheckIns, heads] = await Promise.all([
      save ? this.plans.planAt(save.plan.id, save.expectedVersion) : undefined,
      Promise.all(checkIns.map((c) => this.lists.findOne("checkIns", c.id))),
      this.audit.chainHeads(audit),
    ]).catch(refusedUnwritten("Saving the change"));
    await this.journal.commit(journalled, existingCheckIns, heads);
    // The same order as the embedded store: creates, then saves.
    return [...creates, ...saves.map((s) => s.plan)];
  }

  /**
   * Records that are not plans (induction records, evidence), with their audit entries and
   * messages, through the change journal like a plan change: `existing` are the rows' items as
   * read (to bring them to the new fields), undefined where the row is new.
   */
  async commitRecords(
    rows: { list: "inductionRecords" | "evidence"; key: string; fields: Fields; appendOnly?: boolean }[],
    audit: AuditEntry[],
    outbox: OutboxMessage[],
    existing: (Item | undefined)[],
    heads: Map<string, ChainHead>,
  ): Promise<void> {
    const journalled = this.journal.prepare({ creates: [], checkIns: [], audit, outbox, rows });
    await this.journal.commit(journalled, [], heads, existing);
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
  async runWrites(planWrites: Write[], rest: Write[], operation: string, audit?: AuditAppend): Promise<Map<Write, BatchResponse>> {
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
        responses = await batch(this.lists.client, requests, operation);
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
      const [states, taken] = await Promise.all([this.audit.chainStates(chains), Promise.all(real.map((w) => this.lists.findOne("audit", w.entry!.id)))]);
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
          url: `${this.lists.itemsPath(w.undo.list)}/${w.undo.itemId}/fields`,
          body: w.undo.fields,
          ...(headers ? { headers } : {}),
        });
      } else {
        const itemId = String((r.body as { id?: string }).id);
        requests.push({ id: "", method: "DELETE", url: `${this.lists.itemsPath(w.list)}/${itemId}`, ...(headers ? { headers } : {}) });
      }
      if (w.planId) this.plans.forget(w.planId);
    }
    try {
      let all = true;
      for (let i = 0; i < requests.length; i += batchLimit) {
        const chunk = requests.slice(i, i + batchLimit).map((r, n) => ({ ...r, id: String(n + 1) }));
        const res = await batch(this.lists.client, chunk, "Undoing a failed change");
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
      const item = await this.lists.findOne("plans", first.planId!);
      if (!item) return notFound(`Plan ${first.planId}`);
      const current = this.plans.rememberPlan(item).version;
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

  /** POSTs of sealed audit entries. */
  private auditWrites(sealed: AuditEntry[]): Write[] {
    const seqBase = this.lists.nextSeq(sealed.length);
    return sealed.map((a, i): Write => ({
      kind: "audit",
      entry: a,
      request: {
        id: "",
        method: "POST",
        url: this.lists.itemsPath("audit"),
        body: { fields: this.lists.fieldsFor("audit", a.id, auditColumns(a, seqBase + i), a) },
      },
      list: "audit",
    }));
  }
}

// ---------------------------------------------------------------- writes

export interface Write {
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
export function restoreFields(key: ListKey, old: Fields, written: Fields): Fields {
  const out: Fields = {};
  for (const k of Object.keys(written)) out[k] = k in old ? old[k] : null;
  for (const c of bodyColumns(key)) out[c] = c in old ? old[c] : null;
  return out;
}
