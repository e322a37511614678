// Trent inside a JavaScript test suite: startTrent() serves on a free loopback port over an in-memory store by
// default and hands back what an SDK client needs, with reset and clock control that go through the same
// gate as the admin routes. Every `trent serve` option is available, by its config-file name.
import { IN_MEMORY, loadConfig } from './config.ts';
import { checkAdvanceSeconds } from './admin/clock.ts';
import { checkResetScope } from './admin/reset.ts';
import { launch } from './launch.ts';
import { createLogger } from './log.ts';
import type { StartTrent } from './public-types.ts';

export const startTrent: StartTrent = async (options = {}) => {
  const { seed, region = 'us-east-1', principals, credentials, ...settings } = options;
  // The same rules as a config file: unknown settings and bad values are refused by name.
  const given = Object.fromEntries(Object.entries({ ...settings, principals, credentials }).filter(([, v]) => v !== undefined));
  // The process environment is left out: a test suite's TRENT_* variables must not change what it starts.
  const config = loadConfig([], {}, { port: 0, dataDir: IN_MEMORY, logLevel: 'silent', ...given, ...(typeof seed === 'string' ? { seed } : {}) });
  const { server, close } = await launch(config, { log: createLogger(config.logLevel), ...(typeof seed === 'object' ? { seed } : {}) });
  const first = config.credentials.find((c) => c.admin) ?? config.credentials[0];
  return {
    endpoint: server.url,
    region,
    credentials: first
      ? { accessKeyId: first.accessKeyId, secretAccessKey: first.secretAccessKey, ...(first.sessionToken ? { sessionToken: first.sessionToken } : {}) }
      : { accessKeyId: config.defaultAccount, secretAccessKey: 'trent-local-development' },
    // Async, so that a bad argument is a rejected promise like any other failure.
    reset: async (scope = {}) => server.reset(checkResetScope(scope)),
    advanceClock: async (seconds) => server.advanceClock(checkAdvanceSeconds(seconds)),
    clock: () => server.clockStatus(),
    stop: () => close(),
  };
};
