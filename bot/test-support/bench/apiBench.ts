/**
 * API benchmark (issue 3): latency of list, open and save over real HTTP on the embedded
 * SQLite store at 1,000 and 10,000 plans, and the server's start-up time on a full store.
 * Run with `npm run bench`; figures go in BENCHMARKS.md.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";
import { createPlan, type Ect, type Person, type Plan, type UseCaseContext } from "@ectsp/shared";
import { openSqliteStore } from "@ectsp/bot/store/sqlite/sqliteStore.js";
import { loadConfig } from "@ectsp/bot/config.js";
import { createApp } from "@ectsp/bot/http/server.js";
import { silentLogger } from "@ectsp/bot/logger.js";
import type { Store } from "@ectsp/bot/store/store.js";

const SCHOOLS = 20;
const ECTS_PER_TUTOR = 25;
const now = new Date("2026-11-27T10:00:00Z");

interface Seeded {
  tutorIds: string[];
  planIds: string[];
}

/** N plans across 20 schools: every ECT has one closed and one open plan, 25 ECTs per tutor. */
async function seed(store: Store, plans: number): Promise<Seeded> {
  const ectsTotal = plans / 2;
  const perSchool = Math.ceil(ectsTotal / SCHOOLS);
  await store.upsertAppropriateBody({ id: "ab", name: "Bench Hub" });
  const tutorIds: string[] = [];
  const planIds: string[] = [];
  let made = 0;
  for (let s = 0; s < SCHOOLS && made < ectsTotal; s++) {
    const schoolId = `school-${s}`;
    await store.upsertSchool({ id: schoolId, name: `School ${s}`, abId: "ab" });
    const head: Person = { id: `head-${s}`, displayName: `Head ${s}`, email: `head${s}@bench.example`, roles: ["head"], schoolId };
    await store.upsertPerson(head);
    const tutors = Math.ceil(perSchool / ECTS_PER_TUTOR);
    for (let t = 0; t < tutors; t++) {
      const tutor: Person = {
        id: `tutor-${s}-${t}`,
        displayName: `Tutor ${s}.${t}`,
        email: `tutor${s}-${t}@bench.example`,
        roles: ["induction_tutor"],
        schoolId,
      };
      await store.upsertPerson(tutor);
      tutorIds.push(tutor.id);
      const batch: Plan[] = [];
      for (let e = 0; e < ECTS_PER_TUTOR && made < ectsTotal; e++, made++) {
        const person: Person = { id: `p-${made}`, displayName: `ECT ${made}`, email: `ect${made}@bench.example`, roles: ["ect"], schoolId };
        await store.upsertPerson(person);
        const ect: Ect = {
          id: `ect-${made}`,
          personId: person.id,
          schoolId,
          abId: "ab",
          inductionTutorId: tutor.id,
          inductionStartDate: "2026-09-01",
          fte: 1,
          absences: [],
          extensions: [],
          track: "ect",
        };
        await store.upsertEct(ect);
        const ctx: UseCaseContext = { actor: tutor, now, newId: randomUUID };
        const ectCtx = { ect, ectPerson: person, school: { id: schoolId, name: `School ${s}`, abId: "ab" }, schoolStaff: [head, tutor], abOfficers: [] };
        for (const status of ["closed", "draft"] as const) {
          const { plan } = createPlan(ctx, ectCtx, [], {
            ectId: ect.id,
            templateId: "level_2",
            content: {
              startDate: "2026-11-30",
              endDate: "2027-01-11",
              targets: [0, 1, 2].map((i) => ({
                id: randomUUID(),
                standards: ["7d", "4a"],
                text: `Target ${i} `.repeat(20),
                ectActions: "Observe ".repeat(30),
                schoolActions: "Support ".repeat(30),
                supportedBy: "",
                resources: "",
                successCriteria: "Seen ".repeat(30),
                timeScale: "",
                observationOutcome: "",
                outcomeEntries: [],
              })),
            },
          });
          batch.push({ ...plan, status, ...(status === "closed" ? { outcome: "on_track" as const } : {}) });
        }
      }
      await store.commit({ create: batch, audit: [] });
      planIds.push(...batch.filter((p) => p.status !== "closed").map((p) => p.id));
    }
  }
  return { tutorIds, planIds };
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * q) - 1)] ?? NaN;
};

async function timed(samples: number[], fn: () => Promise<Response>): Promise<Response> {
  const start = performance.now();
  const res = await fn();
  await res.arrayBuffer();
  samples.push(performance.now() - start);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res;
}

