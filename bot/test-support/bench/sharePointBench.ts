/**
 * SharePoint benchmark (issue 8): Graph requests per user operation, counted at the local Graph
 * double, and list/open/save latency over the real API server on the SharePoint store, with the
 * double adding a fixed delay to every HTTP request (SP_BENCH_LATENCY_MS, default 20 ms) to stand
 * in for the network and SharePoint's own time.
 *
 * Issue 14: the API rows are Graph round trips (HTTP requests) with this instance's directory
 * cache warm, and a caseload of 300 ECTs on a Plans list of 6,000 items is measured too.
 *
 * Run with `npm run bench:sharepoint`. BENCH_ITERATIONS (default 40) sets the sample count.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { createPlan, type Ect, type Person, type Plan, type UseCaseContext } from "@ectsp/shared";
import { loadConfig } from "@ectsp/bot/config.js";
import { createApp } from "@ectsp/bot/http/server.js";
import { silentLogger } from "@ectsp/bot/logger.js";
import { startDoubleKit } from "../graph/doubleKit.js";
import { bigCaseloadEcts, bigCaseloadPlans, seedBigCaseload } from "./bigCaseload.js";
import type { Store } from "@ectsp/bot/store/store.js";

const now = new Date("2026-11-27T10:00:00Z");

/** One school; tutor-big has 200 ECTs, tutor-small 25; every ECT has one draft Level 2 plan. */
async function seed(store: Store): Promise<{ planIds: Map<string, string[]> }> {
  await store.upsertAppropriateBody({ id: "ab", name: "Bench Hub" });
  const school = { id: "school-0", name: "School 0", abId: "ab" };
  await store.upsertSchool(school);
  const head: Person = { id: "head-0", displayName: "Head", email: "head@bench.example", roles: ["head"], schoolId: school.id };
  await store.upsertPerson(head);
  const planIds = new Map<string, string[]>();
  let made = 0;
  for (const [tutorId, count] of [
    ["tutor-big", 200],
    ["tutor-small", 25],
  ] as const) {
    const tutor: Person = { id: tutorId, displayName: tutorId, email: `${tutorId}@bench.example`, roles: ["induction_tutor"], schoolId: school.id };
    await store.upsertPerson(tutor);
    const ids: string[] = [];
    const batch: Plan[] = [];
    for (let e = 0; e < count; e++, made++) {
      const person: Person = { id: `p-${made}`, displayName: `ECT ${made}`, email: `ect${made}@bench.example`, roles: ["ect"], schoolId: school.id };
      await store.upsertPerson(person);
      const ect: Ect = {
        id: `ect-${made}`,
        personId: person.id,
        schoolId: school.id,
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
      const { plan } = createPlan(ctx, { ect, ectPerson: person, school, schoolStaff: [head, tutor], abOfficers: [] }, [], {
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
      batch.push(plan);
      ids.push(plan.id);
      if (batch.length === 5) await store.commit({ create: batch.splice(0), audit: [] });
    }
    if (batch.length) await store.commit({ create: batch, audit: [] });
    planIds.set(tutorId, ids);
  }
  return { planIds };
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * q) - 1)] ?? NaN;
};

