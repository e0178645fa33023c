/**
 * The Graph double's list item delta query, as Graph documents it: a first enumeration page by
 * page to a deltaLink; the deltaLink then answers only what was created, changed or deleted
 * since (deleted items with the `deleted` facet) and a new deltaLink; the same inside a $batch;
 * and 410 Gone (resyncRequired) with a Location to start over once tokens expire.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDoubleKit, type DoubleKit } from "../../../test-support/graph/doubleKit.js";
import { batch, createGraphClient, relativeToVersion, send } from "./graph.js";

type Page = { value: { id: string; fields?: Record<string, unknown>; deleted?: unknown }[]; "@odata.nextLink"?: string; "@odata.deltaLink"?: string };

let kit: DoubleKit;
beforeAll(async () => {
  kit = await startDoubleKit();
});
afterAll(async () => {
  await kit.stop();
});

describe("the double's list item delta query", () => {
  it("enumerates, then answers only changes and deletions since the deltaLink, also inside $batch", async () => {
    const prefix = "Delta ";
    await kit.provision(prefix);
    const client = createGraphClient(kit.settings(prefix), kit.connection());
    const list = `${prefix}Schools`;
    const items = `/sites/${kit.double.siteId}/lists/${encodeURIComponent(list)}/items`;
    kit.double.seed(
      list,
      Array.from({ length: 5 }, (_, i) => ({ Title: `s${i}`, schoolId: `s${i}`, name: `School ${i}`, abId: "ab", body: "{}" })),
    );
    const get = async (path: string) => {
      const res = await send(client, "GET", path);
      expect(res.status).toBe(200);
      return res.body as Page;
    };
    /** Every page of one round, as the deltaLink's token keeps the first request's $top (2). */
    const round = async (link: string) => {
      const got: Page[] = [await get(relativeToVersion(link))];
      while (got.at(-1)!["@odata.nextLink"]) got.push(await get(relativeToVersion(got.at(-1)!["@odata.nextLink"]!)));
      return { value: got.flatMap((p) => p.value), "@odata.deltaLink": got.at(-1)!["@odata.deltaLink"], pages: got.length };
    };

    // First enumeration: two items a page, by nextLink, to a deltaLink.
    const pages: Page[] = [await get(`${items}/delta?$expand=fields($select=schoolId,name)&$top=2`)];
    while (pages.at(-1)!["@odata.nextLink"]) pages.push(await get(relativeToVersion(pages.at(-1)!["@odata.nextLink"]!)));
    expect(pages.map((p) => p.value.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((p) => p.value.map((v) => v.fields))).toEqual(
      Array.from({ length: 5 }, (_, i) => expect.objectContaining({ schoolId: `s${i}`, name: `School ${i}` })),
    );
    expect(pages[0]!.value[0]!.fields).not.toHaveProperty("abId"); // $select held across the pages
    const deltaLink = pages.at(-1)!["@odata.deltaLink"]!;
    expect(deltaLink).toMatch(/\/items\/delta\?token=/);

    // Nothing changed: nothing comes back, and a deltaLink again.
    const quiet = await round(deltaLink);
    expect(quiet.value).toEqual([]);

    // One edit, one create, one delete.
    const [s1, s3] = [kit.double.items(list)[1]!, kit.double.items(list)[3]!];
    kit.double.editItem(list, String(s1.id), { name: "Renamed" });
    kit.double.seed(list, [{ Title: "s5", schoolId: "s5", name: "School 5", abId: "ab", body: "{}" }]);
    kit.double.removeItem(list, String(s3.id));
    const changes = await round(quiet["@odata.deltaLink"]!);
    expect(changes.pages).toBe(2);
    expect(changes.value).toEqual([
      expect.objectContaining({ id: String(s1.id), fields: expect.objectContaining({ name: "Renamed" }) }),
      { id: String(s3.id), deleted: { state: "deleted" } },
      expect.objectContaining({ fields: expect.objectContaining({ schoolId: "s5" }) }),
    ]);

    // Inside a $batch (URL without the version), the next deltaLink answers nothing new.
    const inBatch = await batch(client, [{ id: "1", method: "GET", url: relativeToVersion(changes["@odata.deltaLink"]!) }], "delta in a batch");
    expect(inBatch.get("1")).toMatchObject({ status: 200, body: { value: [] } });
    expect(kit.double.count("batch:GET delta")).toBe(1);

    // An expired token: 410 Gone, resyncRequired, and where to start again.
    kit.double.expireDeltaTokens();
    const gone = await send(client, "GET", relativeToVersion(changes["@odata.deltaLink"]!));
    expect(gone.status).toBe(410);
    expect(gone.body).toMatchObject({ error: { code: "resyncRequired" } });
    expect(gone.headers.location).toMatch(/\/items\/delta$/);
    const again = await get(`${items}/delta?$expand=fields&$top=5000`);
    expect(again.value.map((v) => v.fields?.schoolId)).toEqual(["s0", "s1", "s2", "s4", "s5"]);
    expect(again["@odata.deltaLink"]).toBeDefined();
  });
});
