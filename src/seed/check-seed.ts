// Tries a seed on an empty in-memory store, with a throwaway root key and the configuration's principals:
// `trent seed check`, and what `trent serve` does before it creates a new data directory, so that a bad seed
// stops it with nothing created. Throws SeedError naming the entry and the rule.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import { OffsetClock } from '../lifecycle/clock.ts';
import { createLogger } from '../log.ts';
import { openServices } from '../services.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { applySeed, type SeedOutcome } from './apply-seed.ts';
import type { Seed } from './seed-file.ts';

export async function checkSeed(seed: Seed, config: Pick<Config, 'credentials' | 'propagationDelaySeconds' | 'multiRegionDelayMs'>): Promise<SeedOutcome> {
  const store = openSqliteStore({ path: ':memory:' });
  try {
    const services = await openServices(config, { store, rootKey: randomBytes(32), clock: new OffsetClock(), log: createLogger('silent') });
    return await store.transaction((tx) => applySeed(tx, services, seed));
  } finally {
    await store.close();
  }
}
