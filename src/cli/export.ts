// `trent export [options] [--with-material] [--out FILE]`: writes the keys of a data directory at rest as a
// seed file (JSON, or YAML when FILE ends in .yaml/.yml), to FILE or standard output. With --with-material the
// file holds key material in the clear: it is written readable by its owner only, with a warning.
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IN_MEMORY, loadConfig } from '../config.ts';
import { DATABASE_FILE } from '../launch.ts';
import { MaterialVault } from '../keys/vault.ts';
import { storedClockOffset } from '../lifecycle/clock.ts';
import { createLogger } from '../log.ts';
import { loadRootKey } from '../root-key.ts';
import { exportSeed } from '../seed/export-seed.ts';
import { loadYaml } from '../seed/yaml.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { UsageError } from './usage-error.ts';

export async function exportCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let withMaterial = false;
  let out: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--with-material') withMaterial = true;
    else if (arg === '--out' || arg.startsWith('--out=')) {
      out = arg === '--out' ? argv[++i] : arg.slice('--out='.length);
      if (!out) throw new UsageError('--out needs a file name');
    } else rest.push(arg);
  }
  const config = loadConfig(rest, env);
  if (config.dataDir === IN_MEMORY) throw new UsageError(`${IN_MEMORY} keeps nothing to export: give --data-dir`);
  const path = join(config.dataDir, DATABASE_FILE);
  if (!existsSync(path)) throw new UsageError(`no Trent data in ${config.dataDir}: ${path} does not exist`);
  const store = openSqliteStore({ path, readOnly: true });
  try {
    let vault: MaterialVault | undefined;
    if (withMaterial) {
      vault = new MaterialVault(loadRootKey(config, createLogger('silent'), { create: false }));
      const check = await store.transaction((tx) => tx.getMeta('root-key-check'));
      if (check !== undefined && !vault.matchesCheckValue(check)) {
        throw new UsageError('the root key does not match the one this data directory was created with');
      }
    }
    // Keys age on the data directory's own clock, which POST /_trent/clock may have moved forward.
    const now = Date.now() + (await store.transaction(storedClockOffset));
    const { doc, skipped } = await store.transaction((tx) => exportSeed(tx, now, vault));
    const text = out !== undefined && /\.ya?ml$/i.test(out) ? (await loadYaml()).stringify(doc) : `${JSON.stringify(doc, null, 2)}\n`;
    for (const s of skipped) process.stderr.write(`trent: not exported: ${s}\n`);
    if (withMaterial) {
      process.stderr.write(
        `trent: warning: ${out ?? 'the output'} holds key material in the clear: whoever reads it can decrypt, sign and ` +
          'verify as these keys do. Keep it out of version control unless the keys protect nothing but test data.\n',
      );
    }
    if (out === undefined) process.stdout.write(text);
    else {
      writeFileSync(out, text, { mode: withMaterial ? 0o600 : 0o644 });
      if (withMaterial) chmodSync(out, 0o600);
    }
    process.stderr.write(`trent: exported ${doc.keys.length} key(s)${out ? ` to ${out}` : ''}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
