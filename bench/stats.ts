// Statistics of one row and server over its measured slices: throughput, latency percentiles, errors.
import type { LoadResult } from './load.ts';

export interface Measurement {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  firstError: string | undefined;
  okBodyBytes: number;
  sliceRps: number[];
  /** Server CPU (all threads) per measured request in µs; NaN where it cannot be read. */
  cpuUsPerReq: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** `cpuMs`: the server's CPU time over the measured slices, if known. */
export function combine(warmups: LoadResult[], slices: LoadResult[], cpuMs?: number): Measurement {
  if (slices.some((r) => r.summary !== undefined)) return combineSummaries(warmups, slices, cpuMs);
  const all = new Float64Array(slices.reduce((n, r) => n + r.latencies.length, 0));
  let at = 0;
  for (const r of slices) {
    all.set(r.latencies, at);
    at += r.latencies.length;
  }
  all.sort();
  const n = all.length;
  const pct = (q: number) => (n === 0 ? NaN : all[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!);
  const seconds = slices.reduce((t, r) => t + r.elapsedMs, 0) / 1000;
  const runs = [...warmups, ...slices];
  return {
    requests: n,
    rps: n / seconds,
    p50: pct(0.5),
    p99: pct(0.99),
    errors: runs.reduce((e, r) => e + r.errors, 0),
    firstError: runs.find((r) => r.firstError !== undefined)?.firstError,
    okBodyBytes: Math.max(...runs.map((r) => r.okBodyBytes)),
    sliceRps: slices.map((r) => r.latencies.length / (r.elapsedMs / 1000)),
    cpuUsPerReq: cpuMs === undefined || n === 0 ? NaN : (cpuMs * 1000) / n,
  };
}

/** Slices that report percentiles (wrk): the throughput of them all, and the median slice's percentiles. */
function combineSummaries(warmups: LoadResult[], slices: LoadResult[], cpuMs?: number): Measurement {
  const n = slices.reduce((t, r) => t + (r.summary?.requests ?? 0), 0);
  const seconds = slices.reduce((t, r) => t + r.elapsedMs, 0) / 1000;
  const runs = [...warmups, ...slices];
  return {
    requests: n,
    rps: n / seconds,
    p50: median(slices.map((r) => r.summary!.p50)),
    p99: median(slices.map((r) => r.summary!.p99)),
    errors: runs.reduce((e, r) => e + r.errors, 0),
    firstError: runs.find((r) => r.firstError !== undefined)?.firstError,
    okBodyBytes: Math.max(...runs.map((r) => r.okBodyBytes)),
    sliceRps: slices.map((r) => r.summary!.requests / (r.elapsedMs / 1000)),
    cpuUsPerReq: cpuMs === undefined || n === 0 ? NaN : (cpuMs * 1000) / n,
  };
}