async function main() {
  const iterations = Number(process.env.BENCH_ITERATIONS ?? 40);
  const latencyMs = Number(process.env.SP_BENCH_LATENCY_MS ?? 20);
  const kit = await startDoubleKit();
  const dataDir = mkdtempSync(join(tmpdir(), "ectsp-spbench-"));
  try {
    await kit.provision("Bench ");
    const store = await kit.open("Bench ");
    const seedStart = performance.now();
    const { planIds } = await seed(store);
    const seedMs = performance.now() - seedStart;
    const config = loadConfig({ PORT: "0", DATA_DIR: dataDir, TAB_DIST: join(dataDir, "none") });
    const app = createApp({ config, store, logger: silentLogger, clock: { now: () => now } });
    const url = await app.listen(0);
    const auth = async (id: string) => ({ authorization: `Bearer ${await app.identity!.issue(id)}` });
    const d = kit.double;
    const counted = async (fn: () => Promise<unknown>) => {
      // Background work of the operation before (a change's journal entry closing) is not this one's.
      await store.settle();
      d.resetCounts();
      await fn();
      const sub = [...d.counts].filter(([k]) => k.startsWith("batch:")).reduce((n, [, v]) => n + v, 0);
      return { http: d.httpRequests, sub };
    };
    const call = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${url}${path}`, init);
      const text = await res.text();
      if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
      return res;
    };

    d.latencyMs = latencyMs;
    const big = await auth("tutor-big");
    const small = await auth("tutor-small");
    const planId = planIds.get("tutor-small")![0]!;
    // Fills the directory cache (one full delta read), as any first request after start-up does.
    await call("/api/caseload", { headers: small });

    // ---- requests per operation
    const rows: [string, { http: number; sub: number }][] = [];
    rows.push(["store.getPlan (open a plan)", await counted(() => store.getPlan(planId))]);
    const plan = (await store.getPlan(planId))!;
    rows.push([
      "store.commit (save a plan + audit entry)",
      await counted(() =>
        store.commit({
          save: [{ plan: { ...plan, term: "Bench" }, expectedVersion: plan.version }],
          audit: [
            {
              id: randomUUID(),
              at: now.toISOString(),
              actorId: "tutor-small",
              actorName: "t",
              action: "savePlan",
              ectId: plan.ectId,
              planId,
              summary: "bench",
            },
          ],
        }),
      ),
    ]);
    rows.push(["API GET /api/plans/:id (open)", await counted(() => call(`/api/plans/${planId}`, { headers: small }))]);
    const opened = await call(`/api/plans/${planId}`, { headers: small });
    const view = (await store.getPlan(planId))!;
    rows.push([
      "API PUT /api/plans/:id (save)",
      await counted(() =>
        call(`/api/plans/${planId}`, {
          method: "PUT",
          headers: { ...small, "content-type": "application/json", "if-match": opened.headers.get("etag")! },
          body: JSON.stringify({ content: { ...view, term: "Bench 2" } }),
        }),
      ),
    ]);
    rows.push(["API GET /api/caseload (25 ECTs)", await counted(() => call("/api/caseload", { headers: small }))]);
    const bigStart = performance.now();
    rows.push(["API GET /api/caseload (200 ECTs)", await counted(() => call("/api/caseload", { headers: big }))]);
    const bigMs = performance.now() - bigStart;

    // ---- 300 ECTs on a list of 6,000 plans (seeded straight into the lists), on its own server
    await kit.provision("Big ");
    d.latencyMs = 0;
    seedBigCaseload(kit, "Big ", now);
    d.latencyMs = latencyMs;
    const bigStore = await kit.open("Big ");
    const bigApp = createApp({
      config: loadConfig({ PORT: "0", DATA_DIR: dataDir, TAB_DIST: join(dataDir, "none") }),
      store: bigStore,
      logger: silentLogger,
      clock: { now: () => now },
    });
    const bigUrl = await bigApp.listen(0);
    const tutor300 = { authorization: `Bearer ${await bigApp.identity!.issue("tutor-300")}` };
    const caseload300 = () =>
      fetch(`${bigUrl}/api/caseload`, { headers: tutor300 }).then(async (r) => {
        const body = (await r.json()) as { rows?: unknown[] };
        if (!r.ok || body.rows?.length !== bigCaseloadEcts) throw new Error(`300-ECT caseload: HTTP ${r.status}, ${body.rows?.length} rows`);
      });
    const coldStart = performance.now();
    rows.push([`API GET /api/caseload (${bigCaseloadEcts} ECTs, ${bigCaseloadPlans} plans, cold directory cache)`, await counted(caseload300)]);
    const coldMs = performance.now() - coldStart;
    const warmStart = performance.now();
    rows.push([`API GET /api/caseload (${bigCaseloadEcts} ECTs, ${bigCaseloadPlans} plans)`, await counted(caseload300)]);
    const warmMs = performance.now() - warmStart;
    const inFlight300 = d.maxInFlight;
    await bigApp.close();
    await bigStore.close();

    // ---- latency
    const list: number[] = [];
    const open: number[] = [];
    const save: number[] = [];
    const ids = planIds.get("tutor-small")!;
    for (let i = 0; i < iterations; i++) {
      const id = ids[(i * 7) % ids.length]!;
      let t = performance.now();
      await call("/api/caseload", { headers: small });
      list.push(performance.now() - t);
      t = performance.now();
      const res = await call(`/api/plans/${id}`, { headers: small });
      open.push(performance.now() - t);
      const current = (await store.getPlan(id))!;
      t = performance.now();
      await call(`/api/plans/${id}`, {
        method: "PUT",
        headers: { ...small, "content-type": "application/json", "if-match": res.headers.get("etag")! },
        body: JSON.stringify({ content: { ...current, term: `Iteration ${i}` } }),
      });
      save.push(performance.now() - t);
    }
    await app.close();
    await store.close();

    console.log(
      `SharePoint benchmark: Graph double adds ${latencyMs} ms per HTTP request; ${iterations} iterations; ${cpus().length} cores, Node ${process.version}; seeded 225 ECTs/plans in ${(seedMs / 1000).toFixed(1)} s (no delay while seeding)`,
    );
    console.log("\n| operation | HTTP requests to Graph | requests inside $batch |\n|---|---|---|");
    for (const [name, c] of rows) console.log(`| ${name} | ${c.http} | ${c.sub} |`);
    console.log(`\n200-ECT caseload took ${bigMs.toFixed(0)} ms.`);
    console.log(
      `${bigCaseloadEcts}-ECT caseload on ${bigCaseloadPlans} plans took ${coldMs.toFixed(0)} ms cold, ${warmMs.toFixed(0)} ms warm (at most ${inFlight300} requests in flight).`,
    );
    const f = (xs: number[]) => `${quantile(xs, 0.5).toFixed(1)} / ${quantile(xs, 0.95).toFixed(1)}`;
    console.log("\n| list caseload (25 ECTs) p50 / p95 (ms) | open p50 / p95 (ms) | save p50 / p95 (ms) |\n|---|---|---|");
    console.log(`| ${f(list)} | ${f(open)} | ${f(save)} |`);
  } finally {
    await kit.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
