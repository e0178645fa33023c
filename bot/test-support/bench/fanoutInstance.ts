/**
 * A second server instance as its own process, for the bot bench's failover run (issue 14):
 * opens the bench's SQLite store (BENCH_DATA_DIR), sends through the real botbuilder channel to
 * the Bot Connector double named by the stored conversations, and runs the outbox dispatcher's
 * loop as production does. Told "stop" over IPC, it stops gracefully and reports how long that
 * took; the bench may instead SIGKILL it, which is the point.
 */
import { startTestServer } from "../testServer.js";
import { benchClock } from "./benchClock.js";

export type InstanceReport = { kind: "started" } | { kind: "stopped"; held: string[]; stopAskedAt: number; stopMs: number; handedBack: number; sent: number };

async function main() {
  const dataDir = process.env.BENCH_DATA_DIR;
  const instanceId = process.env.BENCH_INSTANCE_ID;
  if (!dataDir || !instanceId || !process.send) throw new Error("run by botBench.ts (fork) with BENCH_DATA_DIR and BENCH_INSTANCE_ID");
  const clock = benchClock({ baseMs: Number(process.env.BENCH_BASE_MS), wallStartMs: Number(process.env.BENCH_WALL_START_MS) });
  const server = await startTestServer({ dataDir, seed: false, clock, env: { INSTANCE_ID: instanceId } });
  const dispatcher = server.app.bot.dispatcher;
  const report = (r: InstanceReport) => new Promise<void>((resolve) => process.send!(r, () => resolve()));
  process.on("message", (m) => {
    if (m !== "stop") return;
    void (async () => {
      // What it holds, read here rather than by the bench: a big read stalls the process that does
      // it, and the bench's process also hosts the Bot Connector double, whose 1 s windows it would bunch.
      const held = (await server.store.listOutbox({ status: "pending" }))
        .filter((m) => m.claimedBy === instanceId && Date.parse(m.claimedUntil!) > clock.ms())
        .map((m) => m.id);
      const stopAskedAt = clock.ms();
      const t = performance.now();
      await dispatcher.stop();
      const stopMs = performance.now() - t;
      await report({ kind: "stopped", held, stopAskedAt, stopMs, handedBack: dispatcher.totals.handedBack, sent: dispatcher.totals.sent });
      await server.stop({ keepData: true });
      process.exit(0);
    })();
  });
  dispatcher.start();
  await report({ kind: "started" });
}

main().catch((e: unknown) => {
  process.stderr.write(`fan-out instance failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
