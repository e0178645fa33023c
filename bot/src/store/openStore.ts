import { join } from "node:path";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { Store } from "./store.js";
import { openSqliteStore } from "./sqlite/sqliteStore.js";
import { openSharePointStore } from "./sharepoint/sharePointStore.js";

/** The embedded store's file under DATA_DIR. */
export const sqliteFile = (config: Pick<Config, "dataDir">): string => join(config.dataDir, "ect-support-plans.sqlite");

/** The embedded SQLite file by default; SharePoint via Graph when a tenant's site is configured. */
export async function openStore(config: Config, clock: Clock): Promise<Store> {
  if (config.sharePoint) return openSharePointStore(config.sharePoint, { clock });
  return openSqliteStore(sqliteFile(config), { clock });
}
