/**
 * Every port's store contract, unchanged, against the SharePoint adapter over HTTPS against the local
 * Graph double (real @azure/identity sign-in, real Graph client middleware). Each test gets
 * empty lists: a fresh list prefix, provisioned through the real provisioning code.
 */
import { afterAll, beforeAll } from "vitest";
import {
  auditContract,
  directoryContract,
  persistenceContract,
  planContract,
  reachContract,
  recordContract,
  type MakeStore,
} from "../../../test-support/store/contract.js";
import { schoolSettingsContract } from "../../../test-support/store/schoolSettingsContract.js";
import { retentionContract } from "../../../test-support/store/retentionContract.js";
import { startDoubleKit, type DoubleKit } from "../../../test-support/graph/doubleKit.js";
import type { SharePointStore } from "./sharePointStore.js";

let kit: DoubleKit;
let n = 0;

beforeAll(async () => {
  kit = await startDoubleKit();
});

afterAll(async () => {
  await kit.stop();
});

/** A fresh, empty store for each contract case. */
const openSharePoint: MakeStore = async (clock) => {
  const prefix = `C${++n} `;
  await kit.provision(prefix);
  const opened: SharePointStore[] = [];
  const open = async () => {
    // Every directory read refreshes first: a write on one instance is seen by the other's next read.
    const s = await kit.open(prefix, { clock, directoryFreshness: { refreshMs: 0, maxStaleMs: 0 } });
    opened.push(s);
    return s;
  };
  let current = await open();
  return {
    store: current,
    reopen: async () => {
      await current.close();
      current = await open();
      return current;
    },
    openAnother: open,
    refuseWrites: () => {
      // Graph throttles every $batch that writes (a refusal before anything runs), past the retries.
      const writes = (body: unknown) => ((body as { requests?: { method: string }[] } | undefined)?.requests ?? []).some((q) => q.method !== "GET");
      kit.double.inject({ status: 429, rate: 1, retryAfterSeconds: 0, match: (r) => r.path === "/$batch" && writes(r.body) });
      return () => kit.double.clearFaults();
    },
    cleanup: async () => {
      for (const s of opened) await s.close();
    },
  };
};

directoryContract("sharepoint", openSharePoint);
schoolSettingsContract("sharepoint", openSharePoint);
planContract("sharepoint", openSharePoint);
auditContract("sharepoint", openSharePoint);
recordContract("sharepoint", openSharePoint);
reachContract("sharepoint", openSharePoint);
persistenceContract("sharepoint", openSharePoint);
// Issue 16, item 9: every DELETE refused past the retries, or one whose reply is lost after Graph applied it.
retentionContract("sharepoint", openSharePoint, (mode) => {
  const deletes = (r: { method: string }) => r.method === "DELETE";
  kit.double.inject(
    mode === "refused"
      ? { status: 503, rate: 1, retryAfterSeconds: 0, match: deletes }
      : { status: 503, afterApplying: true, count: 1, retryAfterSeconds: 0, match: deletes },
  );
  return () => kit.double.clearFaults();
});
