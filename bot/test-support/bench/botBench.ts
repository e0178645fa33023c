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
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
