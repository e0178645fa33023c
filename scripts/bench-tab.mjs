#!/usr/bin/env node
// Tab benchmarks (run by `npm run bench:tab` after a build):
//  1. the JavaScript the caseload route loads, gzipped (target ≤ 250 KB; editor and pickers load lazily);
//  2. navigation → interactive caseload of 200 ECTs in headless Chromium (target < 1 s locally).
import { readFileSync, existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startTestServer } from "../bot/dist-test/testServer.js";
import { demoIds } from "../bot/dist/demo/demoSchool.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const dist = join(root, "tab/dist");
if (!existsSync(join(dist, "index.html"))) throw new Error("Build the tab first: npm run build");
const ECTS = 200;
const RUNS = 7;
const kb = (n) => Math.round((n / 1024) * 10) / 10;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

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
  for (let i = 0; i < ECTS - 3; i += 2) {
    const res = await tutor("/api/plans", {
      method: "POST",
      body: JSON.stringify({ ectId: `bench-ect-${i}`, templateId: "level_2", content: { startDate: "2026-11-30", endDate: "2027-01-08" } }),
    });
    if (res.status !== 201) throw new Error(`create plan: ${res.status} ${await res.text()}`);
  }
  const caseload = await (await tutor("/api/caseload")).json();
  if (caseload.rows.length !== ECTS) throw new Error(`expected ${ECTS} rows, got ${caseload.rows.length}`);
  const { token } = await (
    await fetch(`${server.url}/api/dev/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ personId: demoIds.tutorA }),
    })
  ).json();

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
  try {
    const times = [];
    const filterTimes = [];
    let jsFiles = [];
    for (let run = 0; run < RUNS + 1; run++) {
      // A fresh context each run: nothing cached, as on a first visit.
      const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
      await context.addInitScript((t) => sessionStorage.setItem("ectsp:token", t), token);
      const page = await context.newPage();
      const scripts = new Set();
      page.on("response", (r) => {
        const u = new URL(r.url());
        if (u.pathname.endsWith(".js")) scripts.add(u.pathname);
      });
      await page.goto(server.url + "/", { waitUntil: "commit" });
      await page
        .waitForFunction((n) => document.querySelectorAll("[data-ect]").length >= n && !!document.querySelector("input[type=search]"), ECTS, {
          timeout: 30_000,
          polling: "raf",
        })
        .catch(async (e) => {
          await page.screenshot({ path: "/tmp/bench-fail.png" });
          console.error(await page.evaluate(() => document.body.innerText.slice(0, 500)));
          throw e;
        });
      const interactive = await page.evaluate(() => performance.now());
      // Interactive means it answers: filter the 200 rows by typing.
      const t0 = performance.now();
      await page.getByLabel("Search").fill("Bench ECT 01");
      await page.waitForFunction(() => document.querySelectorAll("[data-ect]").length === 10, undefined, { polling: "raf" });
      const filterMs = performance.now() - t0;
      if (run > 0) {
        times.push(interactive);
        filterTimes.push(filterMs);
      }
      jsFiles = [...scripts];
      await context.close();
    }
    const sizes = jsFiles.map((p) => {
      const buf = readFileSync(join(dist, p));
      return { file: p, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
    });
    const totalGzip = sizes.reduce((a, s) => a + s.gzip, 0);
    const totalRaw = sizes.reduce((a, s) => a + s.raw, 0);
    const result = {
      caseloadInitialJs: {
        files: sizes.map((s) => `${s.file} ${kb(s.gzip)} KB gz`),
        gzipKB: kb(totalGzip),
        rawKB: kb(totalRaw),
        targetKB: 250,
        ok: totalGzip <= 250 * 1024,
      },
      navigationToInteractiveCaseloadMs: {
        ects: ECTS,
        runs: RUNS,
        median: Math.round(median(times)),
        min: Math.round(Math.min(...times)),
        max: Math.round(Math.max(...times)),
        target: 1000,
        ok: median(times) < 1000,
      },
      filter200RowsMs: { median: median(filterTimes) },
    };
    console.log(JSON.stringify(result, null, 2));
    if (!result.caseloadInitialJs.ok || !result.navigationToInteractiveCaseloadMs.ok) process.exitCode = 1;
  } finally {
    await browser.close();
  }
} finally {
  await server.stop();
}
