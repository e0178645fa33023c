import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

// Tests import the shared domain from source, so a change there needs no rebuild to test.
const sharedSrc = fileURLToPath(new URL("./shared/src/index.ts", import.meta.url));
// The tab imports single zod-free modules of the domain as "@shared/<file>" (see tab/vite.config.ts).
const sharedDir = fileURLToPath(new URL("./shared/src/", import.meta.url));
// Test support imports the server by its package name (@ectsp/bot/x.js → bot/dist/x.js when
// compiled); tests run it from source.
const botSrc = fileURLToPath(new URL("./bot/src/", import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@ectsp\/shared$/, replacement: sharedSrc },
      { find: /^@shared\/(.*)$/, replacement: `${sharedDir}$1` },
      { find: /^@ectsp\/bot\/(.*)\.js$/, replacement: `${botSrc}$1.ts` },
    ],
  },
  test: {
    include: ["shared/src/**/*.test.ts", "bot/src/**/*.test.ts", "tab/src/**/*.test.{ts,tsx}", "tests/**/*.test.ts"],
    // Two cores here and in CI: keep file parallelism modest so server tests do not starve.
    maxWorkers: 2,
    // Limits with room for a loaded 2-core CI machine: the slowest test takes ~10 s there (a few
    // alone). Speed is measured by `npm run bench`, never by a test's time.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
