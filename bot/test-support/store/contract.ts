/**
 * The Store contract: what every adapter (the embedded SQLite file, SharePoint lists via Graph)
 * must do, as vitest cases, one suite per port. An adapter's test file calls each port's
 * contract itself, so it is plain that every port runs against every adapter; `storeContract`
 * runs them all at once.
 */
import { auditContract } from "./auditContract.js";
import type { MakeStore } from "./contractKit.js";
import { directoryContract } from "./directoryContract.js";
import { persistenceContract } from "./persistenceContract.js";
import { planContract } from "./planContract.js";
import { reachContract } from "./reachContract.js";
import { recordContract } from "./recordContract.js";

export type { MakeStore, StoreUnderTest } from "./contractKit.js";
export { auditContract, directoryContract, persistenceContract, planContract, reachContract, recordContract };

/** Every port's contract against one adapter. */
export function storeContract(name: string, makeStore: MakeStore): void {
  directoryContract(name, makeStore);
  planContract(name, makeStore);
  auditContract(name, makeStore);
  recordContract(name, makeStore);
  reachContract(name, makeStore);
  persistenceContract(name, makeStore);
}
