// What the bench prints: number formats, Markdown tables, and the per-row summaries (Trent against the
// bare server; authorization on against local-development mode).
import type { Measurement } from './stats.ts';

export const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toString() : '-');
export const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '-');
export const percent = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') + ' |';
  const rule = '|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|';
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** One progress line per row and server, printed as soon as the row is measured. */
export function progressLine(label: string, who: string, whoWidth: number, m: Measurement): string {
  return (
    `  ${label.padEnd(17)} ${who.padEnd(whoWidth)} ${f0(m.rps).padStart(6)} req/s  p50 ${f2(m.p50)} ms  p99 ${f2(m.p99)} ms  ` +
    `errors ${m.errors}  slices ${m.sliceRps.map(f0).join('/')} req/s  (${m.okBodyBytes} B answers)` +
    (Number.isFinite(m.cpuUsPerReq) ? `  cpu ${m.cpuUsPerReq.toFixed(0)} µs/req` : '')
  );
}

export function bareTable(rows: { op: string; trent: Measurement; bare: Measurement }[]): string {
  return table(
    ['operation', 'trent req/s', 'p50 ms', 'p99 ms', 'bare req/s', 'p50', 'p99', 'ratio'],
    rows.map(({ op, trent: t, bare: b }) => [op, f0(t.rps), f2(t.p50), f2(t.p99), f0(b.rps), f2(b.p50), f2(b.p99), percent(t.rps, b.rps)]),
  );
}

export interface AuthzRow {
  op: string;
  local: Measurement;
  authz: Measurement;
  root: Measurement;
  bare: Measurement;
}

export function authzTable(rows: AuthzRow[]): string {
  return table(
    [
      'operation',
      'local req/s',
      'p50 ms',
      'user req/s',
      'p50 ms',
      'p99 ms',
      'user/local',
      'root req/s',
      'root/local',
      'user/bare',
      'cpu µs/req local',
      'user',
      'root',
      'local/user cpu',
    ],
    rows.map(({ op, local: l, authz: a, root: r, bare: b }) => [
      op,
      f0(l.rps),
      f2(l.p50),
      f0(a.rps),
      f2(a.p50),
      f2(a.p99),
      percent(a.rps, l.rps),
      f0(r.rps),
      percent(r.rps, l.rps),
      percent(a.rps, b.rps),
      f0(l.cpuUsPerReq),
      f0(a.cpuUsPerReq),
      f0(r.cpuUsPerReq),
      Number.isFinite(a.cpuUsPerReq) ? percent(l.cpuUsPerReq, a.cpuUsPerReq) : '-',
    ]),
  );
}
