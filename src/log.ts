// JSON-lines logger on stderr. Levels: `info` (start-up, one line per request, warnings, errors), `error`
// (the `ready` line, warnings and errors), `silent`. Callers pass identifiers and outcomes only: never request bodies,
// plaintext or key material.
import type { Logger, RequestLogLine } from './context.ts';

export type LogLevel = 'silent' | 'error' | 'info';

export function createLogger(level: LogLevel): Logger {
  const write = (lvl: string, msg: string, fields?: object) =>
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields })}\n`);
  const info = level === 'info';
  const error = level !== 'silent';
  return {
    info: (msg, fields) => info && write('info', msg, fields),
    announce: (msg, fields) => error && write('info', msg, fields),
    warn: (msg, fields) => error && write('warn', msg, fields),
    error: (msg, fields) => error && write('error', msg, fields),
    // Members in a fixed order, whatever order the server learnt them in: the lines read alike.
    request: (l: RequestLogLine) =>
      info &&
      write('info', 'request', {
        requestId: l.requestId,
        operation: l.operation,
        caller: l.caller,
        status: l.status,
        error: l.error,
        message: l.message,
        ms: l.ms,
      }),
    requests: info,
  };
}
