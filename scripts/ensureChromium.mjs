#!/usr/bin/env node
// The browser tests drive Debian's chromium through playwright-core. Install it when missing.
import { existsSync } from "node:fs";
import { execSync } from "node:child_process";

const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (existsSync(path)) process.exit(0);
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const sudo = isRoot ? "" : "sudo ";
console.log(`${path} is missing: installing Debian's chromium package…`);
try {
  execSync(`${sudo}apt-get update && ${sudo}apt-get install -y chromium`, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
} catch {
  console.error("Could not install chromium (run as root, or install it yourself: apt-get install -y chromium). The browser tests will fail.");
  process.exit(1);
}
