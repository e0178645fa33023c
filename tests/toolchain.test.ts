import { afterEach, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";

/**
 * The build's own guards: `npm run typecheck` and `npm run lint` must fail on a mistake in a test
 * file, not only in production code. Each case plants a file where tests live, runs the very
 * command npm test runs, and removes the file again.
 */
const root = new URL("../", import.meta.url).pathname;
const planted: string[] = [];
afterEach(() => {
  for (const f of planted.splice(0)) rmSync(f, { force: true });
});

function plant(relative: string, text: string): string {
  const file = join(root, relative);
  planted.push(file);
  writeFileSync(file, text);
  return relative;
}

const run = (args: string[]) => spawnSync("npx", args, { cwd: root, encoding: "utf8", timeout: 240_000 });

describe("the build's guards fail on a planted mistake", () => {
  it.each([
    ["the server's tests", "bot/tsconfig.test.json", "bot/src"],
    ["the domain's tests", "shared/tsconfig.test.json", "shared/src"],
    ["the cross-workspace tests", "tests/tsconfig.json", "tests"],
  ])(
    "typecheck: a type error in %s fails",
    (_what, project, dir) => {
      const file = plant(`${dir}/planted-${randomUUID().slice(0, 8)}.test.ts`, `export const n: number = "not a number";\n`);
      const result = run(["tsc", "-p", project]);
      expect(result.status).not.toBe(0);
      expect(result.stdout).toContain(`${file.split("/").pop()}(1,14): error TS2322`);
    },
    240_000,
  );

  it("typecheck: the tab's tests are type-checked too", () => {
    const file = plant(`tab/src/planted-${randomUUID().slice(0, 8)}.test.tsx`, `export const n: number = "not a number";\n`);
    const result = run(["tsc", "-p", "tab"]);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toContain(`${file.split("/").pop()}(1,14): error TS2322`);
  }, 240_000);

  it("lint: a test that reads the machine's clock, and an unused variable, fail", () => {
    const file = plant(`bot/src/planted-${randomUUID().slice(0, 8)}.test.ts`, `const unused = 1;\nexport const at = Date.now();\n`);
    const result = run(["eslint", file]);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toContain("Read the time from the injected clock, not Date.now()");
    expect(result.stdout).toContain("'unused' is assigned a value but never used");
  }, 240_000);

  it("format: a badly formatted file fails Prettier's check", () => {
    const file = plant(`tests/planted-${randomUUID().slice(0, 8)}.ts`, `export   const x = {a:1}\n`);
    const result = run(["prettier", "--check", file]);
    expect(result.status).not.toBe(0);
  }, 240_000);
});
