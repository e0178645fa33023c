/**
 * `npm run provision:sharepoint`: creates the app's lists and columns on the configured site
 * (SHAREPOINT_SITE_ID and the other SHAREPOINT_* settings; see infra/sharepoint/README.md).
 * Idempotent: a second run changes nothing and says so.
 *
 *   --print-schema   print the list design as JSON (infra/sharepoint/lists.json) and exit
 */
import { loadSharePointSettings } from "../../config.js";
import { createGraphClient } from "./graph.js";
import { schemaDocument } from "./listSchema.js";
import { provisionSharePoint } from "./provision.js";

async function main(): Promise<number> {
  if (process.argv.includes("--print-schema")) {
    process.stdout.write(JSON.stringify(schemaDocument(process.env.SHAREPOINT_LIST_PREFIX ?? "ECTSP "), null, 2) + "\n");
    return 0;
  }
  const settings = loadSharePointSettings(process.env);
  if (!settings) {
    process.stderr.write(
      "Set SHAREPOINT_SITE_ID (and SHAREPOINT_TENANT_ID, SHAREPOINT_CLIENT_ID, SHAREPOINT_CLIENT_SECRET) to the site to provision. See infra/sharepoint/README.md.\n",
    );
    return 2;
  }
  const client = createGraphClient(settings);
  process.stdout.write(`Provisioning lists "${settings.listPrefix}…" on site ${settings.siteId} via ${settings.graphBaseUrl}\n`);
  const report = await provisionSharePoint(client, settings.siteId, settings.listPrefix, (line) => process.stdout.write(`  ${line}\n`));
  process.stdout.write(
    report.unchanged
      ? "Nothing to change: every list and column is in place.\n"
      : `Done: ${report.createdLists.length} lists created, ${report.addedColumns.length} columns added, ${report.updatedColumns.length} columns updated, ${report.sealedAuditEntries} audit entries sealed.\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`Provisioning failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
