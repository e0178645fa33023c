import type { Clock } from "./clock.js";

/**
 * A minimal structured logger. By rule it is given ids, routes and error kinds only —
 * never plan content, comments or tokens (induction records are confidential, SG §2.79).
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function consoleLogger(clock: Clock, quiet = false): Logger {
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    if (quiet && level === "info") return;
    const line = JSON.stringify({ t: clock.now().toISOString(), level, message, ...fields });
    (level === "error" ? process.stderr : process.stdout).write(line + "\n");
  };
  return {
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
