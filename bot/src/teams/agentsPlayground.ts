import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { stripVTControlCharacters } from "node:util";
import { dirname, join } from "node:path";
import type { Person } from "@ectsp/shared";

/**
 * Local mode: Microsoft 365 Agents Playground (@microsoft/m365agentsplayground, pinned in the root
 * package.json; the successor of the Teams App Test Tool), started as a child process. It serves a
 * Teams-like chat (HTTP and a WebSocket stream) on its port (default 56150) and forwards to the
 * bot's /api/messages, offline.
 *
 * How the demo maps people: we write the Playground's config file so that its users ARE the demo
 * personas — each user's `id` and `aadObjectId` are the demo person id. In local mode with no
 * bot credentials the bot accepts a person id there (see SupportPlanFlows.personOf); in a tenant
 * only a real Entra object id maps to a person.
 *
 * What the installed package (0.2.28, dist/index.js) does, which this relies on:
 * - `start` takes `--app-endpoint`, `--channel-id` (msteams, …) and `--port` (default
 *   `TEAMSAPPTESTER_PORT` or 56150). If the port is taken it listens on a random one instead, and
 *   when stdout is not a terminal it writes `Listening on <port>` there: we read the port from it.
 * - The config file is `M365_AGENTS_PLAYGROUND_CONFIG_PATH`, else `./.m365agentsplayground.yml`,
 *   else the legacy `./.teamsapptesttool.yml`; if none exists it silently uses a built-in config
 *   (users "Alex Wilber" …), so we check that the one it serves is ours.
 * - Its schema is the Test Tool's (`version` "0.1.0" or "0.1.1", exactly five `users`).
 * - `TEAMSAPPTESTER_BROWSER=none` stops it opening a browser. Its console goes to a log file only
 *   (`M365_AGENTS_PLAYGROUND_LOGFILE`) when stdout is not a terminal: we read it when it fails.
 */
export const PLAYGROUND_CONFIG_FILE = ".m365agentsplayground.yml";
export const PLAYGROUND_DEFAULT_PORT = 56150;

const q = (s: string) => JSON.stringify(s);

export function playgroundConfig(current: Person, others: Person[]): string {
  const user = (p: Person, indent: string) => {
    const [given, ...rest] = p.displayName.split(" ");
    return [
      `id: ${q(p.id)}`,
      `name: ${q(p.displayName)}`,
      `userPrincipleName: ${q(p.email)}`,
      `aadObjectId: ${q(p.id)}`,
      `givenName: ${q(given ?? p.displayName)}`,
      `surname: ${q(rest.join(" ") || p.displayName)}`,
      `email: ${q(p.email)}`,
    ].join(`\n${indent}`);
  };
  return [
    "# Written by `npm start` (bot/src/teams/agentsPlayground.ts): the Agents Playground's users are the demo personas.",
    'version: "0.1.1"',
    "tenantId: 00000000-0000-0000-0000-0000000000001",
    "bot:",
    "  id: 00000000-0000-0000-0000-00000000000011",
    "  name: ECT support plans",
    "currentUser:",
    `  ${user(current, "  ")}`,
    "users:",
    ...others.map((p) => `  - ${user(p, "    ")}`),
    "personalChat:",
    "  id: personal-chat-demo",
    "groupChat:",
    "  id: group-chat-demo",
    "  name: Induction team",
    "team:",
    "  id: team-demo",
    "  name: Appropriate body",
    "  aadGroupId: 00000000-0000-0000-0000-000000000031",
    "  channels:",
    "    - id: channel-alerts-demo",
    "      name: Alerts",
    "",
  ].join("\n");
}

/** The Playground's config wants exactly five other users: the people around the demo ECTs. */
export function demoOthers(people: Person[], currentId: string): Person[] {
  const preferred = ["person-tutor-a", "person-mentor-a", "person-head", "person-ab-officer", "person-northgate-head", "person-ect-george", "person-ect-amy"];
  const ordered = [...preferred.map((id) => people.find((p) => p.id === id)), ...people].filter((p): p is Person => !!p && p.id !== currentId);
  return [...new Map(ordered.map((p) => [p.id, p])).values()].slice(0, 5);
}

