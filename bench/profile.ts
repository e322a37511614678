// Summarizes a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per file, restricted to a
// monotonic-clock window (microseconds) when given, so start-up and set-up are left out of the numbers.
import { readFileSync } from 'node:fs';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled time in the window, idle included (ms). */
  totalMs: number;
  /** Sampled time not spent idle (ms). */
  busyMs: number;
  windowed: boolean;
  /** Self time (ms) by "function  file". */
  functions: Map<string, number>;
  /** Self time (ms) by file (or by pseudo-function for native frames such as writev or (garbage collector)). */
  files: Map<string, number>;
}

function shortUrl(url: string, root: string): string {
  let u = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  if (u.startsWith(root)) u = u.slice(root.length).replace(/^\//, '');
  const nm = u.lastIndexOf('node_modules/');
  return nm >= 0 ? u.slice(nm) : u;
}

export function summarizeProfile(path: string, root: string, windowUs?: [number, number]): ProfileSummary {
  const prof = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n.callFrame]));
  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  const windowed = windowUs !== undefined && windowUs[0] < prof.endTime && windowUs[1] > prof.startTime;
  let t = prof.startTime;
  let total = 0;
  let idle = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    t += prof.timeDeltas[i] ?? 0;
    if (windowed && (t < windowUs[0] || t > windowUs[1])) continue;
    const ms = (prof.timeDeltas[i + 1] ?? 0) / 1000; // a sample stands for the time until the next one
    const cf = byId.get(prof.samples[i]!);
    if (!cf) continue;
    const name = cf.functionName || '(anonymous)';
    // Line numbers are omitted: for .ts files they point into tsx's transformed code.
    const file = cf.url ? shortUrl(cf.url, root) : '';
    const fnKey = file ? `${name}  ${file}` : name;
    functions.set(fnKey, (functions.get(fnKey) ?? 0) + ms);
    const fileKey = file || name;
    files.set(fileKey, (files.get(fileKey) ?? 0) + ms);
    total += ms;
    if (name === '(idle)') idle += ms;
  }
  return { totalMs: total, busyMs: total - idle, windowed, functions, files };
}
