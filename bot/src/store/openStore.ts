import { join } from "node:path";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { Store } from "./store.js";
import type { Logger } from "../logger.js";
import { openSqliteStore } from "./sqlite/sqliteStore.js";
import { openSharePointStore } from "./sharepoint/sharePointStore.js";

/** The embedded store's file under DATA_DIR. */
export const sqliteFile = (config: Pick<Config, "dataDir">): string => join(config.dataDir, "ect-support-plans.sqlite");

/** The embedded SQLite file by default; SharePoint via Graph when a tenant's site is configured. */
export async function openStore(config: Config, clock: Clock, logger?: Logger): Promise<Store> {
  // The instance id names who holds a change in SharePoint's change journal.
  if (config.sharePoint) return openSharePointStore(config.sharePoint, { clock, instanceId: config.instanceId, ...(logger ? { logger } : {}) });
  return openSqliteStore(sqliteFile(config), { clock });
}