export interface AgentsPlaygroundProcess {
  url: string;
  /** The port it listens on: the one asked for, or a random one if that was taken. */
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Finds the Playground's CLI (the package's `agentsplayground` bin), or explains why not. */
export function playgroundCli(): string {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve("@microsoft/m365agentsplayground/package.json");
  const pkg = JSON.parse(readFileSync(pkgPath, "utf8")) as { bin?: Record<string, string> };
  const cli = join(dirname(pkgPath), pkg.bin?.agentsplayground ?? "cli.js");
  if (!existsSync(cli)) throw new Error(`the Agents Playground's CLI is missing at ${cli}`);
  return cli;
}

const tail = (path: string) => {
  try {
    return stripVTControlCharacters(readFileSync(path, "utf8")).trim().slice(-2000);
  } catch {
    return "";
  }
};

/**
 * Starts the Agents Playground against the bot. Resolves once it serves our config; rejects (and
 * kills it) if it exits, serves another config or does not listen in time — the caller prints
 * why and keeps serving.
 */
export async function startAgentsPlayground(options: {
  botEndpoint: string;
  port?: number;
  workDir: string;
  current: Person;
  others: Person[];
  timeoutMs?: number;
  quiet?: boolean;
}): Promise<AgentsPlaygroundProcess> {
  const requestedPort = options.port ?? PLAYGROUND_DEFAULT_PORT;
  const timeoutMs = options.timeoutMs ?? 20_000;
  if (options.others.length !== 5) throw new Error(`the Agents Playground needs exactly five other users in its config, not ${options.others.length}`);
  mkdirSync(options.workDir, { recursive: true });
  const configPath = join(options.workDir, PLAYGROUND_CONFIG_FILE);
  const logPath = join(options.workDir, "agentsplayground.log");
  writeFileSync(configPath, playgroundConfig(options.current, options.others));
  const child = spawn(
    process.execPath,
    [playgroundCli(), "start", "--app-endpoint", options.botEndpoint, "--channel-id", "msteams", "--port", String(requestedPort), "--disable-telemetry"],
    {
      cwd: options.workDir,
      env: { ...process.env, TEAMSAPPTESTER_BROWSER: "none", M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath, M365_AGENTS_PLAYGROUND_LOGFILE: logPath },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  let listening: number | undefined;
  const collect = (b: Buffer) => {
    output = (output + b.toString()).slice(-4000);
    const m = /Listening on (\d+)/.exec(output);
    if (m && listening === undefined) listening = Number(m[1]);
    if (!options.quiet) process.stdout.write(`  [agents playground] ${b.toString().trim().split("\n").join("\n  [agents playground] ")}\n`);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 3000).unref();
    });
  const why = () => [output.trim(), tail(logPath)].filter(Boolean).join("\n");
  const port = await new Promise<number>((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      clearTimeout(deadline);
      if (!error) return resolve(listening!);
      void stop();
      reject(error);
    };
    const deadline = setTimeout(
      () => finish(new Error(`it did not start listening on port ${listening ?? requestedPort} within ${timeoutMs} ms. ${why()}`)),
      timeoutMs,
    );
    const check = async () => {
      if (listening === undefined) return;
      try {
        const res = await fetch(`http://localhost:${listening}/_internal/v1/config`);
        if (!res.ok) return;
        const body = (await res.json()) as { config?: { currentUser?: { id?: string } } };
        const id = body.config?.currentUser?.id;
        if (id === options.current.id) finish();
        else finish(new Error(`it did not load ${configPath} (its current user is ${JSON.stringify(id)}, not ${options.current.id}). ${why()}`));
      } catch {
        /* not yet */
      }
    };
    const poll = setInterval(() => void check(), 200);
    child.once("exit", (code) => finish(new Error(`it exited (code ${code}). ${why()}`)));
  });
  return { url: `http://localhost:${port}`, port, child, stop };
}
