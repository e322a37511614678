// CPU time a server process has used, all its threads together, from Linux's /proc/<pid>/task/*/schedstat
// (nanosecond counters). Throughput on a busy or small machine moves with whatever else runs; CPU per
// request does much less, so the bench reports both. Undefined where /proc is not there.
import { readdirSync, readFileSync } from 'node:fs';

export function cpuTimeMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    let ns = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // The thread ended between the listing and the read: its time is lost either way.
      }
    }
    return ns / 1e6;
  } catch {
    return undefined;
  }
}
