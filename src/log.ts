// JSON-lines logger on stderr. Levels: `info` (start-up, one line per request, warnings, errors), `error`
// (the `ready` line, warnings and errors), `silent`. Callers pass identifiers and outcomes only: never request
// bodies, plaintext or key material. Lines are written once per turn of the event loop, not one write each:
// under load a write per request cost a third of the throughput. Lines still pending at exit are written then.
import type { Logger, RequestLogLine } from './context.ts';

export type LogLevel = 'silent' | 'error' | 'info';

let pending = '';
let scheduled = false;
let flushAtExit = false;

/** Writes the lines not yet written (before the process prints something of its own, or ends). */
export function flushLog(): void {
  scheduled = false;
  if (pending === '') return;
  const out = pending;
  pending = '';
  process.stderr.write(out);
}

function enqueue(line: string): void {
  if (!flushAtExit) {
    flushAtExit = true;
    process.on('exit', flushLog);
  }
  pending += line;
  if (!scheduled) {
    scheduled = true;
    setImmediate(flushLog);
  }
}

const str = (v: string | undefined) => (v === undefined ? '' : JSON.stringify(v));

export function createLogger(level: LogLevel): Logger {
  const write = (lvl: string, msg: string, fields?: object) =>
    enqueue(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields })}\n`);
  const info = level === 'info';
  const error = level !== 'silent';
  return {
    info: (msg, fields) => info && write('info', msg, fields),
    announce: (msg, fields) => error && write('info', msg, fields),
    warn: (msg, fields) => error && write('warn', msg, fields),
    error: (msg, fields) => error && write('error', msg, fields),
    // Built by hand, members in a fixed order: the line the server writes most.
    request: (l: RequestLogLine) => {
      if (!info) return;
      let line = `{"time":"${new Date().toISOString()}","level":"info","msg":"request","requestId":"${l.requestId}"`;
      if (l.operation !== undefined) line += `,"operation":${str(l.operation)}`;
      if (l.caller !== undefined) line += `,"caller":${str(l.caller)}`;
      line += `,"status":${l.status}`;
      if (l.error !== undefined) line += `,"error":${str(l.error)}`;
      if (l.message !== undefined) line += `,"message":${str(l.message)}`;
      enqueue(`${line},"ms":${l.ms}}\n`);
    },
    requests: info,
  };
}
