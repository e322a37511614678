// `trent serve`, the default command: start, announce one `ready` line with the URL (what container tooling
// waits for), and stop gracefully on SIGINT, SIGTERM or SIGHUP, or when npm, which started Trent, is gone:
// requests in flight are answered, usage records written and the store closed before the process exits.
import { isLoopback, loadConfig } from '../config.ts';
import { launch } from '../launch.ts';
import { createLogger, flushLog } from '../log.ts';
import { VERSION } from '../version.ts';

const GRACE_MS = 10_000;

export async function serve(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfig(argv, env);
  const log = createLogger(config.logLevel);
  const { server, close } = await launch(config, { log });

  const mode =
    config.credentials.length === 0
      ? `local-development mode: any access key is accepted (12-digit access key IDs name the account, others use ${config.defaultAccount})`
      : `${config.credentials.length} configured credential(s); signatures are verified`;
  if (config.credentials.length === 0 && !isLoopback(config.host)) {
    log.warn(`listening on ${config.host} with no credentials configured: whoever reaches this port may use every key`);
  }
  log.announce('ready', { url: server.url, version: VERSION, dataDir: config.dataDir, mode });
  if (config.logLevel === 'silent') process.stdout.write(`Trent listening on ${server.url}\n`);

  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) {
      // A second Ctrl-C: the user does not want to wait for requests in flight.
      flushLog();
      process.stderr.write('trent: stopping at once\n');
      process.exit(130);
    }
    stopping = true;
    log.info('stopping', { reason });
    close(GRACE_MS).then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (e: unknown) => {
        log.error('stop failed', { error: e instanceof Error ? e.stack : String(e) });
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal));
  // `kill <npm pid>` stops npm; npm passes SIGTERM on to its script, but a SIGKILL leaves Trent alone
  // with nobody to stop it: while run by npm, a parent that changes means the parent is gone.
  if (env.npm_lifecycle_event !== undefined) {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) stop('npm exited');
    }, 1000).unref();
  }
}
