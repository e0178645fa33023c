/**
 * Bot benchmark (`npm run bench:bot`):
 * 1. card action (invoke) latency, p50/p95, through the real CloudAdapter over HTTP on the
 *    embedded SQLite store: refreshes (reads) and comments (writes);
 * 2. the weekly fan-out of N check-ins (default 10,000; BENCH_FANOUT_N) through the real
 *    botbuilder channel to a local Bot Connector that enforces Teams' documented rate limits:
 *    the achieved rate as a fraction of the 50 RPS ceiling, and lost / duplicated messages;
 * 3. the same fan-out shared with a second instance in its own process (sharedFanout.ts): the
 *    shared rate, a graceful stop and a SIGKILL mid fan-out, and what each costs the messages.
 */
import { startTestServer } from "../testServer.js";
import { LocalConnector, type CapturedActivity } from "../localConnector.js";
import { BotClient, executeActions, textOf, cardOf } from "../botClient.js";
import { seedFanoutWorld, type FanoutWorld } from "../fanoutWorld.js";
import { testInstant } from "../movableClock.js";
import { teamsGlobalRps } from "@ectsp/bot/scheduler/rateLimiter.js";
import { sharedFanout } from "./sharedFanout.js";

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

/** Check-ins per conversation as the double received them: lost and sent twice. */
function tally(connector: LocalConnector, world: FanoutWorld) {
  const perConversation = new Map<string, number>();
  for (const a of connector.sent()) perConversation.set(a.conversationId, (perConversation.get(a.conversationId) ?? 0) + 1);
  const lost = world.ectPersonIds.filter((id) => !perConversation.has(world.conversationOf(id))).length;
  const duplicated = [...perConversation.values()].filter((c) => c > 1).length;
  return { delivered: connector.sent().length, lost, duplicated };
}

/** Sends per second between the first and the last of `sent`. */
const rateOf = (sent: CapturedActivity[]) => (sent.length - 1) / ((sent.at(-1)!.at - sent[0]!.at) / 1000);

const waitFor = async (done: () => boolean, timeoutMs: number) => {
  const until = performance.now() + timeoutMs;
  while (!done() && performance.now() < until) await new Promise((r) => setTimeout(r, 100));
  if (!done()) throw new Error("the fan-out stalled");
};

/** One instance, as the server runs it (the dispatcher's own loop, claims overlapping the sending). */
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
  const dispatcher = server.app.bot.dispatcher;
  dispatcher.start();
  await waitFor(() => connector.sent().length >= n, n * 100);
  const sendMs = performance.now() - sendStart;
  await dispatcher.stop();
  const result = { n, seedMs, scheduleMs, schedule, sendMs, stats: dispatcher.totals, ...tally(connector, world), rate: rateOf(connector.sent()) };
  await server.stop();
  await connector.stop();
  return { ...result, violations: connector.limitViolations };
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
  process.stdout.write(
    [
      `  weekly fan-out of ${f.n} check-ins: seeded in ${(f.seedMs / 1000).toFixed(1)} s, scheduled (${f.schedule.checkInsOpened} opened) in ${(f.scheduleMs / 1000).toFixed(1)} s, sent in ${(f.sendMs / 1000).toFixed(1)} s`,
      `    achieved ${f.rate.toFixed(1)} msg/s = ${(f.rate / teamsGlobalRps).toFixed(3)} of the ${teamsGlobalRps} RPS ceiling; delivered ${f.delivered}, lost ${f.lost}, duplicated ${f.duplicated}`,
      `    429s from the rate-limited channel: ${f.violations} (retried after Retry-After); sender stats ${JSON.stringify(f.stats)}`,
      "",
    ].join("\n"),
  );
  const s = await sharedFanout(n);
  const sec = (x: number) => `${(x / 1000).toFixed(1)} s`;
  const ratio = (rate: number) => `${rate.toFixed(1)} msg/s = ${(rate / teamsGlobalRps).toFixed(3)}`;
  process.stdout.write(
    [
      `  the same fan-out shared with a second instance in its own process (joins, stops gracefully at 35 %; a fresh one joins, SIGKILLed at 70 %):`,
      `    while both sent: ${ratio(s.sharedTwo)} of the ceiling (${s.sharedTwoCount} sends; the second child: ${ratio(s.sharedThree)}, ${s.sharedThreeCount} sends); ${s.overall.toFixed(1)} msg/s overall`,
      `    delivered ${s.delivered}, lost ${s.lost}, duplicated ${s.duplicated}, 429s ${s.violations}; by instance ${JSON.stringify(s.byInstance)}`,
      "",
      "  | measure | result |",
      "  |---|---|",
      `  | fan-out, one instance | ${ratio(f.rate)} of the ceiling; ${f.delivered} / ${f.lost} lost / ${f.duplicated} duplicated; ${f.violations} 429s |`,
      `  | fan-out, two instances sharing (while both sent) | ${ratio(s.sharedTwo)} of the ceiling; over the whole run ${s.delivered} / ${s.lost} lost / ${s.duplicated} duplicated; ${s.violations} 429s |`,
      `  | graceful stop mid fan-out | returned in ${sec(s.stop.stopMs)} (${sec(s.stop.roundTripMs)} to exit); ${s.stop.held} claims held, ${s.stop.handedBackSentByOne} handed back and sent by the survivor, which delivered them ${sec(s.stop.pickUpP95Ms)} (p95), ${sec(s.stop.pickUpMaxMs)} (max) after the stop began |`,
      `  | SIGKILL mid fan-out | ${s.kill.stranded} claims stranded, ${s.kill.takenOver} of them delivered by ${s.kill.takenOverBy}; delivered − claimed by the dead one: p95 ${sec(s.kill.waitedP95Ms)}, max ${sec(s.kill.waitedMaxMs)}; after the kill: p95 ${sec(s.kill.sinceKillP95Ms)}, max ${sec(s.kill.sinceKillMaxMs)} |`,
      "",
    ].join("\n"),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
