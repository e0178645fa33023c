#!/usr/bin/env node
// Tab benchmarks (run by `npm run bench:tab` after a build):
//  1. the JavaScript the caseload route loads, gzipped (target ≤ 250 KB; editor and pickers load lazily);
//  2. the first load's transfer (issue 15): index.html and what it names, as the server sends them to
//     `Accept-Encoding: br, gzip` (target ≤ 200 KB), and what Chromium itself received;
//  3. navigation → interactive caseload of 200 ECTs in headless Chromium (target < 1 s locally);
//  4. cold loads of a plan (deep link → editor) and of the AB's reviews dashboard (200+ ECTs);
//  5. issue 15: the AB dashboard's charts: a cold load of /ab/dashboard until its three charts are
//     drawn, and the JavaScript it fetches beyond the first load (the lazy view and the chart
//     library), raw, gzip and brotli as the build precompressed them.
import { readFileSync, existsSync } from "node:fs";
import { request } from "node:http";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startTestServer } from "../bot/dist-test/testServer.js";
import { demoIds } from "../bot/dist/demo/demoSchool.js";

const root = fileURLToPath(new URL("../", import.meta.url));
// BENCH_TAB_DIST: a build elsewhere (several people benchmarking one checkout at once).
const dist = process.env.BENCH_TAB_DIST ?? join(root, "tab/dist");
if (!existsSync(join(dist, "index.html"))) throw new Error("Build the tab first: npm run build");
const ECTS = 200;
const RUNS = 7;
const kb = (n) => Math.round((n / 1024) * 10) / 10;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const FIRST_LOAD_LIMIT = 200 * 1024;
const stats = (xs) => ({ runs: xs.length, median: Math.round(median(xs)), min: Math.round(Math.min(...xs)), max: Math.round(Math.max(...xs)) });

