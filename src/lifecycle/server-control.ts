// What the admin routes and startTrent do to a running server: health, reset, clock moves, and the sweep that
// applies what has fallen due. Resets and clock moves run behind the request gate, alone.
import type { HealthStatus, TrentControl } from '../admin/trent-control.ts';
import type { Logger } from '../context.ts';
import { keyArn } from '../keys/key-id.ts';
import { sweepDue, type SweepResult } from '../keys/sweep.ts';
import type { Services } from '../request-context.ts';
import { applySeed } from '../seed/apply-seed.ts';
import type { Seed } from '../seed/seed-file.ts';
import { VERSION } from '../version.ts';
import { storeClockOffset, type AdjustableClock } from './clock.ts';
import { deleteKeysIn } from './delete-keys.ts';
import type { RequestGate } from './request-gate.ts';

export interface ControlDeps {
  services: Services;
  clock: AdjustableClock;
  gate: RequestGate;
  log: Logger;
  /** Read again by each reset. */
  seed?: () => Promise<Seed>;
  storeKind: string;
}

export type ServerControl = TrentControl & {
  /** Applies what has fallen due: deletions, automatic rotations, expiry of imported material, transitions. */
  sweep(): Promise<SweepResult>;
};

export function createControl({ services, clock, gate, log, seed: readSeed, storeKind }: ControlDeps): ServerControl {
  const { store } = services;
  const sweep = async (): Promise<SweepResult> => {
    await services.usage.flush();
    return store.transaction((tx) => sweepDue(tx, clock.now(), services.vault));
  };
  const clockStatus = () => ({ now: new Date(clock.now()).toISOString(), offsetSeconds: clock.offsetMs / 1000 });
  const health: HealthStatus = { status: 'ok', version: VERSION, store: storeKind };

  return {
    sweep,
    health: () => health,
    clockStatus,
    reset: (scope) =>
      gate.exclusive(async () => {
        // Read first: a seed file that no longer applies fails the reset before anything is deleted.
        const seed = readSeed === undefined ? undefined : await readSeed();
        // Pending usage records go in first, so that they leave with their keys instead of landing on re-seeded ones.
        await services.usage.flush();
        // A whole reset also brings the clock back: no key is left that lived on the advanced time.
        const whole = scope.account === undefined && scope.region === undefined;
        const offset = clock.offsetMs;
        if (whole) clock.rewind();
        try {
          const deleted = await store.transaction(async (tx) => {
            const gone = await deleteKeysIn(tx, scope);
            if (seed !== undefined) await applySeed(tx, services, seed, { scope, again: true });
            if (whole) await storeClockOffset(tx, 0);
            return gone;
          });
          services.propagation.forget(deleted.map((k) => keyArn(k.region, k.account, k.keyId)));
          log.info('reset', { ...scope, deleted: deleted.length });
        } catch (e) {
          if (whole) clock.advance(offset);
          throw e;
        }
      }),
    advanceClock: (seconds) =>
      gate.exclusive(async () => {
        const ms = Math.round(seconds * 1000);
        await store.transaction((tx) => storeClockOffset(tx, clock.offsetMs + ms));
        clock.advance(ms);
        const swept = await sweep();
        log.info('clock advanced', { seconds, now: new Date(clock.now()).toISOString(), ...swept });
        return { ...clockStatus(), swept };
      }),
  };
}
