/**
 * Bot benchmark (`npm run bench:bot`):
 * 1. card action (invoke) latency, p50/p95, through the real CloudAdapter over HTTP on the
 *    embedded SQLite store: refreshes (reads) and comments (writes);
 * 2. the weekly fan-out of N check-ins (default 10,000; BENCH_FANOUT_N) through the real
 *    botbuilder channel to a local Bot Connector that enforces Teams' documented rate limits:
 *    the achieved rate as a fraction of the 50 RPS ceiling, and lost / duplicated messages.
 */
import { rmSync } from "node:fs";
import { startTestServer } from "../testServer.js";
import { LocalConnector } from "../localConnector.js";
import { BotClient, executeActions, textOf, cardOf } from "../botClient.js";
import { seedFanoutWorld } from "../fanoutWorld.js";
import { testInstant } from "../movableClock.js";
import { teamsGlobalRps } from "@ectsp/bot/scheduler/rateLimiter.js";

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * p) - 1)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function invokeLatency() {
  const connector = new LocalConnector();
  await connector.start();
  const server = await startTestServer({ now: new Date(testInstant) });
  const client = new BotClient({ botUrl: server.url, serviceUrl: connector.url });
  const amy = { id: "person-ect-amy", name: "Amy Clarke" };
  await client.install(amy);
  await server.app.bot.scheduler.tick();
  await server.app.bot.dispatcher.drain();
  const prompt = connector
    .sent(client.personalConversation(amy))
    .map((a) => cardOf(a.activity))
    .find((c) => /Week \d+ check-in/.test(textOf(c)));
  const ref = executeActions(prompt).find((a) => a.verb === "refresh")!.data;
  const reads: number[] = [];
  const writes: number[] = [];
  for (let i = 0; i < 20; i++) await client.execute(amy, "refresh", ref); // warm up
  for (let i = 0; i < 300; i++) {
    let t = performance.now();
    const r = await client.execute(amy, "refresh", ref);
    reads.push(performance.now() - t);
    if (r.status !== 200) throw new Error(`refresh failed: ${r.status}`);
    if (i < 200) {
      t = performance.now();
      const w = await client.execute(amy, "comment", { ...ref, comment: `Bench comment ${i}` });
      writes.push(performance.now() - t);
      if (!textOf(w.card).includes("Comment added")) throw new Error(`comment failed: ${textOf(w.card)}`);
    }
  }
  await server.stop();
  await connector.stop();
  return { reads, writes };
}

async function fanout(n: number) {
  const connector = new LocalConnector({ enforceLimits: true });
  await connector.start();
  const now = new Date("2026-11-30T07:00:00Z");
  const server = await startTestServer({ seed: false, now });
  const seedStart = performance.now();
  const world = await seedFanoutWorld(server.store, n, connector.url, now);
  const seedMs = performance.now() - seedStart;
  const scheduleStart = performance.now();
  const schedule = await server.app.bot.scheduler.tick();
  const scheduleMs = performance.now() - scheduleStart;
  const sendStart = performance.now();
  const stats = await server.app.bot.dispatcher.drain();
  const sendMs = performance.now() - sendStart;
  const sent = connector.sent();
  const perConversation = new Map<string, number>();
  for (const a of sent) perConversation.set(a.conversationId, (perConversation.get(a.conversationId) ?? 0) + 1);
  const lost = world.ectPersonIds.filter((id) => !perConversation.has(world.conversationOf(id))).length;
  const duplicated = [...perConversation.values()].filter((c) => c > 1).length;
  const first = sent[0]?.at ?? 0;
  const last = sent.at(-1)?.at ?? 0;
  const rate = (sent.length - 1) / ((last - first) / 1000);
  await server.stop();
  await connector.stop();
  return {
    n,
    seedMs,
    scheduleMs,
    schedule,
    sendMs,
    stats,
    delivered: sent.length,
    lost,
    duplicated,
    rate,
    violations: connector.limitViolations,
    dataDir: server.dataDir,
  };
}

/**
 * Issue 14: the same fan-out from two server instances on one store, sharing the per-app limit
 * (each paces itself to limit / live instances), then a graceful stop of both. The clock moves
 * with the machine's monotonic time so heartbeats and the join delay run as in production.
 */
