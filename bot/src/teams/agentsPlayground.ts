import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Person } from "@ectsp/shared";

/**
 * Local mode: Microsoft's Teams App Test Tool (@microsoft/teams-app-test-tool, pinned in the
 * root package.json), started as a child process. It serves a Teams-like chat on its port
 * (default 56150) and forwards to the bot's /api/messages, offline.
 *
 * How the demo maps people: we write the Test Tool's config file so that its users ARE the demo
 * personas — each user's `id` and `aadObjectId` are the demo person id. In local mode with no
 * bot credentials the bot accepts a person id there (see SupportPlanFlows.personOf); in a tenant
 * only a real Entra object id maps to a person.
 */
const q = (s: string) => JSON.stringify(s);

export function testToolConfig(current: Person, others: Person[]): string {
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
    "# Written by `npm start` (bot/src/teams/testTool.ts): the Test Tool's users are the demo personas.",
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

/** The Test Tool's config wants exactly five other users: the people around the demo ECTs. */
export function demoOthers(people: Person[], currentId: string): Person[] {
  const preferred = ["person-tutor-a", "person-mentor-a", "person-head", "person-ab-officer", "person-northgate-head", "person-ect-george", "person-ect-amy"];
  const ordered = [...preferred.map((id) => people.find((p) => p.id === id)), ...people].filter((p): p is Person => !!p && p.id !== currentId);
  return [...new Map(ordered.map((p) => [p.id, p])).values()].slice(0, 5);
}

export interface TestToolProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Finds the Test Tool's CLI (the package's bin), or explains why not. */
export function testToolCli(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve("@microsoft/teams-app-test-tool/package.json");
  const cli = join(dirname(pkg), "cli.js");
  if (!existsSync(cli)) throw new Error(`the Test Tool's CLI is missing at ${cli}`);
  return cli;
}

/**
 * Starts the Test Tool against the bot. Resolves once it listens; rejects (and kills it) if it
 * exits or does not listen in time — the caller prints why and keeps serving.
 */
export async function startTestTool(options: { botEndpoint: string; port?: number; workDir: string; current: Person; others: Person[]; timeoutMs?: number; quiet?: boolean }): Promise<TestToolProcess> {
  const port = options.port ?? 56150;
  if (options.others.length !== 5) throw new Error(`the Test Tool needs exactly five other users in its config, not ${options.others.length}`);
  mkdirSync(options.workDir, { recursive: true });
  writeFileSync(join(options.workDir, ".teamsapptesttool.yml"), testToolConfig(options.current, options.others));
  const child = spawn(process.execPath, [testToolCli(), "start", "-c", "msteams", "--port", String(port)], {
    cwd: options.workDir,
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: "none", BOT_ENDPOINT: options.botEndpoint, TEAMSAPPTESTER_PORT: String(port), M365_AGENTS_PLAYGROUND_CONFIG_PATH: join(options.workDir, ".teamsapptesttool.yml"), TEAMS_APP_TEST_TOOL_CONFIG_PATH: join(options.workDir, ".teamsapptesttool.yml") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (b: Buffer) => {
    output = (output + b.toString()).slice(-4000);
    if (!options.quiet) process.stdout.write(`  [test tool] ${b.toString().trim().split("\n").filter((l) => !l.startsWith("Telemetry")).join("\n  [test tool] ")}\n`);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const url = `http://localhost:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 3000).unref();
    });
  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => {
      void stop();
      reject(new Error(`it did not start listening on port ${port} within ${options.timeoutMs ?? 20_000} ms. ${output.trim()}`));
    }, options.timeoutMs ?? 20_000);
    const poll = setInterval(async () => {
      try {
        const res = await fetch(`${url}/_internal/v1/config`);
        if (res.ok) {
          clearInterval(poll);
          clearTimeout(deadline);
          resolve();
        }
      } catch {
        /* not yet */
      }
    }, 200);
    child.once("exit", (code) => {
      clearInterval(poll);
      clearTimeout(deadline);
      reject(new Error(`it exited (code ${code}). ${output.trim()}`));
    });
  });
  return { url, child, stop };
}