/** A GET's body bytes on the wire, not decoded (fetch would decode), with its Content-Encoding. */
function rawGet(url, headers) {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let bytes = 0;
      res.on("data", (c) => (bytes += c.length));
      res.on("end", () => resolve({ status: res.statusCode, bytes, encoding: res.headers["content-encoding"] ?? "identity" }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** index.html and every script, stylesheet and modulepreload it names (lazy chunks are not named there). */
async function firstLoadFromServer(baseUrl) {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const named = [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]);
  const files = [];
  for (const path of ["/", ...new Set(named)]) {
    const t = await rawGet(baseUrl + path, { "accept-encoding": "br, gzip" });
    if (t.status !== 200) throw new Error(`first load ${path}: ${t.status}`);
    files.push({ path, bytes: t.bytes, encoding: t.encoding, raw: readFileSync(join(dist, path === "/" ? "index.html" : path)).length });
  }
  const compressed = files.reduce((a, f) => a + f.bytes, 0);
  return {
    files: files.map((f) => `${f.path} ${kb(f.bytes)} KB ${f.encoding} (${kb(f.raw)} KB raw)`),
    compressedKB: kb(compressed),
    uncompressedKB: kb(files.reduce((a, f) => a + f.raw, 0)),
    targetKB: FIRST_LOAD_LIMIT / 1024,
    ok: compressed <= FIRST_LOAD_LIMIT,
  };
}

const server = await startTestServer({ env: { TAB_DIST: dist } });
try {
  // 200 ECTs for one induction tutor, written through the store API; half on a Level 2 plan via the plan API.
  for (let i = 0; i < ECTS - 3; i++) {
    const id = `bench-ect-${i}`;
    await server.store.upsertPerson({
      id: `person-${id}`,
      displayName: `Bench ECT ${String(i).padStart(3, "0")}`,
      email: `${id}@bench.example`,
      roles: ["ect"],
      schoolId: demoIds.school,
    });
    await server.store.upsertEct({
      id,
      personId: `person-${id}`,
      schoolId: demoIds.school,
      abId: demoIds.ab,
      inductionTutorId: demoIds.tutorA,
      mentorId: demoIds.mentorA,
      inductionStartDate: "2026-09-01",
      fte: 1,
      absences: [],
      extensions: [],
      track: "ect",
    });
  }
  const tutor = await server.as(demoIds.tutorA);
  let planId;
  for (let i = 0; i < ECTS - 3; i += 2) {
    const res = await tutor("/api/plans", {
      method: "POST",
      body: JSON.stringify({ ectId: `bench-ect-${i}`, templateId: "level_2", content: { startDate: "2026-11-30", endDate: "2027-01-08" } }),
    });
    if (res.status !== 201) throw new Error(`create plan: ${res.status} ${await res.text()}`);
    planId ??= (await res.json()).plan.id;
  }
  const caseload = await (await tutor("/api/caseload")).json();
  if (caseload.rows.length !== ECTS) throw new Error(`expected ${ECTS} rows, got ${caseload.rows.length}`);
  const signIn = async (personId) =>
    (
      await (
        await fetch(`${server.url}/api/dev/sign-in`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ personId }),
        })
      ).json()
    ).token;
  const token = await signIn(demoIds.tutorA);
  const abToken = await signIn(demoIds.abOfficer);
  const abRows = (await (await server.as(demoIds.abOfficer))("/api/ab/reviews").then((r) => r.json())).rows.length;
  const dashboardEcts = (await (await server.as(demoIds.abOfficer))("/api/ab/dashboard").then((r) => r.json())).ects;
  const firstLoad = await firstLoadFromServer(server.url);

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
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
  });

  /**
   * One cold load (a fresh context: nothing cached, as on a first visit) of `path` signed in with
   * `tok`, until `ready(arg)` holds in the page. Returns the time from navigation, the static files
   * Chromium fetched on the way (bytes on the wire and decoded) and the page, still open.
   */
  async function coldLoad(path, tok, ready, arg) {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    await context.addInitScript((t) => sessionStorage.setItem("ectsp:token", t), tok);
    const page = await context.newPage();
    const sizes = [];
    page.on("requestfinished", (req) => {
      const u = new URL(req.url());
      if (u.pathname.startsWith("/api/")) return;
      sizes.push(
        Promise.all([req.sizes(), req.response()]).then(async ([s, r]) => ({
          path: u.pathname,
          wire: s.responseBodySize,
          decoded: (await r.body()).length,
          encoding: (await r.allHeaders())["content-encoding"] ?? "identity",
        })),
      );
    });
    await page.goto(server.url + path, { waitUntil: "commit" });
    await page.waitForFunction(ready, arg, { timeout: 30_000, polling: "raf" }).catch(async (e) => {
      await page.screenshot({ path: "/tmp/bench-fail.png" });
      console.error(await page.evaluate(() => document.body.innerText.slice(0, 500)));
      throw e;
    });
    const ms = await page.evaluate(() => performance.now());
    return { ms, files: await Promise.all(sizes), page, close: () => context.close() };
  }

  try {
    const times = [];
    const filterTimes = [];
    let files = [];
    for (let run = 0; run < RUNS + 1; run++) {
      const load = await coldLoad(
        "/",
        token,
        (n) => document.querySelectorAll("[data-ect]").length >= n && !!document.querySelector("input[type=search]"),
        ECTS,
      );
      // Interactive means it answers: filter the 200 rows by typing.
      const t0 = performance.now();
      await load.page.getByLabel("Search").fill("Bench ECT 01");
      await load.page.waitForFunction(() => document.querySelectorAll("[data-ect]").length === 10, undefined, { polling: "raf" });
      const filterMs = performance.now() - t0;
      // The first run warms the server and Chromium; it is not counted.
      if (run > 0) {
        times.push(load.ms);
        filterTimes.push(filterMs);
      }
      files = load.files;
      await load.close();
    }
    const planTimes = [];
    const abTimes = [];
    for (let run = 0; run < RUNS + 1; run++) {
      const plan = await coldLoad(
        `/plans/${encodeURIComponent(planId)}`,
        token,
        () => !!document.querySelector("#plan-title") && !!document.querySelector("[data-testid=plan-stage]"),
      );
      if (run > 0) planTimes.push(plan.ms);
      await plan.close();
      const ab = await coldLoad("/ab/reviews", abToken, (n) => document.querySelectorAll("[data-testid=ab-reviews] tbody tr").length >= n, abRows);
      if (run > 0) abTimes.push(ab.ms);
      await ab.close();
    }
    // Issue 15: the AB dashboard, drawn: three charts as SVG, 200+ ECTs behind them.
    const dashboardTimes = [];
    let dashboardFiles = [];
    for (let run = 0; run < RUNS + 1; run++) {
      const dash = await coldLoad("/ab/dashboard", abToken, () =>
        ["levels", "terms", "time"].every((id) => !!document.querySelector(`[data-testid=${id}-chart] svg`)),
      );
      if (run > 0) dashboardTimes.push(dash.ms);
      dashboardFiles = dash.files;
      await dash.close();
    }
    const html = readFileSync(join(dist, "index.html"), "utf8");
    const firstLoadJs = new Set([...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="(\/[^"]+\.js)"/g)].map((m) => m[1]));
    const sizeOf = (p) => {
      const raw = readFileSync(join(dist, p));
      const sibling = (ext) => (existsSync(join(dist, p + ext)) ? readFileSync(join(dist, p + ext)).length : raw.length);
      return { file: p, raw: raw.length, gzip: sibling(".gz"), br: sibling(".br") };
    };
    const lazyJs = dashboardFiles.filter((f) => f.path.endsWith(".js") && !firstLoadJs.has(f.path)).map((f) => sizeOf(f.path));
    const sum = (key) => kb(lazyJs.reduce((a, f) => a + f[key], 0));
    const jsFiles = files.filter((f) => f.path.endsWith(".js")).map((f) => f.path);
    const sizes = jsFiles.map((p) => {
      const buf = readFileSync(join(dist, p));
      return { file: p, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
    });
    const totalGzip = sizes.reduce((a, s) => a + s.gzip, 0);
    const totalRaw = sizes.reduce((a, s) => a + s.raw, 0);
    const wire = files.reduce((a, f) => a + f.wire, 0);
    const result = {
      caseloadInitialJs: {
        files: sizes.map((s) => `${s.file} ${kb(s.gzip)} KB gz`),
        gzipKB: kb(totalGzip),
        rawKB: kb(totalRaw),
        targetKB: 250,
        ok: totalGzip <= 250 * 1024,
      },
      firstLoadTransfer: firstLoad,
      // What Chromium received for the caseload's first load (it asks for br over plain HTTP too).
      caseloadBrowserTransfer: {
        files: files.length,
        encodings: [...new Set(files.map((f) => f.encoding))],
        wireKB: kb(wire),
        decodedKB: kb(files.reduce((a, f) => a + f.decoded, 0)),
      },
      navigationToInteractiveCaseloadMs: { ects: ECTS, ...stats(times), target: 1000, ok: median(times) < 1000 },
      filter200RowsMs: { median: median(filterTimes) },
      coldPlanOpenMs: stats(planTimes),
      coldAbDashboardMs: { rows: abRows, ...stats(abTimes) },
      // Issue 15: /ab/dashboard from a cold start until its three charts are drawn.
      coldAbChartsDashboardMs: { ects: dashboardEcts, ...stats(dashboardTimes) },
      abChartsDashboardLazyJs: {
        files: lazyJs.map((f) => `${f.file} ${kb(f.br)} KB br, ${kb(f.gzip)} KB gz, ${kb(f.raw)} KB raw`),
        brKB: sum("br"),
        gzipKB: sum("gzip"),
        rawKB: sum("raw"),
        chartLibraryInFirstLoad: [...firstLoadJs].some((p) => /VerticalStackedBarChart|GanttChart/.test(readFileSync(join(dist, p), "utf8"))),
      },
    };
    console.log(JSON.stringify(result, null, 2));
    if (!result.caseloadInitialJs.ok || !result.navigationToInteractiveCaseloadMs.ok || !firstLoad.ok || result.abChartsDashboardLazyJs.chartLibraryInFirstLoad)
      process.exitCode = 1;
  } finally {
    await browser.close();
  }
} finally {
  await server.stop();
}
