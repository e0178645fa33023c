/**
 * Issue 14 in the bot bench: one fan-out of N check-ins shared by the bench's own server instance
 * and a second instance that is a real child process (fanoutInstance.ts) on the same SQLite file
 * and the same Bot Connector double. The child joins and shares the per-app limit; at 35 % it is
 * stopped gracefully (how long the stop takes, how soon its handed-back claims go out from the
 * survivor); a fresh child then joins and at 70 % is SIGKILLed (how long the messages it had
 * claimed wait before the survivor delivers them). Lost and duplicated are counted over it all.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { OutboxMessage } from "@ectsp/shared";
import { outboxPolicy } from "@ectsp/bot/scheduler/outboxPolicy.js";
import { startTestServer } from "../testServer.js";
import { LocalConnector, type CapturedActivity } from "../localConnector.js";
import { seedFanoutWorld } from "../fanoutWorld.js";
import { benchClock, clockMsOfPerf, wallNow, type BenchTime } from "./benchClock.js";
import type { InstanceReport } from "./fanoutInstance.js";

const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * p) - 1)]! : NaN);
const rateOf = (sent: CapturedActivity[]) => (sent.length - 1) / ((sent.at(-1)!.at - sent[0]!.at) / 1000);
const claimedAtMs = (m: OutboxMessage) => Date.parse(m.claimedUntil!) - outboxPolicy.leaseMs;

/** A child-process instance: resolves once its dispatcher loop runs. */
async function spawnInstance(instanceId: string, dataDir: string, time: BenchTime) {
  const child: ChildProcess = fork(fileURLToPath(new URL("./fanoutInstance.js", import.meta.url)), {
    env: {
      ...process.env,
      BENCH_DATA_DIR: dataDir,
      BENCH_INSTANCE_ID: instanceId,
      BENCH_BASE_MS: String(time.baseMs),
      BENCH_WALL_START_MS: String(time.wallStartMs),
    },
    execArgv: ["--no-deprecation"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const next = () =>
    new Promise<InstanceReport>((resolve, reject) => {
      child.once("message", (m) => resolve(m as InstanceReport));
      void exited.then((code) => reject(new Error(`instance ${instanceId} exited (${String(code)})`)));
    });
  if ((await next()).kind !== "started") throw new Error(`instance ${instanceId} did not start`);
  return {
    /** Graceful: the instance's own measure of its stop, once it has exited. */
    async stop() {
      const report = next();
      child.send("stop");
      const r = await report;
      await exited;
      if (r.kind !== "stopped") throw new Error("unexpected report");
      return r;
    },
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

export async function sharedFanout(n: number) {
  const connector = new LocalConnector({ enforceLimits: true });
  await connector.start();
  const time: BenchTime = { baseMs: Date.parse("2026-11-30T07:00:00Z"), wallStartMs: wallNow() };
  const clock = benchClock(time);
  const one = await startTestServer({ seed: false, clock, env: { INSTANCE_ID: "bench-1" } });
  const world = await seedFanoutWorld(one.store, n, connector.url, clock.now());
  await one.app.bot.scheduler.tick();
  const allDelivered = () => new Set(connector.sent().map((a) => a.conversationId)).size >= n;
  const waitFor = async (done: () => boolean) => {
    const until = performance.now() + n * 200;
    while (!done() && performance.now() < until) await new Promise((r) => setTimeout(r, 100));
    if (!done()) throw new Error("the shared fan-out stalled");
  };
  const pending = () => one.store.listOutbox({ status: "pending" });
  const d1 = one.app.bot.dispatcher;
  d1.start();

  // Two instances sharing, then a graceful stop of the child.
  const two = await spawnInstance("bench-2", one.dataDir, time);
  await waitFor(() => connector.sent().length >= 0.35 * n);
  const stopAskedPerf = performance.now();
  const stopped = await two.stop();
  const stopRoundTripMs = performance.now() - stopAskedPerf;
  const { held, stopAskedAt, ...stop } = stopped;
  const heldByTwo = new Set(held);

  // A fresh child joins, and is killed mid fan-out.
  const three = await spawnInstance("bench-3", one.dataDir, time);
  await waitFor(() => connector.sent().length >= 0.7 * n);
  await three.kill();
  const killedAt = clock.ms();
  // Read once only the survivor sends: it paces in the double's own time, so the stall bunches nothing.
  const stranded = new Map((await pending()).filter((m) => m.claimedBy === "bench-3").map((m) => [m.id, claimedAtMs(m)]));

  await waitFor(allDelivered);
  await d1.stop();
  const sentRows = await one.store.listOutbox({ status: "sent" });
  const sent = connector.sent();
  const perConversation = new Map<string, number>();
  for (const a of sent) perConversation.set(a.conversationId, (perConversation.get(a.conversationId) ?? 0) + 1);
  const byInstance: Record<string, number> = {};
  const firstSend: Record<string, number> = {};
  for (const m of sentRows) {
    byInstance[m.claimedBy ?? "?"] = (byInstance[m.claimedBy ?? "?"] ?? 0) + 1;
    firstSend[m.claimedBy ?? "?"] = Math.min(firstSend[m.claimedBy ?? "?"] ?? Infinity, Date.parse(m.sentAt!));
  }
  // Both sending: from a child's first send (after its join delay) until it stopped or was killed.
  const between = (fromClockMs: number, toClockMs: number) =>
    sent.filter((a) => clockMsOfPerf(time, a.at) >= fromClockMs && clockMsOfPerf(time, a.at) <= toClockMs);
  const sharedTwo = between(firstSend["bench-2"]!, stopAskedAt);
  const sharedThree = between(firstSend["bench-3"]!, killedAt);
  // The graceful stop's handed-back claims, and the dead instance's stranded ones, as the survivor sent them.
  const handedBack = sentRows.filter((m) => heldByTwo.has(m.id) && m.claimedBy === "bench-1");
  // When the double received them, in the clock both processes share. (Not the survivor's claim
  // stamp: the store keeps only a message's last claim, which a renewal or a later re-claim moves.)
  const firstAt = new Map<string, number>();
  for (const a of sent) if (!firstAt.has(a.conversationId)) firstAt.set(a.conversationId, clockMsOfPerf(time, a.at));
  const pickUp = handedBack.map((m) => firstAt.get(world.conversationOf(m.recipientId))! - stopAskedAt);
  const takenOver = sentRows.filter((m) => stranded.has(m.id));
  const waited = takenOver.map((m) => Date.parse(m.sentAt!) - stranded.get(m.id)!);
  const sinceKill = takenOver.map((m) => Date.parse(m.sentAt!) - killedAt);
  const result = {
    n,
    delivered: sent.length,
    lost: world.ectPersonIds.filter((id) => !perConversation.has(world.conversationOf(id))).length,
    duplicated: [...perConversation.values()].filter((c) => c > 1).length,
    violations: connector.limitViolations,
    overall: rateOf(sent),
    sharedTwo: rateOf(sharedTwo),
    sharedTwoCount: sharedTwo.length,
    sharedThree: rateOf(sharedThree),
    sharedThreeCount: sharedThree.length,
    byInstance,
    stop: {
      ...stop,
      roundTripMs: stopRoundTripMs,
      held: heldByTwo.size,
      handedBackSentByOne: handedBack.length,
      pickUpMaxMs: Math.max(...pickUp),
      pickUpP95Ms: pct(pickUp, 0.95),
    },
    kill: {
      stranded: stranded.size,
      takenOver: takenOver.length,
      takenOverBy: [...new Set(takenOver.map((m) => m.claimedBy))].join(","),
      waitedMaxMs: Math.max(...waited),
      waitedP95Ms: pct(waited, 0.95),
      sinceKillMaxMs: Math.max(...sinceKill),
      sinceKillP95Ms: pct(sinceKill, 0.95),
    },
  };
  await one.stop();
  await connector.stop();
  return result;
}
