#!/usr/bin/env node
// The `trent` command: `serve` (the default), `seed check`, `export`, `health`, `--help`, `--version`. A command line or
// start-up Trent cannot act on ends in one `trent: …` line on stderr and exit code 2.
import { exportCommand } from './cli/export.ts';
import { healthCommand } from './cli/health.ts';
import { helpText } from './cli/help.ts';
import { seedCheck } from './cli/seed-check.ts';
import { serve } from './cli/serve.ts';
import { UsageError } from './cli/usage-error.ts';
import { ConfigError } from './config.ts';
import { StartupError } from './launch.ts';
import { flushLog } from './log.ts';
import { StoreOpenError } from './store/store.ts';
import { VERSION } from './version.ts';

async function run(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number | undefined> {
  const [command, ...rest] = argv;
  switch (command) {
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(helpText());
      return 0;
    case '--version':
    case '-v':
    case 'version':
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case 'serve':
      await serve(rest, env);
      return undefined;
    case 'seed':
      if (rest[0] !== 'check') throw new UsageError('usage: trent seed check FILE [options]');
      return seedCheck(rest.slice(1), env);
    case 'export':
      return exportCommand(rest, env);
    case 'health':
      return healthCommand(rest, env);
    default:
      // No command: options for serve (or none), or a mistake that loadConfig names.
      await serve(argv, env);
      return undefined;
  }
}

try {
  const code = await run(process.argv.slice(2), process.env);
  if (code !== undefined) process.exitCode = code;
} catch (e) {
  if (e instanceof UsageError || e instanceof ConfigError || e instanceof StartupError || e instanceof StoreOpenError) {
    flushLog();
    process.stderr.write(`trent: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}
