/**
 * `npm run audit:verify`: checks every hash chain of the audit trail in the store this server is
 * configured with (bot/src/config.ts), opened exactly as bot/src/main.ts opens it — the SQLite
 * file under DATA_DIR in local mode, SharePoint when SHAREPOINT_SITE_ID and its settings are set.
 * Opening applies any migration the file still needs, as starting the server would.
 *
 * Prints how many chains and entries it checked. Exit 0: every chain holds. Exit 1: a chain is
 * broken; the first broken entry is named (chain, entry id, position, reason). Exit 2: the trail
 * could not be read. It never prints plan content, tokens or URLs.
 */
import { existsSync } from "node:fs";
import { systemClock } from "../clock.js";
import { loadConfig } from "../config.js";
import { openStore, sqliteFile } from "../store/openStore.js";
import { verificationReport, verifyStoreAudit } from "./verifyAudit.js";

/** An error's message with any address taken out (Graph and sign-in errors can carry them). */
const withoutAddresses = (message: string): string => message.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]+/gi, "<address>");

async function main(): Promise<number> {
  const config = loadConfig();
  if (!config.sharePoint && !existsSync(sqliteFile(config))) {
    // Opening would create an empty store and report it intact: say what is wrong instead.
    process.stderr.write(`There is no store to check in the data folder ${config.dataDir}. Set DATA_DIR to the server's data folder.\n`);
    return 2;
  }
  const store = await openStore(config, systemClock);
  try {
    const { lines, exitCode } = verificationReport(await verifyStoreAudit(store));
    process.stdout.write(lines.join("\n") + "\n");
    return exitCode;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`Could not check the audit trail: ${withoutAddresses(e instanceof Error ? e.message : String(e))}\n`);
    process.exit(2);
  },
);
