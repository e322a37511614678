// JSON-lines logger on stderr. Callers pass identifiers and outcomes only: never request bodies,
// plaintext or key material.
import type { Logger } from './context.ts';

export type LogLevel = 'silent' | 'error' | 'info';

export function createLogger(level: LogLevel): Logger {
  const write = (lvl: string, msg: string, fields?: Record<string, unknown>) =>
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields })}\n`);
  const info = level === 'info';
  const error = level !== 'silent';
  return {
    info: (msg, fields) => info && write('info', msg, fields),
    warn: (msg, fields) => error && write('warn', msg, fields),
    error: (msg, fields) => error && write('error', msg, fields),
  };
}
