// `trent seed check FILE [options]`: applies the seed to an empty in-memory store with the configuration's
// principals, as a start on a new data directory would, and reports what it declares. Exit 0 when it applies,
// 1 when it does not (the message names the file, the entry and the rule).
import { loadConfig } from '../config.ts';
import { checkSeed } from '../seed/check-seed.ts';
import { readSeedFile, SeedError } from '../seed/seed-file.ts';
import { UsageError } from './usage-error.ts';

export async function seedCheck(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [file, ...rest] = argv;
  if (file === undefined || file.startsWith('-')) throw new UsageError('usage: trent seed check FILE [options]');
  const config = loadConfig(rest, env);
  try {
    const seed = await readSeedFile(file, config.defaultAccount);
    await checkSeed(seed, config);
    const replicas = seed.keys.reduce((n, k) => n + k.replicas.length, 0);
    const aliases = seed.keys.reduce((n, k) => n + k.aliases.length + k.replicas.reduce((m, r) => m + r.aliases.length, 0), 0);
    const accounts = new Set(seed.keys.map((k) => k.account)).size;
    const regions = new Set(seed.keys.flatMap((k) => [k.region, ...k.replicas.map((r) => r.region)])).size;
    process.stdout.write(
      `${file}: applies: ${seed.keys.length} key(s), ${replicas} replica(s), ${aliases} alias(es) in ${accounts} account(s) and ${regions} Region(s)\n`,
    );
    return 0;
  } catch (e) {
    if (!(e instanceof SeedError)) throw e;
    process.stderr.write(`trent: ${e.message}\n`);
    return 1;
  }
}
