/**
 * Export benchmark (issue 7): time to export a Level 4 plan with six weekly rows (three targets,
 * every field filled, signed) to Word and to PDF — layout plus rendering, in process — and the
 * size of the files. Target: p95 under 300 ms each. Run with `npm run bench:export`;
 * `BENCH_ITERATIONS` (default 50) sets the sample count.
 */
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { exportPlan, type ExportFormat } from "@ectsp/bot/export/index.js";
import { samplePlan } from "../samplePlans.js";

const iterations = Number(process.env.BENCH_ITERATIONS ?? 50);
const warmup = 5;
const targetMs = 300;

function quantile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

async function measure(format: ExportFormat): Promise<{ times: number[]; bytes: number }> {
  const { input } = samplePlan("level_4");
  if (input.plan.weeks.length !== 6) throw new Error("the bench plan needs six weekly rows");
  let bytes = 0;
  for (let i = 0; i < warmup; i++) bytes = (await exportPlan(input, format)).body.length;
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    const file = await exportPlan(input, format);
    times.push(performance.now() - start);
    bytes = file.body.length;
  }
  return { times, bytes };
}

console.log(
  `Export benchmark: Level 4 plan, 3 targets, 6 weekly rows; ${iterations} runs after ${warmup} warm-up; ${cpus().length} cores, Node ${process.version}`,
);
const rows: string[] = [];
let failed = false;
for (const format of ["docx", "pdf"] as const) {
  const { times, bytes } = await measure(format);
  const p50 = quantile(times, 0.5);
  const p95 = quantile(times, 0.95);
  const ok = p95 < targetMs;
  failed ||= !ok;
  const name = format === "docx" ? "Word (.docx)" : "PDF";
  console.log(
    `  ${name.padEnd(12)} p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms, ${(bytes / 1024).toFixed(1)} KB ${ok ? "(under target)" : `(OVER the ${targetMs} ms target)`}`,
  );
  rows.push(`| ${name} | ${p50.toFixed(1)} / ${p95.toFixed(1)} | ${(bytes / 1024).toFixed(1)} KB |`);
}
console.log(`\n| format | p50 / p95 (ms) | file size |\n|---|---|---|\n${rows.join("\n")}`);
if (failed) process.exitCode = 1;
