import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { execSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";

export const root = fileURLToPath(new URL("../../", import.meta.url));
/** E2E_TAB_DIST serves a tab built elsewhere (several people testing one checkout at once). */
export const tabDist = process.env.E2E_TAB_DIST ?? join(root, "tab/dist");
export const screenshotDir = join(root, "test-results/screenshots");

/** The e2e tests serve the built tab; build it once if `npm test` did not (e.g. `npx vitest run`). */
export function ensureTabBuilt(): void {
  if (!existsSync(join(tabDist, "index.html"))) execSync("npm run build -w tab", { cwd: root, stdio: "inherit" });
}

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
    timeout: 60_000,
  });
}

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** Runs axe-core in the page; returns serious and critical violations only. */
export async function axe(page: Page): Promise<AxeFinding[]> {
  // Let enter/exit animations (toasts, dialogs) finish: half-faded text is not what anyone reads.
  // Transitions are switched off first, so one that starts during the check cannot catch axe mid-fade.
  await page.addStyleTag({ content: "*,*::before,*::after{transition:none!important;animation-duration:0s!important;animation-delay:0s!important}" });
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"), undefined, { timeout: 15_000 });
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    // Fluent animates with the Web Animations API, which CSS cannot switch off: jump any animation
    // that started since the wait (a toast appearing) to its end state before axe reads colours.
    for (const a of document.getAnimations()) {
      try {
        a.finish();
      } catch {
        /* an infinite animation (a spinner) cannot finish; it has no text to read */
      }
    }
    const r = await (
      window as unknown as {
        axe: { run(ctx: object, opts: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe.run(
      // Fluent UI's focus manager (tabster) leaves 1px aria-hidden focus guards on <body> once a
      // dialog has opened; they hand focus straight on and are never read. Everything else counts.
      { include: [["html"]], exclude: [["i[data-tabster-dummy]"]] },
      {
        resultTypes: ["violations"],
      },
    );
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
  });
  return result.filter((v) => v.impact === "serious" || v.impact === "critical");
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Fails the test, naming the view, if axe finds a serious or critical violation. */
export async function expectAccessible(page: Page, view: string): Promise<void> {
  const findings = await axe(page);
  expect(findings, `${view}: ${JSON.stringify(findings, null, 2)}`).toEqual([]);
}

/**
 * A new browser context at Teams' desktop width (or `width`), opened at `url` and signed in as the demo
 * persona `name` (the local dev identity's picker). The context is added to `contexts` to close.
 */
export async function openSignedIn(
  browser: Browser,
  contexts: BrowserContext[],
  url: string,
  name: string,
  options: { timeoutMs: number; acceptDownloads?: boolean; width?: number },
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1360, height: 900 },
    locale: "en-GB",
    ...(options.acceptDownloads ? { acceptDownloads: true } : {}),
  });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(options.timeoutMs);
  page.setDefaultNavigationTimeout(options.timeoutMs);
  await page.goto(url);
  await page.getByRole("button", { name: new RegExp(`^Continue as ${name}`) }).click();
  await page.getByText(name, { exact: true }).first().waitFor();
  return page;
}
