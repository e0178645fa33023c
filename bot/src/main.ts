import { loadConfig } from "./config.js";
import { consoleLogger } from "./logger.js";
import { createApp } from "./http/server.js";
import { openStore } from "./store/openStore.js";
import { seedDemoSchool } from "./demo/demoSchool.js";

/** Starts the server: the tab, the API and the bot endpoint on one port. */
async function main() {
  const config = loadConfig();
  const logger = consoleLogger();
  const started = performance.now();
  const store = await openStore(config);
  if (config.mode === "local" && (await store.listPeople()).length === 0) {
    await seedDemoSchool(store, new Date());
    logger.info("demo school created", { dataDir: config.dataDir });
  }
  const app = createApp({ config, store, logger });
  const url = await app.listen();
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
  const stop = async () => {
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