async function fanoutShared(n: number) {
  const connector = new LocalConnector({ enforceLimits: true });
  await connector.start();
  const base = new Date("2026-11-30T07:00:00Z").getTime();
  const t0 = performance.now();
  const clock = { now: () => new Date(base + (performance.now() - t0)) };
  const one = await startTestServer({ seed: false, clock, env: { INSTANCE_ID: "bench-1" } });
  const world = await seedFanoutWorld(one.store, n, connector.url, clock.now());
  await one.app.bot.scheduler.tick();
  const two = await startTestServer({ dataDir: one.dataDir, seed: false, clock, env: { INSTANCE_ID: "bench-2" } });
  const [d1, d2] = [one.app.bot.dispatcher, two.app.bot.dispatcher];
  const sendStart = performance.now();
  d1.start();
  d2.start();
  const waitFor = async (count: number) => {
    while (connector.sent().length < count && performance.now() - sendStart < n * 100) await new Promise((r) => setTimeout(r, 200));
  };
  // Half-way, the second instance stops gracefully (mid-claim): how long it takes, and the first carries on.
  await waitFor(n / 2);
  const stopStart = performance.now();
  await d2.stop();
  const stopMs = performance.now() - stopStart;
  await waitFor(n);
  await d1.stop();
  const sent = connector.sent();
  const perConversation = new Map<string, number>();
  for (const a of sent) perConversation.set(a.conversationId, (perConversation.get(a.conversationId) ?? 0) + 1);
  const lost = world.ectPersonIds.filter((id) => !perConversation.has(world.conversationOf(id))).length;
  const duplicated = [...perConversation.values()].filter((c) => c > 1).length;
  const byInstance = new Map<string, number>();
  let secondFirstMs = Infinity;
  for (const m of await one.store.listOutbox({ status: "sent" })) {
    byInstance.set(m.claimedBy ?? "?", (byInstance.get(m.claimedBy ?? "?") ?? 0) + 1);
    if (m.claimedBy === "bench-2") secondFirstMs = Math.min(secondFirstMs, Date.parse(m.sentAt!));
  }
  // Both sending: from the second instance's first send (it waits to join) to its stop.
  const joinedAt = secondFirstMs - base + t0;
  const steady = sent.filter((a) => a.at >= joinedAt && a.at <= stopStart);
  const rate = (steady.length - 1) / ((steady.at(-1)!.at - steady[0]!.at) / 1000);
  const overall = (sent.length - 1) / ((sent.at(-1)!.at - sent[0]!.at) / 1000);
  await two.stop({ keepData: true });
  await one.stop();
  await connector.stop();
  return {
    n,
    delivered: sent.length,
    lost,
    duplicated,
    rate,
    overall,
    stopMs,
    violations: connector.limitViolations,
    byInstance: Object.fromEntries(byInstance),
  };
}

async function main() {
  const n = Number(process.env.BENCH_FANOUT_N ?? 10_000);
  const { reads, writes } = await invokeLatency();
  const lines = [
    "Bot benchmark (embedded SQLite, real CloudAdapter over HTTP, local Bot Connector)",
    `  card action invoke, refresh (read) x${reads.length}: p50 ${ms(pct(reads, 0.5))}, p95 ${ms(pct(reads, 0.95))}`,
    `  card action invoke, comment (write) x${writes.length}: p50 ${ms(pct(writes, 0.5))}, p95 ${ms(pct(writes, 0.95))}`,
  ];
  process.stdout.write(lines.join("\n") + "\n");
  const f = await fanout(n);
  rmSync(f.dataDir, { recursive: true, force: true });
  process.stdout.write(
    [
      `  weekly fan-out of ${f.n} check-ins: seeded in ${(f.seedMs / 1000).toFixed(1)} s, scheduled (${f.schedule.checkInsOpened} opened) in ${(f.scheduleMs / 1000).toFixed(1)} s, sent in ${(f.sendMs / 1000).toFixed(1)} s`,
      `    achieved ${f.rate.toFixed(1)} msg/s = ${(f.rate / teamsGlobalRps).toFixed(3)} of the ${teamsGlobalRps} RPS ceiling; delivered ${f.delivered}, lost ${f.lost}, duplicated ${f.duplicated}`,
      `    429s from the rate-limited channel: ${f.violations} (retried after Retry-After); sender stats ${JSON.stringify(f.stats)}`,
      "",
    ].join("\n"),
  );
  const s = await fanoutShared(n);
  process.stdout.write(
    [
      `  the same fan-out from two instances sharing the limit: ${s.overall.toFixed(1)} msg/s overall; while both sent, ${s.rate.toFixed(1)} msg/s = ${(s.rate / teamsGlobalRps).toFixed(3)} of the ceiling`,
      `    delivered ${s.delivered}, lost ${s.lost}, duplicated ${s.duplicated}, 429s ${s.violations}; by instance ${JSON.stringify(s.byInstance)}; the second, stopped half-way, returned in ${(s.stopMs / 1000).toFixed(2)} s`,
      "",
    ].join("\n"),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
