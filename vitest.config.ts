import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

// Tests import the shared domain from source, so a change there needs no rebuild to test.
const sharedSrc = fileURLToPath(new URL("./shared/src/index.ts", import.meta.url));
// The tab imports single zod-free modules of the domain as "@shared/<file>" (see tab/vite.config.ts).
const sharedDir = fileURLToPath(new URL("./shared/src/", import.meta.url));

export default defineConfig({
  resolve: { alias: [{ find: /^@ectsp\/shared$/, replacement: sharedSrc }, { find: /^@shared\/(.*)$/, replacement: `${sharedDir}$1` }] },
  test: {
    include: ["shared/src/**/*.test.ts", "bot/src/**/*.test.ts", "tab/src/**/*.test.{ts,tsx}", "tests/**/*.test.ts"],
    // Two cores here and in CI: keep file parallelism modest so server tests do not starve.
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
