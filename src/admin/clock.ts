// GET /_trent/clock: the lifecycle clock. POST /_trent/clock {"advanceSeconds": N}: moves it forward N seconds
// and applies at once what fell due (deletions, rotations, expiry, Creating/Updating transitions).
import type { SweepResult } from '../keys/sweep.ts';
import { invalidBody } from './admin-error.ts';
import type { ClockStatus, TrentControl } from './trent-control.ts';
import { bodyObject } from './request-body.ts';

/** A hundred years: far past any KMS period (rotation at most 2560 days), and short of Date's range. */
export const MAX_ADVANCE_SECONDS = 100 * 365.25 * 24 * 3600;

export const clockStatus = async (_body: unknown, control: TrentControl): Promise<ClockStatus> => control.clockStatus();

const USAGE = 'POST /_trent/clock takes {"advanceSeconds": N}, e.g. {"advanceSeconds": 604800} for 7 days';

export async function advanceClock(body: unknown, control: TrentControl): Promise<ClockStatus & { swept: SweepResult }> {
  const o = bodyObject(body, ['advanceSeconds'], USAGE);
  return control.advanceClock(checkAdvanceSeconds(o.advanceSeconds));
}

/** The seconds to move forward, as the route and startTrent's advanceClock accept them. */
export function checkAdvanceSeconds(seconds: unknown): number {
  if (seconds === undefined) throw invalidBody(`advanceSeconds is required: ${USAGE}`);
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_ADVANCE_SECONDS) {
    throw invalidBody(`advanceSeconds must be a number of seconds from 0 to ${MAX_ADVANCE_SECONDS} (100 years): the clock only moves forward`);
  }
  return seconds;
}
