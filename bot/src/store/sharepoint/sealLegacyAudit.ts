/**
 * Provisioning's migration of the audit list (issue 12): entries written before chains existed
 * carry no position, so `npm run audit:verify` would call every older plan's chain broken ("the
 * entry is not sealed"). Provisioning — which must run before a release with new columns starts —
 * seals them: per chain, in the order they were written (atMs, then write order), appended after
 * whatever the chain already holds. They are vouched for from then on; a change made before
 * cannot be told apart. The PATCHes of one run go as a serial chain of requests, so if another
 * writer takes a position meanwhile (409 on chainPosition) the rest stop and a second run carries
 * on from the new head.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { AuditEntry, auditChainId, sealAuditEntries, type ChainHead } from "@ectsp/shared";
import { batch, batchLimit, failure, ok, relativeToVersion, send, type BatchRequest } from "./graph.js";
import { bodyChunkChars, bodyColumns } from "./listSchema.js";
import { auditColumns, chainStateOf } from "./auditChain.js";

interface AuditItem {
  id: string;
  etag: string;
  fields: Record<string, unknown>;
}

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v ?? 0));

/** Seals the audit list's unsealed entries; returns how many. */
export async function sealLegacyAudit(client: Client, site: string, listId: string, log: (line: string) => void = () => {}): Promise<number> {
  const items: AuditItem[] = [];
  let path: string | undefined = `${site}/lists/${listId}/items?$expand=fields&$top=5000`;
  while (path) {
    const body = ok(await send(client, "GET", path), "Reading the audit list").body as {
      value?: { id: string; "@odata.etag": string; fields: Record<string, unknown> }[];
      "@odata.nextLink"?: string;
    };
    for (const v of body.value ?? []) items.push({ id: String(v.id), etag: v["@odata.etag"], fields: v.fields ?? {} });
    path = body["@odata.nextLink"] ? relativeToVersion(body["@odata.nextLink"]) : undefined;
  }
  const unsealed = items.filter((i) => typeof i.fields.chainSeq !== "number");
  if (unsealed.length === 0) return 0;

  const body = (i: AuditItem) =>
    AuditEntry.parse(
      JSON.parse(
        bodyColumns("audit")
          .map((c) => (typeof i.fields[c] === "string" ? i.fields[c] : ""))
          .join(""),
      ),
    );
  const chains = new Map<string, { item: AuditItem; entry: AuditEntry }[]>();
  for (const item of unsealed) {
    const entry = body(item);
    const id = auditChainId(entry);
    chains.set(id, [...(chains.get(id) ?? []), { item, entry }]);
  }
  const requests: BatchRequest[] = [];
  for (const [chainId, legacy] of chains) {
    const head: ChainHead | undefined = chainStateOf(items.filter((i) => i.fields.chainId === chainId && typeof i.fields.chainSeq === "number")).head;
    legacy.sort(
      (a, b) => num(a.item.fields.atMs) - num(b.item.fields.atMs) || num(a.item.fields.seq) - num(b.item.fields.seq) || num(a.item.id) - num(b.item.id),
    );
    const sealed = sealAuditEntries(
      legacy.map((l) => l.entry),
      head,
    );
    sealed.forEach((entry, i) => {
      const { item } = legacy[i]!;
      const json = JSON.stringify(entry);
      const fields: Record<string, unknown> = { ...auditColumns(entry, num(item.fields.seq)) };
      bodyColumns("audit").forEach((c, n) => (fields[c] = json.slice(n * bodyChunkChars, (n + 1) * bodyChunkChars) || null));
      requests.push({ id: "", method: "PATCH", url: `${site}/lists/${listId}/items/${item.id}/fields`, body: fields, headers: { "if-match": item.etag } });
    });
  }
  for (let i = 0; i < requests.length; i += batchLimit) {
    const chunk = requests.slice(i, i + batchLimit).map((r, n) => ({ ...r, id: String(n + 1), ...(n > 0 ? { dependsOn: [String(n)] } : {}) }));
    const responses = await batch(client, chunk, "Sealing audit entries");
    const failed = [...responses.values()].find((r) => r.status >= 300 && r.status !== 424);
    if (failed) {
      throw new Error(
        `${failure(failed, "Sealing audit entries written before chains existed").message}. ${i + Number(failed.id) - 1} of ${requests.length} were sealed; run provisioning again to seal the rest.`,
      );
    }
  }
  log(`sealed ${requests.length} audit entries written before chains existed (${chains.size} chains)`);
  return requests.length;
}
