// Shared helpers for benchmarks: load generation in a separate process, and table printing.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LoadResult {
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Runs autocannon in its own process (so it does not steal the server's event loop); `bodies` are cycled. */
export async function autocannon(opts: { url: string; method?: string; headers?: Record<string, string>; bodies?: string[]; connections?: number; seconds?: number }): Promise<LoadResult> {
  const child = fileURLToPath(new URL('./_autocannon-child.mjs', import.meta.url));
  const { stdout } = await run(process.execPath, [child, JSON.stringify(opts)], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as LoadResult;
}

/** The round with the median throughput (its latencies come with it). */
export function median(results: LoadResult[]): LoadResult {
  return [...results].sort((x, y) => x.reqPerSec - y.reqPerSec)[Math.floor(results.length / 2)]!;
}

/** Measures an in-process async operation at a fixed concurrency for `seconds`. */
export async function inProcess(fn: () => Promise<unknown>, opts: { concurrency?: number; seconds?: number } = {}): Promise<LoadResult> {
  const until = performance.now() + (opts.seconds ?? 5) * 1000;
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(
    Array.from({ length: opts.concurrency ?? 10 }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          await fn();
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { reqPerSec: latencies.length / (opts.seconds ?? 5), ...percentiles(latencies), errors, non2xx: 0 };
}

/** p50 and p99 of a list of milliseconds. */
export function percentiles(ms: number[]): { p50: number; p99: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

/** Prints rows as an aligned text table. */
export function printTable(headers: string[], rows: (string | number)[][]): void {
  const cells = [headers, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  for (const [i, r] of cells.entries()) {
    console.log(r.map((c, j) => String(c).padEnd(widths[j]!)).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n >= 100 ? n.toFixed(0) : n.toFixed(2));
