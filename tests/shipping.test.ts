import { describe, expect, it } from "vitest";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * What is deployed is the product only: bot/dist (built by `npm test` before the suite runs)
 * holds no test double, test server, token issuer, test data or benchmark, and the deploy zip
 * leaves the test support and its build out.
 */
const root = new URL("../", import.meta.url).pathname;
const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

describe("shipping only the product", () => {
  const dist = join(root, "bot/dist");

  it("bot/dist holds no test support, no test and no benchmark", () => {
    expect(existsSync(dist), "run npm run build first").toBe(true);
    const shipped = walk(dist).map((f) => relative(dist, f));
    const support = walk(join(root, "bot/test-support"))
      .filter((f) => f.endsWith(".ts"))
      .map((f) => relative(join(root, "bot/test-support"), f).replace(/\.ts$/, ""));
    expect(support).toEqual(expect.arrayContaining(["testServer", "graph/graphDouble", "entraTestTokens", "store/contract", "bench/apiBench"]));
    const leaked = shipped.filter(
      (f) => /\.test\.|(^|\/)(testing|bench)\//.test(f) || support.some((s) => f.replace(/\.(js|d\.ts)(\.map)?$/, "").endsWith(s.split("/").pop()!)),
    );
    expect(leaked).toEqual([]);
  });

  it("nothing in bot/dist loads a test-only package", () => {
    const code = walk(dist).filter((f) => f.endsWith(".js"));
    const loads = code.filter((f) =>
      /from "(adaptivecards|selfsigned|vitest|playwright-core)"|require\("(adaptivecards|selfsigned)"\)/.test(readFileSync(f, "utf8")),
    );
    expect(loads.map((f) => relative(dist, f))).toEqual([]);
    const bot = JSON.parse(readFileSync(join(root, "bot/package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(Object.keys(bot.dependencies)).not.toContain("adaptivecards");
    expect(Object.keys(bot.dependencies)).not.toContain("selfsigned");
  });

  it("the deploy zip leaves the test support and its build out", () => {
    const ignored = readFileSync(join(root, ".webappignore"), "utf8")
      .split("\n")
      .map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(["bot/test-support/", "bot/dist-test/", "tests/", "**/*.test.ts"]));
  });
});
