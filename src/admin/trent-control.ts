// What the admin routes may do to a running Trent: the server implements it, the routes only translate HTTP.
import type { SweepResult } from '../keys/sweep.ts';
import type { ClockStatus } from '../public-types.ts';
import type { SeedScope } from '../seed/apply-seed.ts';

export type { ClockStatus } from '../public-types.ts';

export interface HealthStatus {
  status: 'ok';
  version: string;
  /** `sqlite` (a data directory) or `memory`. */
  store: string;
}

export interface TrentControl {
  health(): HealthStatus;
  /** Deletes every key in scope with its aliases, tags, grants and usage, then applies the seed again. */
  reset(scope: SeedScope): Promise<void>;
  clockStatus(): ClockStatus;
  /** Moves the lifecycle clock forward and applies what fell due. */
  advanceClock(seconds: number): Promise<ClockStatus & { swept: SweepResult }>;
}
