import { loadConfig, localModeExposure } from "./config.js";
import { consoleLogger } from "./logger.js";
import { createApp } from "./http/server.js";
import { openStore } from "./store/openStore.js";
import { seedDemoSchool } from "./demo/demoSchool.js";
import { PlanService } from "./app/planService.js";
import { requestSignatures } from "./plans/requestSignatures.js";
import { demoOthers, PLAYGROUND_DEFAULT_PORT, startAgentsPlayground, type AgentsPlaygroundProcess } from "./teams/agentsPlayground.js";
import type { Store } from "./store/store.js";
import { systemClock, type Clock } from "./clock.js";

/** Local demo: George's plan asks its signers to sign, so a sign-off card appears in the bot. */
async function demoSignOff(store: Store, clock: Clock): Promise<void> {
  const service = new PlanService(store, clock);
  const [plan] = await store.listPlanSummaries({ ectIds: ["ect-george"], status: ["draft"] });
  const tutor = await store.getPerson("person-northgate-head");
  if (!plan || !tutor) return;
  // Before the server (and its bot) exists: the outbox sends the cards once it runs.
  await requestSignatures({ service }, tutor, plan.id);
}

/** Starts the server: the tab, the API and the bot endpoint on one port. */
async function main() {
  // The one place time enters the server: everything below is handed this clock.
  const clock = systemClock;
  const config = loadConfig();
  const logger = consoleLogger(clock);
  const started = performance.now();
  const store = await openStore(config, clock, logger);
  if (config.mode === "local" && (await store.listPeople()).length === 0) {
    await seedDemoSchool(store, clock.now());
    await demoSignOff(store, clock).catch((e: unknown) => logger.warn("demo sign-off request skipped", { error: e instanceof Error ? e.name : "unknown" }));
    logger.info("demo school created", { dataDir: config.dataDir });
  }
  const app = createApp({ config, store, logger, clock });
  const url = await app.listen();
  // Weekly check-ins, reminders and the outbox sender run in the background; stopped on exit.
  if (config.bot.disabled) logger.warn("bot disabled (BOT_DISABLED=true): /api/messages answers 401 and no card is sent");
  else app.bot.worker.start();
  // Local mode hands out any persona to whoever asks: it is for one machine.
  const exposure = localModeExposure(config);
  if (exposure) process.stderr.write(`\n${exposure}\n\n`);
  const ms = Math.round(performance.now() - started);
  const lines = [
    "",
    `ECT support plans is running (${config.mode} mode, ${store.kind} store, started in ${ms} ms)`,
    `  Tab (pick a demo persona):  ${url}/`,
    `  API description:            ${url}/api/openapi.json`,
    `  Health:                     ${url}/healthz`,
    `  Bot endpoint:               ${url}/api/messages`,
    `  Data:                       ${config.dataDir}`,
    "",
  ];
  process.stdout.write(lines.join("\n") + "\n");

  // Local mode: also start Microsoft 365 Agents Playground so a newcomer can chat with the bot.
  // Optional: if it cannot start, say why and keep serving. PLAYGROUND* are read first; the Test
  // Tool's TEST_TOOL* names still work, so existing set-ups keep working.
  const playgroundEnv = (name: string, legacy: string) => process.env[name] || process.env[legacy] || undefined;
  let playground: AgentsPlaygroundProcess | undefined;
  if (config.mode === "local" && !config.bot.appId && playgroundEnv("PLAYGROUND", "TEST_TOOL") !== "off") {
    const personaId = playgroundEnv("PLAYGROUND_PERSONA", "TEST_TOOL_PERSONA") ?? "person-ect-amy";
    const people = await store.listPeople();
    const current = people.find((p) => p.id === personaId);
    try {
      if (!current) throw new Error(`there is no demo persona "${personaId}" (set PLAYGROUND_PERSONA to a person id)`);
      const portSetting = playgroundEnv("PLAYGROUND_PORT", "TEST_TOOL_PORT");
      const port = portSetting === undefined ? PLAYGROUND_DEFAULT_PORT : Number(portSetting);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PLAYGROUND_PORT is not a port number: "${portSetting}"`);
      playground = await startAgentsPlayground({
        botEndpoint: `${url}/api/messages`,
        port,
        workDir: `${config.dataDir}/agents-playground`,
        current,
        others: demoOthers(people, current.id),
        quiet: true,
      });
      process.stdout.write(
        [
          `  Agents Playground:          ${playground.url}  (chatting as ${current.displayName}; say "hi")${playground.port === port ? "" : `  (port ${port} was taken)`}`,
          `    Another persona:          PLAYGROUND_PERSONA=person-ect-george npm start  (George has a sign-off waiting)`,
          "",
        ].join("\n") + "\n",
      );
    } catch (error) {
      process.stdout.write(
        `  Agents Playground not started: ${error instanceof Error ? error.message : String(error)}\n  (the app keeps running; set PLAYGROUND=off to skip it)\n\n`,
      );
    }
  }

  // A graceful stop (App Service sends SIGTERM, then kills after a while): the outbox stops
  // claiming, hands back what it has not sent and retires this instance (bot/src/scheduler/
  // dispatcher.ts), all within 10 s; past that, exit anyway rather than be killed mid-write.
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const stopStarted = performance.now();
    setTimeout(() => process.exit(1), 10_000).unref();
    await playground?.stop();
    await app.close();
    await store.close();
    logger.info("stopped", { ms: Math.round(performance.now() - stopStarted) });
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`Could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