async function measure(plans: number, iterations: number) {
  const dataDir = mkdtempSync(join(tmpdir(), "ectsp-bench-"));
  const store = openSqliteStore(join(dataDir, "ect-support-plans.sqlite"), { clock: { now: () => now } });
  const seedStart = performance.now();
  const seeded = await seed(store, plans);
  const seedMs = performance.now() - seedStart;
  const config = loadConfig({ PORT: "0", DATA_DIR: dataDir, TAB_DIST: join(dataDir, "none") });
  const app = createApp({ config, store, logger: silentLogger, clock: { now: () => now } });
  const url = await app.listen(0);
  const list: number[] = [];
  const open: number[] = [];
  const save: number[] = [];
  const tokens = new Map<string, string>();
  const tokenFor = async (id: string) => tokens.get(id) ?? tokens.set(id, await app.identity!.issue(id)).get(id)!;
  // Warm up the JIT and SQLite's page cache before measuring.
  for (let i = 0; i < 20; i++) {
    await fetch(`${url}/api/plans/${seeded.planIds[i]}`, { headers: { authorization: `Bearer ${await tokenFor(seeded.tutorIds[0]!)}` } }).then((r) =>
      r.arrayBuffer(),
    );
  }
  for (let i = 0; i < iterations; i++) {
    const planId = seeded.planIds[(i * 7919) % seeded.planIds.length]!;
    const plan = (await store.getPlan(planId))!;
    const auth = { authorization: `Bearer ${await tokenFor(plan.createdBy)}` };
    await timed(list, () => fetch(`${url}/api/caseload`, { headers: auth }));
    const opened = await timed(open, () => fetch(`${url}/api/plans/${planId}`, { headers: auth }));
    const view = (await store.getPlan(planId))!;
    const content = { ...view, weeks: view.weeks.map((w) => (w.week === 1 ? { ...w, action: `Week 1 action ${i}` } : w)) };
    await timed(save, () =>
      fetch(`${url}/api/plans/${planId}`, {
        method: "PUT",
        headers: { ...auth, "content-type": "application/json", "if-match": opened.headers.get("etag")! },
        body: JSON.stringify({ content }),
      }),
    );
  }
  await app.close();
  await store.close();
  return { plans, seedMs, dataDir, list, open, save };
}

/** Start-up: spawn the real server on the seeded data and time until /healthz answers. */
async function startUpMs(dataDir: string): Promise<number> {
  // The production build's entry point (bot/dist/main.js), by the package's own name.
  const main = fileURLToPath(import.meta.resolve("@ectsp/bot/main.js"));
  const port = 39_000 + Math.floor(Math.random() * 1000);
  const start = performance.now();
  const child = spawn(process.execPath, [main], { env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, PLAYGROUND: "off" }, stdio: "ignore" });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.ok) return performance.now() - start;
      } catch {
        /* not up yet */
      }
      if (performance.now() - start > 30_000) throw new Error("server did not start within 30 s");
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    child.kill("SIGTERM");
  }
}

const fmt = (xs: number[]) => `p50 ${quantile(xs, 0.5).toFixed(1)} ms, p95 ${quantile(xs, 0.95).toFixed(1)} ms`;

async function main() {
  const iterations = Number(process.env.BENCH_ITERATIONS ?? 300);
  const rows: string[] = [];
  console.log(`API benchmark: ${iterations} iterations per size, ${cpus().length} cores, Node ${process.version}`);
  for (const plans of [1_000, 10_000]) {
    const r = await measure(plans, iterations);
    const startup = await startUpMs(r.dataDir);
    rmSync(r.dataDir, { recursive: true, force: true });
    console.log(`${plans} plans (seeded in ${(r.seedMs / 1000).toFixed(1)} s)`);
    console.log(`  list my caseload (25 ECTs): ${fmt(r.list)}`);
    console.log(`  open a plan:                ${fmt(r.open)}`);
    console.log(`  save a plan:                ${fmt(r.save)}`);
    console.log(`  start-up to healthy:        ${startup.toFixed(0)} ms`);
    rows.push(
      `| ${plans.toLocaleString("en-GB")} | ${quantile(r.list, 0.5).toFixed(1)} / ${quantile(r.list, 0.95).toFixed(1)} | ${quantile(r.open, 0.5).toFixed(1)} / ${quantile(r.open, 0.95).toFixed(1)} | ${quantile(r.save, 0.5).toFixed(1)} / ${quantile(r.save, 0.95).toFixed(1)} | ${startup.toFixed(0)} |`,
    );
  }
  console.log("\n| plans | list p50 / p95 (ms) | open p50 / p95 (ms) | save p50 / p95 (ms) | start-up (ms) |\n|---|---|---|---|---|");
  console.log(rows.join("\n"));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
