/**
 * The Graph double's list item delta query (listItem: delta), as documented:
 *
 * - GET /sites/{site}/lists/{list}/items/delta[?$expand=fields[($select=…)]&$top=n] enumerates
 *   the list's current items, page by page through `@odata.nextLink`; the last page carries
 *   `@odata.deltaLink` (…/items/delta?token=…);
 * - calling the deltaLink returns the items created or changed since (their latest state, once
 *   each) and the items deleted since, as `{ id, deleted: { state: "deleted" } }`, then a new
 *   deltaLink;
 * - a token the service can no longer serve answers 410 Gone with `resyncRequired` and a
 *   Location header to start over (the double's `expireDeltaTokens`).
 *
 * Change tracking is a per-list change counter: every create, edit and delete takes the next
 * number. A token says "changes after n, up to m" (m fixed when the enumeration began, so the
 * pages of one enumeration agree), the page position, and the $expand/$top asked for, since
 * Graph's links carry those in the token rather than the query.
 */

export interface DeltaItem {
  id: number;
  /** The list's change number when this item was last created or changed. */
  changed: number;
}

export interface DeltaList<I extends DeltaItem> {
  items: Map<number, I>;
  /** The last change number handed out. */
  changeSeq: number;
  /** Items deleted, with the change number of their deletion. */
  removed: { id: number; changed: number }[];
  /** Tokens issued before the current epoch answer 410 (expireDeltaTokens). */
  tokenEpoch: number;
}

interface Token {
  /** Changes after this number... */
  since: number;
  /** ...up to this one. */
  upTo: number;
  /** Next page: entries with a larger item id. */
  after: number;
  expand: string | null;
  top: number;
  epoch: number;
}

const encode = (t: Token) => Buffer.from(JSON.stringify(t)).toString("base64url");

function decode(raw: string): Token | undefined {
  try {
    const t = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Partial<Token>;
    const ints = [t.since, t.upTo, t.after, t.top, t.epoch];
    if (!ints.every((n) => Number.isInteger(n))) return undefined;
    return { since: t.since!, upTo: t.upTo!, after: t.after!, top: t.top!, epoch: t.epoch!, expand: typeof t.expand === "string" ? t.expand : null };
  } catch {
    return undefined;
  }
}

export type DeltaReply = { status: 200; body: Record<string, unknown> } | { status: 400 | 410; headers: Record<string, string>; code: string; message: string };

/**
 * One page of the delta feed. `linkBase` is the absolute URL of …/items/delta; `itemJson` renders
 * an item as the items endpoint does (with fields when `expand` asks for them).
 */
export function deltaPage<I extends DeltaItem>(
  list: DeltaList<I>,
  query: URLSearchParams,
  linkBase: string,
  maxPageSize: number,
  itemJson: (item: I, expand: string | null) => unknown,
): DeltaReply {
  const tokenRaw = query.get("token");
  let token: Token;
  if (tokenRaw === null || tokenRaw === "") {
    const topRaw = query.get("$top");
    const top = topRaw === null ? 200 : Number(topRaw);
    if (!Number.isInteger(top) || top < 1 || top > 5000) return { status: 400, headers: {}, code: "invalidRequest", message: "Invalid $top" };
    token = { since: 0, upTo: list.changeSeq, after: 0, expand: query.get("$expand"), top, epoch: list.tokenEpoch };
  } else {
    const t = decode(tokenRaw);
    if (!t) return { status: 400, headers: {}, code: "invalidRequest", message: "The delta token is not valid." };
    if (t.epoch !== list.tokenEpoch) {
      return { status: 410, headers: { location: linkBase }, code: "resyncRequired", message: "The delta token has expired; start a new enumeration." };
    }
    // A deltaLink's token starts a new round of changes: up to what the list holds now.
    token = t.after === 0 && t.since === t.upTo ? { ...t, upTo: list.changeSeq } : t;
  }
  const initial = token.since === 0;
  const entries: { id: number; item?: I }[] = [];
  for (const item of list.items.values()) if (item.changed > token.since && item.changed <= token.upTo) entries.push({ id: item.id, item });
  if (!initial) {
    // A deleted item shows as deleted once (the first enumeration lists only what exists).
    for (const r of list.removed) if (r.changed > token.since && r.changed <= token.upTo && !list.items.has(r.id)) entries.push({ id: r.id });
  }
  const page = Math.min(token.top, maxPageSize);
  const rest = [...new Map(entries.filter((e) => e.id > token.after).map((e) => [e.id, e])).values()].sort((a, b) => a.id - b.id);
  const out = rest.slice(0, page);
  const value = out.map((e) => (e.item ? itemJson(e.item, token.expand) : { id: String(e.id), deleted: { state: "deleted" } }));
  const body: Record<string, unknown> = { "@odata.context": "items(delta)", value };
  if (rest.length > page) {
    body["@odata.nextLink"] = `${linkBase}?token=${encode({ ...token, after: out.at(-1)!.id })}`;
  } else {
    body["@odata.deltaLink"] = `${linkBase}?token=${encode({ ...token, since: token.upTo, after: 0 })}`;
  }
  return { status: 200, body };
}
