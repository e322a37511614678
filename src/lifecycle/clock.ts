// The clock every key lifecycle reads (deletions, rotations, expiry, transitions, usage dates). It runs with the
// wall clock, plus an offset that only grows: POST /_trent/clock moves it forward. SigV4 freshness never reads it.
import type { Clock } from '../context.ts';
import type { Tx } from '../store/store.ts';

/** A clock that can be moved forward; the server's clock-control route needs no more than this. */
export interface AdjustableClock extends Clock {
  /** How far this clock runs ahead of the wall clock, in milliseconds. */
  readonly offsetMs: number;
  advance(ms: number): void;
  /** Back to the wall clock: only when no key remains that lived on the advanced time (a full reset). */
  rewind(): void;
}

export class OffsetClock implements AdjustableClock {
  #offsetMs: number;

  constructor(offsetMs = 0) {
    this.#offsetMs = offsetMs;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  now(): number {
    return Date.now() + this.#offsetMs;
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`a clock only moves forward (asked to move by ${ms} ms)`);
    this.#offsetMs += ms;
  }

  rewind(): void {
    this.#offsetMs = 0;
  }
}

// The offset is kept in the database: time never runs backwards for the keys of a data directory.
const OFFSET_META = 'clock-offset-ms';

export async function storedClockOffset(tx: Tx): Promise<number> {
  return Number((await tx.getMeta(OFFSET_META)) ?? 0);
}

export async function storeClockOffset(tx: Tx, offsetMs: number): Promise<void> {
  await tx.setMeta(OFFSET_META, String(offsetMs));
}
