/** Timing, percentiles, memory sampling and the results table of the benchmark. */
import fs from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';

export interface Result {
  work: string;
  /** sqlcipher: SQLite on the encrypted engine, the same work beside the plaintext rows. */
  engine: 'sqlite' | 'sqlcipher' | 'pg';
  rows: number;
  p50_ms: number | null;
  p95_ms: number | null;
  baseline_p50_ms: number | null;
  baseline_p95_ms: number | null;
  rss_growth_mb?: number;
  /** Samples behind the percentiles. */
  samples?: number;
  /** What the baseline is, a target, or why nothing was measured. */
  note?: string;
  /** The export row: the sqlite3 shell writing the same columns as CSV (its median). */
  shell_baseline_ms?: number;
  /** Rows through the team server: the backend's part of each call inside the server. */
  server_backend_p50_ms?: number;
  /** Rows through the team server: each request inside the server, headers read to answer sent. */
  server_p50_ms?: number;
  /** The 1-minute load average as the row began (the previous row's end) and as it ended. */
  load_start?: number;
  load_end?: number;
}

/** The 1-minute load average now, to two decimals. */
export function loadNow(): number {
  return Math.round(os.loadavg()[0]! * 100) / 100;
}

/** The q-quantile by the nearest-rank method. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

/** A row's p50 and p95, and its baseline's, from their samples. */
export function figures(
  full: readonly number[],
  bare: readonly number[],
): Pick<Result, 'p50_ms' | 'p95_ms' | 'baseline_p50_ms' | 'baseline_p95_ms'> {
  return {
    p50_ms: percentile(full, 0.5),
    p95_ms: percentile(full, 0.95),
    baseline_p50_ms: percentile(bare, 0.5),
    baseline_p95_ms: percentile(bare, 0.95),
  };
}

export const round = (ms: number): number =>
  ms >= 100 ? Math.round(ms) : ms >= 10 ? Math.round(ms * 10) / 10 : Math.round(ms * 100) / 100;

export async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await fn();
  return [performance.now() - started, value];
}

/** Runs `fn` `warmup` times untimed, then `n` times timed; returns the milliseconds. */
export async function sample(
  n: number,
  warmup: number,
  fn: (i: number) => Promise<unknown>,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await fn(warmup + i);
    out.push(performance.now() - started);
  }
  return out;
}

/**
 * The process's peak resident memory while something runs, sampled every 2 ms from a worker
 * thread (so a busy main thread does not stop the sampling).
 */
export class RssSampler {
  private readonly worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     let max = process.memoryUsage.rss();
     setInterval(() => { const r = process.memoryUsage.rss(); if (r > max) max = r; }, 2);
     parentPort.on('message', (m) => {
       if (m === 'reset') { max = process.memoryUsage.rss(); parentPort.postMessage(max); }
       else parentPort.postMessage(max);
     });`,
    { eval: true },
  );

  private ask(message: 'reset' | 'max'): Promise<number> {
    return new Promise((resolve) => {
      this.worker.once('message', (v: number) => resolve(v));
      this.worker.postMessage(message);
    });
  }

  /** Measures the peak RSS growth (MB) over `fn`, from the RSS just before it. */
  async during<T>(fn: () => Promise<T>): Promise<[number, T]> {
    const before = await this.ask('reset');
    const value = await fn();
    const peak = await this.ask('max');
    return [(peak - before) / (1024 * 1024), value];
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

/** Load average and a little about the machine, for the record next to the numbers. */
export function machine(): Record<string, unknown> {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '?',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
  };
}

/** CPU seconds this process has used, main thread and all others (Linux; null elsewhere). */
export function threadCpu(): { main: number; others: number } | null {
  try {
    let main = 0;
    let others = 0;
    for (const tid of fs.readdirSync('/proc/self/task')) {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / 100;
      if (Number(tid) === process.pid) main += seconds;
      else others += seconds;
    }
    return { main, others };
  } catch {
    return null;
  }
}

/**
 * The CPU time this process's threads used since `before` (a threadCpu reading), as
 * "CPU s: main thread 1.6, other threads 2.2"; null where either reading failed.
 */
export function cpuSince(before: ReturnType<typeof threadCpu>): string | null {
  const now = threadCpu();
  if (!before || !now) return null;
  return `CPU s: main thread ${(now.main - before.main).toFixed(1)}, other threads ${(now.others - before.others).toFixed(1)}`;
}

const fmt = (v: number | null | undefined): string =>
  v === null || v === undefined || Number.isNaN(v) ? '-' : String(round(v));

/** The results as a table for people. */
export function formatTable(results: readonly Result[]): string {
  const header = [
    'work',
    'engine',
    'rows',
    'p50 ms',
    'p95 ms',
    'base p50',
    'base p95',
    'x base',
    'RSS MB',
    'load',
  ];
  const rows = results.map((r) => [
    r.work,
    r.engine,
    r.rows.toLocaleString('en-US'),
    fmt(r.p50_ms),
    fmt(r.p95_ms),
    fmt(r.baseline_p50_ms),
    fmt(r.baseline_p95_ms),
    r.p95_ms !== null && r.baseline_p95_ms ? `${(r.p95_ms / r.baseline_p95_ms).toFixed(1)}` : '-',
    r.rss_growth_mb === undefined ? '' : r.rss_growth_mb.toFixed(1),
    r.load_start === undefined ? '' : `${r.load_start.toFixed(1)}-${r.load_end!.toFixed(1)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
