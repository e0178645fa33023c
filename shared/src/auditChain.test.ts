import { describe, expect, it } from "vitest";
import type { AuditEntry } from "./model/records.js";
import { chainStart, sealAuditBatch, sealAuditEntries, verifyAuditChain, verifyAuditTrail } from "./auditChain.js";

const entry = (n: number, planId: string | undefined = "plan-1"): AuditEntry => ({
  id: `a-${planId ?? "none"}-${n}`,
  at: `2026-11-27T10:00:0${n % 10}.000Z`,
  actorId: "tutor",
  actorName: "Tutor",
  action: "editPlan",
  ectId: "ect-amy",
  ...(planId ? { planId, version: n, revision: 1 } : {}),
  summary: `Change ${n}`,
});

describe("the audit hash chain", () => {
  const chain = sealAuditEntries([entry(1), entry(2), entry(3)], undefined);

  it("numbers entries and links each to the one before", () => {
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(chain[0]?.prevHash).toBe(chainStart);
    expect(chain[1]?.prevHash).toBe(chain[0]?.hash);
    expect(chain.every((e) => /^[0-9a-f]{64}$/.test(e.hash ?? ""))).toBe(true);
    expect(verifyAuditChain(chain)).toBeUndefined();
  });

  it("continues from the head a store read", () => {
    const more = sealAuditEntries([entry(4)], { seq: 3, hash: chain[2]!.hash! });
    expect(verifyAuditChain([...chain, ...more])).toBeUndefined();
  });

  it("names the first entry changed, removed, reordered or slipped in", () => {
    const changed = chain.map((e, i) => (i === 1 ? { ...e, summary: "Nothing happened" } : e));
    expect(verifyAuditChain(changed)).toMatchObject({ entryId: chain[1]?.id, seq: 2, reason: "its content no longer matches its hash" });

    expect(verifyAuditChain([chain[0]!, chain[2]!])).toMatchObject({ entryId: chain[2]?.id, seq: 2, reason: "entry 2 is missing" });

    const swapped = [chain[0]!, { ...chain[2]!, seq: 2 }, { ...chain[1]!, seq: 3 }];
    expect(verifyAuditChain(swapped)?.entryId).toBe(chain[2]?.id);

    // A forger who recomputes a hash still breaks the link to the next entry.
    const [forged] = sealAuditEntries([{ ...chain[1]!, summary: "Forged" }], { seq: 1, hash: chain[0]!.hash! });
    expect(verifyAuditChain([chain[0]!, forged!, chain[2]!])).toMatchObject({ entryId: chain[2]?.id, reason: "it does not follow the entry before it" });

    const { hash: _h, ...unsealed } = chain[0]!;
    expect(verifyAuditChain([unsealed, ...chain.slice(1)])?.reason).toBe("the entry is not sealed");
  });

  it("keeps one chain per plan in a mixed batch, and one per ECT for entries about no plan", () => {
    const sealed = sealAuditBatch([entry(1, "p1"), entry(1, "p2"), entry(2, "p1"), entry(1, undefined)], new Map());
    expect(sealed.map((e) => e.seq)).toEqual([1, 1, 2, 1]);
    const trail = verifyAuditTrail(sealed);
    expect(trail).toMatchObject({ chains: 3, entries: 4, breaks: [] });
    const broken = verifyAuditTrail(sealed.map((e, i) => (i === 2 ? { ...e, actorId: "head" } : e)));
    expect(broken.breaks.map((b) => [b.chainId, b.entryId])).toEqual([["p1", sealed[2]?.id]]);
  });
});
