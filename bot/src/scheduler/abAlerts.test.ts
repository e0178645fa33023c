/**
 * Two schools, two appropriate bodies: an AB outside the tenant gets each school's alerts through
 * the webhook THAT school set for it, so no alert (names, levels, links) ever crosses to another
 * school's webhook — the attack a decoy ECT and a hijacked AB-wide webhook used to allow.
 */
import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NewOutboxMessage } from "@ectsp/shared";
import { OutboxDispatcher } from "./dispatcher.js";
import { openSqliteStore } from "../store/sqlite/sqliteStore.js";
import { silentLogger } from "../logger.js";
import type { ProactiveChannel } from "../teams/platform.js";
import { movableClock, testInstant } from "../../test-support/movableClock.js";
import { makeAb, makeEct, makePerson, makeSchool } from "../../test-support/store/testData.js";

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const hookX = "https://prod-1.uksouth.logic.azure.com/workflows/x/triggers/manual/paths/invoke?sig=school-x";
const hookY = "https://prod-2.uksouth.logic.azure.com/workflows/y/triggers/manual/paths/invoke?sig=school-y";

async function world() {
  const dir = mkdtempSync(join(tmpdir(), "ectsp-ab-alerts-"));
  const clock = movableClock(testInstant);
  const store = openSqliteStore(join(dir, "s.sqlite"), { clock });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => store.close());
  const abA = makeAb({ name: "Outside Hub A" });
  const abB = makeAb({ name: "Hub B" });
  // School X works with A; school Y with B and, linked in its set-up, A too. Each set its own webhook for A.
  const schoolX = makeSchool({ abId: abA.id, name: "School X", alertWebhooks: [{ abId: abA.id, url: hookX }] });
  const schoolY = makeSchool({ abId: abB.id, name: "School Y", linkedAbIds: [abA.id], alertWebhooks: [{ abId: abA.id, url: hookY }] });
  const officerA = makePerson({ displayName: "Officer A", roles: ["ab_officer"], abId: abA.id });
  const people = { x1: makePerson({ roles: ["ect"], schoolId: schoolX.id }), y1: makePerson({ roles: ["ect"], schoolId: schoolY.id }) };
  const ectX = makeEct({ personId: people.x1.id, schoolId: schoolX.id, abId: abA.id });
  const ectY = makeEct({ personId: people.y1.id, schoolId: schoolY.id, abId: abA.id });
  for (const ab of [abA, abB]) await store.upsertAppropriateBody(ab);
  for (const s of [schoolX, schoolY]) await store.upsertSchool(s);
  for (const p of [officerA, people.x1, people.y1]) await store.upsertPerson(p);
  for (const e of [ectX, ectY]) await store.upsertEct(e);

  const posted: { url: string; ectId: unknown }[] = [];
  const channel: ProactiveChannel = {
    send: () => Promise.reject(new Error("the AB has no conversation with the bot")),
    update: () => Promise.reject(new Error("no conversation")),
  };
  const dispatcher = new OutboxDispatcher({
    store,
    renderer: {
      forOutbox: async (m) => ({ type: "AdaptiveCard", $schema: "x", version: "1.5", body: [{ type: "TextBlock", text: String(m.ectId) }] }),
    },
    channel,
    clock,
    instanceId: "i-1",
    logger: silentLogger,
    sleep: async () => {},
    webhook: {
      post: async (url, card) => {
        posted.push({ url, ectId: (card.body[0] as { text?: string }).text });
      },
    },
  });
  const alert = (ectId: string | undefined, key: string): NewOutboxMessage => ({
    kind: "escalation_alert",
    recipientId: officerA.id,
    dedupeKey: key,
    ...(ectId ? { ectId } : {}),
  });
  return { store, clock, dispatcher, posted, ectX, ectY, alert };
}

describe("alerts to an AB outside the tenant", () => {
  it("go to the webhook of the ECT's own school, never another school's", async () => {
    const w = await world();
    await w.store.enqueue([w.alert(w.ectX.id, "x"), w.alert(w.ectY.id, "y")], w.clock.now());
    await w.dispatcher.drain();
    expect(w.posted.sort((a, b) => a.url.localeCompare(b.url))).toEqual([
      { url: hookX, ectId: w.ectX.id },
      { url: hookY, ectId: w.ectY.id },
    ]);
  });

  it("an alert with no ECT (so no school), or for an ECT filed under another AB, goes to no school's webhook", async () => {
    const w = await world();
    const elsewhere = { ...w.ectY, abId: makeAb().id };
    await w.store.upsertAppropriateBody({ id: elsewhere.abId, name: "Another AB" });
    await w.store.upsertEct(elsewhere);
    await w.store.enqueue([w.alert(undefined, "no-ect"), w.alert(elsewhere.id, "other-ab")], w.clock.now());
    await w.dispatcher.drain();
    expect(w.posted).toEqual([]);
    // Not lost either: both wait for a way to reach the officer.
    expect((await w.store.listOutbox({ status: "pending" })).map((m) => m.dedupeKey).sort()).toEqual(["no-ect", "other-ab"]);
  });
});
