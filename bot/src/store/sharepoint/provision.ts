/**
 * Creates the lists and columns of listSchema.ts on a site, idempotently: a list that exists is
 * left alone except for columns it lacks (added) and index/unique settings that differ
 * (updated), and audit entries written before chains existed are sealed (sealLegacyAudit.ts).
 * Running it twice changes nothing the second time (and says so).
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { ok, send } from "./graph.js";
import { listKeys, listSchema, listTitle, type ColumnSpec } from "./listSchema.js";
import { sealLegacyAudit } from "./sealLegacyAudit.js";

export interface ProvisionReport {
  createdLists: string[];
  addedColumns: string[];
  updatedColumns: string[];
  unchangedLists: string[];
  /** Audit entries from before chains existed, sealed now. */
  sealedAuditEntries: number;
  /** True when nothing had to change. */
  unchanged: boolean;
}

interface GraphColumn {
  id: string;
  name: string;
  indexed?: boolean;
  enforceUniqueValues?: boolean;
  text?: { allowMultipleLines?: boolean };
  number?: unknown;
  boolean?: unknown;
}

export function columnDefinition(c: ColumnSpec): Record<string, unknown> {
  const type =
    c.type === "text"
      ? { text: { allowMultipleLines: false, maxLength: 255 } }
      : c.type === "note"
        ? { text: { allowMultipleLines: true, textType: "plain", linesForEditing: 6 } }
        : c.type === "number"
          ? { number: { decimalPlaces: "none" } }
          : { boolean: {} };
  return {
    name: c.name,
    displayName: c.name,
    ...(c.description ? { description: c.description } : {}),
    indexed: !!c.indexed,
    enforceUniqueValues: !!c.unique,
    ...type,
  };
}

const typeOf = (c: GraphColumn): ColumnSpec["type"] | "other" =>
  c.text ? (c.text.allowMultipleLines ? "note" : "text") : c.number ? "number" : c.boolean ? "boolean" : "other";

export async function provisionSharePoint(client: Client, siteId: string, prefix: string, log: (line: string) => void = () => {}): Promise<ProvisionReport> {
  const report: ProvisionReport = { createdLists: [], addedColumns: [], updatedColumns: [], unchangedLists: [], sealedAuditEntries: 0, unchanged: true };
  const site = `/sites/${siteId}`;
  const lists = ok(await send(client, "GET", `${site}/lists?$select=id,displayName&$top=5000`), "Reading the site's lists").body as {
    value: { id: string; displayName: string }[];
  };
  const byName = new Map(lists.value.map((l) => [l.displayName, l.id]));

  for (const key of listKeys) {
    const spec = listSchema[key];
    const title = listTitle(prefix, key);
    const columns = spec.columns as readonly ColumnSpec[];
    const listId = byName.get(title);
    if (!listId) {
      ok(
        await send(client, "POST", `${site}/lists`, {
          displayName: title,
          description: spec.description,
          columns: columns.map(columnDefinition),
          list: { template: "genericList" },
        }),
        `Creating the list "${title}"`,
      );
      report.createdLists.push(title);
      log(`created list "${title}" with ${columns.length} columns`);
      continue;
    }
    const existing = (ok(await send(client, "GET", `${site}/lists/${listId}/columns`), `Reading the columns of "${title}"`).body as { value: GraphColumn[] })
      .value;
    let changed = false;
    for (const c of columns) {
      const have = existing.find((e) => e.name === c.name);
      if (!have) {
        ok(await send(client, "POST", `${site}/lists/${listId}/columns`, columnDefinition(c)), `Adding column ${c.name} to "${title}"`);
        report.addedColumns.push(`${title}.${c.name}`);
        log(`added column ${title}.${c.name}`);
        changed = true;
        continue;
      }
      if (typeOf(have) !== c.type) {
        throw new Error(
          `Column ${title}.${c.name} is ${typeOf(have)}, not ${c.type}. Provisioning will not change a column's type (its data would be lost): fix it on the site by hand.`,
        );
      }
      const patch: Record<string, boolean> = {};
      if (!!have.indexed !== !!c.indexed) patch.indexed = !!c.indexed;
      if (!!have.enforceUniqueValues !== !!c.unique) patch.enforceUniqueValues = !!c.unique;
      if (Object.keys(patch).length > 0) {
        // A unique column must be indexed first, and unique dropped before the index.
        if (patch.indexed === true || patch.enforceUniqueValues === false) {
          const first = patch.indexed === true ? { indexed: true } : { enforceUniqueValues: false };
          ok(await send(client, "PATCH", `${site}/lists/${listId}/columns/${have.id}`, first), `Updating ${title}.${c.name}`);
        }
        ok(await send(client, "PATCH", `${site}/lists/${listId}/columns/${have.id}`, patch), `Updating ${title}.${c.name}`);
        report.updatedColumns.push(`${title}.${c.name}`);
        log(
          `updated column ${title}.${c.name} (${Object.entries(patch)
            .map(([k, v]) => `${k}=${v}`)
            .join(", ")})`,
        );
        changed = true;
      }
    }
    if (!changed) report.unchangedLists.push(title);
  }
  // Only a list that existed before this run can hold entries from before chains.
  const auditList = byName.get(listTitle(prefix, "audit"));
  if (auditList) report.sealedAuditEntries = await sealLegacyAudit(client, site, auditList, log);
  report.unchanged =
    report.createdLists.length === 0 && report.addedColumns.length === 0 && report.updatedColumns.length === 0 && report.sealedAuditEntries === 0;
  return report;
}
